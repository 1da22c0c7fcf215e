/** Elasticsearch render functions: cluster formation, the service token, the users file, the probe. */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  readinessScript,
  renderElasticsearchYml,
  renderRoles,
  renderServiceTokens,
  renderUsersFile,
  serviceTokenBearer,
  sysctlScript,
} from "../../components/logging/elasticsearch/render";
import { ilmPolicyBody, logsCustomTemplateBody } from "../../components/logging/setup/render";

const base = {
  clusterName: "monitoring-prod-logs",
  platform: "kubernetes" as const,
  seedHosts: ["elasticsearch-0.elasticsearch-headless.ns.svc:9300"],
  nodeNames: ["elasticsearch-0", "elasticsearch-1", "elasticsearch-2"],
  tls: true,
};

describe("elasticsearch.yml", () => {
  it("names the initial master nodes only when forming a new cluster", () => {
    const formed = parse(renderElasticsearchYml({ ...base, formNewCluster: false }));
    expect(formed["cluster.initial_master_nodes"]).toBeUndefined();
    const fresh = parse(renderElasticsearchYml({ ...base, formNewCluster: true }));
    expect(fresh["cluster.initial_master_nodes"]).toEqual(base.nodeNames);
  });

  it("Docker: single-node discovery without mmap, security on, no TLS when off", () => {
    const y = parse(
      renderElasticsearchYml({ ...base, platform: "docker", tls: false, formNewCluster: false }),
    );
    expect(y["discovery.type"]).toBe("single-node");
    expect(y["node.store.allow_mmap"]).toBe(false);
    expect(y["discovery.seed_hosts"]).toBeUndefined();
    expect(y["xpack.security.enabled"]).toBe(true);
    expect(Object.keys(y).some((k) => k.includes(".ssl."))).toBe(false);
  });
});

describe("credentials", () => {
  it("Kibana's bearer token decodes to the prefix bytes and elastic/kibana/<name>:<secret>", () => {
    const raw = Buffer.from(serviceTokenBearer("s3cret-value-123"), "base64");
    expect([...raw.subarray(0, 4)]).toEqual([0, 1, 0, 1]);
    expect(raw.subarray(4).toString()).toBe("elastic/kibana/monitoring-stack:s3cret-value-123");
    expect(serviceTokenBearer("x")).not.toMatch(/=$/);
    expect(renderServiceTokens("$2a$10$h")).toBe("elastic/kibana/monitoring-stack:$2a$10$h\n");
  });

  it("the users file holds only user:hash lines", () => {
    expect(renderUsersFile({ elastic: "$2a$10$a", logstash_writer: "$2a$10$b" })).toBe(
      "elastic:$2a$10$a\nlogstash_writer:$2a$10$b\n",
    );
  });
});

describe("probes and init step", () => {
  it("a restarted node waits for green (yellow on a single node), then only for itself", () => {
    expect(readinessScript({ tls: true, singleNode: false })).toMatch(/wait_for_status=green/);
    expect(readinessScript({ tls: true, singleNode: false })).toMatch(/--cacert \S+ca\.crt/);
    expect(readinessScript({ tls: false, singleNode: true })).toMatch(/wait_for_status=yellow/);
    expect(readinessScript({ tls: false, singleNode: true })).toMatch(/^url=http:\/\/127\.0\.0\.1:9200$/m);
  });

  it("raises vm.max_map_count only when the node's is lower", () => {
    expect(sysctlScript()).toBe(
      '[ "$(cat /proc/sys/vm/max_map_count)" -ge 1048576 ] || sysctl -w vm.max_map_count=1048576',
    );
  });
});

describe("setup request bodies", () => {
  it("deletes retentionDays after writing: 1 day of rollover plus the rest after it", () => {
    expect(ilmPolicyBody(30).policy.phases.delete).toEqual({ min_age: "29d", actions: { delete: {} } });
    expect(() => ilmPolicyBody(1)).toThrow();
  });

  it("logs@custom points every log data stream at the policy; one replica only with a cluster", () => {
    expect(logsCustomTemplateBody(3).template.settings).toEqual({
      index: { lifecycle: { name: "monitoring-logs" }, number_of_replicas: 1 },
    });
    expect(logsCustomTemplateBody(1).template.settings?.index?.number_of_replicas).toBe(0);
  });
});

describe("roles.yml", () => {
  it("Grafana's reader: the version and health calls, read and mappings of the log data streams only", () => {
    const roles = parse(renderRoles()) as Record<string, unknown>;
    expect(roles.logs_reader).toEqual({
      cluster: ["cluster:monitor/main", "cluster:monitor/health"],
      indices: [{ names: ["logs-*-*"], privileges: ["read", "view_index_metadata"] }],
    });
  });
});

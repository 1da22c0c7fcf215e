/**
 * The shipped plans with logging: prod (three Elasticsearch nodes with claims and TLS, Logstash with a
 * persistent queue, two Kibana, Filebeat per node, the ILM delete phase, the exporter and its rules)
 * and dev (the single node on Docker); secrets only in Secrets; per-container exemptions; the cost
 * pack's retention rule reading the setup job's policy.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { repoRoot, runPlan, type PlanRun } from "../helpers/plan";
import { scratchDir } from "../helpers/scratch";
import { IMAGES } from "../../stacks/profiles";
import { secretDigest } from "../../scripts/plan/runtime";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const plans: Record<string, PlanRun> = {};
beforeAll(() => {
  for (const stack of ["dev", "prod"]) {
    plans[stack] = runPlan(stack);
    if (plans[stack].status !== 0) throw new Error(`plan ${stack}: ${plans[stack].stderr}`);
  }
}, 240_000);

const one = (run: PlanRun, type: string, name: string): Obj => {
  const hits = run.resources.filter((r) => r.type === type && r.name === name);
  if (hits.length !== 1) throw new Error(`expected one ${type} ${name}, found ${hits.length}`);
  return hits[0].inputs as Obj;
};
const K = {
  sts: "kubernetes:apps/v1:StatefulSet",
  deploy: "kubernetes:apps/v1:Deployment",
  ds: "kubernetes:apps/v1:DaemonSet",
  cm: "kubernetes:core/v1:ConfigMap",
  secret: "kubernetes:core/v1:Secret",
  container: "docker:index/container:Container",
};
const file = (run: PlanRun, suffix: string): string => {
  const hits = [...run.files].filter(([p]) => p.endsWith(suffix));
  if (hits.length !== 1) throw new Error(`expected one file ending in ${suffix}, found ${hits.length}`);
  return hits[0][1];
};

describe("prod plan: logging on Kubernetes", () => {
  it("Elasticsearch: three nodes, a claim each, rolling one at a time behind a PDB, anti-affinity", () => {
    const es = one(plans.prod, K.sts, "monitoring-logging-elasticsearch-statefulset");
    expect(es.spec.replicas).toBe(3);
    expect(es.spec.updateStrategy).toEqual({ type: "RollingUpdate" });
    expect(es.spec.volumeClaimTemplates[0].spec).toMatchObject({
      storageClassName: "gp3",
      resources: { requests: { storage: "50Gi" } },
    });
    const pod = es.spec.template.spec;
    expect(pod.affinity.podAntiAffinity).toBeDefined();
    const main = pod.containers[0];
    // Readiness holds a restarted node back until the cluster is green again.
    expect(main.readinessProbe.exec.command.join(" ")).toContain("wait_for_status=green");
    expect(main.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(main.securityContext.privileged).toBeUndefined();
    expect(
      one(plans.prod, "kubernetes:policy/v1:PodDisruptionBudget", "monitoring-logging-elasticsearch-pdb")
        .spec,
    ).toMatchObject({ maxUnavailable: 1 });
    expect(file(plans.prod, "elasticsearch/jvm-options-d/heap.options")).toBe("-Xms2048m\n-Xmx2048m\n");
  });

  it("vm.max_map_count by a privileged init container, exempted for that container alone", () => {
    const es = one(plans.prod, K.sts, "monitoring-logging-elasticsearch-statefulset");
    const [init] = es.spec.template.spec.initContainers;
    expect(init.name).toBe("sysctl");
    expect(init.args[0]).toContain("vm.max_map_count=1048576");
    expect(init.securityContext).toMatchObject({ privileged: true, runAsUser: 0 });
    const declared = JSON.parse(
      es.spec.template.metadata.annotations["monitoring.pulumi.io/security-exemptions"],
    );
    expect(declared).toEqual([
      expect.objectContaining({ container: "sysctl", exemptions: ["run-as-root", "privileged"] }),
    ]);
    expect(es.metadata.namespace).toBe("monitoring-prod-node");
  });

  it("TLS on transport and HTTP from the stack's CA; keys and password hashes only in Secrets", () => {
    const yml = parse(file(plans.prod, "elasticsearch/config/elasticsearch.yml")) as Obj;
    expect(yml["xpack.security.enabled"]).toBe(true);
    expect(yml["xpack.security.transport.ssl.enabled"]).toBe(true);
    expect(yml["xpack.security.http.ssl.enabled"]).toBe(true);
    expect(yml["cluster.initial_master_nodes"]).toBeUndefined();
    // Secret keys as the plan records them (the values are redacted; each key has a digest).
    const keys = (name: string) =>
      Object.keys(
        plans.prod.resources.find((r) => r.type === K.secret && r.name === name)!.secretDigests ?? {},
      ).sort();
    expect(keys("monitoring-logging-elasticsearch-certs-secret")).toEqual([
      'stringData["ca.crt"]',
      'stringData["node.crt"]',
      'stringData["node.key"]',
    ]);
    expect(keys("monitoring-logging-elasticsearch-config-secret")).toEqual([
      "stringData.service_tokens",
      "stringData.users",
    ]);
    for (const s of plans.prod.resources.filter(
      (r) => r.type === K.secret && r.name.startsWith("monitoring-logging"),
    ))
      expect((s.inputs as Obj).stringData, s.name).toBe("[secret]");
  });

  it("no Elastic credential outside a Secret: ConfigMaps and env carry none", () => {
    const stubs = /mock-password|mock-private-key|mock-bcrypt|\$2a\$/;
    for (const r of plans.prod.resources.filter((x) => x.type === K.cm))
      for (const [key, text] of Object.entries((r.inputs as Obj).data ?? {}))
        expect(stubs.test(String(text)), `${r.name} ${key}`).toBe(false);
    for (const r of plans.prod.resources.filter((x) => [K.sts, K.deploy, K.ds].includes(x.type)))
      for (const c of (r.inputs as Obj).spec.template.spec.containers)
        for (const e of c.env ?? [])
          expect(stubs.test(String(e.value ?? "")), `${r.name} ${e.name}`).toBe(false);
  });

  it("Grafana logs in as logs_reader: the password from the Secret by reference, the logging CA trusted", () => {
    const reader = plans.prod.resources.find(
      (r) => r.type === "random:index/randomPassword:RandomPassword" && r.name.endsWith("-reader-password"),
    );
    expect(reader?.name).toBe("monitoring-logging-reader-password");
    // The mocks' RandomPassword result (scripts/plan/runtime.ts); the Secret's digest proves it is there.
    const password = `mock-password-${reader!.name}`;
    const env = "DATASOURCE_LOGS_BASIC_AUTH_PASSWORD";
    const holders = plans.prod.resources.filter((r) =>
      Object.values(r.secretDigests ?? {}).includes(secretDigest(password)),
    );
    expect(holders.map((r) => [r.type, (r.inputs as Obj).metadata?.name])).toEqual([
      [K.secret, "grafana-env"],
    ]);
    expect(holders[0].secretDigests?.[`stringData.${env}`]).toBe(secretDigest(password));
    const grafana = plans.prod.resources.find(
      (r) => r.type === K.deploy && (r.inputs as Obj).metadata.name === "grafana",
    );
    const envs = (grafana!.inputs as Obj).spec.template.spec.containers[0].env as Obj[];
    expect(envs.find((e) => e.name === env)?.valueFrom?.secretKeyRef).toEqual({
      name: "grafana-env",
      key: env,
    });

    const logs = (parse(file(plans.prod, "datasources/datasources.yml")) as Obj).datasources.find(
      (d: Obj) => d.uid === "logs",
    );
    expect(logs).toMatchObject({
      url: "https://elasticsearch.monitoring-prod-node.svc:9200",
      basicAuth: true,
      basicAuthUser: "logs_reader",
      jsonData: { tlsAuthWithCACert: true },
      secureJsonData: {
        basicAuthPassword: `$${env}`,
        tlsCACert: "$__file{/etc/grafana-datasource-ca/logs.crt}",
      },
    });
    expect(file(plans.prod, "grafana-datasource-ca/logs.crt")).toBe(
      "mock-certificate-monitoring-logging-ca-cert",
    );
  });

  it("Logstash: two replicas, a persistent queue on a volume each, the writer's own user", () => {
    const ls = one(plans.prod, K.sts, "monitoring-logging-logstash-statefulset");
    expect(ls.spec.replicas).toBe(2);
    expect(ls.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("10Gi");
    expect((parse(file(plans.prod, "logstash/config/logstash.yml")) as Obj)["queue.type"]).toBe("persisted");
    const ship = file(plans.prod, "logstash/pipelines/ship.conf");
    expect(ship).toContain('user => "logstash_writer"');
    expect(ship).toContain('"[service][environment]" => "prod"');
    expect(file(plans.prod, "logstash/pipelines/beats.conf")).toContain("port => 5044");
  });

  it("Kibana: two replicas sharing encryption keys from a Secret, ingress with the public URL", () => {
    const kb = one(plans.prod, K.deploy, "monitoring-logging-kibana-deployment");
    expect(kb.spec.replicas).toBe(2);
    const env = kb.spec.template.spec.containers[0].env as Obj[];
    for (const name of [
      "KIBANA_ES_SERVICE_TOKEN",
      "KIBANA_SECURITY_ENCRYPTION_KEY",
      "KIBANA_SAVED_OBJECTS_ENCRYPTION_KEY",
    ])
      expect(env.find((e) => e.name === name)?.valueFrom?.secretKeyRef).toBeDefined();
    const yml = parse(file(plans.prod, "kibana/config/kibana.yml")) as Obj;
    expect(yml["server.publicBaseUrl"]).toBe("https://kibana.example.com");
    expect(yml["elasticsearch.serviceAccountToken"]).toBe("${KIBANA_ES_SERVICE_TOKEN}");
    const ing = one(
      plans.prod,
      "kubernetes:networking.k8s.io/v1:Ingress",
      "monitoring-logging-kibana-ingress",
    );
    expect(ing.spec.rules[0].host).toBe("kibana.example.com");
  });

  it("Filebeat: one per node, registry on the host, read-only log mounts, read-only RBAC", () => {
    const fb = one(plans.prod, K.ds, "monitoring-logging-filebeat-daemonset");
    const volumes = fb.spec.template.spec.volumes.filter((v: Obj) => v.hostPath);
    expect(volumes.map((v: Obj) => v.hostPath.path).sort()).toEqual([
      "/var/lib/filebeat-data/monitoring-prod",
      "/var/log/containers",
      "/var/log/pods",
    ]);
    const mounts = fb.spec.template.spec.containers[0].volumeMounts as Obj[];
    expect(mounts.filter((m) => m.mountPath.startsWith("/var/log")).every((m) => m.readOnly)).toBe(true);
    const role = one(
      plans.prod,
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
      "monitoring-logging-filebeat-clusterrole",
    );
    expect(role.rules).toEqual([
      { apiGroups: [""], resources: ["pods", "namespaces", "nodes"], verbs: ["get", "list", "watch"] },
    ]);
    expect(file(plans.prod, "filebeat/filebeat/filebeat.yml")).toContain("type: kubernetes");
  });

  it("retention: the setup job's ILM policy deletes after the configured 30 days", () => {
    const policy = JSON.parse(file(plans.prod, "elasticsearch-setup/elasticsearch-setup/ilm-policy.json"));
    expect(policy.policy.phases.hot.actions.rollover.max_age).toBe("1d");
    expect(policy.policy.phases.delete).toEqual({ min_age: "29d", actions: { delete: {} } });
    expect(
      plans.prod.resources.some(
        (r) => r.type === "kubernetes:batch/v1:Job" && r.name.includes("elasticsearch-setup"),
      ),
    ).toBe(true);
  });

  it("the exporter is scraped with its cluster label renamed, and its rules and dashboard are provisioned", () => {
    const prom = parse(file(plans.prod, "prometheus/prometheus/prometheus.yml")) as Obj;
    const job = prom.scrape_configs.find((j: Obj) => j.job_name === "elasticsearch-exporter");
    expect(job.metric_relabel_configs[0]).toEqual({ source_labels: ["cluster"], target_label: "es_cluster" });
    expect(file(plans.prod, "elasticsearch.rules.yaml")).toContain("alert: ElasticsearchClusterRed");
    expect(file(plans.prod, "logging-elasticsearch.json")).toContain("Logging / Elasticsearch");
    expect(file(plans.prod, "datasources/datasources.yml")).toContain("Logs (Elasticsearch)");
  });
});

describe("dev plan: logging on Docker", () => {
  const container = (name: string) => one(plans.dev, K.container, name);

  it("one Elasticsearch node, single-node discovery, security on, published on 127.0.0.1 only", () => {
    const es = container("monitoring-logging-elasticsearch-0-container");
    expect(es.ports).toEqual([{ internal: 9200, external: 9200, ip: "127.0.0.1", protocol: "tcp" }]);
    expect(es.readOnly).toBe(true);
    const yml = parse(
      file(plans.dev, "elasticsearch/usr/share/elasticsearch/config/elasticsearch.yml"),
    ) as Obj;
    expect(yml["discovery.type"]).toBe("single-node");
    expect(yml["xpack.security.enabled"]).toBe(true);
    expect(yml["node.store.allow_mmap"]).toBe(false);
    expect(plans.dev.resources.some((r) => r.name.includes("sysctl"))).toBe(false);
  });

  it("no Elastic credential outside a secret: plain env entries, labels and plain uploads carry none", () => {
    const stubs = /mock-password|mock-private-key|mock-bcrypt|\$2a\$/;
    for (const r of plans.dev.resources.filter((x) => x.type === K.container)) {
      const c = r.inputs as Obj;
      for (const e of (c.envs ?? []) as string[]) expect(stubs.test(e), `${r.name} env`).toBe(false);
      for (const l of (c.labels ?? []) as Obj[])
        expect(stubs.test(String(l.value)), `${r.name} ${l.label}`).toBe(false);
      for (const u of (c.uploads ?? []) as Obj[])
        expect(stubs.test(String(u.content ?? "")), `${r.name} ${u.file}`).toBe(false);
    }
    const datasources = file(plans.dev, "grafana-provisioning/datasources/datasources.yml");
    expect(datasources).toContain("basicAuthPassword: $DATASOURCE_LOGS_BASIC_AUTH_PASSWORD");
  });

  it("Filebeat reads the engine's logs and metadata read-only; retention is 7 days", () => {
    const fb = container("monitoring-logging-filebeat-container");
    const sock = (fb.mounts as Obj[]).find((m) => m.target === "/var/run/docker.sock");
    expect(sock).toMatchObject({ type: "bind", readOnly: true });
    const policy = JSON.parse(
      file(
        plans.dev,
        "elasticsearch-setup-config-loader/staging/elasticsearch-setup/etc/elasticsearch-setup/ilm-policy.json",
      ),
    );
    expect(policy.policy.phases.delete.min_age).toBe("6d");
  });
});

describe("the cost pack reads the retention the setup job applies", () => {
  it("a prod stack keeping logs 45 days breaks elasticsearch-retention-cap (30d) and exits 1", () => {
    const prod = readFileSync(path.join(repoRoot, "Pulumi.prod.yaml"), "utf8");
    expect(prod).toContain("retentionDays: 30");
    const f = path.join(scratchDir("logging-retention-"), "Pulumi.prod-long-logs.yaml");
    writeFileSync(f, prod.replace("retentionDays: 30", "retentionDays: 45"));
    const r = runPlan("prod-long-logs", ["--config", f, "--stub-secrets"]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      /MANDATORY monitoring-cost\/elasticsearch-retention-cap .*elasticsearch-setup.*45d/,
    );
  });
});

describe("an Elastic release bump in the plan diff", () => {
  it("rolls Elasticsearch, Logstash, Kibana and Filebeat in place (updates, no replacement)", () => {
    const prod = readFileSync(path.join(repoRoot, "Pulumi.prod.yaml"), "utf8");
    const bump = (image: string) => image.replace(/:9\.\d+\.\d+$/, ":9.99.0");
    const text = prod.replace(
      "    retentionDays: 30\n    kibana:\n",
      [
        "    retentionDays: 30",
        `    elasticsearch: { image: "${bump(IMAGES.elasticsearch)}" }`,
        `    logstash: { image: "${bump(IMAGES.logstash)}" }`,
        `    filebeat: { image: "${bump(IMAGES.filebeat)}" }`,
        "    kibana:",
        `      image: ${bump(IMAGES.kibana)}`,
        "",
      ].join("\n"),
    );
    expect(text).toContain("9.99.0");
    const f = path.join(scratchDir("logging-bump-"), "Pulumi.prod.yaml");
    writeFileSync(f, text);
    const r = runPlan("prod", ["--config", f, "--stub-secrets", "--diff-against", plans.prod.out]);
    expect(r.status, r.stderr).toBe(0);
    const diff = JSON.parse(readFileSync(path.join(r.out, "diff.json"), "utf8")) as Obj[];
    const op = (name: string) => diff.find((e) => String(e.urn).endsWith(`::${name}`));
    for (const name of [
      "monitoring-logging-elasticsearch-statefulset",
      "monitoring-logging-logstash-statefulset",
      "monitoring-logging-kibana-deployment",
      "monitoring-logging-filebeat-daemonset",
    ]) {
      expect(op(name)?.op, name).toBe("update");
      expect(op(name)?.paths, name).toContain("spec.template.spec.containers[0].image");
    }
  });
});

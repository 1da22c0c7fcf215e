/** `monitoring:logging`: defaults per environment and the problems bad sizes, versions and retention get. */
import { describe, expect, it } from "vitest";
import { ConfigError, type ConfigProblem } from "../../stacks/errors";
import { IMAGES } from "../../stacks/profiles";
import { resolveStackSpec } from "../../stacks/resolve";
import { heapMiBFor, MAX_HEAP_MIB } from "../../stacks/sections/logging";

/** A prod stack on Kubernetes without the parts that need their own config. */
const PROD = { environment: "prod", platform: "kubernetes", grafana: { mode: "disabled" } };

const resolve = (values: Record<string, unknown>, stack = "dev") =>
  resolveStackSpec(values, { stack, secretKeys: new Set<string>() });

function problems(values: Record<string, unknown>, stack = "dev"): ConfigProblem[] {
  try {
    resolve(values, stack);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error("config was accepted but should have been rejected");
}

const paths = (ps: ConfigProblem[]) => ps.map((p) => p.path);

describe("logging defaults", () => {
  it("dev: on, one node on Docker, no TLS, 7 days, heap half the limit", () => {
    const l = resolve({}).logging;
    expect(l.enabled).toBe(true);
    expect(l.retentionDays).toBe(7);
    expect(l.tls).toBe(false);
    expect(l.elasticsearch.replicas).toBe(1);
    expect(l.elasticsearch.heapMiB).toBe(1024);
    expect(l.elasticsearch.image).toBe(IMAGES.elasticsearch);
  });

  it("prod: three nodes, TLS, 30 days, two Logstash and two Kibana, the init-container sysctl", () => {
    const l = resolve(PROD, "prod").logging;
    expect(l.elasticsearch.replicas).toBe(3);
    expect(l.tls).toBe(true);
    expect(l.retentionDays).toBe(30);
    expect(l.logstash.replicas).toBe(2);
    expect(l.kibana.replicas).toBe(2);
    expect(l.elasticsearch.vmMaxMapCount).toBe("init-container");
    expect(l.elasticsearch.formNewCluster).toBe(false);
    expect(l.elasticsearch.volume).toEqual({ sizeGi: 50, storageClass: "gp3" });
  });

  it("pins one Elastic release for all four images", () => {
    const tags = [IMAGES.elasticsearch, IMAGES.logstash, IMAGES.kibana, IMAGES.filebeat].map((i) =>
      i.split(":").pop(),
    );
    expect(new Set(tags).size).toBe(1);
    expect(tags[0]).toMatch(/^9\.\d+\.\d+$/);
  });

  it("heap is half the memory limit, never above ~31 GB", () => {
    expect(heapMiBFor("8Gi")).toBe(4096);
    expect(heapMiBFor("3Gi")).toBe(1536);
    expect(heapMiBFor("128Gi")).toBe(MAX_HEAP_MIB);
    expect(
      resolve({ logging: { elasticsearch: { resources: { limits: { memory: "6Gi" } } } } }).logging
        .elasticsearch.heapMiB,
    ).toBe(3072);
  });
});

describe("logging config problems", () => {
  it("refuses retention that is not a whole number of days of at least 2", () => {
    for (const bad of [1, 0, 2.5, "30d"])
      expect(paths(problems({ logging: { retentionDays: bad } }))).toContain(
        "monitoring:logging.retentionDays",
      );
  });

  it("refuses sizes that mean nothing", () => {
    expect(paths(problems({ logging: { elasticsearch: { volume: { size: "10 gigs" } } } }))).toContain(
      "monitoring:logging.elasticsearch.volume.size",
    );
    expect(paths(problems({ logging: { logstash: { volume: { size: "0Gi" } } } }))).toContain(
      "monitoring:logging.logstash.volume.size",
    );
    // Half of the limit is the heap: below 1Gi the JVM has nothing to work with.
    const small = problems({
      logging: {
        elasticsearch: {
          resources: { limits: { memory: "512Mi" }, requests: { cpu: "1", memory: "256Mi" } },
        },
      },
    });
    expect(paths(small)).toContain("monitoring:logging.elasticsearch.resources.limits.memory");
  });

  it("refuses mixed Elastic versions, a release older than 8.19 and unpinned images", () => {
    const mixed = problems({ logging: { kibana: { image: "docker.elastic.co/kibana/kibana:9.4.0" } } });
    expect(mixed).toContainEqual(
      expect.objectContaining({
        path: "monitoring:logging.kibana.image",
        message: expect.stringMatching(/9\.4\.0 but Elasticsearch is 9\.\d+\.\d+/),
      }),
    );
    const old = problems({
      logging: {
        elasticsearch: { image: "docker.elastic.co/elasticsearch/elasticsearch:8.17.0" },
        logstash: { image: "docker.elastic.co/logstash/logstash:8.17.0" },
        kibana: { image: "docker.elastic.co/kibana/kibana:8.17.0" },
        filebeat: { image: "docker.elastic.co/beats/filebeat:8.17.0" },
      },
    });
    expect(paths(old)).toEqual(["monitoring:logging.elasticsearch.image"]);
    expect(
      paths(problems({ logging: { filebeat: { image: "docker.elastic.co/beats/filebeat:latest" } } })),
    ).toContain("monitoring:logging.filebeat.image");
  });

  it("refuses cluster sizes that cannot keep a quorum, and more than one node on Docker", () => {
    expect(paths(problems({ ...PROD, logging: { elasticsearch: { replicas: 2 } } }, "prod"))).toEqual([
      "monitoring:logging.elasticsearch.replicas",
    ]);
    expect(paths(problems({ ...PROD, logging: { elasticsearch: { replicas: 4 } } }, "prod"))).toEqual([
      "monitoring:logging.elasticsearch.replicas",
    ]);
    expect(
      resolve({ ...PROD, logging: { elasticsearch: { replicas: 5 } } }, "prod").logging.elasticsearch
        .replicas,
    ).toBe(5);
    expect(paths(problems({ logging: { elasticsearch: { replicas: 3 } } }))).toEqual([
      "monitoring:logging.elasticsearch.replicas",
    ]);
  });

  it("refuses Kubernetes-only settings on Docker and unknown keys", () => {
    expect(
      paths(
        problems({ logging: { kibana: { ingress: { host: "kibana.example.com", tlsSecretName: "t" } } } }),
      ),
    ).toEqual(["monitoring:logging.kibana.ingress"]);
    expect(paths(problems({ logging: { elasticsearch: { vmMaxMapCount: "node-prerequisite" } } }))).toEqual([
      "monitoring:logging.elasticsearch.vmMaxMapCount",
    ]);
    expect(problems({ logging: { retention: "30d" } })[0].path).toMatch(/^monitoring:logging/);
  });
});

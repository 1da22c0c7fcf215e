import { describe, expect, it } from "vitest";
import { ConfigError } from "../../stacks/errors";
import { computePrometheusVolumeGi, resolveStackSpec } from "../../stacks/resolve";

/** The least a prod stack must say: where Grafana's RDS database lives. */
export const PROD_MINIMUM = {
  grafana: {
    database: {
      rds: {
        vpcId: "vpc-0abc",
        subnetIds: ["subnet-0a", "subnet-0b"],
        allowedSecurityGroupIds: ["sg-0abc1"],
      },
    },
  },
};

const resolve = (values: Record<string, unknown>, stack = "dev", secrets: string[] = []) =>
  resolveStackSpec(values, { stack, secretKeys: new Set(secrets) });

/** Resolves and returns the problems; fails the test when the config is accepted. */
function problems(values: Record<string, unknown>, stack = "dev") {
  try {
    resolve(values, stack);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error("config was accepted but should have been rejected");
}

describe("resolved defaults", () => {
  it("dev profile: docker, single replicas, both retention limits", () => {
    const spec = resolve({});
    expect(spec.environment).toBe("dev");
    expect(spec.platform).toBe("docker");
    expect(spec.prometheus.replicas).toBe(1);
    expect(spec.alertmanager.replicas).toBe(1);
    expect(spec.prometheus.retentionTime).toBe("15d");
    // 85 % of the 20Gi default volume, in Prometheus' base-2 MB.
    expect(spec.prometheus.retentionSize).toBe(`${Math.floor(20 * 1024 * 0.85)}MB`);
    expect(spec.docker.publishAddress).toBe("127.0.0.1");
  });

  it("prod profile from the stack name: kubernetes, HA replicas, gp3 volumes", () => {
    const spec = resolve(PROD_MINIMUM, "prod");
    expect(spec.environment).toBe("prod");
    expect(spec.platform).toBe("kubernetes");
    expect(spec.prometheus.replicas).toBe(2);
    expect(spec.alertmanager.replicas).toBe(3);
    expect(spec.prometheus.volume.storageClass).toBe("gp3");
    expect(spec.kubernetes.namespace).toBe("monitoring-prod");
  });

  it("an explicit environment wins over the stack name (review stacks)", () => {
    const spec = resolve({ ...PROD_MINIMUM, environment: "prod", ephemeral: true }, "pr-42");
    expect(spec.environment).toBe("prod");
    expect(spec.ephemeral).toBe(true);
    expect(spec.namePrefix).toBe("monitoring-pr-42");
  });

  it("computes the Prometheus volume from declared load", () => {
    const spec = resolve({
      prometheus: { retentionTime: "30d", scrapeInterval: "30s", sizing: { activeSeries: 300000 } },
    });
    // 30d = 2,592,000 s; 300,000 series / 30 s = 10,000 samples/s; x 2 B x 1.2 / 0.85 = 73,185,882,353 B = 68.2 GiB.
    expect(spec.prometheus.volume.sizeGi).toBe(69);
    expect(spec.prometheus.volumeSizing.source).toBe("computed");
    expect(spec.prometheus.retentionSize).toBe(`${Math.floor(69 * 1024 * 0.85)}MB`);
  });

  it("the sizing formula is the documented one", () => {
    expect(
      computePrometheusVolumeGi({
        retentionSeconds: 86400,
        samplesPerSecond: 1000,
        bytesPerSample: 2,
        headroom: 0,
      }),
    ).toBe(Math.ceil((86400 * 1000 * 2) / 0.85 / 2 ** 30));
  });

  it("a configured retention size inside the volume is kept", () => {
    const spec = resolve({ prometheus: { volume: { size: "100Gi" }, retentionSize: "80Gi" } });
    expect(spec.prometheus.retentionSize).toBe("81920MB");
  });
});

describe("bad config is rejected with the key, the value and what is expected", () => {
  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["unknown environment", { environment: "staging" }, "monitoring:environment", /dev|prod/],
    ["unknown platform", { platform: "nomad" }, "monitoring:platform", /docker|kubernetes/],
    ["cluster name not a DNS label", { cluster: "Prod_Cluster" }, "monitoring:cluster", /DNS label/],
    ["ephemeral not a boolean", { ephemeral: "yes" }, "monitoring:ephemeral", /true or false/],
    [
      "zero Prometheus replicas",
      { prometheus: { replicas: 0 } },
      "monitoring:prometheus.replicas",
      /at least 1/,
    ],
    [
      "fractional replicas",
      { prometheus: { replicas: 1.5 } },
      "monitoring:prometheus.replicas",
      /whole number/,
    ],
    ["too many replicas", { alertmanager: { replicas: 9 } }, "monitoring:alertmanager.replicas", /at most 7/],
    [
      "bad retention duration",
      { prometheus: { retentionTime: "30 days" } },
      "monitoring:prometheus.retentionTime",
      /duration/,
    ],
    [
      "bad scrape interval",
      { prometheus: { scrapeInterval: "15" } },
      "monitoring:prometheus.scrapeInterval",
      /duration/,
    ],
    [
      "bad volume size",
      { prometheus: { volume: { size: "fifty" } } },
      "monitoring:prometheus.volume.size",
      /size such as/,
    ],
    [
      "image on latest",
      { prometheus: { image: "prom/prometheus:latest" } },
      "monitoring:prometheus.image",
      /latest/,
    ],
    [
      "untagged image",
      { alertmanager: { image: "prom/alertmanager" } },
      "monitoring:alertmanager.image",
      /pinned/,
    ],
    [
      "retention size larger than the volume",
      { prometheus: { volume: { size: "50Gi" }, retentionSize: "60Gi" } },
      "monitoring:prometheus.retentionSize",
      /does not fit the 50Gi volume/,
    ],
    [
      "retention size leaving no room for compaction",
      { prometheus: { volume: { size: "50Gi" }, retentionSize: "48Gi" } },
      "monitoring:prometheus.retentionSize",
      /at most 90%/,
    ],
    [
      "given volume smaller than the declared load needs",
      { prometheus: { volume: { size: "10Gi" }, sizing: { activeSeries: 1000000 } } },
      "monitoring:prometheus.volume.size",
      /smaller than the \d+Gi the declared load needs/,
    ],
    [
      "Grafana HA on sqlite",
      { grafana: { replicas: 2, database: { type: "sqlite" } } },
      "monitoring:grafana.replicas",
      /share state only through a database/,
    ],
    [
      "Grafana rds without its network",
      { grafana: { database: { type: "rds" } } },
      "monitoring:grafana.database.rds",
      /vpcId/,
    ],
    [
      "Grafana rds backups under 7 days",
      { grafana: { database: { rds: { ...PROD_MINIMUM.grafana.database.rds, backupRetentionDays: 3 } } } },
      "monitoring:grafana.database.rds.backupRetentionDays",
      /at least 7 days/,
    ],
    [
      "Grafana rds that admits nobody",
      { grafana: { database: { rds: { vpcId: "vpc-0abc", subnetIds: ["subnet-0a", "subnet-0b"] } } } },
      "monitoring:grafana.database.rds",
      /allowedSecurityGroupIds or allowedCidrs/,
    ],
    [
      "Grafana rds in one subnet",
      {
        grafana: {
          database: { rds: { vpcId: "vpc-0abc", subnetIds: ["subnet-0a"], allowedCidrs: ["10.0.0.0/16"] } },
        },
      },
      "monitoring:grafana.database.rds.subnetIds",
      /two availability zones/,
    ],
    [
      "Grafana password from a key that is not a secret",
      { grafana: { adminPasswordSecret: "grafanaAdminPassword" } },
      "monitoring:grafana.adminPasswordSecret",
      /names monitoring:grafanaAdminPassword, which is not set as a secret.*pulumi config set --secret grafanaAdminPassword <value>/,
    ],
    [
      "Grafana postgres without connection",
      { grafana: { database: { type: "postgres" } } },
      "monitoring:grafana.database.postgres",
      /host, passwordSecret/,
    ],
    [
      "external Grafana without its URL",
      { grafana: { mode: "external" } },
      "monitoring:grafana.external",
      /url, authSecret/,
    ],
    [
      "generic OAuth without endpoints",
      {
        grafana: {
          auth: { oauth: { provider: "generic", clientId: "x", clientSecretSecret: "oauthSecret" } },
        },
      },
      "monitoring:grafana.auth.oauth",
      /authUrl, tokenUrl and apiUrl/,
    ],
    [
      "Grafana ingress on Docker",
      { grafana: { ingress: { host: "grafana.example.com", tlsSecretName: "tls" } } },
      "monitoring:grafana.ingress",
      /kubernetes/,
    ],
    [
      "sizing without load",
      { prometheus: { sizing: { headroom: 0.3 } } },
      "monitoring:prometheus.sizing",
      /activeSeries/,
    ],
    [
      "negative headroom",
      { prometheus: { sizing: { activeSeries: 10, headroom: -1 } } },
      "monitoring:prometheus.sizing.headroom",
      /0/,
    ],
    [
      "misspelt key",
      { prometheus: { retention: "30d" } },
      "monitoring:prometheus",
      /unknown key.*"retention"/,
    ],
    [
      "bad CPU quantity",
      { prometheus: { resources: { requests: { cpu: "two", memory: "1Gi" } } } },
      "monitoring:prometheus.resources.requests.cpu",
      /CPU/,
    ],
    [
      "limit without memory",
      { nodeExporter: { resources: { limits: { cpu: "1" } } } },
      "monitoring:nodeExporter.resources.limits.memory",
      /.+/,
    ],
    [
      "scrape job target without port",
      { prometheus: { extraScrapeJobs: [{ name: "api", targets: ["api.internal"] }] } },
      "monitoring:prometheus.extraScrapeJobs.0.targets.0",
      /host:port/,
    ],
    [
      "scrape job clashing with a built-in job",
      { prometheus: { extraScrapeJobs: [{ name: "node-exporter", targets: ["a:9100"] }] } },
      "monitoring:prometheus.extraScrapeJobs.0.name",
      /built-in/,
    ],
    [
      "kubelet cAdvisor on Docker",
      { platform: "docker", cadvisor: { source: "kubelet" } },
      "monitoring:cadvisor.source",
      /kubernetes/,
    ],
    [
      "cAdvisor source unknown",
      { cadvisor: { source: "daemon" } },
      "monitoring:cadvisor.source",
      /container|kubelet/,
    ],
    [
      "publish address not an IP",
      { docker: { publishAddress: "localhost" } },
      "monitoring:docker.publishAddress",
      /IP address/,
    ],
    [
      "namespace with capitals",
      { kubernetes: { namespace: "Monitoring" } },
      "monitoring:kubernetes.namespace",
      /DNS label/,
    ],
    [
      "runbook URL not a URL",
      { rules: { runbookBaseUrl: "runbooks" } },
      "monitoring:rules.runbookBaseUrl",
      /URL/,
    ],
    [
      "remote write URL not http(s)",
      { prometheus: { remoteWrite: { url: "ftp://x" } } },
      "monitoring:prometheus.remoteWrite.url",
      /.+/,
    ],
  ];

  it.each(cases)("%s", (_title, values, path, message) => {
    const found = problems(values);
    const match = found.find((p) => p.path === path);
    expect(match, `no problem reported at ${path}; got ${JSON.stringify(found)}`).toBeDefined();
    expect(match!.message).toMatch(message);
  });

  it("shows the bad value in the message", () => {
    const err = (() => {
      try {
        resolve({ prometheus: { retentionTime: "30 days" } });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error("accepted");
    })();
    expect(err.message).toContain(
      'monitoring:prometheus.retentionTime: expected a duration such as "30s", "15d" or "1h30m" (got "30 days")',
    );
  });

  it("reports several problems together", () => {
    const found = problems({
      environment: "qa",
      prometheus: { replicas: 0, retentionTime: "x" },
      cluster: "A",
    });
    expect(found.map((p) => p.path).sort()).toEqual([
      "monitoring:cluster",
      "monitoring:environment",
      "monitoring:prometheus.replicas",
      "monitoring:prometheus.retentionTime",
    ]);
  });
});

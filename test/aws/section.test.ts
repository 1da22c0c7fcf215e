/**
 * monitoring:aws as config: on only with aws:region, its defaults per environment, what it derives from
 * the Grafana RDS class and the AMP switch, and config errors that name the key (thresholds, periods,
 * ARNs, datapoints, retention, secrets).
 */
import { DEFAULT_RUNBOOK_BASE_URL } from "../../lib/repository";
import { describe, expect, it } from "vitest";
import { ConfigError, type ConfigProblem } from "../../stacks/errors";
import { remoteWriteQueue } from "../../stacks/sections/prometheus";
import { resolveStackSpec } from "../../stacks/resolve";
import { postgresDefaultMaxConnections, rdsClassFacts } from "../../lib/rds";

const OIDC =
  "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9";
const RDS = {
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
const EC2_CPU = {
  name: "ec2-cpu-high",
  description: "EC2 CPU above 80 % for 10 minutes",
  metric: {
    namespace: "AWS/EC2",
    metricName: "CPUUtilization",
    statistic: "Average",
    dimensions: { InstanceId: "i-0abc" },
  },
  comparison: "GreaterThanThreshold",
  threshold: 80,
  period: 300,
  evaluationPeriods: 2,
};

const resolve = (
  values: Record<string, unknown>,
  opts: { stack?: string; region?: string; secrets?: string[] } = {},
) =>
  // The prod profile needs Grafana's RDS settings; tests that do not vary them get the minimum. Logging
  // snapshots (on by default with AWS in prod) need the OIDC provider, which most cases here leave out:
  // they are tested in test/logging/snapshots.test.ts.
  resolveStackSpec(
    {
      ...((opts.stack ?? "prod") === "prod" && !values.grafana ? RDS : {}),
      logging: { snapshots: { enabled: false } },
      ...values,
    },
    {
      stack: opts.stack ?? "prod",
      secretKeys: new Set(opts.secrets ?? []),
      awsRegion: "region" in opts ? opts.region : "us-west-2",
    },
  );

function problems(
  values: Record<string, unknown>,
  opts: Parameters<typeof resolve>[1] = {},
): ConfigProblem[] {
  try {
    resolve(values, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error("config was accepted but should have been rejected");
}

const paths = (ps: ConfigProblem[]) => ps.map((p) => p.path);

describe("when AWS is on", () => {
  it("is on with aws:region and off without it (dev ships without)", () => {
    expect(resolve(RDS).aws?.region).toBe("us-west-2");
    expect(resolve({}, { stack: "dev", region: undefined }).aws).toBeUndefined();
    expect(resolve({ ...RDS, aws: { enabled: false } }).aws).toBeUndefined();
  });

  it("refuses enabled without aws:region, naming the key", () => {
    expect(paths(problems({ aws: { enabled: true } }, { stack: "dev", region: undefined }))).toEqual([
      "monitoring:aws.enabled",
    ]);
  });

  it("applies per-environment retention and derives runbooks from rules.runbookBaseUrl", () => {
    const prod = resolve({ ...RDS, rules: { runbookBaseUrl: "https://rb.example/m" } }).aws!;
    expect(prod.logs).toMatchObject({ retentionDays: 90, performanceRetentionDays: 7 });
    expect(prod.runbookBaseUrl).toBe("https://rb.example/m/aws");
    const dev = resolve({}, { stack: "dev" }).aws!;
    expect(dev.logs).toMatchObject({ retentionDays: 14, performanceRetentionDays: 3 });
  });
});

describe("the Grafana RDS instance", () => {
  it("derives memory and max_connections from the class (db.t4g.small: 2 GiB, 225)", () => {
    const rds = resolve(RDS).aws!.rds!;
    expect(rds).toMatchObject({
      identifier: "monitoring-prod-grafana",
      instanceClass: "db.t4g.small",
      memoryGiB: 2,
      maxConnections: 225,
      ebsBurst: true,
      logExports: ["postgresql"],
    });
    expect(rds.maxConnectionsSource).toContain("upper bound");
  });

  it("takes max_connections from config when given, and asks for the memory of an unknown class", () => {
    const given = resolve({ ...RDS, aws: { rds: { maxConnections: 180 } } }).aws!.rds!;
    expect(given.maxConnections).toBe(180);
    expect(given.maxConnectionsSource).toBe("monitoring:aws.rds.maxConnections");
    const odd = {
      grafana: { database: { rds: { ...RDS.grafana.database.rds, instanceClass: "db.x2g.large" } } },
    };
    expect(paths(problems(odd))).toEqual(["monitoring:aws.rds.memoryGiB"]);
    expect(resolve({ ...odd, aws: { rds: { memoryGiB: 32 } } }).aws!.rds!.maxConnections).toBe(3604);
  });

  it("knows the classes the cost pack allows", () => {
    expect(rdsClassFacts("db.t4g.micro")).toEqual({ vcpu: 2, memoryGiB: 1, ebsBurst: true });
    expect(rdsClassFacts("db.m6g.large")).toEqual({ vcpu: 2, memoryGiB: 8, ebsBurst: true });
    expect(rdsClassFacts("db.r6g.4xlarge")).toEqual({ vcpu: 16, memoryGiB: 128, ebsBurst: false });
    expect(rdsClassFacts("db.m6g.2xlarge")).toEqual({ vcpu: 8, memoryGiB: 32, ebsBurst: true });
    expect(rdsClassFacts("db.x2g.large")).toBeUndefined();
    // LEAST({DBInstanceClassMemory/9531392}, 5000)
    expect(postgresDefaultMaxConnections(4)).toBe(450);
    expect(postgresDefaultMaxConnections(64)).toBe(5000);
  });
});

describe("config errors name the key", () => {
  it("an OIDC provider that is not an IAM OIDC provider ARN", () => {
    const ps = problems({
      aws: { eks: { clusterName: "prod-eks", oidcProviderArn: "arn:aws:iam::1234:role/x" } },
    });
    expect(paths(ps)).toEqual(["monitoring:aws.eks.oidcProviderArn"]);
    expect(ps[0].message).toContain("oidc-provider");
  });

  it("load balancers and target groups that are neither an ELB ARN nor its suffix", () => {
    const ps = problems({
      aws: {
        loadBalancers: [
          {
            arn: "arn:aws:elasticloadbalancing:us-west-2:123456789012:listener/app/x/0123456789abcdef",
            targetGroups: ["tg-1"],
          },
        ],
      },
    });
    expect(paths(ps)).toEqual([
      "monitoring:aws.loadBalancers.0.arn",
      "monitoring:aws.loadBalancers.0.targetGroups.0",
    ]);
  });

  it("accepts full ARNs and reduces them to the dimension values", () => {
    const lb = resolve({
      aws: {
        loadBalancers: [
          {
            arn: "arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/prod-ingress/0a1b2c3d4e5f6071",
            targetGroups: [
              "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/web/1a2b3c4d5e6f7081",
            ],
          },
        ],
      },
    }).aws!.loadBalancers[0];
    expect(lb).toMatchObject({
      name: "app/prod-ingress/0a1b2c3d4e5f6071",
      type: "application",
      targetGroups: ["targetgroup/web/1a2b3c4d5e6f7081"],
      errorRatePercent: 5,
      targetResponseTimeSeconds: 1,
    });
  });

  it.each([
    ["a period CloudWatch does not accept", { period: 90 }, "period", /10, 20, 30 or a multiple of 60/],
    ["more than a day of sub-hour periods", { period: 3000, evaluationPeriods: 30 }, "period", /one day/],
    ["datapoints above evaluation periods", { datapointsToAlarm: 3 }, "datapointsToAlarm", /must not exceed/],
    ["no threshold on a threshold alarm", { threshold: undefined }, "threshold", /is required/],
    ["a name of the stack's own alarms", { name: "rds-cpu-high" }, "name", /stack's own alarms/],
    [
      "a band operator without anomaly detection",
      { comparison: "GreaterThanUpperThreshold" },
      "comparison",
      /anomalyDetection/,
    ],
  ])("an extra alarm with %s", (_what, change, key, message) => {
    const ps = problems({ aws: { alarms: { extra: [{ ...EC2_CPU, ...change }] } } });
    const hit = ps.find((p) => p.path === `monitoring:aws.alarms.extra.0.${key}`);
    expect(hit, JSON.stringify(ps)).toBeDefined();
    expect(hit!.message).toMatch(message);
  });

  it("a threshold on an anomaly detection alarm, and a metric the expression does not use", () => {
    const anomaly = { ...EC2_CPU, anomalyDetection: {}, comparison: "GreaterThanUpperThreshold" };
    expect(paths(problems({ aws: { alarms: { extra: [anomaly] } } }))).toEqual([
      "monitoring:aws.alarms.extra.0.threshold",
    ]);
    const { metric, ...math } = EC2_CPU;
    const ps = problems({
      aws: { alarms: { extra: [{ ...math, expression: "100 * a", metrics: { a: metric, b: metric } }] } },
    });
    expect(paths(ps)).toEqual(["monitoring:aws.alarms.extra.0.metrics.b"]);
  });

  it("a retention CloudWatch Logs does not offer", () => {
    const ps = problems({ aws: { logs: { retentionDays: 45 } } });
    expect(paths(ps)).toEqual(["monitoring:aws.logs.retentionDays"]);
    expect(ps[0].value).toBe(45);
  });

  it("an HTTPS endpoint pasted instead of a secret key name is never echoed", () => {
    const url = "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue";
    const ps = problems({ aws: { notifications: { httpsEndpointSecrets: [url] } } });
    expect(paths(ps)).toEqual(["monitoring:aws.notifications.httpsEndpointSecrets.0"]);
    expect(JSON.stringify(ps)).not.toContain("0123456789abcdef");
  });

  it("AMP without the declared load, without IRSA, or without AWS", () => {
    const amp = { prometheus: { remoteWrite: { amp: true } } };
    expect(paths(problems(amp))).toEqual(expect.arrayContaining(["monitoring:prometheus.remoteWrite.amp"]));
    const noAws = problems(
      { prometheus: { sizing: { activeSeries: 1000 }, remoteWrite: { amp: true } } },
      { stack: "dev", region: undefined },
    );
    expect(noAws.map((p) => p.message).join()).toContain("needs AWS");
    const both = problems({ prometheus: { remoteWrite: { amp: true, url: "https://x.example/write" } } });
    expect(paths(both)).toContain("monitoring:prometheus.remoteWrite");
  });

  it("the Container Insights add-on managed without a pinned version", () => {
    const ps = problems({
      aws: { eks: { clusterName: "prod-eks", oidcProviderArn: OIDC, containerInsights: "managed" } },
    });
    expect(paths(ps)).toEqual(["monitoring:aws.eks.addonVersion"]);
  });
});

describe("the seeds' EC2 CPU alarm and the other extra kinds", () => {
  it("expresses CPU > 80 % for 2 x 300 s", () => {
    const [x] = resolve({ aws: { alarms: { extra: [EC2_CPU] } } }).aws!.alarms.extra;
    expect(x).toMatchObject({
      kind: "metric",
      period: 300,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      threshold: 80,
      comparison: "GreaterThanThreshold",
      treatMissingData: "missing",
      runbookUrl: `${DEFAULT_RUNBOOK_BASE_URL}/aws/extra/ec2-cpu-high`,
    });
    expect(x.metrics).toEqual([
      {
        id: "m1",
        namespace: "AWS/EC2",
        metricName: "CPUUtilization",
        dimensions: { InstanceId: "i-0abc" },
        stat: "Average",
      },
    ]);
  });
});

describe("AMP and the remote-write queue", () => {
  const values = {
    aws: { eks: { clusterName: "prod-eks", oidcProviderArn: OIDC } },
    prometheus: { sizing: { activeSeries: 400000 }, remoteWrite: { amp: true } },
  };
  it("sizes the queue from the declared load and tags the workspace's load", () => {
    const spec = resolve(values);
    // 400,000 series / 30 s = 13,333 samples/s; one shard moves 2000 / 0.5 s = 4000 samples/s.
    expect(spec.prometheus.remoteWrite?.queue).toEqual({
      capacity: 10000,
      maxSamplesPerSend: 2000,
      minShards: 4,
      maxShards: 14,
      batchSendDeadline: "5s",
    });
    expect(spec.aws?.amp).toEqual({ retentionDays: 150, samplesPerSecond: 400000 / 30 });
  });
  it("keeps at least one shard to catch up with for a tiny load", () => {
    expect(remoteWriteQueue(10)).toMatchObject({ minShards: 1, maxShards: 2 });
  });
});

/**
 * The AWS part of the plans, as `npm run plan` writes them: the prod alarm set (names, metrics,
 * statistics, thresholds, actions, descriptions, tags), the encrypted topic and the CloudWatch grant on
 * its key, log groups with retention and KMS, the pods' roles with trust scoped to one service account;
 * a test stack with AMP on (workspace, remote_write through promtool, Grafana's AMP datasource, the
 * managed Container Insights add-on, math and anomaly alarms); nothing from AWS in dev; and replacement
 * rules for every AWS type the stack creates.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AWS_RULES } from "../../scripts/plan/rules-aws";
import type { PlannedResource } from "../../scripts/plan/types";
import { fileEndingWith, repoRoot, runPlan, type PlanRun } from "../helpers/plan";
import { scratchDir } from "../helpers/scratch";
import { promtoolCheckPlannedConfig } from "../helpers/tools";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- plan JSON

const runs: Record<string, PlanRun> = {};
beforeAll(() => {
  runs.prod = runPlan("prod");
  runs.dev = runPlan("dev");
  runs.amp = runPlan("amp", ["--stub-secrets", "--config", path.join("test", "aws", "Pulumi.amp.yaml")]);
}, 300_000);

const ofType = (run: PlanRun, type: string) => run.resources.filter((r) => r.type === type);
const one = (run: PlanRun, type: string, where: (i: Obj) => boolean = () => true): PlannedResource => {
  const hits = ofType(run, type).filter((r) => where(r.inputs as Obj));
  expect(hits, `${type}: ${hits.length}`).toHaveLength(1);
  return hits[0];
};
const inputs = (r: PlannedResource) => r.inputs as Obj;
const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v) as Obj;

const TAGS = {
  environment: "prod",
  stack: "prod",
  "managed-by": "pulumi",
  team: "platform",
  "cost-center": "observability",
};
const TOPIC_ARN = "arn:aws:sns:us-west-2:123456789012:monitoring-prod-alarms";

/** name, namespace, metric, statistic (or percentile), comparison, threshold, period, evaluation periods, datapoints, missing data */
type Row = [string, string, string, string, string, number, number, number, number, string];
const GT = "GreaterThanThreshold";
const LT = "LessThanThreshold";
const GIB = 2 ** 30;
const PROD_ALARMS: Row[] = [
  [
    "sns-notifications-failed",
    "AWS/SNS",
    "NumberOfNotificationsFailed",
    "Sum",
    GT,
    0,
    60,
    5,
    1,
    "notBreaching",
  ],
  ["rds-cpu-high", "AWS/RDS", "CPUUtilization", "Average", GT, 90, 60, 5, 5, "missing"],
  // 25 % of the 2 GiB of db.t4g.small; 10 % of the 20 GiB allocated; 90 % of LEAST(2 GiB / 9531392, 5000) = 225
  [
    "rds-freeable-memory-low",
    "AWS/RDS",
    "FreeableMemory",
    "Average",
    LT,
    0.25 * 2 * GIB,
    60,
    15,
    15,
    "missing",
  ],
  ["rds-free-storage-low", "AWS/RDS", "FreeStorageSpace", "Minimum", LT, 0.1 * 20 * GIB, 60, 5, 5, "missing"],
  ["rds-connections-high", "AWS/RDS", "DatabaseConnections", "Average", GT, 202, 60, 5, 5, "missing"],
  ["rds-read-latency-high", "AWS/RDS", "ReadLatency", "p90", GT, 0.02, 60, 5, 5, "missing"],
  ["rds-write-latency-high", "AWS/RDS", "WriteLatency", "p90", GT, 0.02, 60, 5, 5, "missing"],
  [
    "rds-transaction-ids-high",
    "AWS/RDS",
    "MaximumUsedTransactionIDs",
    "Average",
    GT,
    1e9,
    60,
    1,
    1,
    "missing",
  ],
  ["rds-ebs-byte-balance-low", "AWS/RDS", "EBSByteBalance%", "Average", LT, 10, 60, 3, 3, "missing"],
  ["rds-ebs-io-balance-low", "AWS/RDS", "EBSIOBalance%", "Average", LT, 10, 60, 3, 3, "missing"],
  ["eks-node-cpu-high", "ContainerInsights", "node_cpu_utilization", "Maximum", GT, 80, 60, 5, 5, "missing"],
  [
    "eks-node-memory-high",
    "ContainerInsights",
    "node_memory_utilization",
    "Maximum",
    GT,
    80,
    60,
    5,
    5,
    "missing",
  ],
  [
    "eks-node-filesystem-high",
    "ContainerInsights",
    "node_filesystem_utilization",
    "Maximum",
    GT,
    80,
    60,
    5,
    5,
    "missing",
  ],
  [
    "eks-nodes-failed",
    "ContainerInsights",
    "cluster_failed_node_count",
    "Maximum",
    GT,
    0,
    60,
    5,
    5,
    "missing",
  ],
  [
    "lb-prod-ingress-response-time",
    "AWS/ApplicationELB",
    "TargetResponseTime",
    "p90",
    GT,
    1,
    60,
    5,
    5,
    "notBreaching",
  ],
  [
    "lb-prod-ingress-prod-ingress-nginx-unhealthy-hosts",
    "AWS/ApplicationELB",
    "UnHealthyHostCount",
    "Maximum",
    GT,
    0,
    60,
    5,
    5,
    "missing",
  ],
  [
    "lb-prod-ingress-prod-ingress-nginx-no-healthy-hosts",
    "AWS/ApplicationELB",
    "HealthyHostCount",
    "Minimum",
    LT,
    1,
    60,
    3,
    3,
    "breaching",
  ],
  ["ec2-nodes-cpu-high", "AWS/EC2", "CPUUtilization", "Average", GT, 80, 300, 2, 2, "missing"],
];
const MATH_ALARMS = ["lb-prod-ingress-5xx-rate"];
const CRITICAL = [
  "sns-notifications-failed",
  "rds-freeable-memory-low",
  "rds-free-storage-low",
  "rds-connections-high",
  "rds-transaction-ids-high",
  "lb-prod-ingress-5xx-rate",
  "lb-prod-ingress-prod-ingress-nginx-no-healthy-hosts",
];

describe("the prod plan's alarms", () => {
  const alarms = () => ofType(runs.prod, "aws:cloudwatch/metricAlarm:MetricAlarm").map(inputs);

  it("is exactly the expected set", () => {
    expect(runs.prod.status, runs.prod.stderr).toBe(0);
    expect(
      alarms()
        .map((a) => a.name)
        .sort(),
    ).toEqual([...PROD_ALARMS.map((r) => r[0]), ...MATH_ALARMS].map((n) => `monitoring-prod-${n}`).sort());
  });

  it.each(PROD_ALARMS)(
    "%s: %s %s %s %s %s, %s s x %s (%s to alarm), missing data %s",
    (name, namespace, metric, stat, comparison, threshold, period, periods, datapoints, missing) => {
      const a = alarms().find((x) => x.name === `monitoring-prod-${name}`)!;
      expect(a).toMatchObject({
        namespace,
        metricName: metric,
        comparisonOperator: comparison,
        threshold,
        period,
        evaluationPeriods: periods,
        datapointsToAlarm: datapoints,
        treatMissingData: missing,
      });
      expect(stat.startsWith("p") ? a.extendedStatistic : a.statistic).toBe(stat);
    },
  );

  it("the 5XX alarm is a share of requests, reading absent error counts as 0", () => {
    const a = alarms().find((x) => x.name === "monitoring-prod-lb-prod-ingress-5xx-rate")!;
    expect(a.metricName).toBeUndefined();
    const queries = a.metricQueries as Obj[];
    expect(queries.map((q) => [q.id, q.metric?.metricName ?? q.expression, q.returnData])).toEqual([
      ["target5xx", "HTTPCode_Target_5XX_Count", false],
      ["elb5xx", "HTTPCode_ELB_5XX_Count", false],
      ["requests", "RequestCount", false],
      ["errorRate", "100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests", true],
    ]);
    for (const q of queries.filter((x) => x.metric))
      expect(q.metric).toMatchObject({
        stat: "Sum",
        period: 60,
        dimensions: { LoadBalancer: "app/prod-ingress/0a1b2c3d4e5f6071" },
      });
    expect(a).toMatchObject({
      threshold: 5,
      comparisonOperator: GT,
      evaluationPeriods: 5,
      treatMissingData: "notBreaching",
    });
  });

  it("every alarm notifies the topic on ALARM and OK, links a runbook and carries the stack's tags", () => {
    for (const a of [...alarms(), inputs(one(runs.prod, "aws:cloudwatch/compositeAlarm:CompositeAlarm"))]) {
      expect(a.alarmActions, a.name).toEqual([TOPIC_ARN]);
      expect(a.okActions, a.name).toEqual([TOPIC_ARN]);
      expect(a.actionsEnabled).toBe(true);
      expect(a.alarmDescription).toMatch(
        /Runbook: https:\/\/github\.com\/your-org\/monitoring\/tree\/main\/docs\/runbooks\/aws\/[a-z0-9/-]+$/,
      );
      expect(a.alarmDescription.length).toBeLessThanOrEqual(1024);
      expect(a.tags).toEqual(TAGS);
    }
    for (const a of alarms())
      expect(a.alarmDescription, a.name).toMatch(/Source: .+ Missing data: (missing|notBreaching|breaching)/);
  });

  it("dimensions name what the stack owns or was told about", () => {
    const dims = (n: string) => alarms().find((x) => x.name === `monitoring-prod-${n}`)!.dimensions;
    expect(dims("rds-cpu-high")).toEqual({ DBInstanceIdentifier: "monitoring-prod-grafana" });
    expect(dims("eks-node-cpu-high")).toEqual({ ClusterName: "prod-eks" });
    expect(dims("sns-notifications-failed")).toEqual({ TopicName: "monitoring-prod-alarms" });
    expect(dims("lb-prod-ingress-prod-ingress-nginx-no-healthy-hosts")).toEqual({
      LoadBalancer: "app/prod-ingress/0a1b2c3d4e5f6071",
      TargetGroup: "targetgroup/prod-ingress-nginx/1a2b3c4d5e6f7081",
    });
  });

  it("one composite 'monitoring stack degraded' alarm over the critical ones, created after them", () => {
    const c = one(runs.prod, "aws:cloudwatch/compositeAlarm:CompositeAlarm");
    expect(inputs(c).alarmName).toBe("monitoring-prod-monitoring-stack-degraded");
    expect(inputs(c).alarmRule).toBe(CRITICAL.map((n) => `ALARM("monitoring-prod-${n}")`).join(" OR "));
    const urnOf = (n: string) =>
      ofType(runs.prod, "aws:cloudwatch/metricAlarm:MetricAlarm").find(
        (a) => inputs(a).name === `monitoring-prod-${n}`,
      )!.urn;
    for (const n of CRITICAL) expect(c.dependencies).toContain(urnOf(n));
  });

  it("a dashboard with every alarm's state and one graph per alarm", () => {
    const body = json(inputs(one(runs.prod, "aws:cloudwatch/dashboard:Dashboard")).dashboardBody);
    const status = (body.widgets as Obj[]).filter((w) => w.type === "alarm");
    const arns = status.flatMap((w) => w.properties.alarms as string[]);
    expect(arns).toHaveLength(PROD_ALARMS.length + MATH_ALARMS.length + 1);
    expect(arns[0]).toBe(
      "arn:aws:cloudwatch:us-west-2:123456789012:alarm:monitoring-prod-monitoring-stack-degraded",
    );
    const graphs = (body.widgets as Obj[]).filter((w) => w.type === "metric");
    expect(graphs.map((g) => g.properties.annotations.alarms[0]).sort()).toEqual(arns.slice(1).sort());
  });
});

/** The KMS key of the topic grants CloudWatch what SSE publishing needs; false when it does not. */
function topicKeyGrantsCloudWatch(resources: PlannedResource[]): boolean {
  const topic = resources.find((r) => r.type === "aws:sns/topic:Topic");
  const key = resources.find(
    (r) =>
      r.type === "aws:kms/key:Key" &&
      `arn:aws:kms:us-west-2:123456789012:key/${r.name}-id` === (topic?.inputs as Obj)?.kmsMasterKeyId,
  );
  if (!key) return false;
  return (json((key.inputs as Obj).policy).Statement as Obj[]).some(
    (s) =>
      s.Effect === "Allow" &&
      [s.Principal?.Service].flat().includes("cloudwatch.amazonaws.com") &&
      ["kms:Decrypt", "kms:GenerateDataKey*"].every((a) => [s.Action].flat().includes(a)),
  );
}

describe("alarm routing in the prod plan", () => {
  it("the topic is encrypted with a customer-managed key whose policy lets CloudWatch use it", () => {
    const topic = inputs(one(runs.prod, "aws:sns/topic:Topic"));
    expect(topic.kmsMasterKeyId).toMatch(/^arn:aws:kms:/);
    expect(topic.kmsMasterKeyId).not.toContain("alias/aws/sns");
    expect(topicKeyGrantsCloudWatch(runs.prod.resources)).toBe(true);
    const key = one(runs.prod, "aws:kms/key:Key", (i) => /alarm topic/.test(i.description));
    expect(inputs(key).enableKeyRotation).toBe(true);
  });

  it("the grant check fails for a key without the CloudWatch statement", () => {
    const stripped = runs.prod.resources.map((r) => {
      if (r.type !== "aws:kms/key:Key" || !(r.inputs as Obj).policy) return r;
      const policy = json((r.inputs as Obj).policy);
      policy.Statement = (policy.Statement as Obj[]).filter(
        (s) => s.Principal?.Service !== "cloudwatch.amazonaws.com",
      );
      return { ...r, inputs: { ...r.inputs, policy: JSON.stringify(policy) } };
    });
    expect(topicKeyGrantsCloudWatch(stripped)).toBe(false);
  });

  it("only CloudWatch alarms of this account and region may publish", () => {
    const policy = json(inputs(one(runs.prod, "aws:sns/topicPolicy:TopicPolicy")).policy);
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["sns:Publish"],
        Resource: TOPIC_ARN,
        Condition: {
          StringEquals: { "aws:SourceAccount": "123456789012" },
          ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-west-2:123456789012:alarm:*" },
        },
      }),
    ]);
  });

  it("subscriptions come from config", () => {
    expect(ofType(runs.prod, "aws:sns/topicSubscription:TopicSubscription").map(inputs)).toEqual([
      { topic: TOPIC_ARN, protocol: "email", endpoint: "oncall-platform@example.com" },
    ]);
  });
});

describe("log groups in the prod plan", () => {
  it("the RDS PostgreSQL export group keeps 90 days, is KMS-encrypted and exists before the instance", () => {
    const group = one(runs.prod, "aws:cloudwatch/logGroup:LogGroup");
    expect(inputs(group)).toMatchObject({
      name: "/aws/rds/instance/monitoring-prod-grafana/postgresql",
      retentionInDays: 90,
      kmsKeyId: "arn:aws:kms:us-west-2:123456789012:key/monitoring-aws-logs-key-id",
      tags: { ...TAGS, "expected-ingest-gb-month": "0.5" },
    });
    const db = one(runs.prod, "aws:rds/instance:Instance");
    expect(inputs(db).enabledCloudwatchLogsExports).toEqual(["postgresql"]);
    expect(db.dependencies).toContain(group.urn);
  });

  it("the logs key lets CloudWatch Logs use it for exactly these groups", () => {
    const key = one(runs.prod, "aws:kms/key:Key", (i) => /log groups/.test(i.description));
    const logs = (json(inputs(key).policy).Statement as Obj[]).find(
      (s) => s.Principal?.Service === "logs.us-west-2.amazonaws.com",
    )!;
    expect(logs.Condition).toEqual({
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": [
          "arn:aws:logs:us-west-2:123456789012:log-group:/aws/rds/instance/monitoring-prod-grafana/postgresql",
        ],
      },
    });
  });
});

/** The roles' trust: exactly one service account of the cluster, through its OIDC provider. */
function trustOf(run: PlanRun, roleName: string): Obj {
  return json(inputs(one(run, "aws:iam/role:Role", (i) => i.name === roleName)).assumeRolePolicy);
}
const ISSUER = "oidc.eks.us-west-2.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9";

describe("IAM for the pods", () => {
  it("Grafana's role trusts only system:serviceaccount:monitoring-prod:grafana, and the pod's ServiceAccount names it", () => {
    expect(trustOf(runs.prod, "monitoring-prod-grafana").Statement).toEqual([
      {
        Sid: "OneServiceAccountOfTheCluster",
        Effect: "Allow",
        Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${ISSUER}` },
        Action: ["sts:AssumeRoleWithWebIdentity"],
        Condition: {
          StringEquals: {
            [`${ISSUER}:sub`]: "system:serviceaccount:monitoring-prod:grafana",
            [`${ISSUER}:aud`]: "sts.amazonaws.com",
          },
        },
      },
    ]);
    const sa = one(runs.prod, "kubernetes:core/v1:ServiceAccount", (i) => i.metadata.name === "grafana");
    expect(inputs(sa).metadata).toMatchObject({
      namespace: "monitoring-prod",
      annotations: {
        "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/monitoring-prod-grafana",
        "eks.amazonaws.com/sts-regional-endpoints": "true",
      },
    });
  });

  it.each(["prod", "amp"])("%s: no policy allows a * action, a whole service or iam:PassRole", (stack) => {
    const docs = ofType(runs[stack], "aws:iam/rolePolicy:RolePolicy").map((r) => json(inputs(r).policy));
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs)
      for (const s of d.Statement as Obj[]) {
        for (const a of [s.Action].flat() as string[]) {
          expect(a).not.toMatch(/^\*$|:\*$/);
          expect(a).not.toMatch(/^iam:/i);
        }
      }
    expect(
      ofType(runs[stack], "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map(
        (r) => inputs(r).policyArn,
      ),
    ).toEqual(stack === "amp" ? ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"] : []);
  });

  it("with AMP, Prometheus may only remote-write to the stack's workspace, Grafana may only query it", () => {
    const workspaceArn = "arn:aws:aps:us-west-2:123456789012:workspace/monitoring-aws-amp-id";
    const policy = (name: string) =>
      json(inputs(one(runs.amp, "aws:iam/rolePolicy:RolePolicy", (i) => i.name === name)).policy).Statement;
    expect(policy("amp-remote-write")).toEqual([
      expect.objectContaining({ Action: ["aps:RemoteWrite"], Resource: workspaceArn }),
    ]);
    expect(policy("amp-query")).toEqual([
      expect.objectContaining({
        Action: ["aps:GetLabels", "aps:GetMetricMetadata", "aps:GetSeries", "aps:QueryMetrics"],
        Resource: workspaceArn,
      }),
    ]);
    expect(
      trustOf(runs.amp, "monitoring-amp-prometheus").Statement[0].Condition.StringEquals[`${ISSUER}:sub`],
    ).toBe("system:serviceaccount:monitoring:prometheus");
    expect(
      trustOf(runs.amp, "monitoring-amp-cloudwatch-agent").Statement[0].Condition.StringEquals[
        `${ISSUER}:sub`
      ],
    ).toBe("system:serviceaccount:amazon-cloudwatch:cloudwatch-agent");
    const sa = one(runs.amp, "kubernetes:core/v1:ServiceAccount", (i) => i.metadata.name === "prometheus");
    expect(inputs(sa).metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(
      "arn:aws:iam::123456789012:role/monitoring-amp-prometheus",
    );
  });
});

describe("the AMP test stack", () => {
  it("plans without a mandatory violation", () => {
    expect(runs.amp.status, runs.amp.stdout + runs.amp.stderr).toBe(0);
    expect(runs.amp.stderr).toContain("--stub-secrets: 1 secret(s)");
  });

  it("creates the workspace with logging, retention and its declared load", () => {
    const ws = one(runs.amp, "aws:amp/workspace:Workspace");
    expect(inputs(ws)).toMatchObject({
      alias: "monitoring-amp",
      loggingConfiguration: {
        logGroupArn:
          "arn:aws:logs:us-west-2:123456789012:log-group:/aws/vendedlogs/prometheus/monitoring-amp:*",
      },
      tags: { "expected-samples-per-second": "333", "retention-days": "90" },
    });
    expect(inputs(one(runs.amp, "aws:amp/workspaceConfiguration:WorkspaceConfiguration"))).toEqual({
      workspaceId: "monitoring-aws-amp-id",
      retentionPeriodInDays: 90,
    });
  });

  it("renders remote_write with SigV4, the load-sized queue and the HA labels, and promtool accepts it", () => {
    const config = fileEndingWith(runs.amp, "prometheus.yml");
    const doc = parse(config.content) as Obj;
    expect(doc.global.external_labels).toMatchObject({
      cluster: "amp-us-west-2",
      prometheus_replica: "${PROMETHEUS_REPLICA}",
    });
    expect(doc.remote_write).toEqual([
      {
        url: "https://aps-workspaces.us-west-2.amazonaws.com/workspaces/monitoring-aws-amp-id/api/v1/remote_write",
        sigv4: { region: "us-west-2" },
        queue_config: {
          capacity: 10000,
          max_samples_per_send: 2000,
          min_shards: 1,
          max_shards: 2,
          batch_send_deadline: "5s",
        },
        write_relabel_configs: [
          { source_labels: ["prometheus_replica"], target_label: "__replica__" },
          { action: "labeldrop", regex: "prometheus_replica" },
        ],
      },
    ]);
    // Alerts keep dropping the replica label as before.
    expect(doc.alerting.alert_relabel_configs).toEqual([
      { action: "labeldrop", regex: "prometheus_replica" },
    ]);
    const rulesDir = path.dirname(fileEndingWith(runs.amp, "node.rules.yaml").path);
    const r = promtoolCheckPlannedConfig(config.content, rulesDir, scratchDir("promtool-amp-"));
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("Grafana queries the workspace with SigV4 and its own role", () => {
    const ds = parse(fileEndingWith(runs.amp, "datasources.yml").content) as Obj;
    expect((ds.datasources as Obj[]).find((d) => d.uid === "amp")).toMatchObject({
      type: "prometheus",
      url: "https://aps-workspaces.us-west-2.amazonaws.com/workspaces/monitoring-aws-amp-id/",
      jsonData: { sigV4Auth: true, sigV4AuthType: "default", sigV4Region: "us-west-2" },
    });
    expect(fileEndingWith(runs.amp, "grafana.ini").content).toMatch(/^sigv4_auth_enabled = true$/m);
    // prod has no workspace: no AMP datasource and SigV4 stays off.
    expect(fileEndingWith(runs.prod, "datasources.yml").content).not.toContain("sigV4");
    expect(fileEndingWith(runs.prod, "grafana.ini").content).not.toContain("sigv4");
  });

  it("ingestion falling to zero is the dead man's switch outside the cluster", () => {
    const a = inputs(
      one(
        runs.amp,
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        (i) => i.name === "monitoring-amp-amp-ingestion-stopped",
      ),
    );
    expect(a).toMatchObject({
      namespace: "AWS/Usage",
      metricName: "ResourceCount",
      dimensions: {
        Service: "Prometheus",
        Type: "Resource",
        Resource: "IngestionRate",
        Class: "None",
        ResourceId: "monitoring-aws-amp-id",
      },
      statistic: "Maximum",
      comparisonOperator: "LessThanOrEqualToThreshold",
      threshold: 0,
      treatMissingData: "breaching",
    });
    expect(inputs(one(runs.amp, "aws:cloudwatch/compositeAlarm:CompositeAlarm")).alarmRule).toContain(
      'ALARM("monitoring-amp-amp-ingestion-stopped")',
    );
  });

  it("installs Container Insights after its log groups, with the agent's own role", () => {
    const addon = one(runs.amp, "aws:eks/addon:Addon");
    expect(inputs(addon)).toMatchObject({
      clusterName: "amp-eks",
      addonName: "amazon-cloudwatch-observability",
      addonVersion: "v4.1.0-eksbuild.1",
      serviceAccountRoleArn: "arn:aws:iam::123456789012:role/monitoring-amp-cloudwatch-agent",
    });
    const groups = ofType(runs.amp, "aws:cloudwatch/logGroup:LogGroup").filter((g) =>
      inputs(g).name.startsWith("/aws/containerinsights/"),
    );
    expect(groups.map((g) => [inputs(g).name, inputs(g).retentionInDays])).toEqual([
      ["/aws/containerinsights/amp-eks/application", 90],
      ["/aws/containerinsights/amp-eks/dataplane", 90],
      ["/aws/containerinsights/amp-eks/host", 90],
      ["/aws/containerinsights/amp-eks/performance", 7],
    ]);
    for (const g of groups) expect(addon.dependencies).toContain(g.urn);
  });

  it("an HTTPS subscription keeps its endpoint secret", () => {
    const https = one(runs.amp, "aws:sns/topicSubscription:TopicSubscription", (i) => i.protocol === "https");
    expect(inputs(https)).toMatchObject({ endpoint: "[secret]", endpointAutoConfirms: true });
  });

  it("metric-math and anomaly-detection extra alarms", () => {
    const alarm = (n: string) =>
      inputs(
        one(runs.amp, "aws:cloudwatch/metricAlarm:MetricAlarm", (i) => i.name === `monitoring-amp-${n}`),
      );
    const math = alarm("api-error-rate");
    expect(
      (math.metricQueries as Obj[]).map((q) => [q.id, q.expression ?? q.metric.metricName, q.returnData]),
    ).toEqual([
      ["errors", "5XXError", false],
      ["requests", "Count", false],
      ["expr", "100 * errors / requests", true],
    ]);
    expect(math).toMatchObject({ threshold: 2, treatMissingData: "notBreaching" });
    const band = alarm("queue-age-anomaly");
    expect(band.threshold).toBeUndefined();
    expect(band).toMatchObject({
      thresholdMetricId: "band",
      comparisonOperator: "GreaterThanUpperThreshold",
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    expect((band.metricQueries as Obj[]).map((q) => q.expression ?? q.id)).toEqual([
      "m1",
      "ANOMALY_DETECTION_BAND(m1, 3)",
    ]);
  });
});

describe("dev", () => {
  it("has no AWS resource", () => {
    expect(runs.dev.status, runs.dev.stderr).toBe(0);
    expect(
      runs.dev.resources.filter(
        (r) => r.type.startsWith("aws:") || r.type.startsWith("pulumi:providers:aws"),
      ),
    ).toEqual([]);
  });
});

describe("replacement rules", () => {
  const types = () =>
    [
      ...new Set(
        [...runs.prod.resources, ...runs.amp.resources]
          .map((r) => r.type)
          .filter((t) => t.startsWith("aws:")),
      ),
    ].sort();

  it("cover every AWS type the stack creates", () => {
    expect(types().length).toBeGreaterThanOrEqual(18);
    expect(types().filter((t) => !AWS_RULES[t])).toEqual([]);
  });

  it("name only inputs @pulumi/aws has for those types (plus region)", () => {
    for (const type of types()) {
      const [, module, cls] = /^aws:([a-z0-9]+)\/([a-zA-Z0-9]+):(\w+)$/.exec(type)!;
      const dts = readFileSync(
        path.join(repoRoot, "node_modules/@pulumi/aws", module, `${cls}.d.ts`),
        "utf8",
      );
      const args = /export interface \w+Args \{([\s\S]*?)\n\}/.exec(dts)![1];
      const names = new Set([...args.matchAll(/^ {4}(\w+)\??:/gm)].map((m) => m[1]));
      const rules = AWS_RULES[type];
      // rules-aws adds `region` to every table (provider v6+ resources take it; IAM's, being global, do not).
      for (const field of [...rules.forceNew, ...rules.updatable].filter((f) => f !== "region"))
        expect(names, `${type}.${field}`).toContain(field.split(/[.[]/)[0]);
    }
  });
});

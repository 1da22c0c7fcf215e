/**
 * The pure parts of components/aws: alarm definitions where the shipped stacks do not reach (network load
 * balancers, a class without EBS burst), descriptions that keep their runbook link, the composite rule,
 * the dashboard layout, and the policy documents checked by the security pack's own rules.
 */
import { describe, expect, it } from "vitest";
import {
  alarmDescription,
  compositeRule,
  loadBalancerAlarms,
  rdsAlarms,
  type AlarmDefinition,
} from "../../components/aws/alarms";
import { dashboardBody } from "../../components/aws/dashboard";
import {
  alarmTopicKeyPolicy,
  irsaTrustPolicy,
  logsKeyPolicy,
  type AccountRef,
} from "../../components/aws/documents";
import { runPack } from "../../policies/common/runner";
import { policies } from "../../policies/security/policies";
import { resource } from "../policies/fixtures/security";

const ACCOUNT: AccountRef = { accountId: "123456789012", partition: "aws", region: "eu-central-1" };

describe("alarm definitions", () => {
  it("a network load balancer is watched through its target groups only (it has no HTTP metrics)", () => {
    const alarms = loadBalancerAlarms({
      name: "net/edge/0123456789abcdef",
      type: "network",
      targetGroups: ["targetgroup/tcp/fedcba9876543210"],
      targetResponseTimeSeconds: 1,
      errorRatePercent: 5,
    });
    expect(alarms.map((a) => [a.key, a.metric?.namespace, a.metric?.metricName])).toEqual([
      ["lb-edge-tcp-unhealthy-hosts", "AWS/NetworkELB", "UnHealthyHostCount"],
      ["lb-edge-tcp-no-healthy-hosts", "AWS/NetworkELB", "HealthyHostCount"],
    ]);
  });

  it("a class whose EBS bandwidth does not burst gets no balance alarms; thresholds follow the class", () => {
    const alarms = rdsAlarms({
      identifier: "db",
      instanceClass: "db.m6g.4xlarge",
      allocatedStorageGi: 100,
      memoryGiB: 64,
      maxConnections: 5000,
      maxConnectionsSource: "test",
      ebsBurst: false,
      logExports: [],
    });
    expect(alarms.map((a) => a.key)).not.toContain("rds-ebs-io-balance-low");
    const threshold = (key: string) => alarms.find((a) => a.key === key)!.threshold;
    expect(threshold("rds-freeable-memory-low")).toBe(16 * 2 ** 30);
    expect(threshold("rds-free-storage-low")).toBe(10 * 2 ** 30);
    expect(threshold("rds-connections-high")).toBe(4500);
  });

  it("a description longer than CloudWatch's 1024 characters is cut before the runbook link", () => {
    const a: AlarmDefinition = {
      key: "long",
      summary: "x".repeat(2000),
      source: "s",
      critical: false,
      comparison: "GreaterThanThreshold",
      period: 60,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: "missing",
      missingDataReason: "m",
    };
    const d = alarmDescription(a, "https://rb.example/aws");
    expect(d.length).toBeLessThanOrEqual(1024);
    expect(d.endsWith("Runbook: https://rb.example/aws/long")).toBe(true);
    expect(alarmDescription({ ...a, summary: "short" }, "https://rb.example/aws")).toBe(
      "short Source: s. Missing data: m. Runbook: https://rb.example/aws/long",
    );
  });

  it("the composite rule ORs the alarms and refuses an empty set", () => {
    expect(compositeRule(["a", "b"])).toBe('ALARM("a") OR ALARM("b")');
    expect(() => compositeRule([])).toThrow(/at least one/);
  });
});

describe("the dashboard", () => {
  it("splits alarm states into widgets of at most 100 and graphs each alarm in its group", () => {
    const alarms = Array.from({ length: 120 }, (_, i) => ({
      arn: `arn:aws:cloudwatch:eu-central-1:123456789012:alarm:a${i}`,
      title: `a${i}`,
      group: i < 60 ? "One" : "Two",
    }));
    const body = JSON.parse(
      dashboardBody({ region: "eu-central-1", title: "t", composite: "c", alarms }),
    ) as {
      widgets: { type: string; y: number; properties: Record<string, unknown> }[];
    };
    const states = body.widgets
      .filter((w) => w.type === "alarm")
      .map((w) => (w.properties.alarms as string[]).length);
    expect(states).toEqual([100, 21]);
    expect(body.widgets.filter((w) => w.type === "metric")).toHaveLength(120);
    expect(body.widgets.filter((w) => w.type === "text").map((w) => w.properties.markdown)).toEqual([
      expect.stringContaining("# t"),
      "## One",
      "## Two",
    ]);
  });
});

describe("policy documents", () => {
  it("the topic key grants CloudWatch exactly what SSE publishing needs, and the account keeps administering it", () => {
    const doc = alarmTopicKeyPolicy(ACCOUNT);
    expect(doc.Statement.map((s) => [s.Principal, s.Action])).toEqual([
      [{ AWS: "arn:aws:iam::123456789012:root" }, ["kms:*"]],
      [{ Service: "cloudwatch.amazonaws.com" }, ["kms:Decrypt", "kms:GenerateDataKey*"]],
    ]);
  });

  it("the logs key names the regional CloudWatch Logs principal and each log group", () => {
    const logs = logsKeyPolicy(ACCOUNT, ["/a", "/b"]).Statement[1];
    expect(logs.Principal).toEqual({ Service: "logs.eu-central-1.amazonaws.com" });
    expect(logs.Condition).toEqual({
      ArnLike: {
        "kms:EncryptionContext:aws:logs:arn": [
          "arn:aws:logs:eu-central-1:123456789012:log-group:/a",
          "arn:aws:logs:eu-central-1:123456789012:log-group:/b",
        ],
      },
    });
  });

  it("an IRSA trust policy passes the security pack's trust rule; with a wildcard subject it does not", async () => {
    const issuer = "oidc.eks.eu-central-1.amazonaws.com/id/ABCDEF0123456789";
    const provider = `arn:aws:iam::123456789012:oidc-provider/${issuer}`;
    const trust = irsaTrustPolicy(provider, issuer, { namespace: "monitoring", name: "grafana" });
    expect(trust.Statement[0].Resource).toBeUndefined();
    const role = (doc: unknown) =>
      resource("aws:iam/role:Role", "grafana-role", {
        name: "grafana",
        assumeRolePolicy: JSON.stringify(doc),
      });
    const findings = async (doc: unknown) =>
      (
        await runPack(
          { name: "monitoring-security", policies, enforcementLevel: "mandatory" },
          [role(doc)],
          {},
        )
      ).filter((e) => e.policy === "aws-iam-role-trust-scoped");
    expect(await findings(trust)).toEqual([]);
    const wide = structuredClone(trust);
    wide.Statement[0].Condition = { StringLike: { [`${issuer}:sub`]: "system:serviceaccount:monitoring:*" } };
    expect(await findings(wide)).toHaveLength(1);
  });
});

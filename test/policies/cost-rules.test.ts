/**
 * Every cost rule against a violating and a compliant fixture (provider input shapes), run through the
 * offline runner exactly as the plan runs it. Config is given in --policy-pack-config form; rules must
 * apply their own defaults when a key is absent.
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { ELASTICSEARCH_SETUP } from "../../lib/elasticsearch";
import { runPack, type PolicyReportEntry, type ResourceUnderTest } from "../../policies/common/runner";
import { policies } from "../../policies/cost/policies";
import {
  COST_TAGS,
  ampWorkspace,
  configMap,
  container,
  daemonSet,
  deployment,
  dockerContainer,
  dockerVolume,
  ilmPolicy,
  kmsKey,
  logGroup,
  metricAlarm,
  prometheus,
  pvc,
  rds,
  resource,
  service,
  statefulSet,
  storageClass,
} from "./fixtures/cost";

const pack = { name: "monitoring-cost", policies, enforcementLevel: "advisory" as const };

/** Findings of one policy, run at mandatory with `props` as its config. */
async function findings(
  policy: string,
  resources: ResourceUnderTest[],
  props: Record<string, unknown> = {},
): Promise<PolicyReportEntry[]> {
  const config: PolicyPackConfig = { all: "disabled", [policy]: { enforcementLevel: "mandatory", ...props } };
  const entries = await runPack(pack, resources, config);
  for (const e of entries) expect(e.policy).toBe(policy);
  return entries;
}

function expectOne(
  entries: PolicyReportEntry[],
  policy: string,
  resource: ResourceUnderTest,
  ...fragments: string[]
) {
  expect(entries, JSON.stringify(entries, null, 1)).toHaveLength(1);
  const [e] = entries;
  expect(e.policy).toBe(policy);
  expect(e.urn).toBe(resource.urn);
  expect(e.enforcementLevel).toBe("mandatory");
  expect(e.exempted).toBe(false);
  expect(e.message).toContain(resource.name);
  for (const f of fragments) expect(e.message).toContain(f);
}

const prodLike = () => [
  prometheus(["--storage.tsdb.retention.time=30d", "--storage.tsdb.retention.size=79206MB"]),
  statefulSet("alertmanager", { replicas: 3, claims: [{ size: "2Gi" }] }),
  deployment("grafana", { replicas: 2 }),
  rds({ multiAz: true }),
];

describe("the pack", () => {
  it("has 17 uniquely named rules, each with a config schema", () => {
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual(
      [
        "alarm-count-cap",
        "amp-ingestion-cap",
        "container-request-caps",
        "elasticsearch-retention-cap",
        "log-group-retention-cap",
        "log-ingestion-cap",
        "max-replicas",
        "monthly-cost-budget",
        "no-loadbalancer-services",
        "no-multi-az-rds",
        "prometheus-retention-size-cap",
        "prometheus-retention-time-cap",
        "rds-instance-class-allowlist",
        "required-cost-tags",
        "storage-class-allowlist",
        "total-storage-cap",
        "volume-size-cap",
      ].sort(),
    );
    for (const p of policies)
      expect(Object.keys(p.configSchema?.properties ?? {}).length, p.name).toBeGreaterThan(0);
  });

  it("a prod-like stack passes every rule at its code defaults", async () => {
    const entries = await runPack(pack, prodLike(), { all: "mandatory", "no-multi-az-rds": "disabled" });
    expect(entries).toEqual([]);
  });
});

describe("volume-size-cap", () => {
  const P = "volume-size-cap";
  it("flags a volume claim template over the default cap of 200Gi", async () => {
    const big = statefulSet("prometheus", { replicas: 2, claims: [{ size: "300Gi" }] });
    expectOne(await findings(P, [big]), P, big, "volumeClaimTemplates[data]", "300Gi", "200Gi");
  });
  it("flags a PVC over a configured cap, and an unreadable size", async () => {
    const claim = pvc("grafana", { size: "120Gi" });
    expectOne(await findings(P, [claim], { maxVolumeGi: 100 }), P, claim, "120Gi", "100Gi");
    const odd = pvc("odd", { size: "lots" });
    expectOne(await findings(P, [odd]), P, odd, "not a readable size");
  });
  it("flags RDS allocatedStorage and maxAllocatedStorage over the database cap", async () => {
    const db = rds({ allocatedStorage: 300, maxAllocatedStorage: 500 });
    const entries = await findings(P, [db]);
    expect(entries).toHaveLength(2);
    expect(entries[0].message).toContain("allocatedStorage 300 GB");
    expect(entries[1].message).toContain("maxAllocatedStorage 500 GB");
    for (const e of entries) expect(e.message).toContain("monitoring-grafana-db-instance");
  });
  it("flags a sized Docker volume over the cap", async () => {
    const v = dockerVolume("prometheus-data-0", { size: "100Gi" });
    expectOne(await findings(P, [v], { maxVolumeGi: 50 }), P, v, "100Gi", "50Gi");
  });
  it("passes volumes within caps and unsized Docker volumes", async () => {
    expect(
      await findings(P, [...prodLike(), pvc("g", { size: "5Gi" }), dockerVolume("grafana-data-0")], {
        maxVolumeGi: 100,
      }),
    ).toEqual([]);
  });
  it("reports an exempted workload as exempted, not as a violation", async () => {
    const big = statefulSet("prometheus", { claims: [{ size: "300Gi" }] });
    const entries = await findings(P, [big], {
      exemptions: [{ workload: "prometheus", reason: "long retention approved by the platform team" }],
    });
    expect(entries).toHaveLength(1);
    expect(entries[0].exempted).toBe(true);
    expect(entries[0].reason).toContain("approved");
  });
});

describe("total-storage-cap", () => {
  const P = "total-storage-cap";
  // 2 x 91Gi + 3 x 2Gi + 20 GB RDS = 208
  it("flags a stack over the cap and names the largest volume", async () => {
    const entries = await findings(P, prodLike(), { maxTotalGi: 200 });
    expect(entries).toHaveLength(1);
    expect(entries[0].message).toContain("208Gi");
    expect(entries[0].message).toContain("200Gi");
    expect(entries[0].message).toContain("monitoring-prometheus-statefulset");
    expect(entries[0].urn).toBe("urn:pulumi:test::monitoring");
  });
  it("counts sized Docker volumes", async () => {
    const entries = await findings(
      P,
      [dockerVolume("a", { size: "60Gi" }), dockerVolume("b", { size: "60Gi" })],
      {
        maxTotalGi: 100,
      },
    );
    expect(entries).toHaveLength(1);
    expect(entries[0].message).toContain("120Gi");
    expect(entries[0].message).toContain("monitoring-a-volume");
  });
  it("passes a stack within the cap (default 1000Gi)", async () => {
    expect(await findings(P, prodLike())).toEqual([]);
    expect(await findings(P, prodLike(), { maxTotalGi: 208 })).toEqual([]);
  });
});

describe("storage-class-allowlist", () => {
  const P = "storage-class-allowlist";
  it("flags a premium class on a claim template", async () => {
    const s = statefulSet("prometheus", { claims: [{ storageClass: "io2" }] });
    expectOne(await findings(P, [s]), P, s, '"io2"', "gp3");
  });
  it("flags a claim on the cluster default class unless allowed", async () => {
    const c = pvc("grafana", { storageClass: null });
    expectOne(await findings(P, [c]), P, c, "cluster default", "storageClassName");
    expect(await findings(P, [c], { allowClusterDefault: true })).toEqual([]);
  });
  it("flags an EBS StorageClass of a disallowed type", async () => {
    const sc = storageClass("fast", "io1");
    expectOne(await findings(P, [sc]), P, sc, '"io1"');
  });
  it("flags RDS without storageType (AWS default gp2) and a gp2 EBS volume", async () => {
    const db = rds({ storageType: undefined });
    expectOne(await findings(P, [db]), P, db, '"gp2"', "AWS default");
    const vol = resource("aws:ebs/volume:Volume", "monitoring-scratch-volume", { size: 10, type: "gp2" });
    expectOne(await findings(P, [vol]), P, vol, '"gp2"');
  });
  it("passes gp3 everywhere, and a dev allowlist with local classes", async () => {
    expect(await findings(P, [...prodLike(), storageClass("gp3", "gp3")])).toEqual([]);
    expect(
      await findings(P, [pvc("x", { storageClass: "local-path" })], {
        allowedClasses: ["gp3", "local-path"],
      }),
    ).toEqual([]);
  });
});

describe("prometheus-retention-time-cap", () => {
  const P = "prometheus-retention-time-cap";
  it("flags a retention time over the default 90d cap", async () => {
    const p = prometheus(["--storage.tsdb.retention.time=120d", "--storage.tsdb.retention.size=50GB"]);
    expectOne(await findings(P, [p]), P, p, "120d", "90d", "--storage.tsdb.retention.time");
  });
  it("reads weeks and the two-argument flag form", async () => {
    const p = prometheus(["--storage.tsdb.retention.time", "2w", "--storage.tsdb.retention.size=10GB"]);
    expectOne(await findings(P, [p], { maxRetentionTime: "1w" }), P, p, "2w", "14d");
    expect(await findings(P, [p], { maxRetentionTime: "14d" })).toEqual([]);
  });
  it("flags a size-only retention as unlimited time", async () => {
    const p = prometheus(["--storage.tsdb.retention.size=50GB"]);
    expectOne(await findings(P, [p]), P, p, "unlimited time");
  });
  it("applies Prometheus' 15d default when neither flag is set", async () => {
    const p = prometheus([]);
    expect(await findings(P, [p])).toEqual([]);
    expectOne(await findings(P, [p], { maxRetentionTime: "7d" }), P, p, "15d (default)");
  });
  it("checks Prometheus in a Docker container (args in command)", async () => {
    const c = dockerContainer("prometheus", 0, {
      command: [
        "--storage.tsdb.path=/prometheus",
        "--storage.tsdb.retention.time=60d",
        "--storage.tsdb.retention.size=17408MB",
      ],
    });
    expectOne(await findings(P, [c], { maxRetentionTime: "30d" }), P, c, "60d", "30d");
  });
  it("passes 30d and ignores non-Prometheus containers", async () => {
    expect(await findings(P, prodLike())).toEqual([]);
    const am = statefulSet("alertmanager", {
      containers: [
        container({
          name: "alertmanager",
          image: "quay.io/prometheus/alertmanager:v0.33.1",
          args: ["--data.retention=999h"],
        }),
      ],
    });
    expect(await findings(P, [am], { maxRetentionTime: "1d" })).toEqual([]);
  });
});

describe("prometheus-retention-size-cap", () => {
  const P = "prometheus-retention-size-cap";
  it("flags a retention size over the default 200GB cap", async () => {
    const p = prometheus(["--storage.tsdb.retention.time=30d", "--storage.tsdb.retention.size=300GB"]);
    expectOne(await findings(P, [p]), P, p, "300GB", "200GB");
  });
  it("reads MB/GB as base 2, as Prometheus does", async () => {
    // 81920MB = 81920 x 2^20 bytes = 80 x 2^30 bytes = exactly 80GB in Prometheus' base-2 units.
    const exact = prometheus(["--storage.tsdb.retention.size=81920MB"]);
    expect(await findings(P, [exact], { maxRetentionSize: "80GB" })).toEqual([]);
    const over = prometheus(["--storage.tsdb.retention.size=81921MB"]);
    expectOne(await findings(P, [over], { maxRetentionSize: "80GB" }), P, over, "81921MB");
  });
  it("flags a missing retention size unless requireSize is false, and an unreadable size", async () => {
    const p = prometheus(["--storage.tsdb.retention.time=30d"]);
    expectOne(await findings(P, [p]), P, p, "unbounded");
    expect(await findings(P, [p], { requireSize: false })).toEqual([]);
    const odd = prometheus(["--storage.tsdb.retention.size=80gigs"]);
    expectOne(await findings(P, [odd]), P, odd, '"80gigs"');
  });
  it("passes the shipped prod flags", async () => {
    expect(await findings(P, prodLike())).toEqual([]);
  });
});

describe("elasticsearch-retention-cap", () => {
  const P = "elasticsearch-retention-cap";
  const FILE = ELASTICSEARCH_SETUP.ilmPolicyFile;
  /** The setup job's ConfigMap, as the Kubernetes platform names and labels it. */
  const setupConfigMap = (data: Record<string, string>) => configMap(ELASTICSEARCH_SETUP.workload, data);
  it("flags an ILM delete phase over the default 30d cap", async () => {
    const cm = setupConfigMap({ [FILE]: ilmPolicy({ min_age: "60d", actions: { delete: {} } }) });
    expectOne(await findings(P, [cm]), P, cm, "60d", "30d", `data["${FILE}"]`);
  });
  it("adds the hot phase's rollover max_age to the delete min_age", async () => {
    const over = setupConfigMap({ [FILE]: ilmPolicy({ min_age: "25d", actions: { delete: {} } }, "7d") });
    expectOne(await findings(P, [over]), P, over, "rollover max_age 7d", "32d");
    const within = setupConfigMap({ [FILE]: ilmPolicy({ min_age: "20d", actions: { delete: {} } }, "7d") });
    expect(await findings(P, [within])).toEqual([]);
  });
  it("flags a policy without a delete phase, and a setup job that applies no policy (kept forever)", async () => {
    const cm = setupConfigMap({ [FILE]: ilmPolicy(undefined, "1d") });
    expectOne(await findings(P, [cm]), P, cm, "kept forever");
    const none = setupConfigMap({ "data-view.json": "{}" });
    expectOne(await findings(P, [none]), P, none, `no ${FILE}`, "kept forever");
  });
  it("reads the elasticstack provider's lifecycle resource and the setup job's Docker uploads", async () => {
    const ilm = resource("elasticstack:elasticsearch/indexLifecycle:IndexLifecycle", "monitoring-logs-ilm", {
      name: "logs",
      hot: { minAge: "0ms", rollover: { maxAge: "1d" } },
      delete: { minAge: "90d", delete: {} },
    });
    expectOne(await findings(P, [ilm]), P, ilm, "90d");
    const file = `/staging/elasticsearch-setup/etc/elasticsearch-setup/${FILE}`;
    const upload = dockerContainer(`${ELASTICSEARCH_SETUP.workload}-config-loader`, undefined, {
      uploads: [{ file, content: ilmPolicy({ min_age: "14d", actions: { delete: {} } }) }],
    });
    expectOne(await findings(P, [upload], { maxRetention: "7d" }), P, upload, `upload ${file}`, "14d");
  });
  it("reads no other ConfigMap or upload, whatever ILM-shaped JSON it holds (no guessing)", async () => {
    const elsewhere = configMap("es-ilm", {
      "p.json": ilmPolicy({ min_age: "90d", actions: { delete: {} } }),
    });
    const otherUpload = dockerContainer("grafana-config-loader", undefined, {
      uploads: [{ file: `/staging/x/${FILE}`, content: ilmPolicy(undefined) }],
    });
    const dash = configMap("grafana-dashboards", {
      "node.json": JSON.stringify({ title: "Node", panels: [] }),
    });
    const ok = setupConfigMap({ [FILE]: ilmPolicy({ min_age: "7d", actions: { delete: {} } }, "1d") });
    expect(await findings(P, [elsewhere, otherUpload, dash, ok, ...prodLike()])).toEqual([]);
  });
});

describe("max-replicas", () => {
  const P = "max-replicas";
  it("flags a Deployment over the cap, on the Deployment's URN", async () => {
    const g = deployment("grafana", { replicas: 4 });
    expectOne(await findings(P, [g], { maxReplicas: 3 }), P, g, "4 replicas", "cap of 3");
  });
  it("applies a per-workload cap over the global one", async () => {
    const am = statefulSet("alertmanager", { replicas: 3 });
    expect(await findings(P, [am], { maxReplicas: 2, perWorkload: { alertmanager: 3 } })).toEqual([]);
    expectOne(
      await findings(P, [am], { maxReplicas: 5, perWorkload: { alertmanager: 2 } }),
      P,
      am,
      "perWorkload.alertmanager",
    );
  });
  it("counts numbered Docker containers of one workload", async () => {
    const c0 = dockerContainer("prometheus", 0);
    const entries = await findings(
      P,
      [c0, dockerContainer("prometheus", 1), dockerContainer("grafana", undefined)],
      {
        maxReplicas: 1,
      },
    );
    expect(entries).toHaveLength(1);
    expect(entries[0].urn).toBe(c0.urn);
    expect(entries[0].message).toContain('"prometheus"');
    expect(entries[0].message).toContain("2 replicas");
  });
  it("passes the prod shape at the default cap of 5, and ignores DaemonSets", async () => {
    expect(await findings(P, [...prodLike(), daemonSet("node-exporter")])).toEqual([]);
  });
  it("reports an exempted workload as exempted", async () => {
    const entries = await findings(P, [deployment("grafana", { replicas: 4 })], {
      maxReplicas: 1,
      exemptions: [{ workload: "grafana", reason: "HA test of the shared database in this stack" }],
    });
    expect(entries.map((e) => e.exempted)).toEqual([true]);
  });
});

describe("container-request-caps", () => {
  const P = "container-request-caps";
  it("flags CPU and memory requests over the default caps (4, 16Gi)", async () => {
    const p = statefulSet("prometheus", {
      containers: [container({ name: "prometheus", cpu: "8", memory: "32Gi" })],
    });
    const entries = await findings(P, [p]);
    expect(entries).toHaveLength(2);
    expect(entries[0].message).toContain('container "prometheus": CPU request 8');
    expect(entries[1].message).toContain("memory request 32GiB");
    for (const e of entries) expect(e.message).toContain("monitoring-prometheus-statefulset");
  });
  it("reads Docker cpus and memory (MB)", async () => {
    const c = dockerContainer("prometheus", 0, { memory: 4096, cpus: "2" });
    const entries = await findings(P, [c], { maxCpu: "1", maxMemory: "2Gi" });
    expect(entries.map((e) => e.message)).toEqual([
      expect.stringContaining("cpus 2 exceeds the cap of 1"),
      expect.stringContaining("memory 4GiB exceeds the cap of 2Gi"),
    ]);
    for (const e of entries) expect(e.message).toContain(c.name);
  });
  it("passes requests within caps, in millicores", async () => {
    const d = deployment("grafana", { containers: [container({ cpu: "500m", memory: "1Gi" })] });
    expect(await findings(P, [d, ...prodLike()], { maxCpu: "1", maxMemory: "4Gi" })).toEqual([]);
  });
});

describe("no-loadbalancer-services", () => {
  const P = "no-loadbalancer-services";
  it("flags a LoadBalancer Service", async () => {
    const s = service("grafana", { type: "LoadBalancer" });
    expectOne(await findings(P, [s]), P, s, "LoadBalancer", "ClusterIP");
  });
  it("flags an internal load balancer unless allowInternal", async () => {
    const s = service("grafana", {
      type: "LoadBalancer",
      annotations: { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" },
    });
    expectOne(await findings(P, [s]), P, s);
    expect(await findings(P, [s], { allowInternal: true })).toEqual([]);
  });
  it("passes ClusterIP and headless Services", async () => {
    expect(await findings(P, [service("grafana"), service("prometheus", { type: "ClusterIP" })])).toEqual([]);
  });
});

describe("no-multi-az-rds", () => {
  const P = "no-multi-az-rds";
  it("flags a Multi-AZ instance", async () => {
    const db = rds({ multiAz: true });
    expectOne(await findings(P, [db]), P, db, "multiAz", "monitoring-prod-grafana");
  });
  it("passes Single-AZ and allowed identifiers", async () => {
    expect(await findings(P, [rds()])).toEqual([]);
    expect(
      await findings(P, [rds({ multiAz: true })], { allowedIdentifiers: ["monitoring-prod-grafana"] }),
    ).toEqual([]);
  });
});

describe("rds-instance-class-allowlist", () => {
  const P = "rds-instance-class-allowlist";
  it("flags a class outside the default list", async () => {
    const db = rds({ instanceClass: "db.r6g.2xlarge" });
    expectOne(await findings(P, [db]), P, db, "db.r6g.2xlarge", "db.t4g.small");
  });
  it("passes an allowed class, and a configured list", async () => {
    expect(await findings(P, [rds()])).toEqual([]);
    expect(
      await findings(P, [rds({ instanceClass: "db.m6g.large" })], { allowedClasses: ["db.m6g.large"] }),
    ).toEqual([]);
  });
});

describe("alarm-count-cap", () => {
  const P = "alarm-count-cap";
  const alarms = [metricAlarm("a"), metricAlarm("b"), metricAlarm("c")];
  it("flags a stack with more alarms than the cap, naming some", async () => {
    const entries = await findings(P, alarms, { maxAlarms: 2 });
    expect(entries).toHaveLength(1);
    expect(entries[0].message).toContain("3 CloudWatch alarms");
    expect(entries[0].message).toContain("monitoring-prod-a");
  });
  it("passes at the cap and at the default (50)", async () => {
    expect(await findings(P, alarms, { maxAlarms: 3 })).toEqual([]);
    expect(await findings(P, alarms)).toEqual([]);
  });
});

describe("log-group-retention-cap", () => {
  const P = "log-group-retention-cap";
  it("flags a group kept forever and one kept longer than the cap", async () => {
    const forever = logGroup("audit", { retentionInDays: undefined });
    expectOne(await findings(P, [forever]), P, forever, "forever", "retentionInDays");
    const long = logGroup("app", { retentionInDays: 731 });
    expectOne(await findings(P, [long], { maxRetentionDays: 365 }), P, long, "731", "365");
  });
  it("passes groups within the cap (default 400 days) and ignores other types", async () => {
    expect(await findings(P, [logGroup("app", { retentionInDays: 400 }), metricAlarm("a")])).toEqual([]);
  });
});

describe("log-ingestion-cap", () => {
  const P = "log-ingestion-cap";
  const groups = [
    logGroup("app", { tags: { ...COST_TAGS, "expected-ingest-gb-month": "40" } }),
    logGroup("audit"),
  ];
  it("flags declared plus assumed ingestion over the cap, naming the largest and the undeclared", async () => {
    const entries = await findings(P, groups, { maxIngestGbPerMonth: 30 });
    expect(entries).toHaveLength(1);
    expect(entries[0].message).toContain("41 GB/month");
    expect(entries[0].message).toContain("/monitoring/prod/app");
    expect(entries[0].message).toContain("1 without a expected-ingest-gb-month tag counted at 1 GB");
  });
  it("passes under the cap (default 100 GB) and counts undeclared groups at the configured assumption", async () => {
    expect(await findings(P, groups)).toEqual([]);
    expect(await findings(P, groups, { maxIngestGbPerMonth: 45, assumedGbPerMonth: 5 })).toEqual([]);
    expect(await findings(P, groups, { maxIngestGbPerMonth: 44, assumedGbPerMonth: 5 })).toHaveLength(1);
  });
});

describe("amp-ingestion-cap", () => {
  const P = "amp-ingestion-cap";
  it("flags a workspace over the cap and one that declares no load", async () => {
    const big = ampWorkspace({ "expected-samples-per-second": "80000" });
    expectOne(await findings(P, [big]), P, big, "80000 samples/s", "50000");
    const unknown = ampWorkspace();
    expectOne(await findings(P, [unknown]), P, unknown, "expected-samples-per-second");
  });
  it("passes a declared load within the cap", async () => {
    const ws = ampWorkspace({ "expected-samples-per-second": "333" });
    expect(await findings(P, [ws], { maxSamplesPerSecond: 1000 })).toEqual([]);
  });
});

describe("required-cost-tags", () => {
  const P = "required-cost-tags";
  it("flags a taggable AWS resource missing tags or with empty values", async () => {
    const key = kmsKey({ environment: "prod", stack: "prod", team: " " });
    expectOne(await findings(P, [key]), P, key, "team", "cost-center", "monitoring:tags");
    const bare = kmsKey(null);
    expectOne(await findings(P, [bare]), P, bare, "environment, stack, team, cost-center");
  });
  it("uses the configured tag list", async () => {
    const key = kmsKey();
    expectOne(await findings(P, [key], { requiredTags: ["owner"] }), P, key, "owner");
  });
  it("passes tagged resources, untaggable types and non-AWS resources", async () => {
    const alias = resource("aws:kms/alias:Alias", "monitoring-db-key-alias", { name: "alias/monitoring" });
    const attach = resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "x-attach", {
      role: "r",
      policyArn: "arn",
    });
    expect(
      await findings(P, [kmsKey(), rds(), logGroup("app"), alias, attach, deployment("grafana")]),
    ).toEqual([]);
    const custom = resource("aws:foo/bar:Bar", "x-bar", {});
    expect(await findings(P, [custom], { skipTypes: ["aws:foo/bar:Bar"] })).toEqual([]);
    expect(COST_TAGS.team).toBe("platform");
  });
});

describe("monthly-cost-budget", () => {
  const P = "monthly-cost-budget";
  it("flags an estimate over the budget and reports the breakdown", async () => {
    const entries = await findings(P, prodLike(), { budgetUsd: 100 });
    expect(entries).toHaveLength(1);
    const m = entries[0].message;
    expect(m).toMatch(/^Estimated monthly cost \$\d+\.\d\d exceeds the budget of \$100\.00/);
    for (const part of [
      "storage:",
      "compute:",
      "database:",
      "monitoring-prometheus-statefulset",
      "db.t4g.small Multi-AZ",
    ])
      expect(m).toContain(part);
    expect(m).not.toContain("[secret]");
  });
  it("passes within the budget (default $500)", async () => {
    expect(await findings(P, prodLike())).toEqual([]);
  });
  it("uses the configured DaemonSet node count", async () => {
    // 1 vCPU + 1Gi per node: 730 x (0.03335 + 0.00366) = 27.0173 per node.
    const ds = daemonSet("heavy", { containers: [container({ cpu: "1", memory: "1Gi" })] });
    expect(await findings(P, [ds], { budgetUsd: 28, daemonSetNodes: 1 })).toEqual([]);
    expect(await findings(P, [ds], { budgetUsd: 28, daemonSetNodes: 2 })).toHaveLength(1);
  });
});

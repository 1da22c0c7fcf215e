/**
 * The monthly cost estimate against a figure worked out by hand from the price table's entries, and the
 * price table's derivation (the unit parsers are tested in test/lib/units.test.ts).
 */
import { describe, expect, it } from "vitest";
import {
  ampIngestionUsd,
  ESTIMATE_DEFAULTS,
  estimateMonthlyCost,
  estimateOptionsFromPackConfig,
  formatEstimate,
} from "../../policies/cost/estimate";
import { PRICES, type PriceTable } from "../../policies/cost/prices";
import {
  ampWorkspace,
  container,
  daemonSet,
  deployment,
  dockerContainer,
  logGroup,
  metricAlarm,
  prometheus,
  pvc,
  rds,
  resource,
} from "./fixtures/cost";

const stack = () => [
  // 2 replicas x (1 vCPU, 4Gi), 2 x 91Gi gp3
  prometheus(["--storage.tsdb.retention.time=30d", "--storage.tsdb.retention.size=79206MB"]),
  // 2 replicas x (250m, 512Mi)
  deployment("grafana", { replicas: 2, containers: [container({ cpu: "250m", memory: "512Mi" })] }),
  // 3 nodes (default) x (100m, 64Mi)
  daemonSet("node-exporter", { containers: [container({ cpu: "100m", memory: "64Mi" })] }),
  // 10Gi on the cluster default class: gp2 by default
  pvc("scratch", { size: "10Gi", storageClass: null }),
  // db.t4g.small Multi-AZ, 20 GB gp3
  rds({ multiAz: true }),
  // two standard alarms, one high-resolution (period 10 s), one composite
  metricAlarm("a"),
  metricAlarm("b"),
  metricAlarm("fast", { period: 10 }),
  resource("aws:cloudwatch/compositeAlarm:CompositeAlarm", "monitoring-any-composite", {
    alarmName: "any",
    alarmRule: "ALARM(a) OR ALARM(b)",
  }),
  // 10 GB/month declared, 30 days kept; and an undeclared, never-expiring group
  logGroup("app", { tags: { "expected-ingest-gb-month": "10" } }),
  logGroup("audit", { retentionInDays: undefined }),
  // local engine: not priced
  dockerContainer("grafana", undefined, { memory: 512 }),
];

describe("estimateMonthlyCost", () => {
  it("matches the hand-computed figure", () => {
    const e = estimateMonthlyCost(stack());

    // storage: prometheus 2 x 91 GiB x $0.08 = 14.56; scratch 10 GiB gp2 x $0.10 = 1.00
    const storage = 14.56 + 1.0;
    // compute (730 h, $0.03335 per vCPU-hour, $0.00366 per GiB-hour):
    //   prometheus    2 x 1 vCPU   x 730 = 1460 vCPU-h -> 48.691;     2 x 4 GiB    x 730 = 5840 GiB-h   -> 21.3744
    //   grafana       2 x 0.25     x 730 =  365        -> 12.17275;   2 x 0.5      x 730 =  730         ->  2.6718
    //   node-exporter 3 x 0.1      x 730 =  219        ->  7.30365;   3 x 0.0625   x 730 =  136.875     ->  0.5009625
    const compute = 48.691 + 21.3744 + 12.17275 + 2.6718 + 7.30365 + 0.5009625; // 92.7145625
    // database: 2 x 730 h x $0.032 = 46.72; 2 x 20 GB x $0.115 = 4.60
    const database = 46.72 + 4.6;
    // alarms: 2 x $0.10 + 1 x $0.30 + composite $0.50 = 1.00
    const alarms = 0.2 + 0.3 + 0.5;
    // logs: app 10 GB x $0.50 = 5.00 + 10 GB x 1 month x $0.03 = 0.30;
    //       audit 1 GB x $0.50 = 0.50 + 1 GB x 12 months x $0.03 = 0.36
    const logs = 5.0 + 0.3 + 0.5 + 0.36;

    expect(e.byCategory.storage).toBeCloseTo(storage, 6);
    expect(e.byCategory.compute).toBeCloseTo(compute, 6);
    expect(e.byCategory.database).toBeCloseTo(database, 6);
    expect(e.byCategory.alarms).toBeCloseTo(alarms, 6);
    expect(e.byCategory.logs).toBeCloseTo(logs, 6);
    expect(e.total).toBeCloseTo(166.7545625, 6);
    expect(e.asOf).toBe("2026-11-01");
    expect(e.region).toBe("us-west-2");
    expect(e.unpriced).toEqual([]);
    expect(e.assumptions).toEqual(
      expect.arrayContaining([
        "DaemonSets run on 3 nodes",
        expect.stringContaining("1 Docker container(s)"),
        expect.stringContaining("expected-ingest-gb-month tag: assumed 1 GB/month"),
      ]),
    );
  });

  it("applies options: node count, default class, class mapping", () => {
    const e = estimateMonthlyCost(
      [
        daemonSet("x", { containers: [container({ cpu: "1", memory: "1Gi" })] }),
        pvc("a", { storageClass: "fast", size: "100Gi" }),
      ],
      PRICES,
      { daemonSetNodes: 10, storageClassTypes: { fast: "io2" } },
    );
    // 10 x 1 x 730 x 0.03335 = 243.455; 10 x 1 x 730 x 0.00366 = 26.718
    expect(e.byCategory.compute).toBeCloseTo(243.455 + 26.718, 6);
    // 100 GiB io2 x $0.125 = 12.50
    expect(e.byCategory.storage).toBeCloseTo(12.5, 6);
  });

  it("uses the given price table and lists what it cannot price", () => {
    const prices: PriceTable = { ...PRICES, rdsPostgresHour: { "db.t4g.small": 1 } };
    const e = estimateMonthlyCost([rds(), rds({ instanceClass: "db.x9.huge" })], prices);
    // 730 h x $1 + 2 x (20 GB x $0.115)
    expect(e.total).toBeCloseTo(730 + 2 * 2.3, 6);
    expect(e.unpriced).toEqual([expect.stringContaining("db.x9.huge")]);
  });

  it("prices Docker-only stacks at zero and says so", () => {
    const e = estimateMonthlyCost([dockerContainer("prometheus", 0), dockerContainer("grafana", undefined)]);
    expect(e.total).toBe(0);
    expect(e.assumptions).toEqual([expect.stringContaining("2 Docker container(s) and 0 Docker volume(s)")]);
  });
});

describe("estimateOptionsFromPackConfig", () => {
  it("reads the budget policy's entry of a --policy-pack-config document, with defaults for the rest", () => {
    expect(
      estimateOptionsFromPackConfig({
        all: "mandatory",
        "monthly-cost-budget": {
          budgetUsd: 10,
          daemonSetNodes: 7,
          storageClassTypes: { fast: "io2", bad: 3 },
        },
      }),
    ).toEqual({ ...ESTIMATE_DEFAULTS, daemonSetNodes: 7, storageClassTypes: { fast: "io2" } });
    expect(estimateOptionsFromPackConfig({ "monthly-cost-budget": "advisory" })).toEqual(ESTIMATE_DEFAULTS);
    expect(estimateOptionsFromPackConfig({ "monthly-cost-budget": { daemonSetNodes: "3" } })).toEqual(
      ESTIMATE_DEFAULTS,
    );
  });
});

describe("formatEstimate", () => {
  it("prints the total, each category and each line item", () => {
    const text = formatEstimate(estimateMonthlyCost(stack()));
    const lines = text.split("\n");
    expect(lines[0]).toBe(
      "Monthly cost estimate: $166.75 (USD, us-west-2 on-demand list prices as of 2026-11-01)",
    );
    expect(text).toContain("  storage: $15.56");
    expect(text).toContain("  compute: $92.71");
    expect(text).toContain("  database: $51.32");
    expect(text).toContain("  alarms: $1.00");
    expect(text).toContain("  logs: $6.16");
    expect(text).toContain(
      'Instance "monitoring-prod-grafana" (monitoring-grafana-db-instance) db.t4g.small Multi-AZ (x2) x 730 h: 1460 instance-hour x $0.032 = $46.72',
    );
    expect(text).not.toContain("[secret]");
  });
});

describe("price table", () => {
  it("is dated, regional and cites AWS pricing pages", () => {
    expect(PRICES.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICES.region).toBe("us-west-2");
    for (const url of Object.values(PRICES.sources))
      expect(url).toMatch(/^https:\/\/aws\.amazon\.com\/.+\/pricing\//);
  });
  it("vCPU and GiB rates add back up to the m6i.large price they are derived from", () => {
    // 2 vCPU + 8 GiB = $0.096/h (m6i.large on-demand)
    expect(2 * PRICES.compute.vcpuHour + 8 * PRICES.compute.gibHour).toBeCloseTo(0.096, 3);
    // ratio of Fargate's vCPU-hour to GB-hour price: 0.04048 / 0.004445 = 9.107
    expect(PRICES.compute.vcpuHour / PRICES.compute.gibHour).toBeCloseTo(9.107, 0);
  });
});

describe("AMP, dashboards, keys and anomaly detection alarms", () => {
  it("prices AMP samples by tier: 2B at $0.90/10M, the next 250B at $0.35/10M", () => {
    expect(ampIngestionUsd(1e9, PRICES)).toBeCloseTo(90, 6);
    expect(ampIngestionUsd(2e9, PRICES)).toBeCloseTo(180, 6);
    expect(ampIngestionUsd(12e9, PRICES)).toBeCloseTo(180 + 350, 6);
    expect(ampIngestionUsd(0, PRICES)).toBe(0);
  });

  it("estimates a workspace from its declared samples per second and retention", () => {
    // 333 samples/s x 730 h x 3600 s = 875,124,000 samples -> 87.5124 x $0.90 = $78.76
    // stored: 875,124,000 x (30 / 30) months x 2 B = 1.750248 GB x $0.03
    const ws = ampWorkspace({ "expected-samples-per-second": "333", "retention-days": "30" });
    const e = estimateMonthlyCost([ws]);
    expect(e.byCategory.metrics).toBeCloseTo(78.76116 + 1.750248 * 0.03, 4);
    expect(e.assumptions.join("\n")).toContain("2 bytes per sample");
    const undeclared = estimateMonthlyCost([ampWorkspace()]);
    expect(undeclared.unpriced).toEqual([expect.stringContaining("expected-samples-per-second")]);
  });

  it("prices an S3 bucket from its declared size at the S3 Standard rate, and lists one without", () => {
    const bucket = (tags: Record<string, string>) =>
      resource("aws:s3/bucket:Bucket", "monitoring-snapshots", { bucket: "snaps", tags });
    const e = estimateMonthlyCost([bucket({ "expected-size-gb": "100" })]);
    expect(e.byCategory.storage).toBeCloseTo(100 * PRICES.s3StandardGbMonth, 6);
    expect(e.items[0]).toMatchObject({ quantity: 100, unit: "GB-month" });
    expect(e.unpriced).toEqual([]);
    const undeclared = estimateMonthlyCost([bucket({})]);
    expect(undeclared.total).toBe(0);
    expect(undeclared.unpriced).toEqual([expect.stringContaining("expected-size-gb")]);
  });

  it("counts an anomaly detection band as two more metrics, and prices dashboards and KMS keys", () => {
    const band = metricAlarm("anomaly", {
      metricName: undefined,
      namespace: undefined,
      period: undefined,
      metricQueries: [
        {
          id: "m1",
          returnData: true,
          metric: { metricName: "Latency", namespace: "AWS/X", period: 300, stat: "p90" },
        },
        { id: "band", returnData: true, expression: "ANOMALY_DETECTION_BAND(m1, 2)" },
      ],
    });
    const math = metricAlarm("math", {
      metricQueries: [
        { id: "a", returnData: false, metric: { metricName: "A", namespace: "X", period: 60, stat: "Sum" } },
        { id: "b", returnData: false, metric: { metricName: "B", namespace: "X", period: 60, stat: "Sum" } },
        { id: "e", returnData: true, expression: "100 * a / b" },
      ],
    });
    const dashboard = resource("aws:cloudwatch/dashboard:Dashboard", "monitoring-aws-dashboard", {
      dashboardName: "monitoring-prod-monitoring",
      dashboardBody: "{}",
    });
    const key = resource("aws:kms/key:Key", "monitoring-aws-logs-key", { enableKeyRotation: true });
    const e = estimateMonthlyCost([band, math, dashboard, key]);
    // 3 + 2 standard alarm metrics x $0.10
    expect(e.byCategory.alarms).toBeCloseTo(0.5, 6);
    expect(e.byCategory.metrics).toBeCloseTo(3, 6);
    expect(e.byCategory.keys).toBeCloseTo(1, 6);
  });
});

/**
 * Monthly cost estimate of a planned stack, from resource inputs and a dated price table. Pure: no
 * Pulumi runtime, no network. The `monthly-cost-budget` policy and the offline plan call it.
 *
 *   storage  = sum over volumes of GiB x count x EBS price of the volume's class
 *   compute  = sum over pods of (requested vCPU x vcpuHour + requested GiB x gibHour) x hoursPerMonth,
 *              pods = replicas (Deployment/StatefulSet/ReplicaSet), nodes (DaemonSet), 1 (Pod)
 *   database = instance hourly price x hoursPerMonth x (2 if Multi-AZ) + allocated GB x storage price
 *              x (2 if Multi-AZ) + provisioned IOPS (io1/io2) x IOPS price x (2 if Multi-AZ)
 *   alarms   = metric alarms x metrics per alarm x alarm price (high resolution when period < 60 s;
 *              an anomaly detection band counts as 2 more metrics, its upper and lower bound)
 *              + composite alarms x composite price
 *   logs     = per log group: ingested GB/month x ingestion price + stored GB x storage price, where
 *              stored GB = ingested GB/month x retention months (retentionInDays / 30; never-expiring
 *              groups count `logRetentionMonthsWhenUnlimited` months)
 *   metrics  = per AMP workspace: samples/month (tag expected-samples-per-second x seconds in a month)
 *              priced by ingestion tier + stored GB (samples/month x retention months x ampBytesPerSample)
 *              x storage price; + CloudWatch dashboards x dashboard price
 *   keys     = customer-managed KMS keys x key-month price
 *   storage  + per S3 bucket: declared GB (tag expected-size-gb) x S3 Standard price
 *
 * Docker resources run on a local engine and are not priced; Jobs and CronJobs are transient and not
 * priced. Every such choice is listed in the estimate's `assumptions`.
 */
import { PRICES } from "./prices";
import type { PriceTable } from "./prices";
import {
  at,
  claimsOf,
  containersOf,
  describe,
  list,
  num,
  podSpecOf,
  rdsFacts,
  record,
  replicasOf,
  str,
  T,
} from "./read";
import type { CostResource } from "./read";
import { GIB } from "../../lib/units";
import { AMP_RETENTION_TAG, AMP_SAMPLES_TAG, LOG_VOLUME_TAG, SNAPSHOT_SIZE_TAG } from "../../lib/cost-tags";

export type CostCategory = "storage" | "compute" | "database" | "alarms" | "logs" | "metrics" | "keys";
export const COST_CATEGORIES: CostCategory[] = [
  "storage",
  "compute",
  "database",
  "alarms",
  "logs",
  "metrics",
  "keys",
];

/** Resource types only this module prices (the shared ones are in read.ts `T`). */
const AWS_T = {
  ampWorkspace: "aws:amp/workspace:Workspace",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  kmsKey: "aws:kms/key:Key",
  bucket: "aws:s3/bucket:Bucket",
  bucketV2: "aws:s3/bucketV2:BucketV2",
} as const;

export interface LineItem {
  category: CostCategory;
  /** The resource's URN. */
  urn: string;
  /** How messages name the resource, e.g. `StatefulSet "prometheus" (monitoring-prometheus-statefulset)`. */
  resource: string;
  /** What is priced, with the quantity's derivation. */
  description: string;
  quantity: number;
  unit: string;
  unitPrice: number;
  /** quantity x unitPrice, USD per month. */
  monthly: number;
}

export interface Estimate {
  asOf: string;
  region: string;
  currency: "USD";
  items: LineItem[];
  byCategory: Record<CostCategory, number>;
  total: number;
  /** Assumptions the figure rests on (defaults used, resources left out). */
  assumptions: string[];
  /** Resources with no price in the table: counted as 0, listed so the table can be extended. */
  unpriced: string[];
}

export interface EstimateOptions {
  /** Nodes a DaemonSet runs on. Default 3. */
  daemonSetNodes?: number;
  /** Storage class of claims without storageClassName. Default "gp2" (the class EKS installs as default). */
  defaultStorageClass?: string;
  /** Storage class name -> EBS volume type, for classes not named after their type (e.g. "fast": "io2"). */
  storageClassTypes?: Record<string, string>;
  /** GB a log group ingests per month when it declares nothing (tag `expected-ingest-gb-month`). Default 1. */
  logIngestionGbPerMonth?: number;
  /** Months of logs stored by a log group that never expires. Default 12. */
  logRetentionMonthsWhenUnlimited?: number;
  /** Bytes an AMP workspace stores per sample. Default 2 (the Prometheus TSDB's 1-2 bytes per sample). */
  ampBytesPerSample?: number;
}

export const ESTIMATE_DEFAULTS: Required<EstimateOptions> = {
  daemonSetNodes: 3,
  defaultStorageClass: "gp2",
  storageClassTypes: {},
  logIngestionGbPerMonth: 1,
  logRetentionMonthsWhenUnlimited: 12,
  ampBytesPerSample: 2,
};

/** Name of the policy whose config carries the estimate's options and the budget. */
export const BUDGET_POLICY = "monthly-cost-budget";

const numberOr = (v: unknown, d: number) => (typeof v === "number" && Number.isFinite(v) ? v : d);

/** Estimate options from the budget policy's config props; values of the wrong type fall back to defaults. */
export function estimateOptionsFromProps(props: Record<string, unknown>): Required<EstimateOptions> {
  const classes = record(props.storageClassTypes) ?? {};
  return {
    daemonSetNodes: numberOr(props.daemonSetNodes, ESTIMATE_DEFAULTS.daemonSetNodes),
    defaultStorageClass: str(props.defaultStorageClass) ?? ESTIMATE_DEFAULTS.defaultStorageClass,
    storageClassTypes: Object.fromEntries(
      Object.entries(classes).filter((e): e is [string, string] => typeof e[1] === "string"),
    ),
    logIngestionGbPerMonth: numberOr(props.logIngestionGbPerMonth, ESTIMATE_DEFAULTS.logIngestionGbPerMonth),
    logRetentionMonthsWhenUnlimited: numberOr(
      props.logRetentionMonthsWhenUnlimited,
      ESTIMATE_DEFAULTS.logRetentionMonthsWhenUnlimited,
    ),
    ampBytesPerSample: numberOr(props.ampBytesPerSample, ESTIMATE_DEFAULTS.ampBytesPerSample),
  };
}

/**
 * Estimate options from a whole --policy-pack-config document (e.g. policies/cost/config.prod.json), so
 * the offline plan prints the same estimate the budget policy checks.
 */
export function estimateOptionsFromPackConfig(config: unknown): Required<EstimateOptions> {
  return estimateOptionsFromProps(record(record(config)?.[BUDGET_POLICY]) ?? {});
}

/** Tag a log group may carry to declare its expected ingestion in GB per month. */
export { LOG_VOLUME_TAG };

function item(
  category: CostCategory,
  r: CostResource,
  description: string,
  quantity: number,
  unit: string,
  unitPrice: number,
): LineItem {
  return {
    category,
    urn: r.urn,
    resource: describe(r.type, r.name, r.inputs),
    description,
    quantity,
    unit,
    unitPrice,
    monthly: quantity * unitPrice,
  };
}

const round = (n: number, digits = 4) => Number(n.toFixed(digits));

/** The EBS type a storage class provisions: a StorageClass in the stack, the options' map, or its own name. */
function ebsTypeResolver(resources: CostResource[], options: Required<EstimateOptions>) {
  const declared = new Map<string, string>();
  for (const r of resources) {
    if (r.type !== T.storageClass) continue;
    const name = str(at(r.inputs, "metadata", "name"));
    const type = str(at(r.inputs, "parameters", "type"));
    if (name && type) declared.set(name, type);
  }
  return (storageClass: string | undefined): string => {
    const cls = storageClass ?? options.defaultStorageClass;
    return declared.get(cls) ?? options.storageClassTypes[cls] ?? cls;
  };
}

function storageItems(
  r: CostResource,
  prices: PriceTable,
  ebsType: (cls: string | undefined) => string,
  assumptions: string[],
  unpriced: string[],
): LineItem[] {
  return claimsOf(r.type, r.inputs).flatMap((claim) => {
    if (claim.sizeGi === undefined) {
      unpriced.push(`${describe(r.type, r.name, r.inputs)} ${claim.where}: size unreadable`);
      return [];
    }
    const volumeType = ebsType(claim.storageClass);
    let price = prices.ebsGbMonth[volumeType];
    const classLabel = claim.storageClass ?? `(cluster default, assumed ${volumeType})`;
    if (price === undefined) {
      price = prices.ebsGbMonth.gp3;
      assumptions.push(`storage class "${claim.storageClass}" has no EBS price: priced as gp3`);
    }
    const gb = claim.sizeGi * claim.count;
    return [
      item(
        "storage",
        r,
        `${claim.where}: ${claim.count} x ${round(claim.sizeGi, 2)} GiB ${classLabel}`,
        gb,
        "GB-month",
        price,
      ),
    ];
  });
}

function computeItems(
  r: CostResource,
  prices: PriceTable,
  options: Required<EstimateOptions>,
  assumptions: string[],
): LineItem[] {
  if (r.type === T.job || r.type === T.cronJob) return [];
  const replicas = replicasOf(r.type, r.inputs);
  const pods = replicas === "per-node" ? options.daemonSetNodes : replicas;
  const podsLabel = replicas === "per-node" ? `${pods} nodes` : `${pods} replica${pods === 1 ? "" : "s"}`;
  const containers = containersOf(podSpecOf(r.type, r.inputs));
  let vcpu = 0;
  let gib = 0;
  for (const c of containers) {
    if (c.cpuRequest === undefined || c.memoryRequestBytes === undefined)
      assumptions.push(
        `${describe(r.type, r.name, r.inputs)} container "${c.name}" has no CPU/memory request: counted as 0`,
      );
    vcpu += c.cpuRequest ?? 0;
    gib += (c.memoryRequestBytes ?? 0) / GIB;
  }
  const h = prices.hoursPerMonth;
  return [
    item(
      "compute",
      r,
      `${podsLabel} x ${round(vcpu)} vCPU requested x ${h} h`,
      pods * vcpu * h,
      "vCPU-hour",
      prices.compute.vcpuHour,
    ),
    item(
      "compute",
      r,
      `${podsLabel} x ${round(gib)} GiB requested x ${h} h`,
      pods * gib * h,
      "GiB-hour",
      prices.compute.gibHour,
    ),
  ];
}

function rdsItems(r: CostResource, prices: PriceTable, unpriced: string[]): LineItem[] {
  const db = rdsFacts(r.inputs);
  const copies = db.multiAz ? 2 : 1;
  const az = db.multiAz ? "Multi-AZ (x2)" : "Single-AZ";
  const h = prices.hoursPerMonth;
  const items: LineItem[] = [];
  const hourly = db.instanceClass ? prices.rdsPostgresHour[db.instanceClass] : undefined;
  if (hourly === undefined)
    unpriced.push(`${describe(r.type, r.name, r.inputs)}: instance class ${db.instanceClass ?? "(unset)"}`);
  else
    items.push(
      item("database", r, `${db.instanceClass} ${az} x ${h} h`, copies * h, "instance-hour", hourly),
    );
  if (db.allocatedStorageGb !== undefined) {
    const gbPrice = prices.rdsStorageGbMonth[db.storageType];
    if (gbPrice === undefined)
      unpriced.push(`${describe(r.type, r.name, r.inputs)}: storage type ${db.storageType}`);
    else
      items.push(
        item(
          "database",
          r,
          `${db.allocatedStorageGb} GB ${db.storageType} ${az}`,
          copies * db.allocatedStorageGb,
          "GB-month",
          gbPrice,
        ),
      );
  }
  if (db.iops && (db.storageType === "io1" || db.storageType === "io2"))
    items.push(
      item(
        "database",
        r,
        `${db.iops} provisioned IOPS ${az}`,
        copies * db.iops,
        "IOPS-month",
        prices.rdsIopsMonth,
      ),
    );
  return items;
}

function alarmItems(r: CostResource, prices: PriceTable): LineItem[] {
  if (r.type === T.compositeAlarm)
    return [item("alarms", r, "composite alarm", 1, "alarm-month", prices.cloudwatch.compositeAlarmMonth)];
  const all = list(r.inputs.metricQueries);
  const queries = all.filter((q) => record(record(q)?.metric) !== undefined);
  // CloudWatch pricing: an anomaly detection alarm is billed as three metrics (the metric and the band's bounds).
  const bands = all.filter((q) =>
    /ANOMALY_DETECTION_BAND\s*\(/i.test(str(record(q)?.expression) ?? ""),
  ).length;
  const metrics = Math.max(1, queries.length) + 2 * bands;
  const periods = [num(r.inputs.period), ...queries.map((q) => num(at(q, "metric", "period")))].filter(
    (p): p is number => p !== undefined,
  );
  const highRes = periods.some((p) => p < 60);
  return [
    item(
      "alarms",
      r,
      `${metrics} metric${metrics === 1 ? "" : "s"}, ${highRes ? "high" : "standard"} resolution`,
      metrics,
      "alarm-metric-month",
      highRes ? prices.cloudwatch.highResolutionAlarmMonth : prices.cloudwatch.standardAlarmMonth,
    ),
  ];
}

function logItems(
  r: CostResource,
  prices: PriceTable,
  options: Required<EstimateOptions>,
  assumptions: string[],
): LineItem[] {
  const declared = num(record(r.inputs.tags)?.[LOG_VOLUME_TAG]);
  const name = describe(r.type, r.name, r.inputs);
  if (declared === undefined)
    assumptions.push(
      `${name} declares no ${LOG_VOLUME_TAG} tag: assumed ${options.logIngestionGbPerMonth} GB/month`,
    );
  const gb = declared ?? options.logIngestionGbPerMonth;
  const days = num(r.inputs.retentionInDays);
  const months = days && days > 0 ? days / 30 : options.logRetentionMonthsWhenUnlimited;
  return [
    item("logs", r, `${gb} GB/month ingested`, gb, "GB ingested", prices.cloudwatch.logsIngestionGb),
    item(
      "logs",
      r,
      `${gb} GB/month x ${round(months, 2)} months retained${days ? "" : " (never expires)"}`,
      gb * months,
      "GB-month stored",
      prices.cloudwatch.logsStorageGbMonth,
    ),
  ];
}

/** USD for `samples` ingested in a month, through the price table's tiers. */
export function ampIngestionUsd(samples: number, prices: PriceTable): number {
  let usd = 0;
  let below = 0;
  for (const tier of prices.amp.ingestionTiers) {
    const inTier = Math.max(0, Math.min(samples, tier.upTo) - below);
    usd += (inTier / 1e7) * tier.usdPer10M;
    below = tier.upTo;
    if (samples <= tier.upTo) break;
  }
  return usd;
}

function ampItems(
  r: CostResource,
  prices: PriceTable,
  options: Required<EstimateOptions>,
  assumptions: string[],
  unpriced: string[],
): LineItem[] {
  const tags = record(r.inputs.tags);
  const sps = num(tags?.[AMP_SAMPLES_TAG]);
  const name = describe(r.type, r.name, r.inputs);
  if (sps === undefined) {
    unpriced.push(`${name}: declares no ${AMP_SAMPLES_TAG} tag, so its samples cannot be priced`);
    return [];
  }
  const samples = sps * prices.hoursPerMonth * 3600;
  // AMP keeps 150 days unless the workspace configuration says otherwise.
  const days = num(tags?.[AMP_RETENTION_TAG]) ?? 150;
  const storedGb = (samples * (days / 30) * options.ampBytesPerSample) / 1e9;
  assumptions.push(`${name} stores ${options.ampBytesPerSample} bytes per sample`);
  const ingestion = ampIngestionUsd(samples, prices);
  return [
    {
      ...item("metrics", r, `${round(sps, 1)} samples/s ingested (tiered)`, samples / 1e7, "10M samples", 0),
      unitPrice: round(ingestion / (samples / 1e7), 6),
      monthly: ingestion,
    },
    item(
      "metrics",
      r,
      `${round(samples / 1e9, 2)}B samples/month x ${round(days / 30, 2)} months x ${options.ampBytesPerSample} B stored`,
      storedGb,
      "GB-month stored",
      prices.amp.storageGbMonth,
    ),
  ];
}

/** Estimates the monthly cost of `resources` (offline plan entries) at `prices`. */
export function estimateMonthlyCost(
  resources: CostResource[],
  prices: PriceTable = PRICES,
  opts: EstimateOptions = {},
): Estimate {
  const options: Required<EstimateOptions> = { ...ESTIMATE_DEFAULTS, ...dropUndefined(opts) };
  const assumptions: string[] = [];
  const unpriced: string[] = [];
  const items: LineItem[] = [];
  const ebsType = ebsTypeResolver(resources, options);
  let dockerContainers = 0;
  let dockerVolumes = 0;
  let daemonSets = 0;

  for (const r of resources) {
    items.push(...storageItems(r, prices, ebsType, assumptions, unpriced));
    if (podSpecOf(r.type, r.inputs)) {
      if (r.type === T.daemonSet) daemonSets++;
      items.push(...computeItems(r, prices, options, assumptions));
    }
    if (r.type === T.rdsInstance) items.push(...rdsItems(r, prices, unpriced));
    if (r.type === T.metricAlarm || r.type === T.compositeAlarm) items.push(...alarmItems(r, prices));
    if (r.type === T.logGroup) items.push(...logItems(r, prices, options, assumptions));
    if (r.type === AWS_T.ampWorkspace) items.push(...ampItems(r, prices, options, assumptions, unpriced));
    if (r.type === AWS_T.dashboard)
      items.push(
        item("metrics", r, "CloudWatch dashboard", 1, "dashboard-month", prices.cloudwatch.dashboardMonth),
      );
    if (r.type === AWS_T.kmsKey)
      items.push(item("keys", r, "customer-managed KMS key", 1, "key-month", prices.kmsKeyMonth));
    if (r.type === AWS_T.bucket || r.type === AWS_T.bucketV2) {
      const gb = num(record(r.inputs.tags)?.[SNAPSHOT_SIZE_TAG]);
      if (gb === undefined)
        unpriced.push(`${describe(r.type, r.name, r.inputs)}: declares no ${SNAPSHOT_SIZE_TAG} tag`);
      else items.push(item("storage", r, "S3 Standard storage", gb, "GB-month", prices.s3StandardGbMonth));
    }
    if (r.type === T.dockerContainer) dockerContainers++;
    if (r.type === T.dockerVolume) dockerVolumes++;
    if (r.type === T.rdsClusterInstance || r.type === T.ebsVolume)
      unpriced.push(`${describe(r.type, r.name, r.inputs)}: type not modelled by the estimate`);
  }
  if (daemonSets > 0) assumptions.push(`DaemonSets run on ${options.daemonSetNodes} nodes`);
  if (dockerContainers + dockerVolumes > 0)
    assumptions.push(
      `${dockerContainers} Docker container(s) and ${dockerVolumes} Docker volume(s) run on a local engine: not priced`,
    );

  const byCategory = Object.fromEntries(COST_CATEGORIES.map((c) => [c, 0])) as Record<CostCategory, number>;
  for (const i of items) byCategory[i.category] += i.monthly;
  const total = items.reduce((sum, i) => sum + i.monthly, 0);
  return {
    asOf: prices.asOf,
    region: prices.region,
    currency: prices.currency,
    items,
    byCategory,
    total,
    assumptions: [...new Set(assumptions)],
    unpriced,
  };
}

function dropUndefined<V extends object>(o: V): Partial<V> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<V>;
}

const usd = (n: number) => `$${n.toFixed(2)}`;

/** The estimate as text: total, subtotal per category with its line items, assumptions, unpriced resources. */
export function formatEstimate(estimate: Estimate): string {
  const lines = [
    `Monthly cost estimate: ${usd(estimate.total)} (${estimate.currency}, ${estimate.region} on-demand list prices as of ${estimate.asOf})`,
  ];
  for (const category of COST_CATEGORIES) {
    const items = estimate.items.filter((i) => i.category === category);
    if (items.length === 0) continue;
    lines.push(`  ${category}: ${usd(estimate.byCategory[category])}`);
    for (const i of items)
      lines.push(
        `    ${i.resource} ${i.description}: ${round(i.quantity, 2)} ${i.unit} x $${i.unitPrice} = ${usd(i.monthly)}`,
      );
  }
  for (const a of estimate.assumptions) lines.push(`  assumption: ${a}`);
  for (const u of estimate.unpriced) lines.push(`  not priced: ${u}`);
  return lines.join("\n");
}

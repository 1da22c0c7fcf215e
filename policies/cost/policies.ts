/**
 * The cost rules, as a plain array so the offline plan and the tests run them without the engine.
 * Every rule reads its caps from config (declared in `configSchema`) and applies its own defaults in
 * code: the engine fills schema defaults, the offline runner does not. Rules compare `args.type`
 * strings. Levels come from the per-environment config files (config.dev.json, config.prod.json).
 */
import type {
  Policies,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { withExemptions, withStackExemptions, workloadOf } from "../common/exemptions";
import {
  BUDGET_POLICY,
  ESTIMATE_DEFAULTS,
  estimateMonthlyCost,
  estimateOptionsFromProps,
  formatEstimate,
} from "./estimate";
import { PRICES } from "./prices";
import {
  at,
  claimsOf,
  containersOf,
  describe,
  dockerContainerFacts,
  dockerVolumeGi,
  flagValue,
  isPodBearing,
  list,
  num,
  podSpecOf,
  rdsFacts,
  record,
  str,
  T,
} from "./read";
import type { ContainerFacts, CostResource, Obj } from "./read";
import {
  cpuCores,
  DAY_SECONDS,
  elasticsearchDurationSeconds,
  formatDays,
  formatGi,
  prometheusDurationSeconds,
  prometheusSizeBytes,
  quantityBytes,
} from "../../lib/units";

// ---- config readers: values arrive as JSON; a value of the wrong type falls back to the default ----

function cfgNumber(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}
function cfgString(value: unknown, fallback: string): string {
  return typeof value === "string" && value.length > 0 ? value : fallback;
}
function cfgBool(value: unknown, fallback: boolean): boolean {
  return typeof value === "boolean" ? value : fallback;
}
function cfgStrings(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : fallback;
}
function cfgNumberMap(value: unknown): Record<string, number> {
  const r = record(value) ?? {};
  return Object.fromEntries(Object.entries(r).filter((e): e is [string, number] => typeof e[1] === "number"));
}
function cfgStringMap(value: unknown): Record<string, string> {
  const r = record(value) ?? {};
  return Object.fromEntries(Object.entries(r).filter((e): e is [string, string] => typeof e[1] === "string"));
}
const config = (args: { getConfig<T extends object>(): T }): Obj => args.getConfig<Obj>();

const stringList = (description: string, def: string[]): PolicyConfigJSONSchema => ({
  type: "array",
  items: { type: "string" },
  default: def,
  description,
});

/** A PolicyResource (stack policies) as the estimate's resource shape. */
const underTest = (r: PolicyResource): CostResource => ({
  urn: r.urn,
  type: r.type,
  name: r.name,
  inputs: r.props,
});

/** The containers of a Kubernetes workload or a Docker container, with the workload's label. */
function containersOfResource(type: string, props: Obj): ContainerFacts[] {
  if (type === T.dockerContainer) return [dockerContainerFacts(props)];
  if (isPodBearing(type)) return containersOf(podSpecOf(type, props));
  return [];
}

// ---- volume-size-cap ----

export const DEFAULTS = {
  maxVolumeGi: 200,
  maxDatabaseStorageGb: 200,
  maxTotalStorageGi: 1000,
  allowedStorageClasses: ["gp3"],
  allowClusterDefaultClass: false,
  maxPrometheusRetentionTime: "90d",
  maxPrometheusRetentionSize: "200GB",
  requirePrometheusRetentionSize: true,
  maxElasticsearchRetention: "30d",
  maxReplicas: 5,
  maxCpu: "4",
  maxMemory: "16Gi",
  allowInternalLoadBalancers: false,
  allowedRdsInstanceClasses: ["db.t4g.micro", "db.t4g.small", "db.t4g.medium"],
  maxAlarms: 50,
  requiredTags: ["environment", "stack", "team", "cost-center"],
  monthlyBudgetUsd: 500,
} as const;

const volumeSizeCap: ResourceValidationPolicy = withExemptions({
  name: "volume-size-cap",
  description:
    "Each persistent volume (PVC, StatefulSet volume claim template, sized Docker volume) and RDS storage stays under a size cap.",
  configSchema: {
    properties: {
      maxVolumeGi: {
        type: "number",
        minimum: 1,
        default: DEFAULTS.maxVolumeGi,
        description: "Largest volume, GiB",
      },
      maxDatabaseStorageGb: {
        type: "number",
        minimum: 1,
        default: DEFAULTS.maxDatabaseStorageGb,
        description: "Largest RDS allocatedStorage / maxAllocatedStorage, GB",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const cfg = config(args);
    const maxGi = cfgNumber(cfg.maxVolumeGi, DEFAULTS.maxVolumeGi);
    const maxDb = cfgNumber(cfg.maxDatabaseStorageGb, DEFAULTS.maxDatabaseStorageGb);
    const who = describe(args.type, args.name, args.props);
    for (const claim of claimsOf(args.type, args.props)) {
      if (claim.sizeGi === undefined)
        reportViolation(
          `${who} ${claim.where}: storage request ${claim.rawSize ?? "(missing)"} is not a readable size; set resources.requests.storage (e.g. "20Gi").`,
        );
      else if (claim.sizeGi > maxGi)
        reportViolation(
          `${who} ${claim.where}: volume of ${claim.rawSize} exceeds the cap of ${maxGi}Gi; shrink the volume (or shorten retention) or raise volume-size-cap.maxVolumeGi.`,
        );
    }
    if (args.type === T.dockerVolume) {
      const gi = dockerVolumeGi(args.props);
      if (gi !== undefined && gi > maxGi)
        reportViolation(
          `${who}: Docker volume size ${Number(gi.toFixed(2))}Gi exceeds the cap of ${maxGi}Gi; reduce driverOpts.size or raise volume-size-cap.maxVolumeGi.`,
        );
    }
    if (args.type === T.rdsInstance) {
      const db = rdsFacts(args.props);
      if (db.allocatedStorageGb !== undefined && db.allocatedStorageGb > maxDb)
        reportViolation(
          `${who}: allocatedStorage ${db.allocatedStorageGb} GB exceeds the cap of ${maxDb} GB; lower allocatedStorage or raise volume-size-cap.maxDatabaseStorageGb.`,
        );
      if (db.maxAllocatedStorageGb !== undefined && db.maxAllocatedStorageGb > maxDb)
        reportViolation(
          `${who}: storage autoscaling limit maxAllocatedStorage ${db.maxAllocatedStorageGb} GB exceeds the cap of ${maxDb} GB; lower maxAllocatedStorage or raise volume-size-cap.maxDatabaseStorageGb.`,
        );
    }
  },
});

// ---- total-storage-cap ----

interface StorageShare {
  urn: string;
  what: string;
  gi: number;
}

/** Every provisioned GiB in the stack: claims x replicas, sized Docker volumes, RDS allocated storage, EBS volumes. */
export function storageShares(resources: CostResource[]): StorageShare[] {
  const shares: StorageShare[] = [];
  for (const r of resources) {
    const who = describe(r.type, r.name, r.inputs);
    for (const claim of claimsOf(r.type, r.inputs))
      if (claim.sizeGi !== undefined)
        shares.push({
          urn: r.urn,
          what: `${who} ${claim.where} (${claim.count} x ${claim.rawSize})`,
          gi: claim.sizeGi * claim.count,
        });
    if (r.type === T.dockerVolume) {
      const gi = dockerVolumeGi(r.inputs);
      if (gi !== undefined) shares.push({ urn: r.urn, what: who, gi });
    }
    if (r.type === T.rdsInstance) {
      const gb = rdsFacts(r.inputs).allocatedStorageGb;
      if (gb !== undefined) shares.push({ urn: r.urn, what: `${who} allocatedStorage`, gi: gb });
    }
    if (r.type === T.ebsVolume) {
      const gb = num(r.inputs.size);
      if (gb !== undefined) shares.push({ urn: r.urn, what: who, gi: gb });
    }
  }
  return shares;
}

const totalStorageCap: StackValidationPolicy = {
  name: "total-storage-cap",
  description:
    "The stack's provisioned storage (volume claims x replicas, sized Docker volumes, RDS, EBS) stays under a total cap.",
  configSchema: {
    properties: {
      maxTotalGi: {
        type: "number",
        minimum: 1,
        default: DEFAULTS.maxTotalStorageGi,
        description: "Total storage cap, GiB",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const max = cfgNumber(config(args).maxTotalGi, DEFAULTS.maxTotalStorageGi);
    const shares = storageShares(args.resources.map(underTest));
    const total = shares.reduce((s, x) => s + x.gi, 0);
    if (total <= max) return;
    const top = [...shares]
      .sort((a, b) => b.gi - a.gi)
      .slice(0, 5)
      .map((s) => `${s.what}: ${Number(s.gi.toFixed(2))}Gi`)
      .join("; ");
    reportViolation(
      `The stack provisions ${Number(total.toFixed(2))}Gi of storage, over the cap of ${max}Gi. Largest: ${top}. Shrink volumes, replicas or retention, or raise total-storage-cap.maxTotalGi.`,
    );
  },
};

// ---- storage-class-allowlist ----

const EBS_PROVISIONERS = new Set(["ebs.csi.aws.com", "kubernetes.io/aws-ebs"]);

const storageClassAllowlist: ResourceValidationPolicy = withExemptions({
  name: "storage-class-allowlist",
  description:
    "Volumes use an allowed storage class / volume type (gp3 by default; no premium io1/io2 where not allowed).",
  configSchema: {
    properties: {
      allowedClasses: stringList("Allowed storage class names and EBS/RDS volume types", [
        ...DEFAULTS.allowedStorageClasses,
      ]),
      allowClusterDefault: {
        type: "boolean",
        default: DEFAULTS.allowClusterDefaultClass,
        description: "Accept claims without storageClassName (the cluster default class, gp2 on EKS)",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const cfg = config(args);
    const allowed = cfgStrings(cfg.allowedClasses, [...DEFAULTS.allowedStorageClasses]);
    const allowDefault = cfgBool(cfg.allowClusterDefault, DEFAULTS.allowClusterDefaultClass);
    const who = describe(args.type, args.name, args.props);
    const list_ = allowed.join(", ");
    for (const claim of claimsOf(args.type, args.props)) {
      if (claim.storageClass === undefined) {
        if (!allowDefault)
          reportViolation(
            `${who} ${claim.where}: no storageClassName, so the cluster default class is used (gp2 on EKS); set storageClassName to one of: ${list_}.`,
          );
      } else if (!allowed.includes(claim.storageClass))
        reportViolation(
          `${who} ${claim.where}: storage class "${claim.storageClass}" is not allowed; use one of: ${list_}.`,
        );
    }
    if (args.type === T.storageClass) {
      const provisioner = str(args.props.provisioner) ?? "";
      const type = str(at(args.props, "parameters", "type"));
      if (EBS_PROVISIONERS.has(provisioner) && type !== undefined && !allowed.includes(type))
        reportViolation(`${who}: provisions EBS type "${type}", which is not allowed; use one of: ${list_}.`);
    }
    if (args.type === T.rdsInstance) {
      const db = rdsFacts(args.props);
      if (!allowed.includes(db.storageType))
        reportViolation(
          `${who}: storageType "${db.storageType}"${str(args.props.storageType) ? "" : " (the AWS default when unset)"} is not allowed; set storageType to one of: ${list_}.`,
        );
    }
    if (args.type === T.ebsVolume) {
      const type = str(args.props.type) ?? "gp2";
      if (!allowed.includes(type))
        reportViolation(`${who}: EBS volume type "${type}" is not allowed; set type to one of: ${list_}.`);
    }
  },
});

// ---- prometheus retention ----

function isPrometheus(c: ContainerFacts): boolean {
  const repo = c.image.split("@")[0].replace(/:[^/]*$/, "");
  if (repo.split("/").pop() === "prometheus") return true;
  return c.argv.some((a) => a.startsWith("--storage.tsdb."));
}

interface PrometheusRetention {
  container: string;
  /** Raw flag values. */
  time?: string;
  size?: string;
}

function prometheusRetentions(type: string, props: Obj): PrometheusRetention[] {
  return containersOfResource(type, props)
    .filter(isPrometheus)
    .map((c) => ({
      container: c.name,
      time:
        flagValue(c.argv, "--storage.tsdb.retention.time") ?? flagValue(c.argv, "--storage.tsdb.retention"),
      size: flagValue(c.argv, "--storage.tsdb.retention.size"),
    }));
}

/** Prometheus' default: 15d when neither time nor size is set. */
const PROMETHEUS_DEFAULT_RETENTION = 15 * DAY_SECONDS;

const prometheusRetentionTimeCap: ResourceValidationPolicy = withExemptions({
  name: "prometheus-retention-time-cap",
  description:
    "Prometheus --storage.tsdb.retention.time stays under a cap (an unset time with a size set means unlimited).",
  configSchema: {
    properties: {
      maxRetentionTime: {
        type: "string",
        pattern: "^(\\d+(ms|s|m|h|d|w|y))+$",
        default: DEFAULTS.maxPrometheusRetentionTime,
        description: "Longest retention, Prometheus duration (e.g. 30d, 2w)",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const capText = cfgString(config(args).maxRetentionTime, DEFAULTS.maxPrometheusRetentionTime);
    const cap =
      prometheusDurationSeconds(capText) ??
      (prometheusDurationSeconds(DEFAULTS.maxPrometheusRetentionTime) as number);
    const who = describe(args.type, args.name, args.props);
    for (const p of prometheusRetentions(args.type, args.props)) {
      const fix = `set --storage.tsdb.retention.time to ${capText} or less (or raise prometheus-retention-time-cap.maxRetentionTime)`;
      const seconds = p.time === undefined ? undefined : prometheusDurationSeconds(p.time);
      if (p.time !== undefined && seconds === undefined) {
        reportViolation(
          `${who} container "${p.container}": retention time "${p.time}" is not a Prometheus duration; ${fix}.`,
        );
        continue;
      }
      const unlimited = (seconds === undefined || seconds === 0) && p.size !== undefined;
      if (unlimited) {
        reportViolation(
          `${who} container "${p.container}": only a retention size is set, so Prometheus keeps data for unlimited time; ${fix}.`,
        );
        continue;
      }
      const effective = seconds || PROMETHEUS_DEFAULT_RETENTION;
      if (effective > cap)
        reportViolation(
          `${who} container "${p.container}": retention time ${p.time ?? "15d (default)"} (${formatDays(effective)}) exceeds the cap of ${capText}; ${fix}.`,
        );
    }
  },
});

const prometheusRetentionSizeCap: ResourceValidationPolicy = withExemptions({
  name: "prometheus-retention-size-cap",
  description:
    "Prometheus --storage.tsdb.retention.size is set and stays under a cap (sizes are base 2: MB = MiB).",
  configSchema: {
    properties: {
      maxRetentionSize: {
        type: "string",
        pattern: "^\\d+(\\.\\d+)?([KMGTPE]i?B|B)$",
        default: DEFAULTS.maxPrometheusRetentionSize,
        description: "Largest retention size, Prometheus units (e.g. 80GB, 1TB; base 2)",
      },
      requireSize: {
        type: "boolean",
        default: DEFAULTS.requirePrometheusRetentionSize,
        description: "Report a Prometheus without --storage.tsdb.retention.size (unbounded disk use)",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const cfg = config(args);
    const capText = cfgString(cfg.maxRetentionSize, DEFAULTS.maxPrometheusRetentionSize);
    const cap =
      prometheusSizeBytes(capText) ?? (prometheusSizeBytes(DEFAULTS.maxPrometheusRetentionSize) as number);
    const requireSize = cfgBool(cfg.requireSize, DEFAULTS.requirePrometheusRetentionSize);
    const who = describe(args.type, args.name, args.props);
    for (const p of prometheusRetentions(args.type, args.props)) {
      const fix = `set --storage.tsdb.retention.size to ${capText} or less, below the volume size (or raise prometheus-retention-size-cap.maxRetentionSize)`;
      if (p.size === undefined) {
        if (requireSize)
          reportViolation(
            `${who} container "${p.container}": no --storage.tsdb.retention.size, so disk use is unbounded; ${fix}.`,
          );
        continue;
      }
      const bytes = prometheusSizeBytes(p.size);
      if (bytes === undefined)
        reportViolation(
          `${who} container "${p.container}": retention size "${p.size}" is not a Prometheus size (e.g. 43520MB, 80GB); ${fix}.`,
        );
      else if (bytes > cap)
        reportViolation(
          `${who} container "${p.container}": retention size ${p.size} (${formatGi(bytes)}) exceeds the cap of ${capText} (${formatGi(cap)}); ${fix}.`,
        );
    }
  },
});

// ---- elasticsearch-retention-cap ----

interface EsRetention {
  where: string;
  /** Seconds, or "never" when the policy has no delete phase; undefined if unreadable. */
  seconds?: number | "never";
  raw: string;
}

/** Retention of an ILM policy JSON (`{policy:{phases}}` or `{phases}`): rollover max_age + delete min_age. */
function ilmRetention(doc: Obj, where: string): EsRetention | undefined {
  const phases = record(at(doc, "policy", "phases")) ?? record(doc.phases);
  if (!phases) return undefined;
  const del = record(phases.delete);
  if (!del) return { where, seconds: "never", raw: "no delete phase" };
  const minAge = str(del.min_age) ?? "0ms";
  const rollover = str(at(phases, "hot", "actions", "rollover", "max_age"));
  const a = elasticsearchDurationSeconds(minAge);
  const b = rollover === undefined ? 0 : elasticsearchDurationSeconds(rollover);
  const raw = rollover
    ? `rollover max_age ${rollover} + delete min_age ${minAge}`
    : `delete min_age ${minAge}`;
  return { where, seconds: a === undefined || b === undefined ? undefined : a + b, raw };
}

/** `{ "indices": [{ "name": "logs-*", "retention": "30d" }] }` style index retention config. */
function indicesRetention(doc: Obj, where: string): EsRetention[] {
  return list(doc.indices).flatMap((i): EsRetention[] => {
    const entry = record(i);
    if (!entry) return [];
    const name = str(entry.name) ?? str(entry.pattern) ?? "?";
    const retention = str(entry.retention);
    const days = num(entry.retentionDays);
    if (retention !== undefined)
      return [
        {
          where: `${where} indices[${name}]`,
          seconds: elasticsearchDurationSeconds(retention),
          raw: retention,
        },
      ];
    if (days !== undefined)
      return [{ where: `${where} indices[${name}]`, seconds: days * DAY_SECONDS, raw: `${days} days` }];
    return [{ where: `${where} indices[${name}]`, seconds: "never", raw: "no retention" }];
  });
}

function parseJson(text: string): Obj | undefined {
  const t = text.trim();
  if (!t.startsWith("{")) return undefined;
  try {
    return record(JSON.parse(t));
  } catch {
    return undefined;
  }
}

function retentionsInDocument(text: string, where: string): EsRetention[] {
  const doc = parseJson(text);
  if (!doc) return [];
  const ilm = ilmRetention(doc, where);
  return [...(ilm ? [ilm] : []), ...indicesRetention(doc, where)];
}

/** Index retention declared by a resource: an elasticstack ILM resource, ConfigMap files, Docker uploads. */
function elasticsearchRetentions(type: string, props: Obj): EsRetention[] {
  if (type === T.esIndexLifecycle) {
    const del = record(props.delete) ?? record(list(props.delete)[0]);
    if (!del) return [{ where: "lifecycle policy", seconds: "never", raw: "no delete phase" }];
    const minAge = str(del.minAge) ?? "0ms";
    return [
      {
        where: "delete phase",
        seconds: elasticsearchDurationSeconds(minAge),
        raw: `delete minAge ${minAge}`,
      },
    ];
  }
  if (type === T.configMap)
    return Object.entries(record(props.data) ?? {}).flatMap(([key, value]) =>
      typeof value === "string" ? retentionsInDocument(value, `data["${key}"]`) : [],
    );
  if (type === T.dockerContainer)
    return list(props.uploads).flatMap((u) => {
      const upload = record(u);
      const content = str(upload?.content);
      return content ? retentionsInDocument(content, `upload ${str(upload?.file) ?? "?"}`) : [];
    });
  return [];
}

const elasticsearchRetentionCap: ResourceValidationPolicy = withExemptions({
  name: "elasticsearch-retention-cap",
  description:
    "Elasticsearch index retention (ILM delete phase, plus rollover max_age; or an indices retention list) exists and stays under a cap. Applies only where such config is declared.",
  configSchema: {
    properties: {
      maxRetention: {
        type: "string",
        pattern: "^\\d+(\\.\\d+)?(nanos|micros|ms|s|m|h|d)$",
        default: DEFAULTS.maxElasticsearchRetention,
        description: "Longest index retention, Elasticsearch time unit (e.g. 30d)",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const capText = cfgString(config(args).maxRetention, DEFAULTS.maxElasticsearchRetention);
    const cap =
      elasticsearchDurationSeconds(capText) ??
      (elasticsearchDurationSeconds(DEFAULTS.maxElasticsearchRetention) as number);
    const who = describe(args.type, args.name, args.props);
    const fix = `add or shorten the delete phase so indices are deleted within ${capText} (or raise elasticsearch-retention-cap.maxRetention)`;
    for (const r of elasticsearchRetentions(args.type, args.props)) {
      if (r.seconds === "never")
        reportViolation(`${who} ${r.where}: ${r.raw}, so indices are kept forever; ${fix}.`);
      else if (r.seconds === undefined)
        reportViolation(`${who} ${r.where}: cannot read retention (${r.raw}); ${fix}.`);
      else if (r.seconds > cap)
        reportViolation(
          `${who} ${r.where}: retention ${r.raw} (${formatDays(r.seconds)}) exceeds the cap of ${capText}; ${fix}.`,
        );
    }
  },
});

// ---- max-replicas ----

interface ReplicaCount {
  workload: string;
  replicas: number;
  urn: string;
  what: string;
}

function replicaCounts(resources: PolicyResource[]): ReplicaCount[] {
  const counts: ReplicaCount[] = [];
  const docker = new Map<string, ReplicaCount>();
  for (const r of resources) {
    const who = describe(r.type, r.name, r.props);
    if (r.type === T.deployment || r.type === T.statefulSet || r.type === T.replicaSet) {
      const workload = workloadOf(r.props) ?? str(at(r.props, "metadata", "name")) ?? r.name;
      counts.push({ workload, replicas: num(at(r.props, "spec", "replicas")) ?? 1, urn: r.urn, what: who });
    } else if (r.type === T.dockerContainer) {
      const workload = workloadOf(r.props) ?? str(r.props.name) ?? r.name;
      const seen = docker.get(workload);
      if (seen) seen.replicas++;
      else
        docker.set(workload, {
          workload,
          replicas: 1,
          urn: r.urn,
          what: `Docker containers of "${workload}"`,
        });
    }
  }
  return [...counts, ...docker.values()];
}

const maxReplicas: StackValidationPolicy = withStackExemptions({
  name: "max-replicas",
  description:
    "Workloads (Deployments, StatefulSets, numbered Docker containers) run no more replicas than the cap.",
  configSchema: {
    properties: {
      maxReplicas: {
        type: "integer",
        minimum: 1,
        default: DEFAULTS.maxReplicas,
        description: "Replica cap per workload",
      },
      perWorkload: {
        type: "object",
        additionalProperties: { type: "integer", minimum: 1 },
        default: {},
        description: "Cap per workload name (app.kubernetes.io/name), overriding maxReplicas",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const cfg = config(args);
    const cap = cfgNumber(cfg.maxReplicas, DEFAULTS.maxReplicas);
    const perWorkload = cfgNumberMap(cfg.perWorkload);
    for (const c of replicaCounts(args.resources)) {
      const max = perWorkload[c.workload] ?? cap;
      if (c.replicas > max)
        reportViolation(
          `${c.what} (workload "${c.workload}") runs ${c.replicas} replicas, over the cap of ${max}; lower its replicas in the stack config or raise max-replicas.${c.workload in perWorkload ? `perWorkload.${c.workload}` : "maxReplicas"}.`,
          c.urn,
        );
    }
  },
});

// ---- container-request-caps ----

const containerRequestCaps: ResourceValidationPolicy = withExemptions({
  name: "container-request-caps",
  description: "Each container's CPU and memory requests (Docker: cpus and memory limits) stay under caps.",
  configSchema: {
    properties: {
      maxCpu: {
        type: "string",
        default: DEFAULTS.maxCpu,
        description: "CPU cap per container, Kubernetes quantity (e.g. 500m, 2)",
      },
      maxMemory: {
        type: "string",
        default: DEFAULTS.maxMemory,
        description: "Memory cap per container, Kubernetes quantity (e.g. 2Gi)",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const cfg = config(args);
    const cpuText = cfgString(cfg.maxCpu, DEFAULTS.maxCpu);
    const memText = cfgString(cfg.maxMemory, DEFAULTS.maxMemory);
    const maxCpu = cpuCores(cpuText) ?? (cpuCores(DEFAULTS.maxCpu) as number);
    const maxMem = quantityBytes(memText) ?? (quantityBytes(DEFAULTS.maxMemory) as number);
    const who = describe(args.type, args.name, args.props);
    const docker = args.type === T.dockerContainer;
    for (const c of containersOfResource(args.type, args.props)) {
      const what = docker ? "" : ` container "${c.name}"`;
      if (c.cpuRequest !== undefined && c.cpuRequest > maxCpu)
        reportViolation(
          `${who}${what}: ${docker ? "cpus" : "CPU request"} ${c.cpuRequest} exceeds the cap of ${cpuText}; lower it in the stack config (resources) or raise container-request-caps.maxCpu.`,
        );
      if (c.memoryRequestBytes !== undefined && c.memoryRequestBytes > maxMem)
        reportViolation(
          `${who}${what}: ${docker ? "memory" : "memory request"} ${formatGi(c.memoryRequestBytes)} exceeds the cap of ${memText}; lower it in the stack config (resources) or raise container-request-caps.maxMemory.`,
        );
    }
  },
});

// ---- no-loadbalancer-services ----

const INTERNAL_LB_ANNOTATIONS: [string, string][] = [
  ["service.beta.kubernetes.io/aws-load-balancer-internal", "true"],
  ["service.beta.kubernetes.io/aws-load-balancer-scheme", "internal"],
];

const noLoadBalancerServices: ResourceValidationPolicy = withExemptions({
  name: "no-loadbalancer-services",
  description: "No Service of type LoadBalancer (each one provisions a billed cloud load balancer).",
  configSchema: {
    properties: {
      allowInternal: {
        type: "boolean",
        default: DEFAULTS.allowInternalLoadBalancers,
        description: "Accept internal load balancers (AWS internal annotation or scheme)",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== T.service || str(at(args.props, "spec", "type")) !== "LoadBalancer") return;
    const allowInternal = cfgBool(config(args).allowInternal, DEFAULTS.allowInternalLoadBalancers);
    const annotations = record(at(args.props, "metadata", "annotations")) ?? {};
    const internal = INTERNAL_LB_ANNOTATIONS.some(([k, v]) => str(annotations[k])?.toLowerCase() === v);
    if (allowInternal && internal) return;
    reportViolation(
      `${describe(args.type, args.name, args.props)}: type LoadBalancer provisions a billed cloud load balancer; use ClusterIP with the shared ingress (or kubectl port-forward in dev).`,
    );
  },
});

// ---- no-multi-az-rds ----

const noMultiAzRds: ResourceValidationPolicy = {
  name: "no-multi-az-rds",
  description:
    "RDS instances are Single-AZ (Multi-AZ doubles instance and storage cost); for non-production stacks.",
  configSchema: {
    properties: {
      allowedIdentifiers: stringList("RDS identifiers allowed to be Multi-AZ", []),
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== T.rdsInstance || !rdsFacts(args.props).multiAz) return;
    const allowed = cfgStrings(config(args).allowedIdentifiers, []);
    const id = str(args.props.identifier);
    if (id && allowed.includes(id)) return;
    reportViolation(
      `${describe(args.type, args.name, args.props)}: multiAz is true, which doubles instance and storage cost; set multiAz to false for this environment.`,
    );
  },
};

// ---- rds-instance-class-allowlist ----

const rdsInstanceClassAllowlist: ResourceValidationPolicy = {
  name: "rds-instance-class-allowlist",
  description: "RDS instances use an allowed instance class.",
  configSchema: {
    properties: {
      allowedClasses: stringList("Allowed RDS instance classes", [...DEFAULTS.allowedRdsInstanceClasses]),
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== T.rdsInstance && args.type !== T.rdsClusterInstance) return;
    const allowed = cfgStrings(config(args).allowedClasses, [...DEFAULTS.allowedRdsInstanceClasses]);
    const cls = str(args.props.instanceClass);
    if (cls !== undefined && allowed.includes(cls)) return;
    reportViolation(
      `${describe(args.type, args.name, args.props)}: instance class ${cls ?? "(unset)"} is not allowed; set instanceClass to one of: ${allowed.join(", ")}.`,
    );
  },
};

// ---- alarm-count-cap ----

const alarmCountCap: StackValidationPolicy = {
  name: "alarm-count-cap",
  description: "The stack declares no more CloudWatch alarms (metric and composite) than the cap.",
  configSchema: {
    properties: {
      maxAlarms: {
        type: "integer",
        minimum: 0,
        default: DEFAULTS.maxAlarms,
        description: "Alarm cap for the stack",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const max = cfgNumber(config(args).maxAlarms, DEFAULTS.maxAlarms);
    const alarms = args.resources.filter((r) => r.type === T.metricAlarm || r.type === T.compositeAlarm);
    if (alarms.length <= max) return;
    const names = alarms.slice(0, 5).map((a) => str(a.props.name) ?? a.name);
    reportViolation(
      `The stack declares ${alarms.length} CloudWatch alarms (e.g. ${names.join(", ")}), over the cap of ${max}; merge alarms (composite alarms, metric math) or raise alarm-count-cap.maxAlarms.`,
    );
  },
};

// ---- required-cost-tags ----

/** AWS resource types that accept no tags (attachments, policies, sub-resources of a tagged parent). */
export const UNTAGGABLE_AWS_TYPES = new Set([
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/policyAttachment:PolicyAttachment",
  "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  "aws:sns/topicSubscription:TopicSubscription",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketVersioningV2:BucketVersioningV2",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
  "aws:kms/alias:Alias",
  "aws:kms/keyPolicy:KeyPolicy",
  "aws:cloudwatch/logStream:LogStream",
  "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
  "aws:cloudwatch/logMetricFilter:LogMetricFilter",
  "aws:cloudwatch/dashboard:Dashboard",
  "aws:ec2/securityGroupRule:SecurityGroupRule",
  "aws:amp/alertManagerDefinition:AlertManagerDefinition",
]);

function tagsOf(args: ResourceValidationArgs): Record<string, string> {
  const own = cfgStringMap(args.props.tags);
  const providerDefaults = cfgStringMap(at(args.provider?.props, "defaultTags", "tags"));
  return { ...providerDefaults, ...own };
}

const requiredCostTags: ResourceValidationPolicy = {
  name: "required-cost-tags",
  description: "AWS resources that accept tags carry the cost-allocation tags (non-empty values).",
  configSchema: {
    properties: {
      requiredTags: stringList("Tag keys every taggable AWS resource carries", [...DEFAULTS.requiredTags]),
      skipTypes: stringList("Further AWS resource types that accept no tags", []),
    },
  },
  validateResource: (args, reportViolation) => {
    if (!args.type.startsWith("aws:") || UNTAGGABLE_AWS_TYPES.has(args.type)) return;
    const cfg = config(args);
    if (cfgStrings(cfg.skipTypes, []).includes(args.type)) return;
    const required = cfgStrings(cfg.requiredTags, [...DEFAULTS.requiredTags]);
    const tags = tagsOf(args);
    const missing = required.filter((k) => !tags[k]?.trim());
    if (missing.length === 0) return;
    reportViolation(
      `${describe(args.type, args.name, args.props)}: missing cost-allocation tag(s) ${missing.join(", ")}; add them to the stack's monitoring:tags config (or the resource's tags).`,
    );
  },
};

// ---- monthly-cost-budget ----

const monthlyCostBudget: StackValidationPolicy = {
  name: BUDGET_POLICY,
  description: `The stack's estimated monthly cost (${PRICES.region} on-demand list prices as of ${PRICES.asOf}) stays within the environment's budget.`,
  configSchema: {
    properties: {
      budgetUsd: {
        type: "number",
        minimum: 0,
        default: DEFAULTS.monthlyBudgetUsd,
        description: "Monthly budget, USD",
      },
      daemonSetNodes: {
        type: "integer",
        minimum: 1,
        default: ESTIMATE_DEFAULTS.daemonSetNodes,
        description: "Nodes a DaemonSet runs on",
      },
      defaultStorageClass: {
        type: "string",
        default: ESTIMATE_DEFAULTS.defaultStorageClass,
        description: "Storage class of claims without storageClassName",
      },
      storageClassTypes: {
        type: "object",
        additionalProperties: { type: "string" },
        default: {},
        description: "Storage class name -> EBS volume type, for classes not named after their type",
      },
      logIngestionGbPerMonth: {
        type: "number",
        minimum: 0,
        default: ESTIMATE_DEFAULTS.logIngestionGbPerMonth,
        description: "Assumed GB/month per log group without an expected-ingest-gb-month tag",
      },
      logRetentionMonthsWhenUnlimited: {
        type: "number",
        minimum: 0,
        default: ESTIMATE_DEFAULTS.logRetentionMonthsWhenUnlimited,
        description: "Months of logs stored by a never-expiring log group",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const cfg = config(args);
    const budget = cfgNumber(cfg.budgetUsd, DEFAULTS.monthlyBudgetUsd);
    const options = estimateOptionsFromProps(cfg);
    const estimate = estimateMonthlyCost(args.resources.map(underTest), PRICES, options);
    if (estimate.total <= budget) return;
    reportViolation(
      `Estimated monthly cost $${estimate.total.toFixed(2)} exceeds the budget of $${budget.toFixed(2)}; reduce the largest items below or raise monthly-cost-budget.budgetUsd.\n${formatEstimate(estimate)}`,
    );
  },
};

export const policies: Policies = [
  volumeSizeCap,
  totalStorageCap,
  storageClassAllowlist,
  prometheusRetentionTimeCap,
  prometheusRetentionSizeCap,
  elasticsearchRetentionCap,
  maxReplicas,
  containerRequestCaps,
  noLoadBalancerServices,
  noMultiAzRds,
  rdsInstanceClassAllowlist,
  alarmCountCap,
  requiredCostTags,
  monthlyCostBudget,
];

/** The pack's name and default enforcement level, shared by index.ts and the offline runner. */
export const PACK = { name: "monitoring-cost", enforcementLevel: "advisory" } as const;

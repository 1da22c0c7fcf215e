/**
 * `monitoring:packs`: the service packs a stack switches on (packs/), each with its targets, label
 * names, exporters and per-alert overrides (enabled, threshold, for, severity); custom rule groups and
 * scrape jobs that take the same path; and SLOs that generate burn-rate alerts.
 *
 * Everything is checked against the packs' own definitions (job keys, label keys, alert names,
 * threshold ranges), so a misspelt alert or an out-of-range threshold is a config error naming the
 * key, not a rule that silently never fires.
 */
import { z } from "zod";
import { JOBS } from "../../lib/jobs";
import { prometheusDurationSeconds } from "../../lib/units";
import { PACK_DEFINITIONS, PACK_KEYS } from "../../packs/catalog";
import type { AlertDefinition, PackDefinition, PackKey, PackSeverity } from "../../packs/model";
import { checkSecretRef } from "../errors";
import {
  dnsLabel,
  duration,
  labelName,
  pinnedImage,
  positiveDuration,
  resolveResources,
  resourcesSchema,
  secretRef,
  type ResourcesSpec,
} from "../fields";
import { IMAGES } from "../profiles";
import { pathIn, section, type Environment, type SectionContext } from "./section";

const at = pathIn("packs");

// ---------------------------------------------------------------------------------------------------------
// Spec

/** Where Prometheus finds a job's targets. */
export type TargetSpec =
  | { kind: "static"; targets: string[]; scrapeInterval?: string }
  /** Containers on the stack's Docker network, by name. */
  | { kind: "docker"; containers: { container: string; port: number }[]; scrapeInterval?: string }
  /** Pods in a namespace selected by labels, scraped on a named or numbered container port. */
  | {
      kind: "kubernetes";
      namespace: string;
      selector: Record<string, string>;
      port: string | number;
      scrapeInterval?: string;
    };

export interface AlertOverrideSpec {
  enabled: boolean;
  threshold?: number;
  for?: string;
  severity?: PackSeverity;
}

export interface RedisExporterSpec {
  /** host:port of the Redis server. */
  address: string;
  tls: boolean;
  user?: string;
  /** Secret config key holding the password. */
  passwordSecret?: string;
  image: string;
  resources: ResourcesSpec;
}

export interface PostgresExporterSpec {
  address: string;
  database: string;
  user: string;
  passwordSecret?: string;
  sslMode: "disable" | "require" | "verify-ca" | "verify-full";
  image: string;
  resources: ResourcesSpec;
}

export interface PackSpec {
  key: PackKey;
  /** Value of the `service` label on the pack's alerts (default: the pack name). */
  service: string;
  /** `team` label on the pack's alerts, for routing. */
  team?: string;
  /** Runbook base URL of this pack (else packs.runbookBaseUrl, else rules.runbookBaseUrl). */
  runbookBaseUrl?: string;
  /** Label names by label key, defaults filled in. */
  labels: Record<string, string>;
  /** Targets by job key (jobs without targets are not scraped). */
  targets: Record<string, TargetSpec>;
  /** Overrides by alert name (only alerts that have one). */
  alerts: Record<string, AlertOverrideSpec>;
  exporters: { redis?: RedisExporterSpec; postgres?: PostgresExporterSpec };
  /** Ship the pack's Logstash pipeline. */
  logs: boolean;
}

export interface CustomAlertSpec {
  alert: string;
  expr: string;
  for?: string;
  severity: PackSeverity;
  summary: string;
  description: string;
  labels: Record<string, string>;
}

export interface CustomRecordSpec {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

export interface CustomRuleGroupSpec {
  name: string;
  interval?: string;
  rules: (CustomAlertSpec | CustomRecordSpec)[];
}

export interface CustomScrapeJobSpec {
  name: string;
  metricsPath: string;
  honorLabels: boolean;
  params?: Record<string, string[]>;
  target: TargetSpec;
}

export type SliSpec =
  /** Bad events over all events, as two counter selectors. */
  | { kind: "availability"; total: string; errors: string }
  /** Events slower than `threshold` seconds, from a histogram's `le` bucket (an existing bucket boundary). */
  | { kind: "latency"; histogram: string; selector: string; threshold: number };

export interface SloSpec {
  name: string;
  /** `service` label of the SLO's alerts; a pack's service puts its error-budget panel on that pack's dashboard. */
  service: string;
  /** Objective in percent, e.g. 99.9. */
  objective: number;
  /** Compliance window, e.g. "30d". */
  window: string;
  sli: SliSpec;
}

export interface PacksSpec {
  runbookBaseUrl?: string;
  /** Switched-on packs, in catalogue order. */
  packs: PackSpec[];
  customRuleGroups: CustomRuleGroupSpec[];
  customScrapeJobs: CustomScrapeJobSpec[];
  slos: SloSpec[];
}

export const PACK_EXPORTER_DEFAULTS: Record<Environment, { resources: ResourcesSpec }> = {
  dev: { resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { memory: "64Mi" } } },
  prod: { resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } } },
};

// ---------------------------------------------------------------------------------------------------------
// Schema

const hostPort = z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:\d{1,5}$/, {
  message: 'expected host:port, e.g. "app:8000"',
});
const port = z.number().int().min(1).max(65535);
/** Kubernetes label keys (optional DNS prefix) and values. */
const k8sLabelKey = z
  .string()
  .regex(/^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
    message: "expected a Kubernetes label key",
  });
const k8sLabelValue = z.string().regex(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, {
  message: "expected a Kubernetes label value",
});

const targetSchema = z
  .strictObject({
    static: z.array(hostPort).min(1).optional(),
    docker: z
      .array(z.strictObject({ container: dnsLabel, port }))
      .min(1)
      .optional(),
    kubernetes: z
      .strictObject({
        namespace: dnsLabel,
        selector: z.record(k8sLabelKey, k8sLabelValue).refine((r) => Object.keys(r).length > 0, {
          message: "select the pods with at least one label",
        }),
        port: z.union([
          port,
          z.string().regex(/^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/, { message: "expected a port name" }),
        ]),
      })
      .optional(),
    scrapeInterval: positiveDuration.optional(),
  })
  .refine((t) => [t.static, t.docker, t.kubernetes].filter((x) => x !== undefined).length === 1, {
    message: "give exactly one of static, docker or kubernetes",
  });

const severity = z.enum(["critical", "warning", "info"]);

const overrideSchema = z.strictObject({
  enabled: z.boolean().optional(),
  threshold: z.number().optional(),
  for: duration.optional(),
  severity: severity.optional(),
});

const redisSchema = z.strictObject({
  address: hostPort,
  tls: z.boolean().optional(),
  user: z.string().min(1).optional(),
  passwordSecret: secretRef.optional(),
  image: pinnedImage.optional(),
  resources: resourcesSchema.optional(),
});

const postgresSchema = z.strictObject({
  address: hostPort,
  database: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_$-]*$/, { message: "expected a database name" })
    .optional(),
  user: z.string().regex(/^[A-Za-z_][A-Za-z0-9_$-]*$/, { message: "expected a role name" }),
  passwordSecret: secretRef.optional(),
  sslMode: z.enum(["disable", "require", "verify-ca", "verify-full"]).optional(),
  image: pinnedImage.optional(),
  resources: resourcesSchema.optional(),
});

/** Schema of one pack's parameters, from its definition (job, label and alert keys are its own). */
function packSchema(def: PackDefinition) {
  const scrapeJobs = Object.entries(def.jobs).filter(([, j]) => !j.exporter);
  const exporterJobs = Object.entries(def.jobs).filter(([, j]) => j.exporter);
  return z.strictObject({
    enabled: z.boolean().optional(),
    service: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { message: "expected a service name" })
      .optional(),
    team: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { message: "expected a team name" })
      .optional(),
    runbookBaseUrl: z.url({ protocol: /^https?$/, message: "expected an http(s) URL" }).optional(),
    logs: z.boolean().optional(),
    labels: z
      .strictObject(Object.fromEntries(Object.keys(def.labels).map((k) => [k, labelName.optional()])))
      .optional(),
    targets: z
      .strictObject(Object.fromEntries(scrapeJobs.map(([k]) => [k, targetSchema.optional()])))
      .optional(),
    exporters: z
      .strictObject(
        Object.fromEntries(
          exporterJobs.map(([k, j]) => [
            k,
            (j.exporter === "redis" ? redisSchema : postgresSchema).optional(),
          ]),
        ),
      )
      .optional(),
    alerts: z
      .strictObject(Object.fromEntries(def.alerts.map((a) => [a.alert, overrideSchema.optional()])))
      .optional(),
  });
}

const metricSelector = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}]*\})?$/, {
  message: 'expected a series selector such as http_requests_total{job="app"}',
});
const matchers = z
  .string()
  .regex(/^[^{}]*$/, { message: 'expected label matchers without braces, e.g. job="app"' });

const customAlertSchema = z.strictObject({
  alert: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: "expected an alert name" }),
  expr: z.string().trim().min(1),
  for: duration.optional(),
  severity,
  summary: z.string().min(1),
  description: z.string().min(1),
  labels: z.record(labelName, z.string()).optional(),
});
const customRecordSchema = z.strictObject({
  record: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { message: "expected a metric name" }),
  expr: z.string().trim().min(1),
  labels: z.record(labelName, z.string()).optional(),
});

const sloSchema = z
  .strictObject({
    name: dnsLabel,
    service: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { message: "expected a service name" }),
    objective: z
      .number()
      .gt(0, { message: "expected a percentage between 0 and 100, e.g. 99.9" })
      .lt(100, { message: "expected a percentage below 100 (100 % leaves no error budget)" }),
    window: positiveDuration.optional(),
    availability: z.strictObject({ total: metricSelector, errors: metricSelector }).optional(),
    latency: z
      .strictObject({
        histogram: z
          .string()
          .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { message: "expected a histogram name (without _bucket)" }),
        selector: matchers,
        threshold: z.number().positive(),
      })
      .optional(),
  })
  .refine((s) => (s.availability === undefined) !== (s.latency === undefined), {
    message: "give exactly one SLI: availability or latency",
  });

export const packsSchema = z.strictObject({
  runbookBaseUrl: z.url({ protocol: /^https?$/, message: "expected an http(s) URL" }).optional(),
  ...Object.fromEntries(PACK_KEYS.map((k) => [k, packSchema(PACK_DEFINITIONS[k]).optional()])),
  custom: z
    .strictObject({
      ruleGroups: z
        .array(
          z.strictObject({
            name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { message: "expected a group name" }),
            interval: positiveDuration.optional(),
            rules: z.array(z.union([customAlertSchema, customRecordSchema])).min(1),
          }),
        )
        .optional(),
      scrapeJobs: z
        .array(
          z.strictObject({
            name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_-]*$/, { message: "expected a job name" }),
            metricsPath: z.string().startsWith("/").optional(),
            honorLabels: z.boolean().optional(),
            params: z.record(z.string(), z.array(z.string())).optional(),
            target: targetSchema,
          }),
        )
        .optional(),
    })
    .optional(),
  slos: z.array(sloSchema).optional(),
});

type RawPacks = z.infer<typeof packsSchema>;
type RawPack = z.infer<ReturnType<typeof packSchema>>;
type RawTarget = z.infer<typeof targetSchema>;

// ---------------------------------------------------------------------------------------------------------
// Resolve

function resolveTarget(raw: RawTarget, path: string, ctx: SectionContext): TargetSpec {
  if (raw.docker && ctx.platform !== "docker")
    ctx.problems.push({
      path: `${path}.docker`,
      message: `Docker targets need platform "docker" (this stack runs on ${ctx.platform})`,
    });
  if (raw.kubernetes && ctx.platform !== "kubernetes")
    ctx.problems.push({
      path: `${path}.kubernetes`,
      message: `Kubernetes discovery needs platform "kubernetes" (this stack runs on ${ctx.platform})`,
    });
  const interval = raw.scrapeInterval ? { scrapeInterval: raw.scrapeInterval } : {};
  if (raw.static) return { kind: "static", targets: raw.static, ...interval };
  if (raw.docker) return { kind: "docker", containers: raw.docker, ...interval };
  const k = raw.kubernetes!;
  return { kind: "kubernetes", namespace: k.namespace, selector: k.selector, port: k.port, ...interval };
}

function resolveOverride(
  alert: AlertDefinition,
  raw: z.infer<typeof overrideSchema>,
  path: string,
  ctx: SectionContext,
): AlertOverrideSpec {
  const t = alert.threshold;
  if (raw.threshold !== undefined) {
    if (!t)
      ctx.problems.push({
        path: `${path}.threshold`,
        message: `${alert.alert} has no threshold to override`,
        value: raw.threshold,
      });
    else if (raw.threshold < t.min || raw.threshold > t.max)
      ctx.problems.push({
        path: `${path}.threshold`,
        message: `expected ${t.meaning} a value from ${t.min} to ${t.max} (${t.unit}; default ${t.default})`,
        value: raw.threshold,
      });
  }
  return {
    enabled: raw.enabled ?? true,
    ...(raw.threshold !== undefined ? { threshold: raw.threshold } : {}),
    ...(raw.for !== undefined ? { for: raw.for } : {}),
    ...(raw.severity !== undefined ? { severity: raw.severity } : {}),
  };
}

function resolvePack(def: PackDefinition, raw: RawPack, ctx: SectionContext): PackSpec | undefined {
  if (raw.enabled === false) return undefined;
  const path = (...p: PropertyKey[]) => at(def.key, ...p);
  const profile = PACK_EXPORTER_DEFAULTS[ctx.environment];

  const targets: Record<string, TargetSpec> = {};
  for (const [key, t] of Object.entries(raw.targets ?? {}) as [string, RawTarget | undefined][])
    if (t) targets[key] = resolveTarget(t, path("targets", key), ctx);

  const exporters: PackSpec["exporters"] = {};
  const rawExporters = (raw.exporters ?? {}) as Record<string, unknown>;
  for (const [key, job] of Object.entries(def.jobs)) {
    if (job.exporter === "redis" && rawExporters[key]) {
      const r = rawExporters[key] as z.infer<typeof redisSchema>;
      checkSecretRef(
        r.passwordSecret,
        path("exporters", key, "passwordSecret"),
        ctx.secretKeys,
        ctx.problems,
      );
      exporters.redis = {
        address: r.address,
        tls: r.tls ?? false,
        ...(r.user ? { user: r.user } : {}),
        ...(r.passwordSecret ? { passwordSecret: r.passwordSecret } : {}),
        image: r.image ?? IMAGES.redisExporter,
        resources: resolveResources(
          r.resources,
          profile.resources,
          path("exporters", key, "resources"),
          ctx.problems,
        ),
      };
    }
    if (job.exporter === "postgres" && rawExporters[key]) {
      const p = rawExporters[key] as z.infer<typeof postgresSchema>;
      checkSecretRef(
        p.passwordSecret,
        path("exporters", key, "passwordSecret"),
        ctx.secretKeys,
        ctx.problems,
      );
      if (ctx.environment === "prod" && !p.passwordSecret)
        ctx.problems.push({
          path: path("exporters", key, "passwordSecret"),
          message:
            "is required in prod: the exporter's database role needs a password, kept as a secret config key",
        });
      // "require" encrypts without checking the server's certificate: verify-full needs the server's CA
      // (e.g. RDS's) in the exporter's trust store, which a stack opts into explicitly.
      const sslMode = p.sslMode ?? (ctx.environment === "prod" ? "require" : "disable");
      if (ctx.environment === "prod" && sslMode === "disable")
        ctx.problems.push({
          path: path("exporters", key, "sslMode"),
          message: 'must not be "disable" in prod: the exporter\'s password would cross the network in clear',
          value: sslMode,
        });
      exporters.postgres = {
        address: p.address,
        database: p.database ?? "postgres",
        user: p.user,
        ...(p.passwordSecret ? { passwordSecret: p.passwordSecret } : {}),
        sslMode,
        image: p.image ?? IMAGES.postgresExporter,
        resources: resolveResources(
          p.resources,
          profile.resources,
          path("exporters", key, "resources"),
          ctx.problems,
        ),
      };
    }
  }

  if (Object.keys(targets).length === 0 && Object.keys(exporters).length === 0)
    ctx.problems.push({
      path: path("targets"),
      message: `a switched-on pack needs at least one target, or its alerts can never fire (jobs: ${Object.keys(def.jobs).join(", ")})`,
    });

  const alerts: Record<string, AlertOverrideSpec> = {};
  const rawAlerts = (raw.alerts ?? {}) as Record<string, z.infer<typeof overrideSchema> | undefined>;
  for (const a of def.alerts) {
    const o = rawAlerts[a.alert];
    if (o) alerts[a.alert] = resolveOverride(a, o, path("alerts", a.alert), ctx);
  }

  const rawLabels = (raw.labels ?? {}) as Record<string, string | undefined>;
  const labels = Object.fromEntries(
    Object.entries(def.labels).map(([k, l]) => [k, rawLabels[k] ?? l.default]),
  );

  if (raw.logs && !def.logs)
    ctx.problems.push({
      path: path("logs"),
      message: `pack ${def.name} has no log pipeline (its seed shows no log format)`,
      value: true,
    });

  return {
    key: def.key,
    service: raw.service ?? def.name,
    ...(raw.team ? { team: raw.team } : {}),
    ...(raw.runbookBaseUrl ? { runbookBaseUrl: raw.runbookBaseUrl } : {}),
    labels,
    targets,
    alerts,
    exporters,
    logs: raw.logs ?? def.logs,
  };
}

function resolveSlo(raw: z.infer<typeof sloSchema>, i: number, ctx: SectionContext): SloSpec {
  const window = raw.window ?? "30d";
  // The slowest alert looks back three days; a shorter compliance window has no room for it.
  if ((prometheusDurationSeconds(window) ?? 0) < 3 * 86400)
    ctx.problems.push({
      path: at("slos", i, "window"),
      message: "expected at least 3d (the slow-burn alert looks back 3 days)",
      value: window,
    });
  const sli: SliSpec = raw.availability
    ? { kind: "availability", total: raw.availability.total, errors: raw.availability.errors }
    : {
        kind: "latency",
        histogram: raw.latency!.histogram,
        selector: raw.latency!.selector,
        threshold: raw.latency!.threshold,
      };
  return { name: raw.name, service: raw.service, objective: raw.objective, window, sli };
}

export const packsSection = section({
  key: "packs",
  schema: packsSchema,
  resolve(raw: RawPacks | undefined, ctx): PacksSpec {
    const r = (raw ?? {}) as RawPacks & Partial<Record<PackKey, RawPack>>;
    const packs = PACK_KEYS.flatMap((k) => {
      const p = r[k];
      const spec = p ? resolvePack(PACK_DEFINITIONS[k], p, ctx) : undefined;
      return spec ? [spec] : [];
    });

    const customScrapeJobs: CustomScrapeJobSpec[] = (r.custom?.scrapeJobs ?? []).map((j, i) => ({
      name: j.name,
      metricsPath: j.metricsPath ?? "/metrics",
      honorLabels: j.honorLabels ?? false,
      ...(j.params ? { params: j.params } : {}),
      target: resolveTarget(j.target, at("custom", "scrapeJobs", i, "target"), ctx),
    }));

    // Job names are what rules select on: two jobs of one name would mix their series.
    const taken = new Map<string, string>(Object.values(JOBS).map((j) => [j, "the core stack"]));
    for (const p of packs)
      for (const job of Object.values(PACK_DEFINITIONS[p.key].jobs))
        taken.set(job.job, `pack ${PACK_DEFINITIONS[p.key].name}`);
    customScrapeJobs.forEach((j, i) => {
      const owner = taken.get(j.name);
      if (owner)
        ctx.problems.push({
          path: at("custom", "scrapeJobs", i, "name"),
          message: `is already a job of ${owner}`,
          value: j.name,
        });
      taken.set(j.name, "another custom scrape job");
    });

    const customRuleGroups: CustomRuleGroupSpec[] = (r.custom?.ruleGroups ?? []).map((g) => ({
      name: g.name,
      ...(g.interval ? { interval: g.interval } : {}),
      rules: g.rules.map((rule) =>
        "alert" in rule
          ? {
              alert: rule.alert,
              expr: rule.expr,
              ...(rule.for ? { for: rule.for } : {}),
              severity: rule.severity,
              summary: rule.summary,
              description: rule.description,
              labels: rule.labels ?? {},
            }
          : { record: rule.record, expr: rule.expr, labels: rule.labels ?? {} },
      ),
    }));
    (r.custom?.ruleGroups ?? []).forEach((g, gi) =>
      g.rules.forEach((rule, ri) => {
        if (rule.labels && "severity" in rule.labels)
          ctx.problems.push({
            path: at("custom", "ruleGroups", gi, "rules", ri, "labels", "severity"),
            message: "set the rule's severity field, not a severity label",
          });
      }),
    );
    const groupNames = customRuleGroups.map((g) => g.name);
    groupNames.forEach((n, i) => {
      if (groupNames.indexOf(n) !== i)
        ctx.problems.push({
          path: at("custom", "ruleGroups", i, "name"),
          message: "is used by another group; Prometheus refuses duplicate group names in a file",
          value: n,
        });
    });

    const slos = (r.slos ?? []).map((s, i) => resolveSlo(s, i, ctx));
    const sloNames = slos.map((s) => s.name);
    sloNames.forEach((n, i) => {
      if (sloNames.indexOf(n) !== i)
        ctx.problems.push({ path: at("slos", i, "name"), message: "is used by another SLO", value: n });
    });

    return {
      ...(r.runbookBaseUrl ? { runbookBaseUrl: r.runbookBaseUrl } : {}),
      packs,
      customRuleGroups,
      customScrapeJobs,
      slos,
    };
  },
});

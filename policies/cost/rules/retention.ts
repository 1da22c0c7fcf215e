/** Retention rules: Prometheus TSDB retention time and size, Elasticsearch index retention. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { withExemptions } from "../../common/exemptions";
import { at, describe, flagValue, list, num, record, str, T } from "../read";
import type { ContainerFacts, Obj } from "../read";
import {
  DAY_SECONDS,
  elasticsearchDurationSeconds,
  formatDays,
  formatGi,
  prometheusDurationSeconds,
  prometheusSizeBytes,
} from "../../../lib/units";
import { cfgBool, cfgString, config, containersOfResource, DEFAULTS } from "./config";

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
          { container: p.container },
        );
        continue;
      }
      const unlimited = (seconds === undefined || seconds === 0) && p.size !== undefined;
      if (unlimited) {
        reportViolation(
          `${who} container "${p.container}": only a retention size is set, so Prometheus keeps data for unlimited time; ${fix}.`,
          { container: p.container },
        );
        continue;
      }
      const effective = seconds || PROMETHEUS_DEFAULT_RETENTION;
      if (effective > cap)
        reportViolation(
          `${who} container "${p.container}": retention time ${p.time ?? "15d (default)"} (${formatDays(effective)}) exceeds the cap of ${capText}; ${fix}.`,
          { container: p.container },
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
            { container: p.container },
          );
        continue;
      }
      const bytes = prometheusSizeBytes(p.size);
      if (bytes === undefined)
        reportViolation(
          `${who} container "${p.container}": retention size "${p.size}" is not a Prometheus size (e.g. 43520MB, 80GB); ${fix}.`,
          { container: p.container },
        );
      else if (bytes > cap)
        reportViolation(
          `${who} container "${p.container}": retention size ${p.size} (${formatGi(bytes)}) exceeds the cap of ${capText} (${formatGi(cap)}); ${fix}.`,
          { container: p.container },
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

export const retentionPolicies = [
  prometheusRetentionTimeCap,
  prometheusRetentionSizeCap,
  elasticsearchRetentionCap,
];

/** Retention rules: Prometheus TSDB retention time and size, Elasticsearch index retention. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { withExemptions } from "../../common/exemptions";
import { at, describe, flagValue, list, record, str, T } from "../read";
import type { ContainerFacts, Obj } from "../read";
import {
  DAY_SECONDS,
  elasticsearchDurationSeconds,
  formatDays,
  formatGi,
  prometheusDurationSeconds,
  prometheusSizeBytes,
} from "../../../lib/units";
import { ELASTICSEARCH_SETUP } from "../../../lib/elasticsearch";
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

function parseJson(text: string): Obj | undefined {
  const t = text.trim();
  if (!t.startsWith("{")) return undefined;
  try {
    return record(JSON.parse(t));
  } catch {
    return undefined;
  }
}

/** The ILM policy file's retention, or a finding that the setup job applies none. */
function setupPolicyRetention(text: string | undefined, where: string): EsRetention {
  const doc = text === undefined ? undefined : parseJson(text);
  const ilm = doc && ilmRetention(doc, where);
  return (
    ilm ?? {
      where,
      seconds: text === undefined ? "never" : undefined,
      raw: text === undefined ? `no ${ELASTICSEARCH_SETUP.ilmPolicyFile}` : "not an ILM policy",
    }
  );
}

function nameLabel(labels: unknown): string | undefined {
  const map = record(labels);
  if (map) return str(map["app.kubernetes.io/name"]);
  for (const l of list(labels)) {
    const entry = record(l);
    if (entry && str(entry.label) === "app.kubernetes.io/name") return str(entry.value);
  }
  return undefined;
}

/**
 * Index retention where the stack declares it, and only there: the elasticstack provider's lifecycle
 * resource, or the ILM policy file of the logging setup job (lib/elasticsearch.ts), which is the one
 * policy that job applies: its ConfigMap (Kubernetes) or its config loader's uploads (Docker).
 * Other ConfigMaps and uploads are not read, whatever JSON they hold.
 */
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
  const file = ELASTICSEARCH_SETUP.ilmPolicyFile;
  if (type === T.configMap) {
    if (nameLabel(at(props, "metadata", "labels")) !== ELASTICSEARCH_SETUP.workload) return [];
    const data = record(props.data) ?? {};
    return [
      setupPolicyRetention(
        typeof data[file] === "string" ? (data[file] as string) : undefined,
        `data["${file}"]`,
      ),
    ];
  }
  if (type === T.dockerContainer) {
    if (nameLabel(props.labels) !== `${ELASTICSEARCH_SETUP.workload}-config-loader`) return [];
    const upload = list(props.uploads)
      .map(record)
      .find((u) => (str(u?.file) ?? "").endsWith(`/${file}`));
    const content = str(upload?.content);
    return [setupPolicyRetention(content, `upload ${str(upload?.file) ?? file}`)];
  }
  return [];
}

const elasticsearchRetentionCap: ResourceValidationPolicy = withExemptions({
  name: "elasticsearch-retention-cap",
  description:
    "Elasticsearch index retention (ILM delete phase plus rollover max_age) exists and stays under a cap. Read from the logging setup job's ILM policy file (the one policy it applies) or the elasticstack provider's lifecycle resource, nowhere else.",
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

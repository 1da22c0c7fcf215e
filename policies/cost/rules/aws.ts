/**
 * AWS rules: Single-AZ RDS where asked, allowed RDS instance classes, CloudWatch alarm count, log group
 * retention and declared ingestion, AMP samples.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { AMP_SAMPLES_TAG, LOG_VOLUME_TAG } from "../../../lib/cost-tags";
import { ESTIMATE_DEFAULTS } from "../estimate";
import { describe, num, rdsFacts, record, str, T } from "../read";
import { cfgNumber, cfgStrings, config, DEFAULTS, stringList } from "./config";

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

// ---- log-group-retention-cap ----

const AWS_DEFAULTS = {
  maxLogRetentionDays: 400,
  maxLogIngestGbPerMonth: 100,
  maxAmpSamplesPerSecond: 50000,
} as const;

const logGroupRetentionCap: ResourceValidationPolicy = {
  name: "log-group-retention-cap",
  description:
    "CloudWatch log groups expire their events within a cap (storage is billed per GB-month for as long as events are kept).",
  configSchema: {
    properties: {
      maxRetentionDays: {
        type: "integer",
        minimum: 1,
        default: AWS_DEFAULTS.maxLogRetentionDays,
        description: "Longest retentionInDays a log group may have",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== T.logGroup) return;
    const max = cfgNumber(config(args).maxRetentionDays, AWS_DEFAULTS.maxLogRetentionDays);
    const days = num(args.props.retentionInDays);
    const who = describe(args.type, args.name, args.props);
    if (days === undefined || days <= 0)
      reportViolation(
        `${who}: keeps its events forever, so its storage grows every month; set retentionInDays to ${max} days or less.`,
      );
    else if (days > max)
      reportViolation(
        `${who}: retentionInDays ${days} exceeds the cap of ${max}; shorten it (or raise log-group-retention-cap.maxRetentionDays).`,
      );
  },
};

// ---- log-ingestion-cap ----

const logIngestionCap: StackValidationPolicy = {
  name: "log-ingestion-cap",
  description: `The stack's log groups ingest no more than a cap per month (declared with the ${LOG_VOLUME_TAG} tag; undeclared groups count at the estimate's assumption).`,
  configSchema: {
    properties: {
      maxIngestGbPerMonth: {
        type: "number",
        minimum: 0,
        default: AWS_DEFAULTS.maxLogIngestGbPerMonth,
        description: "Cap on GB ingested per month by all log groups",
      },
      assumedGbPerMonth: {
        type: "number",
        minimum: 0,
        default: ESTIMATE_DEFAULTS.logIngestionGbPerMonth,
        description: `GB per month counted for a log group without a ${LOG_VOLUME_TAG} tag`,
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const cfg = config(args);
    const max = cfgNumber(cfg.maxIngestGbPerMonth, AWS_DEFAULTS.maxLogIngestGbPerMonth);
    const assumed = cfgNumber(cfg.assumedGbPerMonth, ESTIMATE_DEFAULTS.logIngestionGbPerMonth);
    const groups = args.resources
      .filter((r) => r.type === T.logGroup)
      .map((r) => {
        const declared = num(record(r.props.tags)?.[LOG_VOLUME_TAG]);
        return {
          name: describe(r.type, r.name, r.props),
          gb: declared ?? assumed,
          declared: declared !== undefined,
        };
      });
    const total = groups.reduce((sum, g) => sum + g.gb, 0);
    if (total <= max) return;
    const largest = [...groups].sort((a, b) => b.gb - a.gb).slice(0, 3);
    const undeclared = groups.filter((g) => !g.declared).length;
    reportViolation(
      `The stack's ${groups.length} log groups ingest about ${Number(total.toFixed(2))} GB/month, over the cap of ${max} (largest: ${largest
        .map((g) => `${g.name} ${g.gb} GB${g.declared ? "" : " assumed"}`)
        .join(
          ", ",
        )}${undeclared > 0 ? `; ${undeclared} without a ${LOG_VOLUME_TAG} tag counted at ${assumed} GB` : ""}); log less (levels, sampling, excluded namespaces) or raise log-ingestion-cap.maxIngestGbPerMonth.`,
    );
  },
};

// ---- amp-ingestion-cap ----

const AMP_WORKSPACE = "aws:amp/workspace:Workspace";

const ampIngestionCap: ResourceValidationPolicy = {
  name: "amp-ingestion-cap",
  description: `Amazon Managed Service for Prometheus workspaces declare the samples per second they ingest (${AMP_SAMPLES_TAG} tag; billed per sample) and stay under a cap.`,
  configSchema: {
    properties: {
      maxSamplesPerSecond: {
        type: "number",
        minimum: 0,
        default: AWS_DEFAULTS.maxAmpSamplesPerSecond,
        description: "Cap on the samples per second a workspace ingests",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== AMP_WORKSPACE) return;
    const max = cfgNumber(config(args).maxSamplesPerSecond, AWS_DEFAULTS.maxAmpSamplesPerSecond);
    const sps = num(record(args.props.tags)?.[AMP_SAMPLES_TAG]);
    const who = describe(args.type, args.name, args.props);
    if (sps === undefined)
      reportViolation(
        `${who}: declares no ${AMP_SAMPLES_TAG} tag, so its cost (billed per ingested sample) is unknown; declare the load (prometheus.sizing) so the stack tags it.`,
      );
    else if (sps > max)
      reportViolation(
        `${who}: ingests ${sps} samples/s, over the cap of ${max}; drop series at the source (write_relabel_configs, fewer targets) or raise amp-ingestion-cap.maxSamplesPerSecond.`,
      );
  },
};

export const awsPolicies = [
  noMultiAzRds,
  rdsInstanceClassAllowlist,
  alarmCountCap,
  logGroupRetentionCap,
  logIngestionCap,
  ampIngestionCap,
];

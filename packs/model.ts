/**
 * What a service pack is, as plain data: its scrape jobs, the label names its metrics use, and its
 * alerts with their default threshold, `for`, severity and runbook notes. Pure and free of
 * components/ imports: the config section (stacks/sections/packs.ts) reads these definitions to check
 * job keys, label keys, alert names and thresholds at the door, before anything is built.
 */

/** Severities a pack alert may carry (packs never emit "none"; that is for Watchdog-style alerts). */
export type PackSeverity = "critical" | "warning" | "info";
export const PACK_SEVERITIES: readonly PackSeverity[] = ["critical", "warning", "info"];

/** What a threshold number means; shown in config errors and runbook pages. */
export type ThresholdUnit = "ratio" | "seconds" | "bytes" | "per-second" | "percent" | "count" | "cores";

export interface ThresholdDefinition {
  default: number;
  unit: ThresholdUnit;
  /** Smallest and largest value that makes sense (ratios are 0-1); checked on overrides. */
  min: number;
  max: number;
  /** One line: what the number is compared with, e.g. "p95 request latency above". */
  meaning: string;
}

/** Notes a runbook page is generated from (docs/runbooks); each a sentence or a list of steps. */
export interface RunbookNotes {
  /** What the alert means, in operator terms. */
  meaning: string;
  /** What users see while it fires. */
  impact: string;
  /** Where to look first: queries, dashboards, logs. */
  diagnosis: string[];
  /** What usually fixes it. */
  mitigation: string[];
}

/** What an alert expression is built from: the threshold in effect and the configured names. */
export interface ExprContext {
  threshold: number;
  /** `job="<name>"` matcher of a pack job, by job key. */
  job(key: string): string;
  /** `job=~"a|b"` matcher of several pack jobs. */
  jobs(...keys: string[]): string;
  /** The configured name of a label, by label key (e.g. the status label: "status" or "status_code"). */
  label(key: string): string;
}

export interface AlertDefinition {
  /** Alert name; unique across packs (packs prefix generic seed names with the service). */
  alert: string;
  /** Rule group the alert goes into. */
  group: string;
  severity: PackSeverity;
  for: string;
  threshold?: ThresholdDefinition;
  expr(ctx: ExprContext): string;
  /** One line, no templating. */
  summary: string;
  /** May use {{ $labels.x }} and {{ $value }}; `ctx` gives the configured label names. */
  description(ctx: ExprContext): string;
  runbook: RunbookNotes;
  /** The seed rule(s) this alert consolidates, e.g. "002:291 HighErrorRate" (README and runbooks). */
  source: string;
}

/** A metrics endpoint of the service the pack scrapes. */
export interface JobDefinition {
  /** `job` label; rules and dashboards select on it. */
  job: string;
  description: string;
  metricsPath: string;
  /** Port the service usually serves metrics on (documentation and examples). */
  defaultPort: number;
  /** Seed's scrape interval for this job; the stack's interval applies when undefined. */
  scrapeInterval?: string;
  params?: Record<string, string[]>;
  honorLabels?: boolean;
  /**
   * The endpoint is an exporter the pack deploys (targets are then the database addresses the
   * exporter connects to, not scrape targets).
   */
  exporter?: ExporterKind;
}

export type ExporterKind = "redis" | "postgres";

/** A label-name parameter: the name a service's metrics use for something rules group or filter by. */
export interface LabelDefinition {
  default: string;
  description: string;
}

/** Config keys of the packs under `monitoring:packs`. */
export type PackKey = "bgeIcl" | "vectorDb" | "aiAssistant" | "ragPipeline" | "llmProxy";

export interface PackDefinition {
  key: PackKey;
  /** Rule file stem, runbook path segment, dashboard uid prefix and default `service` label. */
  name: string;
  title: string;
  /** The seed guide the pack comes from. */
  seed: string;
  jobs: Record<string, JobDefinition>;
  labels: Record<string, LabelDefinition>;
  alerts: AlertDefinition[];
  /** The pack ships a Logstash pipeline for the service's log format. */
  logs: boolean;
}

/** `job="x"` and `job=~"x|y"` matchers. */
export function jobMatcher(names: string[]): string {
  return names.length === 1 ? `job="${names[0]}"` : `job=~"${names.join("|")}"`;
}

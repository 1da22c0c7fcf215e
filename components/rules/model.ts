/**
 * Typed model of Prometheus rule packs. Pure data: nothing here imports Pulumi, so packs can be
 * rendered and tested (with the real promtool) without the Pulumi engine.
 */

/** Alert severities. "none" is for alerts that exist to be routed specially (Watchdog, InfoInhibitor). */
export type Severity = "critical" | "warning" | "info" | "none";

export interface AlertRule {
  /** Alert name; upstream names are kept so operators recognise them. */
  alert: string;
  /** PromQL expression; every returned series is an alert instance. */
  expr: string;
  /** How long the condition must hold before the alert fires (Prometheus duration, e.g. "15m"). */
  for?: string;
  /** How long the alert keeps firing after the condition cleared. */
  keepFiringFor?: string;
  severity: Severity;
  /** One line, no templating of $value, so notifications group and read well. */
  summary: string;
  /** Longer text; may use {{ $labels.x }} and {{ $value }} templating. */
  description: string;
  /** Runbook slug under `${runbookBaseUrl}/${pack}/`; defaults to the alert name lowercased. */
  runbook?: string;
  /** Labels added besides `severity` (must not override it). */
  extraLabels?: Record<string, string>;
}

export interface RecordingRule {
  /** Recorded metric name, `level:metric:operations` by convention. */
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export type Rule = AlertRule | RecordingRule;

export interface RuleGroup {
  name: string;
  /** Evaluation interval of this group; undefined uses the global evaluation_interval. */
  interval?: string;
  rules: Rule[];
}

export interface RulePack {
  /** Pack name: file name stem (`<name>.rules.yaml`) and first path segment of its runbook URLs. */
  name: string;
  /** Runbook base URL of this pack's alerts, instead of the stack's (service packs name their team's). */
  runbookBaseUrl?: string;
  groups: RuleGroup[];
}

/** A PromQL query a runbook gives, and what its result shows. */
export interface RunbookQuery {
  /** What the result shows, one line. */
  title: string;
  /** PromQL; may hold placeholders inside label values, e.g. instance="<instance>". */
  expr: string;
}

/** A panel of one of the stack's own Grafana dashboards where the alert's signal shows. */
export interface RunbookPanel {
  /** Dashboard uid (components/grafana/dashboards), e.g. "node-overview". */
  dashboard: string;
  /** Panel title on that dashboard. */
  panel: string;
}

/**
 * The runbook of one alert, shared by its severity variants: rendered to
 * docs/runbooks/<pack>/<slug>/README.md by `npm run docs:runbooks`, which the alert's runbook_url points
 * at under the default base URL. Markdown text.
 */
export interface RunbookGuide {
  /** What the alert means: the condition in plain words and why it is worth an alert. */
  meaning: string;
  /** What breaks, or is at risk, while it fires. */
  impact: string;
  /** How to find the cause, in order. */
  diagnose: string[];
  /** Queries to run in Prometheus or Grafana Explore while diagnosing. */
  queries: RunbookQuery[];
  /** Where the signal shows on the stack's dashboards. */
  panels: RunbookPanel[];
  /** How to fix it, in order. */
  fix: string[];
}

/** The runbooks of one pack, by runbook slug (see runbookSlug). */
export type RunbookGuides = Readonly<Record<string, RunbookGuide>>;

/** The last path segment of an alert's runbook URL: `runbook`, or the alert name in lowercase. */
export function runbookSlug(alert: AlertRule): string {
  return alert.runbook ?? alert.alert.toLowerCase();
}

export function isAlertRule(rule: Rule): rule is AlertRule {
  return "alert" in rule;
}

export function isRecordingRule(rule: Rule): rule is RecordingRule {
  return "record" in rule;
}

/** Every alerting rule of a pack, in file order (an alert name appears once per severity variant). */
export function alertRules(pack: RulePack): AlertRule[] {
  return pack.groups.flatMap((g) => g.rules.filter(isAlertRule));
}

export function recordingRules(pack: RulePack): RecordingRule[] {
  return pack.groups.flatMap((g) => g.rules.filter(isRecordingRule));
}

/** Label matchers joined into a selector body: sel("node-exporter", 'fstype!=""') -> job="node-exporter", fstype!="" */
export function sel(job: string, ...matchers: string[]): string {
  return [`job="${job}"`, ...matchers].join(", ");
}

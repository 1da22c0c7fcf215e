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

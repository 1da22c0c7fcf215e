/**
 * SLOs from config: recording rules for the error ratio over the alert windows, the multi-window,
 * multi-burn-rate alerts of the Google SRE Workbook ("Alerting on SLOs", table 5-8: page on 2 % of
 * the budget spent in 1 h or 5 % in 6 h, ticket on 10 % in 1 d or in 3 d, each confirmed by a short
 * window of 1/12 of the long one), and the error-budget panels for the service's dashboard.
 *
 * Burn-rate factors follow from the window: factor = budget share x window / long window, so a 30 d
 * window gives the workbook's 14.4, 6, 3 and 1. A pair whose factor is above 1 fires at the factor
 * (>=: 2 % of the budget in an hour pages); the 1x pair fires only above it, because a sustained
 * burn at exactly the budget's pace spends the budget exactly over the window, which is the objective.
 *
 * The error ratio over the whole window averages the 5 m ratio over the window
 * (avg_over_time, as Sloth does) rather than a rate over 30 d, which would read every raw sample of
 * the window at every evaluation. Pure: no Pulumi.
 */
import { durationSeconds, formatDuration } from "../../lib/units";
import { row, stat, thresholds, timeseries, type RowSpec } from "../../components/grafana/dashboards/builder";
import type { AlertRule, RecordingRule, RuleGroup, RulePack } from "../../components/rules/model";
import type { SloSpec } from "../../stacks/spec";
import type { RunbookNotes } from "../model";

/** Windows the error ratio is recorded over (the alerts' long and short windows). */
export const SLO_WINDOWS = ["5m", "30m", "1h", "2h", "6h", "1d", "3d"] as const;

export interface BurnRateAlert {
  severity: "critical" | "warning";
  long: (typeof SLO_WINDOWS)[number];
  short: (typeof SLO_WINDOWS)[number];
  /** Share of the window's error budget spent within the long window. */
  budgetShare: number;
}

export const BURN_RATE_ALERTS: BurnRateAlert[] = [
  { severity: "critical", long: "1h", short: "5m", budgetShare: 0.02 },
  { severity: "critical", long: "6h", short: "30m", budgetShare: 0.05 },
  { severity: "warning", long: "1d", short: "2h", budgetShare: 0.1 },
  { severity: "warning", long: "3d", short: "6h", budgetShare: 0.1 },
];

export const SLO_ALERT = "ErrorBudgetBurn";

const seconds = durationSeconds;

/** "2d2h", "10d", "5h": how long a budget lasts, in the units people plan with (no weeks). */
function inDaysAndHours(s: number): string {
  const hours = Math.round(s / 3600);
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  return hours === 0 ? formatDuration(s) : `${d ? `${d}d` : ""}${h ? `${h}h` : ""}`;
}

/** The burn-rate factor of an alert pair for a compliance window (14.4 for the 1 h pair of 30 d). */
export function burnFactor(a: BurnRateAlert, window: string): number {
  return Math.round(((a.budgetShare * seconds(window)) / seconds(a.long)) * 1000) / 1000;
}

/** The error budget as a ratio: 0.001 for 99.9 %. */
export function errorBudget(slo: SloSpec): number {
  return Number((1 - slo.objective / 100).toPrecision(12));
}

/** `le` matcher of a bucket boundary: Prometheus 3 writes integral boundaries as "1.0", older ones as "1". */
export function leMatcher(threshold: number): string {
  return Number.isInteger(threshold) ? `le=~"${threshold}|${threshold}.0"` : `le="${threshold}"`;
}

function braces(selector: string): string {
  return selector.trim() === "" ? "" : `, ${selector}`;
}

/** The error ratio of an SLO's SLI over `w`: 0 while the service serves without errors. */
export function errorRatioExpr(slo: SloSpec, w: string): string {
  const sli = slo.sli;
  if (sli.kind === "availability")
    return `(sum(rate(${sli.errors}[${w}])) or vector(0)) / sum(rate(${sli.total}[${w}]))`;
  const sel = sli.selector.trim();
  const good = `sum(rate(${sli.histogram}_bucket{${leMatcher(sli.threshold)}${braces(sel)}}[${w}]))`;
  return `1 - ${good} / sum(rate(${sli.histogram}_count{${sel}}[${w}]))`;
}

const sloLabels = (slo: SloSpec) => ({ slo: slo.name, service: slo.service });
const recorded = (w: string) => `slo:sli_error:ratio_rate${w}`;
export const PERIOD_ERROR = "slo:period_error:ratio";
export const BUDGET_REMAINING = "slo:error_budget_remaining:ratio";
export const OBJECTIVE = "slo:objective:ratio";

/** What an SLO burn-rate alert page says (docs/runbooks). */
export const SLO_RUNBOOK: RunbookNotes = {
  meaning: "The service spends its error budget faster than its objective allows over both windows.",
  impact: "Users see errors or slow responses; at this pace the budget runs out before the window ends.",
  diagnosis: [
    "The SLO row of the service's dashboard: burn rate over 1h/6h and the budget left.",
    "The service's error and latency panels: which endpoint, provider or instance?",
  ],
  mitigation: [
    "Roll back or fail over first; investigate once the burn stops.",
    "Freeze risky changes while the budget is low.",
  ],
};

function describe(slo: SloSpec): string {
  return slo.sli.kind === "availability"
    ? `availability ${slo.objective}% over ${slo.window}`
    : `${slo.objective}% of requests under ${slo.sli.threshold}s over ${slo.window}`;
}

export function sloAlertRules(slo: SloSpec): AlertRule[] {
  const budget = errorBudget(slo);
  return BURN_RATE_ALERTS.map((a) => {
    const factor = burnFactor(a, slo.window);
    const op = factor > 1 ? ">=" : ">";
    const sel = `{slo="${slo.name}"}`;
    const exhausts = inDaysAndHours(seconds(slo.window) / factor);
    // A literal, rounded in JS: PromQL's 14.4 * 0.001 is 0.014400000000000001, above a 0.0144 ratio.
    const threshold = Number((factor * budget).toPrecision(12));
    return {
      alert: SLO_ALERT,
      expr: `${recorded(a.long)}${sel} ${op} ${threshold} and ${recorded(a.short)}${sel} ${op} ${threshold}`,
      severity: a.severity,
      summary: `An SLO burns its error budget ${a.severity === "critical" ? "fast" : "steadily"}.`,
      description:
        `SLO {{ $labels.slo }} (${describe(slo)}) burns its error budget at ${factor}x the sustainable rate ` +
        `over ${a.long} and ${a.short}: at this pace the ${slo.window} budget lasts ${exhausts}.`,
      runbook: "errorbudgetburn",
      // The slo label is on the series already; stating it keeps two SLOs' alerts distinct rules.
      extraLabels: { slo: slo.name, long: a.long, short: a.short },
    };
  });
}

/** Recording rules and alerts of every SLO, as one rule file (`slo.rules.yaml`). */
export function sloRulePack(slos: SloSpec[], runbookBaseUrl?: string): RulePack {
  const groups: RuleGroup[] = slos.flatMap((slo) => {
    const labels = sloLabels(slo);
    const ratios: RecordingRule[] = SLO_WINDOWS.map((w) => ({
      record: recorded(w),
      expr: errorRatioExpr(slo, w),
      labels,
    }));
    return [
      { name: `slo-${slo.name}`, rules: [...ratios, ...sloAlertRules(slo)] },
      {
        name: `slo-${slo.name}-budget`,
        // A month-long average read every 5 minutes is plenty for a budget panel.
        interval: "5m",
        rules: [
          { record: OBJECTIVE, expr: `vector(${slo.objective / 100})`, labels },
          {
            record: PERIOD_ERROR,
            expr: `avg_over_time(${recorded("5m")}{slo="${slo.name}"}[${slo.window}])`,
            labels,
          },
          {
            record: BUDGET_REMAINING,
            expr: `1 - ${PERIOD_ERROR}{slo="${slo.name}"} / ${errorBudget(slo)}`,
            labels,
          },
        ],
      },
    ];
  });
  return { name: "slo", ...(runbookBaseUrl ? { runbookBaseUrl } : {}), groups };
}

/** The error-budget row of one SLO, for the service's dashboard. */
export function errorBudgetRow(slo: SloSpec): RowSpec {
  const sel = `cluster=~"$cluster", slo="${slo.name}"`;
  const budget = errorBudget(slo);
  return row(`SLO: ${slo.name} (${describe(slo)})`, [
    stat({
      title: "Error budget remaining",
      description: `Share of the ${slo.window} error budget (${(budget * 100).toPrecision(3)}% of events) not yet spent.`,
      unit: "percentunit",
      decimals: 1,
      width: 6,
      sparkline: true,
      thresholds: thresholds("red", [0, "orange"], [0.25, "green"]),
      queries: [{ expr: `${BUDGET_REMAINING}{${sel}}`, legend: "remaining" }],
    }),
    stat({
      title: `SLI over ${slo.window}`,
      description: "Good events over all events since the start of the window.",
      unit: "percentunit",
      decimals: 3,
      width: 6,
      thresholds: thresholds("red", [slo.objective / 100, "green"]),
      queries: [{ expr: `1 - ${PERIOD_ERROR}{${sel}}`, legend: "SLI" }],
    }),
    timeseries({
      title: "Burn rate",
      description:
        "Error ratio over the error budget: 1 spends the budget exactly over the window; the page fires at 14.4 (1h) and 6 (6h) for 30 d.",
      unit: "short",
      width: 12,
      showThresholds: "dashed",
      thresholds: thresholds("green", [1, "orange"], [burnFactor(BURN_RATE_ALERTS[0], slo.window), "red"]),
      queries: [
        { expr: `${recorded("1h")}{${sel}} / ${budget}`, legend: "1h" },
        { expr: `${recorded("6h")}{${sel}} / ${budget}`, legend: "6h" },
        { expr: `${recorded("3d")}{${sel}} / ${budget}`, legend: "3d" },
      ],
    }),
  ]);
}

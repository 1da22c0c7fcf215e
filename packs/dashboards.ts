/**
 * What every pack dashboard shares: the variables (datasource, cluster, job preselecting the pack's
 * main job, instance), a targets row over all of the pack's jobs, the stack's links and tags, and the
 * error-budget rows of the SLOs that name the pack's service. Pack dashboards live in the Services
 * folder. Pure: no Pulumi.
 */
import {
  dashboard,
  DASHBOARD_FOLDERS,
  row,
  stat,
  thresholds,
  timeseries,
  type DashboardFile,
  type PanelSpec,
  type RowSpec,
  type Unit,
} from "../components/grafana/dashboards";
import {
  BY_CLUSTER,
  BY_INSTANCE,
  exporterVariables,
  RATE,
  stackLinks,
  STACK_TAG,
} from "../components/grafana/dashboards/common";
import type { PackSpec, SloSpec } from "../stacks/spec";
import { PACK_DEFINITIONS } from "./catalog";
import { jobMatcher } from "./model";
import { errorBudgetRow } from "./slo";

export { BY_INSTANCE, RATE };

/** `sum by (<by>) (rate(<metric>{<sel>}[$__rate_interval]))`. */
export const rateBy = (by: string, metric: string, sel = BY_INSTANCE) =>
  `sum by (${by}) (rate(${metric}{${sel}}[${RATE}]))`;

/** Quantile of a histogram, by `by` (may be empty). */
export const quantileBy = (q: number, by: string, metric: string, sel = BY_INSTANCE) =>
  `histogram_quantile(${q}, sum by (${by ? `${by}, ` : ""}le) (rate(${metric}_bucket{${sel}}[${RATE}])))`;

/** p50/p95/p99 of a histogram as three queries. */
export function percentiles(metric: string, by = "", legendPrefix = "", sel = BY_INSTANCE) {
  return [0.5, 0.95, 0.99].map((q) => ({
    expr: quantileBy(q, by, metric, sel),
    legend: `${legendPrefix}p${Math.round(q * 100)}`,
  }));
}

export function latencyPanel(
  title: string,
  metric: string,
  by = "",
  legendPrefix = "",
  warn?: number,
): PanelSpec {
  return timeseries({
    title,
    unit: "s",
    queries: percentiles(metric, by, legendPrefix),
    ...(warn !== undefined
      ? { thresholds: thresholds("green", [warn, "red"]), showThresholds: "dashed" as const }
      : {}),
  });
}

export function gaugePanel(
  title: string,
  expr: string,
  unit: Unit,
  legend: string,
  opts: { width?: number } = {},
): PanelSpec {
  return timeseries({ title, unit, width: opts.width, queries: [{ expr, legend }] });
}

/** Errors over all events, 0 (not "no data") when there were none. */
export const ratioOf = (by: string, metric: string, errSel: string, sel = BY_INSTANCE) =>
  `(${rateBy(by, metric, `${sel}, ${errSel}`)} or ${rateBy(by, metric, sel)} * 0) / ${rateBy(by, metric, sel)}`;

export interface PackDashboardSpec {
  spec: PackSpec;
  uid: string;
  title: string;
  description: string;
  /** A metric only the main job exposes (lists the job and instance variables). */
  keyMetric: string;
  /** Job key preselected in $job. */
  mainJob: string;
  tags: string[];
  rows: RowSpec[];
  slos: SloSpec[];
}

/** The targets row: `up` of every job of the pack (whatever $job says). */
function targetsRow(spec: PackSpec): RowSpec {
  const def = PACK_DEFINITIONS[spec.key];
  const jobs = jobMatcher(Object.values(def.jobs).map((j) => j.job));
  const sel = `${BY_CLUSTER}, ${jobs}`;
  return row("Targets", [
    stat({
      title: "Targets up",
      unit: "short",
      width: 6,
      thresholds: thresholds("red", [1, "green"]),
      queries: [{ expr: `sum(up{${sel}})`, legend: "up" }],
    }),
    stat({
      title: "Targets down",
      unit: "short",
      width: 6,
      thresholds: thresholds("green", [1, "red"]),
      queries: [{ expr: `count(up{${sel}} == 0) or vector(0)`, legend: "down" }],
    }),
    timeseries({
      title: "Up by job",
      unit: "short",
      width: 12,
      height: 4,
      min: 0,
      queries: [{ expr: `sum by (job) (up{${sel}})`, legend: "{{job}}" }],
    }),
  ]);
}

export function packDashboard(d: PackDashboardSpec): DashboardFile {
  const def = PACK_DEFINITIONS[d.spec.key];
  const sloRows = d.slos.filter((s) => s.service === d.spec.service).map(errorBudgetRow);
  return {
    folder: DASHBOARD_FOLDERS.services,
    fileName: `${d.uid}.json`,
    json: dashboard({
      uid: d.uid,
      title: d.title,
      description: d.description,
      tags: [STACK_TAG, "services", def.name, ...d.tags],
      links: stackLinks(),
      variables: exporterVariables(d.keyMetric, def.jobs[d.mainJob].job),
      rows: [targetsRow(d.spec), ...d.rows, ...sloRows],
    }),
  };
}

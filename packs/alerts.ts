/**
 * Expression builders the pack alerts share. Every ratio aggregates both sides before dividing (a
 * seed bug divided each series by itself, so any error made the ratio 1), and quantiles aggregate
 * the buckets by `le` first.
 */

/** `histogram_quantile(q, sum by (<by>, le) (rate(<metric>_bucket{<sel>}[5m])))`. */
export function quantile(q: number, metric: string, sel: string, by: string[]): string {
  return `histogram_quantile(${q}, sum by (${[...by, "le"].join(", ")}) (rate(${metric}_bucket{${sel}}[5m])))`;
}

/** Errors over all events of one counter, both sides summed by `by`. */
export function errorRatio(metric: string, sel: string, errorMatcher: string, by: string[]): string {
  const b = by.join(", ");
  return `sum by (${b}) (rate(${metric}{${sel}, ${errorMatcher}}[5m])) / sum by (${b}) (rate(${metric}{${sel}}[5m]))`;
}

/** Misses over hits + misses of two counters, summed by `by` (0/0 gives no result: no traffic, no alert). */
export function missRatio(hits: string, misses: string, sel: string, by: string[]): string {
  const b = by.join(", ");
  const m = `sum by (${b}) (rate(${misses}{${sel}}[5m]))`;
  return `${m} / (sum by (${b}) (rate(${hits}{${sel}}[5m])) + ${m})`;
}

/** Common runbook steps for a scrape target that is down. */
export const DOWN_DIAGNOSIS = [
  "Open Prometheus' /targets page and read the scrape error of the job.",
  "Check that the process or pod runs and listens on the metrics port (logs, restarts, readiness).",
  "Check that Prometheus may reach it: network policy, security group, Docker network membership.",
];

/**
 * Unit-test inputs for `promtool test rules`, as typed data. The harness renders them into promtool's
 * test-file format next to the rendered rule files.
 */

/** One expected alert instance. `labels` are exact (alertname is added by promtool); so are the texts. */
export interface ExpectedAlert {
  labels: Record<string, string>;
  summary: string;
  /** The description after templating, exactly as Prometheus expands it. */
  description: string;
}

/** At `at`, the alerts named `alert` that are firing are exactly `expect` ([] = stays silent). */
export interface AlertCheck {
  at: string;
  alert: string;
  expect: ExpectedAlert[];
}

/** At `at`, `expr` returns exactly these samples (labels in PromQL selector syntax). */
export interface ExprCheck {
  at: string;
  expr: string;
  samples: { labels: string; value: number }[];
}

export interface RuleTestCase {
  name: string;
  /** Sample interval of the input series; default 1m. */
  interval?: string;
  /** series (PromQL selector syntax) -> values (promtool expanding notation, e.g. "0+1x30"). */
  series: Record<string, string>;
  alerts?: AlertCheck[];
  exprs?: ExprCheck[];
}

/** Shorthand for one expected alert. */
export function fires(labels: Record<string, string>, summary: string, description: string): ExpectedAlert {
  return { labels, summary, description };
}

/**
 * Every PromQL query of every dashboard (panels and template variables), with the variables filled in as
 * Grafana would, must parse: each becomes a recording rule and `promtool check rules` judges the file.
 */
import { describe, expect, it } from "vitest";
import { builtInDashboards, redDashboard } from "../../components/grafana/dashboards";
import {
  panelQueries,
  promtoolCheck,
  sampleValues,
  substitute,
  variableSelectors,
  type DashboardJson,
  type LabelledQuery,
} from "./dashboard-helpers";

const files = [
  ...builtInDashboards(),
  {
    folder: "Services",
    fileName: "grpc-red.json",
    json: redDashboard({
      uid: "grpc-red",
      title: "gRPC",
      requestsTotalMetric: "grpc_server_handled_total",
      durationHistogramMetric: "grpc_server_handling_seconds",
      statusLabel: "grpc_code",
      serviceLabel: "grpc_service",
      errorRegex: "Unknown|Internal|Unavailable|DataLoss",
    }),
  },
];

function queriesOf(d: DashboardJson, values: Record<string, string>): LabelledQuery[] {
  return [
    ...panelQueries(d).map((q) => ({
      label: `${d.uid} panel "${q.panel}" #${q.panelId} ${q.refId}`,
      expr: substitute(q.expr, values),
    })),
    ...variableSelectors(d).map((v) => ({
      label: `${d.uid} variable $${v.variable}`,
      expr: substitute(v.expr, values),
    })),
  ];
}

describe("dashboard PromQL parses (promtool check rules)", () => {
  it.each(files.map((f) => [f.fileName, f.json as DashboardJson] as const))("%s", (_name, d) => {
    // Multi-value selections (regex alternations with escaped dots) ...
    const multi = queriesOf(d, sampleValues(d));
    // ... and "All" (".*", the allValue), as Grafana substitutes them.
    const allValues = Object.fromEntries(
      Object.entries(sampleValues(d)).map(([k, v]) => [k, v.startsWith("(") ? ".*" : v]),
    );
    const all = queriesOf(d, allValues);
    expect(multi.length).toBeGreaterThan(10);
    const r = promtoolCheck([...multi, ...all]);
    expect(r.failed, r.output).toEqual([]);
    expect(r.status, r.output).toBe(0);
  });

  it("a deliberately broken query is rejected and named", () => {
    const r = promtoolCheck([
      { label: "fine", expr: 'sum by (job) (rate(up{job=~"(a|b)"}[1m]))' },
      { label: "unclosed paren", expr: 'sum(rate(up{job=~".*"}[1m])' },
      { label: "bad regex", expr: 'up{instance=~"("}' },
      { label: "unsubstituted variable", expr: "rate(up[$__rate_interval])" },
    ]);
    expect(r.status).not.toBe(0);
    expect(r.failed).toEqual([
      'unclosed paren: sum(rate(up{job=~".*"}[1m])',
      'bad regex: up{instance=~"("}',
      "unsubstituted variable: rate(up[$__rate_interval])",
    ]);
  });

  it("a valid query alone passes (the check is not failing everything)", () => {
    const r = promtoolCheck([
      { label: "fine", expr: "histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))" },
    ]);
    expect(r.failed).toEqual([]);
    expect(r.status, r.output).toBe(0);
  });
});

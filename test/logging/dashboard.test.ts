/** The Logging / Elasticsearch dashboard: valid PromQL once its variables are filled, no overlaps. */
import { describe, expect, it } from "vitest";
import { elasticsearchDashboard } from "../../components/logging/exporter/dashboard";
import {
  allPanels,
  overlaps,
  panelQueries,
  promtoolCheck,
  sampleValues,
  substitute,
  type DashboardJson,
} from "../grafana/dashboard-helpers";

const json = JSON.parse(JSON.stringify(elasticsearchDashboard())) as DashboardJson;

describe("Logging / Elasticsearch dashboard", () => {
  it("every query parses under promtool with the variables substituted", () => {
    const values = sampleValues(json);
    const queries = panelQueries(json).map((q) => ({ label: q.panel, expr: substitute(q.expr, values) }));
    expect(queries.length).toBeGreaterThan(6);
    const r = promtoolCheck(queries);
    expect(r.failed, r.output).toEqual([]);
    expect(r.status, r.output).toBe(0);
  });

  it("panels do not overlap and every query selects the exporter's job or a logging record", () => {
    expect(overlaps(allPanels(json))).toEqual([]);
    for (const q of panelQueries(json)) expect(q.expr).toMatch(/job="elasticsearch-exporter"|logging:/);
  });
});

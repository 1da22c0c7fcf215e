/**
 * Every pack dashboard (with every pack on, SLO rows included) passes the checks the built-in
 * dashboards pass (test/grafana/dashboards.test.ts, restated here on the shared helpers): layout, ids,
 * units, datasources, refresh, tags, every query filtering on the cluster, only defined variables,
 * and every PromQL query accepted by promtool, with the configured label names substituted.
 */
import { describe, expect, it } from "vitest";
import type { DashboardFile } from "../../components/grafana/dashboards";
import { packDashboards, stackPackContribution } from "../../packs";
import type { SloSpec } from "../../stacks/spec";
import {
  allPanels,
  dashboardProblems,
  panelQueries,
  promtoolCheck,
  sampleValues,
  substitute,
  type DashboardJson,
} from "../grafana/dashboard-helpers";
import { ALL_PACK_KEYS, defaultPackSpec } from "./helpers";

const slos: SloSpec[] = [
  {
    name: "assistant-availability",
    service: "ai-assistant",
    objective: 99.9,
    window: "30d",
    sli: {
      kind: "availability",
      total: 'http_requests_total{job="ai-assistant"}',
      errors: 'http_requests_total{job="ai-assistant", status_code=~"5.."}',
    },
  },
  {
    name: "orphan-latency",
    service: "billing",
    objective: 95,
    window: "30d",
    sli: {
      kind: "latency",
      histogram: "http_request_duration_seconds",
      selector: 'job="billing"',
      threshold: 0.5,
    },
  },
];

function files(labels = false): DashboardFile[] {
  const specs = ALL_PACK_KEYS.map((k) =>
    defaultPackSpec(
      k,
      labels
        ? { labels: Object.fromEntries(Object.keys(defaultPackSpec(k).labels).map((l) => [l, `my_${l}`])) }
        : {},
    ),
  );
  return [
    ...specs.flatMap((s) => packDashboards(s, slos)),
    ...stackPackContribution({ packs: specs, customRuleGroups: [], customScrapeJobs: [], slos }).dashboards,
  ];
}

const all = files();

describe("pack dashboards", () => {
  it("one or two per pack, and the orphan SLO dashboard, in the Services folder with unique uids", () => {
    expect(all.map((f) => `${f.folder}/${f.fileName}`)).toEqual([
      "Services/bge-icl-overview.json",
      "Services/bge-icl-performance.json",
      "Services/vector-db-overview.json",
      "Services/vector-db-pool.json",
      "Services/ai-assistant.json",
      "Services/rag-pipeline.json",
      "Services/llm-proxy.json",
      "Services/slos.json",
    ]);
    const uids = all.map((f) => (f.json as DashboardJson).uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it.each(all.map((f) => [f.fileName, f] as const))("%s is well formed", (_n, f) => {
    expect(dashboardProblems(f.json as DashboardJson)).toEqual([]);
    expect(JSON.parse(JSON.stringify(f.json))).toStrictEqual(f.json);
  });

  it.each(all.map((f) => [f.fileName, f] as const))(
    "%s: every query filters on the cluster and uses defined variables",
    (_n, f) => {
      const d = f.json as DashboardJson;
      for (const q of panelQueries(d)) {
        expect(q.expr, q.panel).toContain('cluster=~"$cluster"');
        expect(() => substitute(q.expr, sampleValues(d))).not.toThrow();
      }
    },
  );

  it.each(all.filter((f) => f.fileName !== "slos.json").map((f) => [f.fileName, f] as const))(
    "%s has at least 10 panels and the pack's job preselected",
    (_n, f) => {
      const d = f.json as DashboardJson;
      expect(allPanels(d).filter((p) => p.type !== "row").length).toBeGreaterThanOrEqual(10);
      const job = d.templating?.list?.find((v) => v.name === "job");
      expect(job?.current?.value).toHaveLength(1);
    },
  );

  it("the SLO of the AI assistant puts its error-budget row on the assistant's dashboard; the orphan gets its own", () => {
    const titles = (file: string) =>
      allPanels(all.find((f) => f.fileName === file)!.json as DashboardJson).map((p) => p.title);
    expect(titles("ai-assistant.json")).toEqual(
      expect.arrayContaining([
        "SLO: assistant-availability (availability 99.9% over 30d)",
        "Error budget remaining",
        "Burn rate",
      ]),
    );
    expect(titles("ai-assistant.json").join()).not.toContain("orphan");
    expect(titles("slos.json")).toContain("SLO: orphan-latency (95% of requests under 0.5s over 30d)");
  });

  it("promtool accepts every query of every pack dashboard (default and renamed labels)", () => {
    const queries = [...all, ...files(true)].flatMap((f) => {
      const d = f.json as DashboardJson;
      return panelQueries(d).map((q) => ({
        label: `${f.fileName}: ${q.panel}`,
        expr: substitute(q.expr, sampleValues(d)),
      }));
    });
    expect(queries.length).toBeGreaterThan(150);
    const r = promtoolCheck(queries);
    expect(r.failed).toEqual([]);
    expect(r.status, r.output).toBe(0);
  });

  it("renamed label names reach the queries", () => {
    const d = files(true).find((f) => f.fileName === "ai-assistant.json")!.json as DashboardJson;
    const exprs = panelQueries(d)
      .map((q) => q.expr)
      .join("\n");
    expect(exprs).toContain('my_status=~"5.."');
    expect(exprs).toContain("sum by (my_tool)");
    expect(exprs).not.toContain("status_code");
  });

  it("the checks catch a broken dashboard (they can fail)", () => {
    const d = structuredClone(all[0].json) as DashboardJson;
    const panels = allPanels(d);
    panels[2].gridPos = { ...panels[1].gridPos! };
    (panels[3] as { fieldConfig?: unknown }).fieldConfig = { defaults: {} };
    expect(dashboardProblems(d).length).toBeGreaterThanOrEqual(2);
    expect(promtoolCheck([{ label: "bad", expr: "sum(rate(x[5m]" }]).failed).toEqual(["bad: sum(rate(x[5m]"]);
  });
});

import { describe, expect, it } from "vitest";
import {
  builtInDashboards,
  dashboard,
  layout,
  redDashboard,
  row,
  stat,
  thresholds,
  timeseries,
  type DashboardFile,
} from "../../components/grafana/dashboards";
import {
  allPanels,
  dashboardProblems,
  panelQueries,
  rectanglesOverlap,
  substitute,
  sampleValues,
  type DashboardJson,
  type PanelJson,
} from "./dashboard-helpers";

/** Built-in dashboards plus a RED dashboard with non-default names, as a monitoring pack would make. */
function dashboards(): DashboardFile[] {
  return [
    ...builtInDashboards(),
    {
      folder: "Services",
      fileName: "grpc-red.json",
      json: redDashboard({
        uid: "grpc-red",
        title: "gRPC services",
        requestsTotalMetric: "grpc_server_handled_total",
        durationHistogramMetric: "grpc_server_handling_seconds",
        statusLabel: "grpc_code",
        serviceLabel: "grpc_service",
        errorRegex: "Unknown|Internal|Unavailable|DataLoss",
      }),
    },
  ];
}

describe("built-in dashboards", () => {
  const files = dashboards();

  it("has the expected dashboards in their folders", () => {
    expect(builtInDashboards().map((f) => `${f.folder}/${f.fileName}`)).toEqual([
      "Infrastructure/node-overview.json",
      "Infrastructure/containers.json",
      "Infrastructure/kubernetes.json",
      "Monitoring/prometheus.json",
      "Monitoring/alertmanager.json",
      "Services/services-red.json",
    ]);
  });

  it.each(files.map((f) => [f.fileName, f] as const))("%s survives a JSON round trip unchanged", (_n, f) => {
    const text = JSON.stringify(f.json);
    // toStrictEqual: an `undefined` property (dropped by JSON) or a NaN would fail here.
    expect(JSON.parse(text)).toStrictEqual(f.json);
    // The provisioning file is the dashboard model itself, not an API envelope.
    expect(f.json).not.toHaveProperty("dashboard");
    expect(f.json).not.toHaveProperty("id");
  });

  it.each(files.map((f) => [f.fileName, f] as const))("%s is well formed", (_n, f) => {
    expect(dashboardProblems(f.json as DashboardJson)).toEqual([]);
  });

  it.each(files.map((f) => [f.fileName, f] as const))("%s has datasource and cluster variables", (_n, f) => {
    const vars = (f.json as DashboardJson).templating?.list ?? [];
    const ds = vars.find((v) => v.name === "datasource");
    expect(ds).toMatchObject({ type: "datasource", query: "prometheus" });
    const cluster = vars.find((v) => v.name === "cluster");
    // All = ".*", which also matches series without a cluster label (single Prometheus, no external labels).
    expect(cluster).toMatchObject({
      type: "query",
      includeAll: true,
      allValue: ".*",
      query: "label_values(up, cluster)",
    });
    for (const q of panelQueries(f.json as DashboardJson)) {
      expect(q.expr, `${q.panel}: every query filters on the cluster`).toContain('cluster=~"$cluster"');
    }
  });

  it.each(files.map((f) => [f.fileName, f] as const))("%s uses only variables it defines", (_n, f) => {
    const d = f.json as DashboardJson;
    for (const q of panelQueries(d)) expect(() => substitute(q.expr, sampleValues(d))).not.toThrow();
  });

  it("uids are unique across dashboards", () => {
    const uids = files.map((f) => (f.json as DashboardJson).uid);
    expect(new Set(uids).size).toBe(uids.length);
  });

  it("file names are unique per folder", () => {
    const keys = files.map((f) => `${f.folder}/${f.fileName}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("exporter dashboards have job and instance variables preselecting the stack's jobs", () => {
    const byName = new Map(builtInDashboards().map((f) => [f.fileName, f.json as DashboardJson]));
    const expected: Record<string, string> = {
      "node-overview.json": "node-exporter",
      "prometheus.json": "prometheus",
      "alertmanager.json": "alertmanager",
      "containers.json": "cadvisor",
    };
    for (const [file, job] of Object.entries(expected)) {
      const vars = byName.get(file)?.templating?.list ?? [];
      expect(vars.find((v) => v.name === "job")?.current?.value, file).toEqual([job]);
      expect(
        vars.find((v) => v.name === "instance"),
        file,
      ).toMatchObject({ includeAll: true, allValue: ".*" });
    }
  });

  it("the Kubernetes dashboard preselects kube-state-metrics, filters by namespace and reads only the pack's jobs", () => {
    const d = builtInDashboards().find((f) => f.fileName === "kubernetes.json")!.json as DashboardJson;
    const vars = d.templating?.list ?? [];
    expect(vars.find((v) => v.name === "job")?.current?.value).toEqual(["kube-state-metrics"]);
    expect(vars.find((v) => v.name === "namespace")).toMatchObject({
      includeAll: true,
      allValue: ".*",
      multi: true,
    });
    const queries = panelQueries(d);
    expect(queries.length).toBeGreaterThan(30);
    for (const q of queries) {
      // Object series through the job variable; the kubelets and the telemetry by their fixed jobs.
      expect(q.expr, q.panel).toMatch(/job=~"\$job"|job="kubelet"|job="kube-state-metrics-telemetry"/);
      // Namespaced objects follow the namespace variable; persistent volumes and kube-state-metrics' own
      // telemetry belong to no namespace.
      for (const m of q.expr.matchAll(/(kube_[a-z_]+|kubelet_volume_stats_[a-z_]+)\{([^}]*)\}/g))
        if (!/^kube_(persistentvolume|state_metrics)_/.test(m[1]))
          expect(m[2], `${q.panel}: ${m[1]}`).toContain('namespace=~"$namespace"');
    }
  });

  it("the RED dashboard uses the given metric and label names", () => {
    const d = files.find((f) => f.fileName === "grpc-red.json")!.json as DashboardJson;
    const exprs = panelQueries(d).map((q) => q.expr);
    expect(exprs.some((e) => e.includes("grpc_server_handled_total{"))).toBe(true);
    expect(exprs.some((e) => e.includes('grpc_code=~"Unknown|Internal|Unavailable|DataLoss"'))).toBe(true);
    expect(
      exprs.some((e) =>
        e.includes(
          "histogram_quantile(0.99, sum by (grpc_service, le) (rate(grpc_server_handling_seconds_bucket{",
        ),
      ),
    ).toBe(true);
    expect(exprs.join("\n")).not.toContain("http_requests_total");
  });

  it("the RED dashboard refuses names PromQL cannot take", () => {
    expect(() => redDashboard({ uid: "x", title: "x", requestsTotalMetric: "http-requests" })).toThrow(
      /metric name/,
    );
    expect(() => redDashboard({ uid: "x", title: "x", serviceLabel: "__name__" })).toThrow(/label name/);
    expect(() => redDashboard({ uid: "x", title: "x", errorRegex: "5(" })).toThrow(/errorRegex/);
    expect(() => redDashboard({ uid: "not a uid", title: "x" })).toThrow(/uid/);
  });

  it("panel counts", () => {
    const counts = Object.fromEntries(
      files.map((f) => [
        f.fileName,
        allPanels(f.json as DashboardJson).filter((p) => p.type !== "row").length,
      ]),
    );
    console.log("panels per dashboard:", counts);
    for (const n of Object.values(counts)) expect(n).toBeGreaterThanOrEqual(10);
  });
});

describe("the checks themselves", () => {
  const g = (x: number, y: number, w: number, h: number) => ({ x, y, w, h });

  it("rectangle intersection: touching edges do not overlap, shared area does", () => {
    expect(rectanglesOverlap(g(0, 0, 12, 8), g(12, 0, 12, 8))).toBe(false);
    expect(rectanglesOverlap(g(0, 0, 12, 8), g(0, 8, 12, 8))).toBe(false);
    expect(rectanglesOverlap(g(0, 0, 12, 8), g(11, 7, 2, 2))).toBe(true);
    expect(rectanglesOverlap(g(0, 0, 24, 1), g(3, 0, 1, 1))).toBe(true);
  });

  it("flags overlapping panels, bad ids, missing units and deprecated types", () => {
    const panels: PanelJson[] = [
      { id: 1, type: "row", title: "r", gridPos: g(0, 0, 24, 1) },
      { id: 2, type: "graph", title: "old", gridPos: g(0, 0, 12, 8), targets: [{ refId: "A", expr: "up" }] },
      { id: 2, type: "stat", title: "no unit", gridPos: g(20, 1, 6, 4), fieldConfig: { defaults: {} } },
    ];
    const p = dashboardProblems({
      uid: "t",
      schemaVersion: 41,
      refresh: "10s",
      panels,
      editable: false,
      tags: ["t"],
    });
    expect(p).toEqual(
      expect.arrayContaining([
        "panel id 2 used twice",
        'panel "old" (#2) has type graph',
        'panel "no unit" (#2) has no unit',
        'panel "no unit" (#2) is outside the grid: {"x":20,"y":1,"w":6,"h":4}',
        'panel "old" (#2) target A datasource is undefined',
        "overlap: r#1 / old#2",
        "refresh 10s < 30s",
      ]),
    );
  });

  it("substitute refuses variables a dashboard does not define", () => {
    expect(() => substitute('up{job=~"$job"}', { cluster: ".*" })).toThrow(/\$job/);
    expect(
      substitute('up{a=~"$a", ab=~"${ab}"}[$__rate_interval]', { a: "x", ab: "y", __rate_interval: "1m" }),
    ).toBe('up{a=~"x", ab=~"y"}[1m]');
  });
});

describe("builder", () => {
  it("lays panels out left to right and wraps when a panel does not fit", () => {
    const p = (title: string, width: number) =>
      timeseries({ title, unit: "short", width, height: 8, queries: [{ expr: "up" }] });
    const out = layout([
      row("one", [p("a", 12), p("b", 8), p("c", 6), p("d", 24)]),
      row("two", [p("e", 24)]),
    ]);
    expect(out.map((x) => [x.title, x.gridPos])).toEqual([
      ["one", { h: 1, w: 24, x: 0, y: 0 }],
      ["a", { h: 8, w: 12, x: 0, y: 1 }],
      ["b", { h: 8, w: 8, x: 12, y: 1 }],
      ["c", { h: 8, w: 6, x: 0, y: 9 }],
      ["d", { h: 8, w: 24, x: 0, y: 17 }],
      ["two", { h: 1, w: 24, x: 0, y: 25 }],
      ["e", { h: 8, w: 24, x: 0, y: 26 }],
    ]);
    expect(out.map((x) => x.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("refuses widths outside the grid, bad uids, short refreshes and duplicate variables", () => {
    const wide = stat({ title: "w", unit: "short", width: 25, queries: [{ expr: "up" }] });
    expect(() => layout([row("r", [wide])])).toThrow(/width 25/);
    expect(() =>
      dashboard({ uid: "a/b", title: "t", description: "", tags: [], variables: [], rows: [] }),
    ).toThrow(/uid/);
    expect(() => stat({ title: "q", unit: "short", queries: [] })).toThrow(/at least one query/);
    expect(() => thresholds("green", [2, "red"], [1, "orange"])).toThrow(/increase/);
  });

  it("numbers targets A, B, C and points them at $datasource", () => {
    const ts = timeseries({ title: "t", unit: "s", queries: [{ expr: "a" }, { expr: "b" }, { expr: "c" }] });
    if (ts.panel.type === "text") throw new Error("unexpected");
    expect(ts.panel.targets.map((t) => [t.refId, t.datasource.uid])).toEqual([
      ["A", "${datasource}"],
      ["B", "${datasource}"],
      ["C", "${datasource}"],
    ]);
  });
});

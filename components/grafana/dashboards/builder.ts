/**
 * Small typed builders for Grafana dashboards in the provisioning-file format (the dashboard model itself).
 *
 * Why our own builders and not @grafana/grafana-foundation-sdk: the SDK is still pre-1.0 (`latest` is
 * 0.0.x, with per-Grafana-version builds published as prerelease tags such as `11.6.0-cogv0.0.x.<ts>`), so
 * its builder API is not a stable contract to pin a production stack on; it generates builders for every
 * panel and datasource plugin while these dashboards use six panel types and one datasource; and adding a
 * dependency to a tree several engineers change at once costs a lockfile change for little gain. What the
 * SDK would give us - typed output - we get here from the `DashboardModel` types below, and the tests check
 * the emitted JSON itself (layout, units, datasources, every PromQL query through promtool), which is the
 * part that matters whichever library produced it.
 *
 * Model: a dashboard is a list of rows, each a list of panels with a width and a height; `dashboard()`
 * lays the panels out left to right in the 24-column grid, wrapping to a new line when a panel does not
 * fit, so positions never overlap and nobody computes `gridPos` by hand. Panel and target datasources all
 * point at the `$datasource` template variable.
 */

/** Grafana field units used by these dashboards (ids from Grafana's unit picker). */
export type Unit =
  | "bytes"
  | "decbytes"
  | "Bps"
  | "binBps"
  | "percentunit"
  | "percent"
  | "s"
  | "ms"
  | "dtdurations"
  | "reqps"
  | "ops"
  | "cps"
  | "iops"
  | "pps"
  | "short"
  | "none"
  | "bool"
  | "dateTimeFromNow";

/** A JSON value: everything a dashboard is made of. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface DatasourceRef {
  type: "prometheus";
  uid: string;
}

/** Every panel and target uses the datasource chosen in the `datasource` template variable. */
export const DATASOURCE_REF: DatasourceRef = { type: "prometheus", uid: "${datasource}" };

export interface ThresholdStep {
  color: string;
  /** `null` is the base step (minus infinity). */
  value: number | null;
}

export interface Thresholds {
  mode: "absolute";
  steps: ThresholdStep[];
}

/** Threshold steps: a base colour, then [value, colour] pairs in increasing order. */
export function thresholds(base: string, ...steps: Array<[number, string]>): Thresholds {
  for (let i = 1; i < steps.length; i++) {
    if (steps[i][0] <= steps[i - 1][0])
      throw new Error(`threshold values must increase: ${JSON.stringify(steps)}`);
  }
  return {
    mode: "absolute",
    steps: [{ color: base, value: null }, ...steps.map(([value, color]) => ({ color, value }))],
  };
}

export interface PrometheusTarget {
  refId: string;
  datasource: DatasourceRef;
  editorMode: "code";
  expr: string;
  legendFormat: string;
  range: boolean;
  instant: boolean;
  format: "time_series" | "table" | "heatmap";
  interval?: string;
}

export interface GridPos {
  h: number;
  w: number;
  x: number;
  y: number;
}

export interface FieldOverride {
  matcher: { id: "byName" | "byRegexp" | "byFrameRefID"; options: string };
  properties: Array<{ id: string; value: JsonValue }>;
}

export interface FieldDefaults {
  unit: Unit;
  decimals?: number;
  min?: number;
  max?: number;
  color: { mode: "palette-classic" | "thresholds" | "continuous-GrYlRd" };
  thresholds: Thresholds;
  mappings: JsonObject[];
  custom?: JsonObject;
}

export type QueryPanelType = "timeseries" | "stat" | "gauge" | "bargauge" | "heatmap" | "table";

export interface QueryPanel {
  id: number;
  type: QueryPanelType;
  title: string;
  description: string;
  gridPos: GridPos;
  datasource: DatasourceRef;
  targets: PrometheusTarget[];
  fieldConfig: { defaults: FieldDefaults; overrides: FieldOverride[] };
  options: JsonObject;
  transformations?: JsonObject[];
  interval?: string;
}

export interface TextPanel {
  id: number;
  type: "text";
  title: string;
  gridPos: GridPos;
  options: { mode: "markdown"; content: string };
}

export interface RowPanel {
  id: number;
  type: "row";
  title: string;
  collapsed: false;
  gridPos: GridPos;
  panels: [];
}

export type Panel = QueryPanel | TextPanel | RowPanel;

export interface VariableCurrent {
  selected?: boolean;
  text: string | string[];
  value: string | string[];
}

export interface VariableOption {
  selected: boolean;
  text: string;
  value: string;
}

export interface DatasourceVariable {
  type: "datasource";
  name: string;
  label: string;
  query: "prometheus";
  regex: string;
  current: Record<string, never>;
  hide: 0;
  includeAll: false;
  multi: false;
  options: [];
  refresh: 1;
}

export interface QueryVariable {
  type: "query";
  name: string;
  label: string;
  datasource: DatasourceRef;
  definition: string;
  /** Prometheus variable query, e.g. `label_values(up{cluster=~"$cluster"}, job)`. */
  query: string;
  /** 2: refresh when the time range changes, so new instances show up. */
  refresh: 2;
  regex: string;
  sort: 1;
  includeAll: boolean;
  allValue?: string;
  multi: boolean;
  current: VariableCurrent;
  hide: 0 | 2;
  options: [];
}

export interface CustomVariable {
  type: "custom";
  name: string;
  label: string;
  query: string;
  options: VariableOption[];
  current: VariableCurrent;
  includeAll: false;
  multi: false;
  hide: 0;
}

export type TemplateVariable = DatasourceVariable | QueryVariable | CustomVariable;

export interface DashboardLink {
  type: "dashboards";
  title: string;
  tags: string[];
  asDropdown: boolean;
  includeVars: boolean;
  keepTime: boolean;
  targetBlank: boolean;
  icon: "external link";
  tooltip: string;
  url: string;
}

/** Refresh choices: never faster than 30s (dashboards left open on a wall must not hammer Prometheus). */
export type Refresh = "30s" | "1m" | "2m" | "5m" | "15m" | "30m" | "1h";
export const REFRESH_INTERVALS: Refresh[] = ["30s", "1m", "2m", "5m", "15m", "30m", "1h"];

/** Current Grafana dashboard schema (Grafana 12.x reads it without migrating). */
export const SCHEMA_VERSION = 41;

export interface DashboardModel {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  editable: false;
  graphTooltip: 1;
  timezone: "browser";
  fiscalYearStartMonth: 0;
  liveNow: false;
  weekStart: "";
  refresh: Refresh;
  time: { from: string; to: string };
  timepicker: { refresh_intervals: Refresh[] };
  schemaVersion: number;
  version: 1;
  annotations: { list: JsonObject[] };
  links: DashboardLink[];
  templating: { list: TemplateVariable[] };
  panels: Panel[];
}

// ---------------------------------------------------------------------------------------------------------
// Queries

export interface Query {
  expr: string;
  /** Legend template, e.g. `{{instance}}`; defaults to `__auto`. */
  legend?: string;
  /** Instant query (stat/gauge/bargauge/table show the latest value only). */
  instant?: boolean;
  format?: PrometheusTarget["format"];
  /** Minimum step, e.g. "1m". */
  interval?: string;
}

const REF_IDS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function targets(
  queries: Query[],
  defaults: { instant: boolean; format: PrometheusTarget["format"] },
): PrometheusTarget[] {
  if (queries.length === 0) throw new Error("a query panel needs at least one query");
  if (queries.length > REF_IDS.length) throw new Error(`at most ${REF_IDS.length} queries per panel`);
  return queries.map((q, i) => {
    if (q.expr.trim() === "") throw new Error("empty PromQL expression");
    const instant = q.instant ?? defaults.instant;
    const t: PrometheusTarget = {
      refId: REF_IDS[i],
      datasource: DATASOURCE_REF,
      editorMode: "code",
      expr: q.expr,
      legendFormat: q.legend ?? "__auto",
      range: !instant,
      instant,
      format: q.format ?? defaults.format,
    };
    if (q.interval !== undefined) t.interval = q.interval;
    return t;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Panels

/** A panel before layout: its body plus its size in grid units. */
export interface PanelSpec {
  w: number;
  h: number;
  panel: Omit<QueryPanel, "id" | "gridPos"> | Omit<TextPanel, "id" | "gridPos">;
}

interface BaseSpec {
  title: string;
  description?: string;
  queries: Query[];
  unit: Unit;
  decimals?: number;
  min?: number;
  max?: number;
  thresholds?: Thresholds;
  /** Width in grid columns (1-24). */
  width?: number;
  /** Height in grid rows. */
  height?: number;
  /** Per-series overrides, e.g. a different unit for one query. */
  overrides?: FieldOverride[];
}

const DEFAULT_THRESHOLDS = (): Thresholds => thresholds("green");

function defaults(spec: BaseSpec, color: FieldDefaults["color"], custom?: JsonObject): FieldDefaults {
  const d: FieldDefaults = {
    unit: spec.unit,
    color,
    thresholds: spec.thresholds ?? DEFAULT_THRESHOLDS(),
    mappings: [],
  };
  if (spec.decimals !== undefined) d.decimals = spec.decimals;
  if (spec.min !== undefined) d.min = spec.min;
  if (spec.max !== undefined) d.max = spec.max;
  if (custom !== undefined) d.custom = custom;
  return d;
}

function sized(spec: { width?: number; height?: number }, w: number, h: number): { w: number; h: number } {
  return { w: spec.width ?? w, h: spec.height ?? h };
}

const reduce = (calc: string): JsonObject => ({ calcs: [calc], fields: "", values: false });

export interface TimeseriesSpec extends BaseSpec {
  /** Stack series (only where the sum is meaningful, e.g. CPU modes of one host). */
  stack?: boolean;
  fillOpacity?: number;
  /** Draw the thresholds on the graph. */
  showThresholds?: "line" | "dashed" | "area";
  /** Series whose name matches this regex are drawn below the axis (e.g. transmit vs receive). */
  negativeY?: string;
  legendCalcs?: Array<"lastNotNull" | "mean" | "max" | "min">;
}

export function timeseries(spec: TimeseriesSpec): PanelSpec {
  const custom: JsonObject = {
    drawStyle: "line",
    lineInterpolation: "linear",
    lineWidth: 1,
    fillOpacity: spec.fillOpacity ?? (spec.stack ? 40 : 10),
    gradientMode: "none",
    showPoints: "never",
    pointSize: 4,
    spanNulls: false,
    axisPlacement: "auto",
    axisLabel: "",
    axisSoftMin: 0,
    barAlignment: 0,
    scaleDistribution: { type: "linear" },
    stacking: { mode: spec.stack ? "normal" : "none", group: "A" },
    thresholdsStyle: { mode: spec.showThresholds ?? "off" },
    hideFrom: { legend: false, tooltip: false, viz: false },
  };
  const overrides = [...(spec.overrides ?? [])];
  if (spec.negativeY !== undefined) {
    overrides.push({
      matcher: { id: "byRegexp", options: spec.negativeY },
      properties: [{ id: "custom.transform", value: "negative-Y" }],
    });
  }
  return {
    ...sized(spec, 12, 8),
    panel: {
      type: "timeseries",
      title: spec.title,
      description: spec.description ?? "",
      datasource: DATASOURCE_REF,
      targets: targets(spec.queries, { instant: false, format: "time_series" }),
      fieldConfig: { defaults: defaults(spec, { mode: "palette-classic" }, custom), overrides },
      options: {
        legend: {
          displayMode: spec.legendCalcs ? "table" : "list",
          placement: "bottom",
          showLegend: true,
          calcs: spec.legendCalcs ?? [],
        },
        tooltip: { mode: "multi", sort: "desc" },
      },
    },
  };
}

export interface StatSpec extends BaseSpec {
  /** Sparkline under the value (needs a range query). */
  sparkline?: boolean;
  colorMode?: "value" | "background" | "none";
  calc?: "lastNotNull" | "mean" | "max" | "min" | "sum";
  textMode?: "auto" | "value" | "value_and_name" | "name";
}

export function stat(spec: StatSpec): PanelSpec {
  const sparkline = spec.sparkline ?? false;
  return {
    ...sized(spec, 4, 4),
    panel: {
      type: "stat",
      title: spec.title,
      description: spec.description ?? "",
      datasource: DATASOURCE_REF,
      targets: targets(spec.queries, { instant: !sparkline, format: "time_series" }),
      fieldConfig: { defaults: defaults(spec, { mode: "thresholds" }), overrides: spec.overrides ?? [] },
      options: {
        reduceOptions: reduce(spec.calc ?? "lastNotNull"),
        colorMode: spec.colorMode ?? "value",
        graphMode: sparkline ? "area" : "none",
        justifyMode: "auto",
        orientation: "auto",
        textMode: spec.textMode ?? "auto",
        wideLayout: true,
        showPercentChange: false,
      },
    },
  };
}

export interface GaugeSpec extends BaseSpec {
  min: number;
  max: number;
}

export function gauge(spec: GaugeSpec): PanelSpec {
  return {
    ...sized(spec, 4, 5),
    panel: {
      type: "gauge",
      title: spec.title,
      description: spec.description ?? "",
      datasource: DATASOURCE_REF,
      targets: targets(spec.queries, { instant: true, format: "time_series" }),
      fieldConfig: { defaults: defaults(spec, { mode: "thresholds" }), overrides: spec.overrides ?? [] },
      options: {
        reduceOptions: reduce("lastNotNull"),
        orientation: "auto",
        showThresholdLabels: false,
        showThresholdMarkers: true,
        sizing: "auto",
        minVizHeight: 75,
        minVizWidth: 75,
      },
    },
  };
}

export interface BarGaugeSpec extends BaseSpec {
  min: number;
  max?: number;
  displayMode?: "gradient" | "lcd" | "basic";
}

export function barGauge(spec: BarGaugeSpec): PanelSpec {
  return {
    ...sized(spec, 12, 8),
    panel: {
      type: "bargauge",
      title: spec.title,
      description: spec.description ?? "",
      datasource: DATASOURCE_REF,
      targets: targets(spec.queries, { instant: true, format: "time_series" }),
      fieldConfig: { defaults: defaults(spec, { mode: "thresholds" }), overrides: spec.overrides ?? [] },
      options: {
        reduceOptions: reduce("lastNotNull"),
        displayMode: spec.displayMode ?? "gradient",
        orientation: "horizontal",
        showUnfilled: true,
        valueMode: "color",
        namePlacement: "auto",
        sizing: "auto",
        minVizHeight: 16,
        minVizWidth: 8,
        maxVizHeight: 300,
      },
    },
  };
}

export interface HeatmapSpec extends BaseSpec {
  /** Unit of the histogram buckets (the `le` values) on the y axis; `unit` is the cells' unit. */
  yUnit: Unit;
}

/** A heatmap of a Prometheus histogram: queries should be `sum by (le) (rate(x_bucket[...]))`. */
export function heatmap(spec: HeatmapSpec): PanelSpec {
  const queries = spec.queries.map((q) => ({
    ...q,
    format: q.format ?? "heatmap",
    legend: q.legend ?? "{{le}}",
  }));
  return {
    ...sized(spec, 12, 8),
    panel: {
      type: "heatmap",
      title: spec.title,
      description: spec.description ?? "",
      datasource: DATASOURCE_REF,
      targets: targets(queries, { instant: false, format: "heatmap" }),
      fieldConfig: {
        defaults: defaults(
          spec,
          { mode: "palette-classic" },
          {
            hideFrom: { legend: false, tooltip: false, viz: false },
            scaleDistribution: { type: "linear" },
          },
        ),
        overrides: spec.overrides ?? [],
      },
      options: {
        calculate: false,
        cellGap: 1,
        cellValues: { unit: spec.unit },
        color: {
          mode: "scheme",
          scheme: "Spectral",
          fill: "dark-orange",
          scale: "exponential",
          exponent: 0.5,
          steps: 64,
          reverse: false,
        },
        exemplars: { color: "rgba(255,0,255,0.7)" },
        filterValues: { le: 1e-9 },
        legend: { show: true },
        rowsFrame: { layout: "auto" },
        showValue: "never",
        tooltip: { mode: "single", yHistogram: false, showColorScale: false },
        yAxis: { axisPlacement: "left", reverse: false, unit: spec.yUnit },
      },
    },
  };
}

export interface TableSpec extends BaseSpec {
  /** Per-column unit and display name, keyed by the column the queries produce (e.g. "Value #A"). */
  columns?: Record<string, { unit: Unit; displayName?: string; thresholds?: Thresholds; decimals?: number }>;
  /** Columns (labels) to hide, e.g. "Time", "job". */
  hide?: string[];
}

/** A table of instant queries, one column per query, merged on their labels. */
export function table(spec: TableSpec): PanelSpec {
  const overrides: FieldOverride[] = Object.entries(spec.columns ?? {}).map(([name, c]) => {
    const properties: FieldOverride["properties"] = [{ id: "unit", value: c.unit }];
    if (c.displayName !== undefined) properties.push({ id: "displayName", value: c.displayName });
    if (c.decimals !== undefined) properties.push({ id: "decimals", value: c.decimals });
    if (c.thresholds !== undefined) {
      const steps = c.thresholds.steps.map((st) => ({ color: st.color, value: st.value }));
      properties.push({ id: "thresholds", value: { mode: c.thresholds.mode, steps } });
      properties.push({ id: "custom.cellOptions", value: { type: "color-text" } });
    }
    return { matcher: { id: "byName", options: name }, properties };
  });
  const excludeByName: JsonObject = {};
  for (const h of ["Time", ...(spec.hide ?? [])]) excludeByName[h] = true;
  return {
    ...sized(spec, 24, 8),
    panel: {
      type: "table",
      title: spec.title,
      description: spec.description ?? "",
      datasource: DATASOURCE_REF,
      targets: targets(spec.queries, { instant: true, format: "table" }),
      fieldConfig: {
        defaults: defaults(
          spec,
          { mode: "thresholds" },
          {
            align: "auto",
            cellOptions: { type: "auto" },
            inspect: false,
          },
        ),
        overrides: [...overrides, ...(spec.overrides ?? [])],
      },
      options: {
        showHeader: true,
        cellHeight: "sm",
        footer: { show: false, reducer: ["sum"], countRows: false, fields: "" },
      },
      transformations: [
        { id: "merge", options: {} },
        { id: "organize", options: { excludeByName, indexByName: {}, renameByName: {} } },
      ],
    },
  };
}

export function text(spec: { title: string; markdown: string; width?: number; height?: number }): PanelSpec {
  return {
    ...sized(spec, 24, 3),
    panel: { type: "text", title: spec.title, options: { mode: "markdown", content: spec.markdown } },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Template variables

export function datasourceVariable(): DatasourceVariable {
  return {
    type: "datasource",
    name: "datasource",
    label: "Data source",
    query: "prometheus",
    regex: "",
    current: {},
    hide: 0,
    includeAll: false,
    multi: false,
    options: [],
    refresh: 1,
  };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface QueryVariableSpec {
  name: string;
  label: string;
  /** `label_values(...)` or another Prometheus variable query. */
  query: string;
  /** Several values at once (formatted as a regex alternation in `=~` matchers). */
  multi?: boolean;
  /** Offer "All"; with `allValue` ".*" the matcher `x=~".*"` also matches series without the label. */
  includeAll?: boolean;
  allValue?: string;
  /** Value preselected when the dashboard opens (Grafana falls back to the first one when absent). */
  defaultValue?: string;
  hide?: boolean;
}

export function queryVariable(spec: QueryVariableSpec): QueryVariable {
  if (!NAME.test(spec.name)) throw new Error(`bad variable name ${spec.name}`);
  const includeAll = spec.includeAll ?? false;
  const multi = spec.multi ?? false;
  let current: VariableCurrent;
  if (spec.defaultValue !== undefined) {
    current = multi
      ? { selected: true, text: [spec.defaultValue], value: [spec.defaultValue] }
      : { selected: true, text: spec.defaultValue, value: spec.defaultValue };
  } else if (includeAll) {
    current = multi
      ? { selected: true, text: ["All"], value: ["$__all"] }
      : { selected: true, text: "All", value: "$__all" };
  } else {
    current = { selected: false, text: "", value: "" };
  }
  const v: QueryVariable = {
    type: "query",
    name: spec.name,
    label: spec.label,
    datasource: DATASOURCE_REF,
    definition: spec.query,
    query: spec.query,
    refresh: 2,
    regex: "",
    sort: 1,
    includeAll,
    multi,
    current,
    hide: spec.hide ? 2 : 0,
    options: [],
  };
  if (spec.allValue !== undefined) v.allValue = spec.allValue;
  return v;
}

export function customVariable(spec: {
  name: string;
  label: string;
  options: Array<{ text: string; value: string }>;
  defaultValue: string;
}): CustomVariable {
  if (!NAME.test(spec.name)) throw new Error(`bad variable name ${spec.name}`);
  const chosen = spec.options.find((o) => o.value === spec.defaultValue);
  if (!chosen) throw new Error(`default ${spec.defaultValue} is not one of the options of $${spec.name}`);
  return {
    type: "custom",
    name: spec.name,
    label: spec.label,
    // Grafana's "text : value" syntax for custom variables.
    query: spec.options.map((o) => `${o.text} : ${o.value}`).join(","),
    options: spec.options.map((o) => ({
      selected: o.value === spec.defaultValue,
      text: o.text,
      value: o.value,
    })),
    current: { selected: true, text: chosen.text, value: chosen.value },
    includeAll: false,
    multi: false,
    hide: 0,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Dashboard and layout

export const GRID_COLUMNS = 24;

export interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

export function row(title: string, panels: PanelSpec[]): RowSpec {
  return { title, panels };
}

/** Shelf layout: rows stacked vertically, panels left to right, wrapping when the next one does not fit. */
export function layout(rows: RowSpec[]): Panel[] {
  const out: Panel[] = [];
  let id = 1;
  let y = 0;
  for (const r of rows) {
    out.push({
      id: id++,
      type: "row",
      title: r.title,
      collapsed: false,
      gridPos: { h: 1, w: GRID_COLUMNS, x: 0, y },
      panels: [],
    });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const p of r.panels) {
      if (!Number.isInteger(p.w) || p.w < 1 || p.w > GRID_COLUMNS) {
        throw new Error(`panel "${p.panel.title}": width ${p.w} is not 1-${GRID_COLUMNS}`);
      }
      if (!Number.isInteger(p.h) || p.h < 1)
        throw new Error(`panel "${p.panel.title}": height ${p.h} is not >= 1`);
      if (x + p.w > GRID_COLUMNS) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      const gridPos = { h: p.h, w: p.w, x, y };
      out.push(
        p.panel.type === "text" ? { id: id++, gridPos, ...p.panel } : { id: id++, gridPos, ...p.panel },
      );
      x += p.w;
      lineHeight = Math.max(lineHeight, p.h);
    }
    y += lineHeight;
  }
  return out;
}

/** Grafana dashboard uids: 1-40 letters, digits, "-" and "_". */
export const UID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  variables: TemplateVariable[];
  rows: RowSpec[];
  refresh?: Refresh;
  /** Default time range start, e.g. "now-6h". */
  from?: string;
  links?: DashboardLink[];
}

export function dashboard(spec: DashboardSpec): DashboardModel {
  if (!UID_PATTERN.test(spec.uid)) throw new Error(`dashboard uid "${spec.uid}" must match ${UID_PATTERN}`);
  const names = spec.variables.map((v) => v.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`dashboard ${spec.uid}: variable $${dup} defined twice`);
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    editable: false,
    graphTooltip: 1,
    timezone: "browser",
    fiscalYearStartMonth: 0,
    liveNow: false,
    weekStart: "",
    refresh: spec.refresh ?? "30s",
    time: { from: spec.from ?? "now-6h", to: "now" },
    timepicker: { refresh_intervals: REFRESH_INTERVALS },
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: "grafana", uid: "-- Grafana --" },
          enable: true,
          hide: true,
          iconColor: "rgba(0, 211, 255, 1)",
          name: "Annotations & Alerts",
          type: "dashboard",
        },
      ],
    },
    links: spec.links ?? [],
    templating: { list: spec.variables },
    panels: layout(spec.rows),
  };
}

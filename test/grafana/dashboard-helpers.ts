/**
 * Helpers the Grafana tests share: walking a dashboard's panels and queries, substituting template
 * variables with concrete values, checking grid rectangles, and running promtool over queries.
 */
import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { durationSeconds } from "../../lib/units";
import { toolPath } from "../helpers/tools";
import { scratchDir } from "../helpers/scratch";

export interface GridPosJson {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface TargetJson {
  refId?: string;
  expr?: string;
  datasource?: { type?: string; uid?: string };
  legendFormat?: string;
}

export interface PanelJson {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: GridPosJson;
  datasource?: { type?: string; uid?: string };
  targets?: TargetJson[];
  panels?: PanelJson[];
  fieldConfig?: { defaults?: { unit?: string } };
}

export interface VariableJson {
  type: string;
  name: string;
  query?: string | { query?: string };
  current?: { value?: string | string[] };
  allValue?: string;
  includeAll?: boolean;
  multi?: boolean;
}

export interface DashboardJson {
  uid?: string;
  title?: string;
  schemaVersion?: number;
  refresh?: string | false;
  editable?: boolean;
  tags?: string[];
  time?: { from?: string; to?: string };
  templating?: { list?: VariableJson[] };
  panels?: PanelJson[];
}

/** All panels, rows included, with collapsed rows' children. */
export function allPanels(d: DashboardJson): PanelJson[] {
  const out: PanelJson[] = [];
  for (const p of d.panels ?? []) {
    out.push(p);
    for (const child of p.panels ?? []) out.push(child);
  }
  return out;
}

export interface PanelQuery {
  panel: string;
  panelId: number | undefined;
  refId: string | undefined;
  expr: string;
}

export function panelQueries(d: DashboardJson): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const p of allPanels(d)) {
    for (const t of p.targets ?? []) {
      if (t.expr !== undefined)
        out.push({ panel: p.title ?? "?", panelId: p.id, refId: t.refId, expr: t.expr });
    }
  }
  return out;
}

/** Queries of template variables: the series selector inside `label_values(selector, label)`. */
export function variableSelectors(d: DashboardJson): Array<{ variable: string; expr: string }> {
  const out: Array<{ variable: string; expr: string }> = [];
  for (const v of d.templating?.list ?? []) {
    if (v.type !== "query") continue;
    const q = typeof v.query === "string" ? v.query : (v.query?.query ?? "");
    const m = /^label_values\((.*),\s*([^,()]+)\)$/.exec(q.trim());
    if (!m) throw new Error(`variable $${v.name}: unsupported query ${q}`);
    out.push({ variable: v.name, expr: m[1] });
  }
  return out;
}

/** Grafana's built-in interval variables, as Grafana would fill them in on a 6h dashboard. */
export const BUILTIN_VALUES: Record<string, string> = {
  __rate_interval: "1m",
  __interval: "30s",
  __interval_ms: "30000",
  __range: "6h",
  __range_s: "21600",
  __range_ms: "21600000",
};

/**
 * Values for a dashboard's variables: custom variables take their default (they may stand in label-name
 * positions, e.g. `sum by ($group)`), query variables a two-value regex alternation, which is what Grafana
 * writes for a multi-value selection.
 */
export function sampleValues(
  d: DashboardJson,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const values: Record<string, string> = { ...BUILTIN_VALUES };
  for (const v of d.templating?.list ?? []) {
    if (v.type === "custom") {
      const cur = v.current?.value;
      values[v.name] = Array.isArray(cur) ? cur[0] : (cur ?? "");
    } else if (v.type === "query") {
      values[v.name] = `(${v.name}-a:9100|${v.name}-b\\\\.example:9100)`;
    }
  }
  return { ...values, ...overrides };
}

/**
 * Replace `$var`, `${var}`, `${var:format}` and `[[var]]` (longest names first); throws when a variable
 * is left over, i.e. a query uses a variable the dashboard does not define.
 */
export function substitute(expr: string, values: Record<string, string>): string {
  const names = Object.keys(values).sort((a, b) => b.length - a.length);
  let out = expr;
  for (const n of names) {
    const v = values[n];
    out = out.split(`\${${n}}`).join(v);
    out = out.replace(new RegExp(`\\$\\{${n}:[a-z]+\\}`, "g"), () => v);
    out = out.split(`[[${n}]]`).join(v);
    out = out.replace(new RegExp(`\\$${n}(?![A-Za-z0-9_])`, "g"), () => v);
  }
  const left = /\$\{?[A-Za-z_][A-Za-z0-9_]*|\[\[[A-Za-z_]/.exec(out);
  if (left) throw new Error(`undefined template variable ${left[0]} in: ${expr}`);
  return out;
}

export function rectanglesOverlap(a: GridPosJson, b: GridPosJson): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Every pair of overlapping panels (rows included), as "title#id / title#id". */
export function overlaps(panels: PanelJson[]): string[] {
  const out: string[] = [];
  const placed = panels.filter((p) => p.gridPos !== undefined);
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      if (rectanglesOverlap(placed[i].gridPos!, placed[j].gridPos!)) {
        out.push(`${placed[i].title}#${placed[i].id} / ${placed[j].title}#${placed[j].id}`);
      }
    }
  }
  return out;
}

export interface LabelledQuery {
  label: string;
  expr: string;
}

export interface PromtoolResult {
  status: number | null;
  output: string;
  /** Labels of the queries promtool rejected. */
  failed: string[];
}

/**
 * Wrap each query as a recording rule `dashboard:query_<n>` in one rule file and run
 * `promtool check rules` on it; failures are mapped back to the queries' labels.
 */
export function promtoolCheck(queries: LabelledQuery[]): PromtoolResult {
  const dir = scratchDir("dashboard-rules-");
  try {
    const file = path.join(dir, "dashboard.rules.yml");
    const rules = queries.map((q, n) => ({ record: `dashboard:query_${n}`, expr: q.expr }));
    writeFileSync(file, stringify({ groups: [{ name: "dashboard-queries", rules }] }, { lineWidth: 0 }));
    const r = spawnSync(toolPath("promtool"), ["check", "rules", file], {
      encoding: "utf8",
      timeout: 30_000,
    });
    const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
    const failed = [...output.matchAll(/"dashboard:query_([0-9]+)"/g)].map((m) => {
      const q = queries[Number(m[1])];
      return `${q.label}: ${q.expr}`;
    });
    return { status: r.status, output, failed: [...new Set(failed)] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ALLOWED_TYPES = new Set(["timeseries", "stat", "gauge", "heatmap", "table", "bargauge", "text", "row"]);
const NO_UNIT = new Set(["text", "row"]);

/** What every shipped dashboard must satisfy (built-in and service packs' alike); [] when it does. */
export function dashboardProblems(d: DashboardJson): string[] {
  const out: string[] = [];
  const panels = allPanels(d);
  const ids = panels.map((p) => p.id);
  ids.forEach((id, i) => {
    if (typeof id !== "number") out.push(`panel "${panels[i].title}" has no numeric id`);
    else if (ids.indexOf(id) !== i) out.push(`panel id ${id} used twice`);
  });
  for (const p of panels) {
    const name = `panel "${p.title}" (#${p.id})`;
    const g = p.gridPos;
    if (!g) out.push(`${name} has no gridPos`);
    else if (g.x < 0 || g.w < 1 || g.x + g.w > 24 || g.y < 0 || g.h < 1)
      out.push(`${name} is outside the grid: ${JSON.stringify(g)}`);
    if (!ALLOWED_TYPES.has(p.type ?? "")) out.push(`${name} has type ${p.type}`);
    if (!NO_UNIT.has(p.type ?? "") && !p.fieldConfig?.defaults?.unit) out.push(`${name} has no unit`);
    if (!NO_UNIT.has(p.type ?? "")) {
      if (p.datasource?.uid !== "${datasource}")
        out.push(`${name} datasource is ${JSON.stringify(p.datasource)}`);
      if ((p.targets ?? []).length === 0) out.push(`${name} has no targets`);
    }
    const refIds = (p.targets ?? []).map((t) => t.refId);
    for (const t of p.targets ?? []) {
      if (!t.refId) out.push(`${name} has a target without refId`);
      if (t.datasource?.uid !== "${datasource}" || t.datasource?.type !== "prometheus") {
        out.push(`${name} target ${t.refId} datasource is ${JSON.stringify(t.datasource)}`);
      }
      if (!t.expr) out.push(`${name} target ${t.refId} has no expr`);
    }
    if (new Set(refIds).size !== refIds.length) out.push(`${name} repeats a refId: ${refIds.join(",")}`);
  }
  for (const o of overlaps(panels)) out.push(`overlap: ${o}`);
  if (typeof d.refresh !== "string" || durationSeconds(d.refresh) < 30)
    out.push(`refresh ${d.refresh} < 30s`);
  if ((d.schemaVersion ?? 0) < 39) out.push(`schemaVersion ${d.schemaVersion}`);
  if (d.editable !== false) out.push("editable is not false");
  if ((d.tags ?? []).length === 0) out.push("no tags");
  if (d.time?.from !== "now-6h" || d.time?.to !== "now") out.push(`time range ${JSON.stringify(d.time)}`);
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(d.uid ?? "")) out.push(`uid ${d.uid}`);
  return out;
}

/**
 * `npm run docs:runbooks`: writes the runbook pages (docs/runbooks/) from the typed rule packs and their
 * runbook guides (components/rules/runbooks/: the core packs and the logging stack's `elasticsearch` pack),
 * and from the service packs' runbook data (packs/runbooks.ts) with every pack switched on with its
 * defaults, plus the SLO burn-rate alert. The folder is generated as a whole: pages of alerts that
 * no longer exist are removed. `--check` writes nothing and exits 1 when the folder is not up to date.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { format, resolveConfig } from "prettier";
import { builtInDashboards } from "../components/grafana/dashboards";
import { elasticsearchDashboard } from "../components/logging/exporter/dashboard";
import { loggingPack } from "../components/logging/exporter/rules";
import type { RulePack } from "../components/rules/model";
import { allRulePacks } from "../components/rules/render";
import {
  DEFAULT_RUNBOOK_BASE_URL,
  RUNBOOK_GUIDES,
  RUNBOOKS_DIR,
  runbookPages,
  type DashboardInfo,
  type RunbookPage,
  type RunbookSection,
} from "../components/rules/runbooks";
import { PACK_DEFINITIONS, PACK_KEYS } from "../packs/catalog";
import { packRunbookSections } from "../packs/runbook-pages";
import { secretLookup } from "../stacks/errors";
import { LOGGING_DEFAULTS } from "../stacks/sections/logging";
import { packsSection } from "../stacks/sections/packs";
import type { SectionContext } from "../stacks/sections/section";
import type { PackSpec } from "../stacks/spec";

const root = path.resolve(__dirname, "..");
export const runbooksDir = path.join(root, RUNBOOKS_DIR);

/** Every file below `dir`, as paths relative to it. */
function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Panel titles of a dashboard model, rows' nested panels included. */
function panelTitles(panels: unknown): string[] {
  if (!Array.isArray(panels)) return [];
  return panels.flatMap((p) =>
    isRecord(p) ? [...(typeof p.title === "string" ? [p.title] : []), ...panelTitles(p.panels)] : [],
  );
}

/**
 * The rule packs whose pages come from guides: the core packs, and the logging stack's pack with prod's
 * default node count (the only parameter of its rules).
 */
export function guidedRulePacks(): RulePack[] {
  return [...allRulePacks(), loggingPack({ nodes: LOGGING_DEFAULTS.prod.elasticsearch.replicas })];
}

/**
 * Every service pack switched on with its defaults, resolved by the config section as a stack would: a
 * static target per scrape job and an exporter address per database job (targets change no alert).
 */
export function defaultPackSpecs(): PackSpec[] {
  const raw: Record<string, unknown> = {};
  for (const key of PACK_KEYS) {
    const targets: Record<string, unknown> = {};
    const exporters: Record<string, unknown> = {};
    for (const [k, j] of Object.entries(PACK_DEFINITIONS[key].jobs)) {
      if (j.exporter === "redis") exporters[k] = { address: `redis:${j.defaultPort}` };
      else if (j.exporter === "postgres")
        exporters[k] = { address: `postgres:${j.defaultPort}`, user: "monitor" };
      else targets[k] = { static: [`${k}:${j.defaultPort}`] };
    }
    raw[key] = { targets, ...(Object.keys(exporters).length > 0 ? { exporters } : {}) };
  }
  const ctx: SectionContext = {
    // Dev's context: prod requires password secrets of the exporters, which change no alert.
    stack: "dev",
    environment: "dev",
    ephemeral: false,
    platform: "docker",
    secretKeys: secretLookup(new Set<string>()),
    problems: [],
    resolved: {},
  };
  const parsed = packsSection.schema.safeParse(raw);
  if (!parsed.success) throw new Error(`default packs: ${JSON.stringify(parsed.error.issues)}`);
  const spec = packsSection.resolve(parsed.data, ctx);
  if (ctx.problems.length > 0) throw new Error(`default packs: ${JSON.stringify(ctx.problems)}`);
  return spec.packs;
}

/** Pages of the service packs and the SLO alert. */
export function packSections(): RunbookSection[] {
  return packRunbookSections(defaultPackSpecs());
}

/** The stack's dashboards by uid (the built-in ones and the logging stack's): title and panel titles. */
export function dashboardInfos(): Map<string, DashboardInfo> {
  const infos = new Map<string, DashboardInfo>();
  for (const json of [...builtInDashboards().map((d) => d.json), elasticsearchDashboard()]) {
    const model: unknown = json;
    if (!isRecord(model) || typeof model.uid !== "string" || typeof model.title !== "string") continue;
    infos.set(model.uid, { title: model.title, panels: new Set(panelTitles(model.panels)) });
  }
  return infos;
}

/**
 * The pages as the generator writes them (paths relative to docs/runbooks), formatted by Prettier with the
 * repository's settings so that `npm run lint` finds them as written.
 */
export async function expectedRunbookPages(): Promise<RunbookPage[]> {
  const pages = runbookPages(
    guidedRulePacks(),
    RUNBOOK_GUIDES,
    dashboardInfos(),
    DEFAULT_RUNBOOK_BASE_URL,
    packSections(),
  );
  const options = (await resolveConfig(path.join(runbooksDir, "README.md"))) ?? {};
  return Promise.all(
    pages.map(async (p) => ({
      path: p.path,
      content: await format(p.content, { ...options, parser: "markdown" }),
    })),
  );
}

/** Differences between the folder on disk and the generator: missing, stale or extra files. */
export async function staleRunbookFiles(dir: string = runbooksDir): Promise<string[]> {
  const expected = new Map((await expectedRunbookPages()).map((p) => [p.path, p.content]));
  let actual: string[] = [];
  try {
    actual = listFiles(dir);
  } catch {
    actual = [];
  }
  const problems: string[] = [];
  for (const [rel, content] of expected) {
    if (!actual.includes(rel)) problems.push(`missing: ${rel}`);
    else if (readFileSync(path.join(dir, rel), "utf8") !== content) problems.push(`stale: ${rel}`);
  }
  for (const rel of actual) if (!expected.has(rel)) problems.push(`extra: ${rel}`);
  return problems;
}

async function main(): Promise<number> {
  if (process.argv.includes("--check")) {
    const stale = await staleRunbookFiles();
    for (const s of stale) console.error(s);
    if (stale.length > 0) console.error(`${RUNBOOKS_DIR} is not up to date: run npm run docs:runbooks`);
    return stale.length > 0 ? 1 : 0;
  }
  const pages = await expectedRunbookPages();
  rmSync(runbooksDir, { recursive: true, force: true });
  for (const page of pages) {
    const file = path.join(runbooksDir, page.path);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, page.content);
  }
  console.log(
    `${pages.length} files written to ${RUNBOOKS_DIR}/ (${pages.length - 1} runbook pages and the index)`,
  );
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}

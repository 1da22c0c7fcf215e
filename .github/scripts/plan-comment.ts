/**
 * Builds the pull-request comment of the preview workflow (.github/workflows/preview.yml) from the
 * offline plans of the base and the head of a pull request, and from `pulumi preview` output where the
 * workflow could run it:
 *
 *   npx tsx .github/scripts/plan-comment.ts DIR > comment.md
 *
 * DIR holds one folder per stack (`dev/`, `prod/`), each with:
 *   base/                 the base branch's plan (`npm run plan -- <stack> --out ...`)
 *   base.status           its exit code
 *   head/                 the head's plan, with diff.json from `--diff-against <base plan dir>`
 *   head.status, head.log its exit code and console output (the plan summary)
 *   preview.txt           optional: `pulumi preview --diff` output of that stack
 *
 * The first line is a hidden marker; the workflow updates the comment carrying it instead of adding one.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

export const COMMENT_MARKER = "<!-- monitoring-preview -->";
/** GitHub refuses comments over 65,536 characters; stay well below with room for the footer. */
export const MAX_COMMENT_CHARS = 60_000;
const MAX_ROWS = 40;
const MAX_BLOCK_CHARS = 12_000;

export interface PolicyEntry {
  pack: string;
  policy: string;
  enforcementLevel: string;
  urn: string;
  message: string;
  exempted?: boolean;
  reason?: string;
}

export interface DiffChange {
  urn: string;
  op: string;
  detail?: string;
}

export interface DiffSummary {
  counts: Record<string, number>;
  changes: DiffChange[];
}

export interface StackInput {
  stack: string;
  baseStatus?: number;
  headStatus?: number;
  /** The head plan's console output (resource counts, warnings, policy summary, cost estimate). */
  headLog?: string;
  /** The head plan's resources.json length. */
  headResources?: number;
  baseResources?: number;
  diff?: DiffSummary | "unreadable";
  policy?: PolicyEntry[];
  preview?: string;
}

export interface CommentInput {
  stacks: StackInput[];
  /** e.g. "abc1234 -> def5678" */
  refs?: string;
  runUrl?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The resource name at the end of a URN (`...::name`), for short table cells. */
export function shortUrn(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}

/** Markdown table cell: no pipes or newlines. */
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/**
 * Reads diff.json as the plan writes it. Accepted shapes: an array of changes, or an object with
 * `changes` / `resources` (array) and optionally `summary` (counts by operation). A change names its
 * resource (`urn`) and its operation (`op`, `action` or `kind`: create, update, replace, delete, same...)
 * and may say why (`reason`, `reasons`, `why`, `diffs`).
 */
export function readDiff(json: unknown): DiffSummary | "unreadable" {
  const list = Array.isArray(json)
    ? json
    : isRecord(json)
      ? (json.changes ?? json.resources ?? json.steps)
      : undefined;
  if (!Array.isArray(list)) return "unreadable";
  const changes: DiffChange[] = [];
  const counts: Record<string, number> = {};
  for (const item of list) {
    if (!isRecord(item)) return "unreadable";
    const urn = str(item.urn) ?? str(item.name);
    const op = str(item.op) ?? str(item.action) ?? str(item.kind);
    if (!urn || !op) return "unreadable";
    counts[op] = (counts[op] ?? 0) + 1;
    const why = item.reasons ?? item.reason ?? item.why ?? item.diffs;
    const detail = Array.isArray(why)
      ? why.filter((w): w is string => typeof w === "string").join("; ")
      : str(why);
    changes.push({ urn, op, ...(detail ? { detail } : {}) });
  }
  if (isRecord(json) && isRecord(json.summary)) {
    for (const [op, n] of Object.entries(json.summary)) if (typeof n === "number") counts[op] = n;
  }
  return { counts, changes };
}

/** Reads policy-report.json (an array of entries); throws on anything else. */
export function readPolicy(json: unknown): PolicyEntry[] {
  if (!Array.isArray(json)) throw new Error("policy-report.json is not an array");
  return json.map((e, i) => {
    if (!isRecord(e)) throw new Error(`policy-report.json entry ${i} is not an object`);
    const pick = (k: string) => {
      const v = str(e[k]);
      if (v === undefined) throw new Error(`policy-report.json entry ${i} has no ${k}`);
      return v;
    };
    return {
      pack: pick("pack"),
      policy: pick("policy"),
      enforcementLevel: pick("enforcementLevel"),
      urn: pick("urn"),
      message: pick("message"),
      exempted: e.exempted === true,
      ...(str(e.reason) ? { reason: str(e.reason) } : {}),
    };
  });
}

const UNCHANGED = new Set(["same", "unchanged", "none"]);
const OP_ORDER = ["create", "update", "replace", "delete"];

function statusWord(code: number | undefined): string {
  if (code === undefined) return "not run";
  if (code === 0) return "ok";
  if (code === 1) return "**mandatory policy violation or failure** (exit 1)";
  if (code === 2) return "**invalid config** (exit 2)";
  return `**failed** (exit ${code})`;
}

function fence(text: string, limit = MAX_BLOCK_CHARS): string {
  const body = text.length > limit ? `${text.slice(0, limit)}\n... (cut: see the workflow artifact)` : text;
  return "```\n" + body.replace(/```/g, "` ` `").trimEnd() + "\n```";
}

function diffSection(s: StackInput): string[] {
  if (s.diff === undefined) return ["_No diff: the head plan wrote no diff.json._"];
  if (s.diff === "unreadable")
    return ["_diff.json has a shape this comment does not read; see the artifact._"];
  const { counts, changes } = s.diff;
  const ops = Object.keys(counts).sort((a, b) => {
    const ia = OP_ORDER.indexOf(a);
    const ib = OP_ORDER.indexOf(b);
    return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
  });
  const line = ops.map((op) => `${op} ${counts[op]}`).join(", ");
  const changed = changes.filter((c) => !UNCHANGED.has(c.op));
  const out = [`**Diff against the base:** ${line || "no resources"}`];
  if (changed.length === 0) return [...out, "", "No resource changes."];
  out.push("", "| operation | resource | why |", "| --- | --- | --- |");
  for (const c of changed.slice(0, MAX_ROWS)) {
    const op = c.op === "replace" || c.op === "delete" ? `**${c.op}**` : c.op;
    out.push(`| ${op} | \`${cell(shortUrn(c.urn))}\` | ${cell(c.detail ?? "")} |`);
  }
  if (changed.length > MAX_ROWS)
    out.push("", `... and ${changed.length - MAX_ROWS} more (see the artifact).`);
  return out;
}

function policySection(entries: PolicyEntry[] | undefined): string[] {
  if (!entries) return ["_No policy report._"];
  const exempted = entries.filter((e) => e.exempted);
  const mandatory = entries.filter((e) => !e.exempted && e.enforcementLevel === "mandatory");
  const advisory = entries.filter((e) => !e.exempted && e.enforcementLevel !== "mandatory");
  const out = [
    `**Policies:** ${mandatory.length} mandatory violation(s), ${advisory.length} advisory, ${exempted.length} exempted`,
  ];
  const shown = [...mandatory, ...advisory];
  if (shown.length > 0) {
    out.push("", "| level | policy | resource | message |", "| --- | --- | --- | --- |");
    for (const e of shown.slice(0, MAX_ROWS)) {
      const level = e.enforcementLevel === "mandatory" ? "**mandatory**" : e.enforcementLevel;
      out.push(`| ${level} | ${e.pack}/${e.policy} | \`${cell(shortUrn(e.urn))}\` | ${cell(e.message)} |`);
    }
    if (shown.length > MAX_ROWS) out.push("", `... and ${shown.length - MAX_ROWS} more.`);
  }
  if (exempted.length > 0) {
    const waived = new Map<string, string>();
    for (const e of exempted) waived.set(`${e.pack}/${e.policy} \`${shortUrn(e.urn)}\``, e.reason ?? "");
    out.push("", "<details><summary>Exemptions</summary>", "");
    for (const [k, reason] of waived) out.push(`- ${k}: ${cell(reason)}`);
    out.push("", "</details>");
  }
  return out;
}

/** The whole comment, marker first, never longer than MAX_COMMENT_CHARS. */
export function buildComment(input: CommentInput): string {
  const out = [COMMENT_MARKER, "## Monitoring stack preview", ""];
  if (input.refs) out.push(`Base and head: ${input.refs}`, "");
  out.push("| stack | base plan | head plan | resources (base → head) |", "| --- | --- | --- | --- |");
  for (const s of input.stacks) {
    const n = (v: number | undefined) => (v === undefined ? "?" : String(v));
    out.push(
      `| \`${s.stack}\` | ${statusWord(s.baseStatus)} | ${statusWord(s.headStatus)} | ${n(s.baseResources)} → ${n(s.headResources)} |`,
    );
  }
  for (const s of input.stacks) {
    out.push("", `### \`${s.stack}\``, "", ...diffSection(s), "", ...policySection(s.policy));
    if (s.headLog) {
      out.push("", "<details><summary>Plan summary (head)</summary>", "", fence(s.headLog), "", "</details>");
    }
    if (s.preview !== undefined) {
      out.push("", "<details><summary><code>pulumi preview</code> with both policy packs</summary>", "");
      out.push(fence(s.preview), "", "</details>");
    }
  }
  const footer = [
    "",
    "---",
    `Offline plan under Pulumi's mock runtime (no cloud); \`pulumi preview\` appears where the repository has cloud credentials.${input.runUrl ? ` [Workflow run and artifacts](${input.runUrl})` : ""}`,
  ].join("\n");
  let body = out.join("\n");
  if (body.length + footer.length > MAX_COMMENT_CHARS) {
    body = `${body.slice(0, MAX_COMMENT_CHARS - footer.length - 80)}\n\n... (comment cut to GitHub's size limit)`;
  }
  return body + footer + "\n";
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, "utf8")) as unknown;
}

function readStatus(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const n = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
  return Number.isNaN(n) ? undefined : n;
}

function countResources(dir: string): number | undefined {
  const file = path.join(dir, "resources.json");
  if (!existsSync(file)) return undefined;
  const json = readJson(file);
  return Array.isArray(json) ? json.length : undefined;
}

/** Reads one stack's folder (layout in the header of this file). */
export function readStack(dir: string, stack: string): StackInput {
  const head = path.join(dir, "head");
  const base = path.join(dir, "base");
  const opt = <T>(file: string, read: (f: string) => T): T | undefined =>
    existsSync(file) ? read(file) : undefined;
  return {
    stack,
    baseStatus: readStatus(path.join(dir, "base.status")),
    headStatus: readStatus(path.join(dir, "head.status")),
    headLog: opt(path.join(dir, "head.log"), (f) => readFileSync(f, "utf8")),
    baseResources: countResources(base),
    headResources: countResources(head),
    diff: opt(path.join(head, "diff.json"), (f) => readDiff(readJson(f))),
    policy: opt(path.join(head, "policy-report.json"), (f) => readPolicy(readJson(f))),
    preview: opt(path.join(dir, "preview.txt"), (f) => readFileSync(f, "utf8")),
  };
}

export function readPreviewDir(dir: string): StackInput[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((stack) => readStack(path.join(dir, stack), stack));
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: tsx .github/scripts/plan-comment.ts DIR > comment.md");
    process.exit(64);
  }
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID, BASE_SHA, HEAD_SHA } = process.env;
  process.stdout.write(
    buildComment({
      stacks: readPreviewDir(dir),
      refs: BASE_SHA && HEAD_SHA ? `\`${BASE_SHA.slice(0, 7)}\` → \`${HEAD_SHA.slice(0, 7)}\`` : undefined,
      runUrl:
        GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_RUN_ID
          ? `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`
          : undefined,
    }),
  );
}

/**
 * The preview workflow's pull-request comment (.github/scripts/plan-comment.ts), built from a real offline
 * plan of `dev` laid out the way the workflow lays it out, with a diff.json written here.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

import {
  buildComment,
  COMMENT_MARKER,
  MAX_COMMENT_CHARS,
  readDiff,
  readPolicy,
  readPreviewDir,
  shortUrn,
  type StackInput,
} from "../../.github/scripts/plan-comment";
import { repoRoot, runPlan, type PlanRun } from "../helpers/plan";
import { scratchDir } from "../helpers/scratch";

let dev: PlanRun;
let dir: string;
const grafanaUrn = () => dev.resources.find((r) => r.name.includes("grafana"))!.urn;

beforeAll(() => {
  dev = runPlan("dev");
  if (dev.status !== 0) throw new Error(`plan dev failed: ${dev.stderr}`);
  dir = scratchDir("preview-");
  const stack = path.join(dir, "dev");
  mkdirSync(stack, { recursive: true });
  cpSync(dev.out, path.join(stack, "base"), { recursive: true });
  cpSync(dev.out, path.join(stack, "head"), { recursive: true });
  writeFileSync(path.join(stack, "base.status"), "0\n");
  writeFileSync(path.join(stack, "head.status"), "0\n");
  writeFileSync(path.join(stack, "head.log"), dev.stdout);
  const diff = dev.resources.map((r) => ({ urn: r.urn, op: "same" }));
  diff[0] = { urn: grafanaUrn(), op: "replace", reasons: ["image changed"] } as (typeof diff)[number];
  diff.push({ urn: "urn:pulumi:dev::monitoring::x:y:Z::new-thing", op: "create" });
  writeFileSync(path.join(stack, "head", "diff.json"), JSON.stringify(diff));
  writeFileSync(path.join(stack, "preview.txt"), "Previewing update (dev)\n~ 1 to update\n");
}, 120_000);

describe("the preview comment", () => {
  it("starts with the marker the workflow finds it by, and has a row per stack", () => {
    const body = buildComment({ stacks: readPreviewDir(dir) });
    expect(body.startsWith(`${COMMENT_MARKER}\n`)).toBe(true);
    const n = dev.resources.length;
    expect(body).toContain(`| \`dev\` | ok | ok | ${n} → ${n} |`);
    expect(body).not.toContain("`prod`");
  });

  it("summarises the diff by operation and lists the changes, replacements in bold, unchanged left out", () => {
    const body = buildComment({ stacks: readPreviewDir(dir) });
    const same = dev.resources.length - 1;
    expect(body).toContain(`**Diff against the base:** create 1, replace 1, same ${same}`);
    expect(body).toContain(`| **replace** | \`${shortUrn(grafanaUrn())}\` | image changed |`);
    expect(body).toContain("| create | `new-thing` |  |");
    expect(body.match(/^\| same \|/gm)).toBeNull();
  });

  it("counts the policy report the way the plan does, with exemptions and their reasons", () => {
    const report = readPolicy(JSON.parse(JSON.stringify(readPreviewDir(dir)[0].policy)));
    const exempted = report.filter((e) => e.exempted).length;
    const advisory = report.filter((e) => !e.exempted && e.enforcementLevel !== "mandatory").length;
    expect(exempted).toBeGreaterThan(0);
    // The plan prints the same three numbers on its "policy (dev config)" line.
    expect(dev.stdout).toContain(`0 mandatory violation(s), ${advisory} advisory, ${exempted} exempted`);
    const body = buildComment({ stacks: readPreviewDir(dir) });
    expect(body).toContain(
      `**Policies:** 0 mandatory violation(s), ${advisory} advisory, ${exempted} exempted`,
    );
    expect(body).toContain("<details><summary>Exemptions</summary>");
    expect(body).toMatch(
      /- monitoring-security\/docker-no-host-bind-mounts `[^`]*node-exporter[^`]*`: node-exporter reads/,
    );
  });

  it("carries the plan summary and the pulumi preview output", () => {
    const body = buildComment({ stacks: readPreviewDir(dir) });
    expect(body).toContain(`plan for stack "dev"`);
    expect(body).toContain("<code>pulumi preview</code> with both policy packs");
    expect(body).toContain("~ 1 to update");
  });

  it("says when a head plan is blocked or its config invalid", () => {
    const stack = (headStatus: number): StackInput => ({ stack: "prod", baseStatus: 0, headStatus });
    expect(buildComment({ stacks: [stack(1)] })).toContain(
      "| **mandatory policy violation or failure** (exit 1) |",
    );
    expect(buildComment({ stacks: [stack(2)] })).toContain("| **invalid config** (exit 2) |");
    expect(buildComment({ stacks: [{ stack: "prod" }] })).toContain("| `prod` | not run | not run | ? → ? |");
  });

  it("stays under GitHub's comment size limit however long the plan is", () => {
    const huge: StackInput = {
      stack: "prod",
      headLog: "x".repeat(200_000),
      preview: "y".repeat(200_000),
      diff: {
        counts: { update: 5000 },
        changes: Array.from({ length: 5000 }, (_, i) => ({
          urn: `urn::r${i}`,
          op: "update",
          detail: "z".repeat(50),
        })),
      },
    };
    const body = buildComment({ stacks: [huge, { ...huge, stack: "dev" }] });
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toContain("... and 4960 more");
  });

  it("is what the CLI prints for the same folder", () => {
    const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
    const env = { PATH: process.env.PATH ?? "" };
    const r = spawnSync(tsx, [path.join(repoRoot, ".github/scripts/plan-comment.ts"), dir], {
      encoding: "utf8",
      env,
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(buildComment({ stacks: readPreviewDir(dir) }));
  });
});

describe("reading diff.json", () => {
  it("takes an array of changes or an object with changes and a summary", () => {
    expect(readDiff([{ urn: "a::b", op: "create" }])).toEqual({
      counts: { create: 1 },
      changes: [{ urn: "a::b", op: "create" }],
    });
    expect(
      readDiff({
        summary: { same: 10, delete: 1 },
        changes: [{ urn: "a::b", action: "delete", why: "removed" }],
      }),
    ).toEqual({
      counts: { same: 10, delete: 1 },
      changes: [{ urn: "a::b", op: "delete", detail: "removed" }],
    });
  });

  it("says so instead of guessing when the shape is unknown", () => {
    expect(readDiff({ nothing: true })).toBe("unreadable");
    expect(readDiff([{ urn: "a" }])).toBe("unreadable");
    expect(buildComment({ stacks: [{ stack: "dev", diff: "unreadable" }] })).toContain(
      "diff.json has a shape this comment does not read",
    );
  });

  it("rejects a policy report that is not one", () => {
    expect(() => readPolicy({})).toThrow(/not an array/);
    expect(() => readPolicy([{ pack: "p" }])).toThrow(/entry 0 has no policy/);
  });
});

/**
 * The setup job's request bodies are typed against the official client's request types: a misspelt
 * ILM field is a compile error. Runs the real TypeScript compiler on a body with a typo (refused) and
 * on the same body spelt right (accepted).
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/plan";
import { scratchDir } from "../helpers/scratch";

const RENDER = path.join(repoRoot, "components/logging/setup/render").replace(/\\/g, "/");

function compile(deletePhase: string): { status: number | null; output: string } {
  const dir = scratchDir("ilm-types-");
  const file = path.join(dir, "body.ts");
  writeFileSync(
    file,
    [
      `import type { IlmPolicyBody } from "${RENDER}";`,
      `export const body: IlmPolicyBody = { policy: { phases: { delete: ${deletePhase} } } };`,
      "",
    ].join("\n"),
  );
  const tsc = path.join(repoRoot, "node_modules", ".bin", "tsc");
  const r = spawnSync(
    tsc,
    [
      "--noEmit",
      "--strict",
      "--skipLibCheck",
      "--esModuleInterop",
      "--types",
      "node",
      "--target",
      "ES2022",
      "--moduleResolution",
      "node",
      file,
    ],
    { cwd: repoRoot, encoding: "utf8", timeout: 120_000 },
  );
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe("typed ILM bodies", () => {
  it("a misspelt phase field fails the typecheck", () => {
    const r = compile(`{ min_agee: "29d", actions: { delete: {} } }`);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/min_agee/);
  });

  it("a misspelt action fails the typecheck", () => {
    const r = compile(`{ min_age: "29d", actions: { delet: {} } }`);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/delet/);
  });

  it("the same body spelt right compiles", () => {
    const r = compile(`{ min_age: "29d", actions: { delete: {} } }`);
    expect(r.status, r.output).toBe(0);
  });
});

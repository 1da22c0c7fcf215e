/**
 * Temporary directories for tests, removed after the importing test file has run (pass or fail).
 * Vitest's workers are stopped without an "exit" event, so the clean-up is an afterAll hook, which this
 * module registers on the importing file's root suite when it is first loaded.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll } from "vitest";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

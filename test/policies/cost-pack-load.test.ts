/**
 * Loads the cost pack the way `pulumi preview --policy-pack policies/cost` does: Pulumi's own policy
 * pack host (`@pulumi/pulumi/cmd/run-policy-pack`, TypeScript type-checked by ts-node) against an
 * engine address nothing listens on. A pack that loads prints the port of its analyzer server and
 * waits for the engine; a pack that would crash under the engine exits non-zero with the error.
 * Also type-checks the pack with the TypeScript (3.8) and ts-node Pulumi falls back to when a
 * standalone install of the pack has no TypeScript of its own.
 */
import { spawn, spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const host = path.join(root, "node_modules/@pulumi/pulumi/cmd/run-policy-pack");
const vendor = path.join(root, "node_modules/@pulumi/pulumi/vendor");

describe("the cost pack under Pulumi's policy pack host", () => {
  it("loads and serves its analyzer", async () => {
    const child = spawn(process.execPath, [host, "127.0.0.1:1", path.join(root, "policies/cost")], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const outcome = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve("timeout"), 90_000);
      child.stdout.on("data", () => {
        if (/^\d+\s*$/m.test(stdout)) {
          clearTimeout(timer);
          resolve("serving");
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        resolve(`exited ${code}`);
      });
    });
    if (child.exitCode === null) child.kill();
    expect(outcome, stderr).toBe("serving");
  }, 120_000);

  it("type-checks with the vendored TypeScript 3.8 and ts-node 7", () => {
    const script = `
      const tsn = require(${JSON.stringify(path.join(vendor, "ts-node@7.0.1"))});
      tsn.register({ typeCheck: true, skipProject: true,
        compiler: ${JSON.stringify(path.join(vendor, "typescript@3.8.3/typescript.js"))},
        compilerOptions: { target: "ES2020", module: "commonjs", moduleResolution: "node" } });
      console.log("rules", require("./policies.ts").policies.length);`;
    const r = spawnSync(process.execPath, ["-e", script], {
      cwd: path.join(root, "policies/cost"),
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe("rules 14");
  }, 150_000);
});

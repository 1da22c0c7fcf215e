/**
 * The cost pack type-checks with the TypeScript (3.8) and ts-node (7) that Pulumi's policy pack host
 * falls back to when a standalone install of the pack has no TypeScript of its own (no inline `type`
 * import modifiers, no newer syntax). Loading under the host itself, against a closed engine port, is
 * covered for every pack by pack-loading.test.ts.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { policies } from "../../policies/cost/policies";

const root = path.resolve(__dirname, "../..");
const vendor = path.join(root, "node_modules/@pulumi/pulumi/vendor");

describe("the cost pack under Pulumi's vendored TypeScript", () => {
  it("type-checks with TypeScript 3.8 and ts-node 7", () => {
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
    expect(r.stdout.trim()).toBe(`rules ${policies.length}`);
  }, 150_000);
});

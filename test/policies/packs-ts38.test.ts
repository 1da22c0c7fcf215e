/**
 * Both packs type-check with the TypeScript (3.8) and ts-node (7) that Pulumi's policy pack host falls
 * back to when a standalone install of a pack has no TypeScript of its own: no inline `type` import
 * modifiers, no `||=`, no newer syntax, in the packs, policies/common and lib/. Loading under the host
 * itself, against a closed engine port, is covered for every pack by pack-loading.test.ts.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { policies as cost } from "../../policies/cost/policies";
import { policies as security } from "../../policies/security/policies";

const root = path.resolve(__dirname, "../..");
const vendor = path.join(root, "node_modules/@pulumi/pulumi/vendor");

describe.each([
  ["cost", cost.length],
  ["security", security.length],
])("the %s pack under Pulumi's vendored TypeScript", (pack, count) => {
  it("type-checks with TypeScript 3.8 and ts-node 7", () => {
    const script = `
      const tsn = require(${JSON.stringify(path.join(vendor, "ts-node@7.0.1"))});
      tsn.register({ typeCheck: true, skipProject: true,
        compiler: ${JSON.stringify(path.join(vendor, "typescript@3.8.3/typescript.js"))},
        compilerOptions: { target: "ES2020", module: "commonjs", moduleResolution: "node" } });
      console.log("rules", require("./policies.ts").policies.length);`;
    const r = spawnSync(process.execPath, ["-e", script], {
      cwd: path.join(root, "policies", pack),
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(`rules ${count}`);
  }, 150_000);
});

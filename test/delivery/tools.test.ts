/**
 * `npm test` on a fresh clone installs the real tools itself (vitest globalSetup -> ensureTools ->
 * scripts/install-prometheus-tools.sh). These tests run the script against scratch folders: present tools
 * are never downloaded again, and an unreachable archive fails with an explanation, not a bare apt error.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

import { repoRoot } from "../helpers/plan";
import { scratchDir } from "../helpers/scratch";
import { ensureTools, missingTools, TOOL_NAMES, toolsDir } from "../helpers/tools";

const script = path.join(repoRoot, "scripts", "install-prometheus-tools.sh");

/** A tools folder whose binaries are shell stubs that print `stub <name>`. */
function stubTools(): string {
  const dir = scratchDir("tools-stub-");
  mkdirSync(path.join(dir, "usr", "bin"), { recursive: true });
  for (const name of TOOL_NAMES) {
    const bin = path.join(dir, "usr", "bin", name);
    writeFileSync(bin, `#!/bin/sh\necho "stub ${name}"\n`);
    chmodSync(bin, 0o755);
  }
  return dir;
}

/** The script run against `dir`, with every download pointed at a closed port on this machine. */
function runOffline(dir: string) {
  return spawnSync("bash", [script], {
    env: { ...process.env, PROM_TOOLS_DIR: dir, PROM_TOOLS_MIRROR: "http://127.0.0.1:9/debian" },
    encoding: "utf8",
    timeout: 120_000,
  });
}

describe("the tools the tests run", () => {
  it("were installed by the global setup before any test file ran", () => {
    expect(missingTools(toolsDir)).toEqual([]);
  });

  it("are not downloaded again when present (the script only reports their versions)", () => {
    const dir = stubTools();
    const r = runOffline(dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("stub prometheus\n");
    expect(r.stdout).toContain("stub prometheus-alertmanager\n");
    expect(r.stderr).not.toContain("downloading");
  });

  it("fail with an explanation when Debian's archive cannot be reached", () => {
    const dir = scratchDir("tools-offline-");
    const r = runOffline(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("is Debian's archive reachable from here?");
    expect(r.stderr).toContain("PROM_TOOLS_DIR");
    expect(missingTools(dir)).toEqual([...TOOL_NAMES]);
  });

  it("surface that explanation through ensureTools (what npm test shows)", () => {
    const dir = scratchDir("tools-ensure-");
    const failing = path.join(dir, "install.sh");
    writeFileSync(failing, "#!/bin/sh\necho 'install-prometheus-tools: archive unreachable' >&2\nexit 1\n");
    expect(() => ensureTools(path.join(dir, "tools"), failing)).toThrow(
      /installing them failed \(\S*install\.sh exited 1; missing: prometheus, promtool.*\):\ninstall-prometheus-tools: archive unreachable/s,
    );
  });

  it("leave nothing to do for ensureTools when every binary is present", () => {
    const dir = stubTools();
    // A script that would fail proves it is not run.
    expect(() => ensureTools(dir, path.join(dir, "does-not-exist.sh"))).not.toThrow();
  });

  it("are installed by `npm test` itself: vitest's globalSetup is the module that installs them", () => {
    const config = readFileSync(path.join(repoRoot, "vitest.config.mts"), "utf8");
    expect(config).toMatch(/globalSetup:\s*\[\s*"test\/helpers\/tools\.ts"\s*\]/);
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.test).toBe("vitest run");
  });
});

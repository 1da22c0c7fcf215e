import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { PROMETHEUS_PATHS } from "../../components/prometheus/render";

const repoRoot = path.resolve(__dirname, "../..");

/** Where scripts/install-prometheus-tools.sh unpacks the real Prometheus tool binaries. */
export const toolsDir = process.env.PROM_TOOLS_DIR ?? path.join(repoRoot, ".tools");

export const TOOL_NAMES = [
  "prometheus",
  "promtool",
  "prometheus-alertmanager",
  "amtool",
  "prometheus-node-exporter",
  "prometheus-elasticsearch-exporter",
] as const;
/** What the service packs' live test runs besides (scripts/install-pack-tools.sh). */
export const PACK_TOOL_NAMES = [
  "redis-server",
  "prometheus-redis-exporter",
  "prometheus-postgres-exporter",
] as const;
export type ToolName = (typeof TOOL_NAMES)[number] | (typeof PACK_TOOL_NAMES)[number];

const binPath = (dir: string, name: ToolName) => path.join(dir, "usr", "bin", name);

/** The tools missing from `dir` (all of them when it does not exist). */
export function missingTools(dir: string = toolsDir): (typeof TOOL_NAMES)[number][] {
  return TOOL_NAMES.filter((name) => !existsSync(binPath(dir, name)));
}

/** Absolute path of a real tool binary; throws (never skips) when the tools were not installed. */
export function toolPath(name: ToolName): string {
  const bin = binPath(toolsDir, name);
  if (!existsSync(bin)) {
    throw new Error(
      `${bin} is missing: 'npm test' installs the tools before any test runs (vitest globalSetup); ` +
        "run 'npm run tools' (scripts/install-prometheus-tools.sh) to see why it could not",
    );
  }
  return bin;
}

/** Runs an install script into `dir`; its output, and whether it succeeded. */
function runInstaller(script: string, dir: string): { ok: boolean; exit: string; output: string } {
  const r = spawnSync("bash", [script], {
    env: { ...process.env, PROM_TOOLS_DIR: dir },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 10 * 60_000,
  });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? `\n${String(r.error)}` : ""}`.trim();
  return {
    ok: r.status === 0,
    exit: `${path.relative(repoRoot, script)} exited ${r.status ?? r.signal}`,
    output,
  };
}

/**
 * Makes sure the real binaries are in `dir`: nothing to do when they are, otherwise runs
 * scripts/install-prometheus-tools.sh (which takes a lock, so parallel runs download once) and throws
 * with the script's own explanation when it fails (no Debian archive, no apt-get, ...).
 */
export function ensureTools(
  dir: string = toolsDir,
  script: string = path.join(repoRoot, "scripts", "install-prometheus-tools.sh"),
): void {
  if (missingTools(dir).length === 0) return;
  const r = runInstaller(script, dir);
  const still = missingTools(dir);
  if (!r.ok || still.length > 0) {
    throw new Error(
      `The tests need the real Prometheus tools in ${dir}, and installing them failed ` +
        `(${r.exit}${still.length > 0 ? `; missing: ${still.join(", ")}` : ""}):\n${r.output}`,
    );
  }
  process.stdout.write(`${r.output}\n`);
}

/**
 * The service packs' live test also needs Redis, PostgreSQL and their exporters: the script skips each
 * group that is already there and throws with its own explanation when it cannot install one.
 */
export function ensurePackTools(dir: string = toolsDir): void {
  const r = runInstaller(path.join(repoRoot, "scripts", "install-pack-tools.sh"), dir);
  if (!r.ok) throw new Error(`installing the packs' test binaries failed (${r.exit}):\n${r.output}`);
}

/** Vitest globalSetup (vitest.config.mts): runs once, before any test file, for every way vitest is run. */
export function setup(): void {
  ensureTools();
  ensurePackTools();
}

/**
 * `promtool check config` on a planned prometheus.yml: rule_files pointed at the plan's copy of the
 * rules directory, and the Kubernetes service-account files (which promtool requires to exist) at
 * stand-ins; everything else is checked as rendered.
 */
export function promtoolCheckPlannedConfig(
  content: string,
  rulesDir: string,
  scratch: string,
): { status: number | null; stdout: string; stderr: string } {
  const file = path.join(scratch, "prometheus.yml");
  const serviceAccount = path.join(scratch, "serviceaccount");
  mkdirSync(serviceAccount, { recursive: true });
  for (const f of ["token", "ca.crt"]) writeFileSync(path.join(serviceAccount, f), "stand-in\n");
  writeFileSync(
    file,
    content
      .split(PROMETHEUS_PATHS.rulesDir)
      .join(rulesDir)
      .split("/var/run/secrets/kubernetes.io/serviceaccount")
      .join(serviceAccount),
  );
  return spawnSync(toolPath("promtool"), ["check", "config", file], { encoding: "utf8" });
}

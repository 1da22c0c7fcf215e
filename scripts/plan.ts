/**
 * The offline plan: `npm run plan -- <stack> [--out DIR]`. Runs the real program (index.ts, the entry
 * point Pulumi runs) under the mock runtime with Pulumi.yaml + Pulumi.<stack>.yaml, and writes what it
 * would ask Pulumi to create. Exit codes: 0 ok, 1 mandatory policy violation or failure, 2 config error.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { readStackConfig } from "./plan/config";
import { countsByType, manifestsYaml, renderedFiles } from "./plan/outputs";
import { installMockRuntime } from "./plan/runtime";
import { isConfigError } from "../stacks/errors";
import { environmentOf } from "../stacks/resolve";
import { mandatoryViolations } from "../policies/common/runner";
import { formatEstimate } from "../policies/cost/estimate";
import { runAllPacks } from "../policies/offline";

const root = path.resolve(__dirname, "..");

function usage(): never {
  console.error("usage: npm run plan -- <stack> [--out DIR] [--config FILE]");
  process.exit(64);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const stack = argv.find(
    (a, i) => !a.startsWith("--") && !["--out", "--config"].includes(argv[i - 1] ?? ""),
  );
  if (!stack) usage();
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const outDir = path.resolve(flag("--out") ?? path.join(root, "out", "plan", stack));
  const stackFile = flag("--config");

  const cfg = readStackConfig(root, stack, stackFile && path.resolve(stackFile));
  const runtime = installMockRuntime({
    project: cfg.project,
    stack,
    config: cfg.config,
    secretKeys: cfg.secretKeys,
  });
  let warnings: string[] = [];
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(path.join(root, "index.ts")) as { warnings?: string[] };
    warnings = program.warnings ?? [];
    // The program also logs them through pulumi.log (shown above under the mock runtime).
    await runtime.settle();
  } catch (err) {
    if (isConfigError(err)) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const resources = runtime.resources();

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.join(outDir, "files"), { recursive: true });
  writeFileSync(path.join(outDir, "resources.json"), JSON.stringify(resources, null, 2) + "\n");
  writeFileSync(path.join(outDir, "manifests.yaml"), manifestsYaml(resources));
  const files = renderedFiles(resources);
  for (const [rel, content] of files) {
    const dest = path.join(outDir, "files", rel);
    mkdirSync(path.dirname(dest), { recursive: true });
    writeFileSync(dest, content);
  }

  console.log(`plan for stack "${stack}" -> ${path.relative(process.cwd(), outDir) || "."}`);
  console.log(`  ${resources.length} resources, ${files.size} rendered files`);
  for (const [type, n] of countsByType(resources)) console.log(`  ${String(n).padStart(4)}  ${type}`);
  console.log(`  ${warnings.length} warning(s)`);

  // Policy gate: both packs with this environment's config, as `pulumi preview --policy-pack` would.
  const environment = environmentOf(stack, cfg.config["monitoring:environment"]);
  const policy = await runAllPacks(resources, environment);
  writeFileSync(path.join(outDir, "policy-report.json"), JSON.stringify(policy.entries, null, 2) + "\n");
  const blocking = mandatoryViolations(policy.entries);
  const exempted = policy.entries.filter((e) => e.exempted);
  const advisory = policy.entries.filter((e) => !e.exempted && e.enforcementLevel !== "mandatory");
  console.log(
    `policy (${environment} config): ${blocking.length} mandatory violation(s), ${advisory.length} advisory, ${exempted.length} exempted -> policy-report.json`,
  );
  const short = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
  // One line per rule and resource (a rule may waive several findings on one workload, e.g. each mount).
  const waived = new Map<string, { reason?: string; n: number }>();
  for (const e of exempted) {
    const key = `${e.pack}/${e.policy} ${short(e.urn)}`;
    waived.set(key, { reason: e.reason, n: (waived.get(key)?.n ?? 0) + 1 });
  }
  for (const [key, w] of waived) console.log(`  exempted  ${key}${w.n > 1 ? ` (x${w.n})` : ""}: ${w.reason}`);
  for (const e of advisory) console.log(`  advisory  ${e.pack}/${e.policy} ${short(e.urn)}: ${e.message}`);
  for (const e of blocking) console.error(`  MANDATORY ${e.pack}/${e.policy} ${short(e.urn)}: ${e.message}`);
  console.log(formatEstimate(policy.estimate));
  return blocking.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);

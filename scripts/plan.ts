/**
 * The offline plan: `npm run plan -- <stack> [--out DIR] [--config FILE] [--stub-secrets]
 * [--diff-against DIR]`. Reads the stack's config as the Pulumi CLI does (refusing what it refuses), runs
 * the real program (index.ts, the entry point Pulumi runs) under the mock runtime, refuses what the
 * engine refuses and what the Kubernetes API server's schema refuses (plan/k8s-schema.ts), and writes
 * what it would ask Pulumi to create; with --diff-against, also what changes against an earlier plan
 * (diff.json). Exit codes: 0 ok; 1 engine or Kubernetes schema refusal, mandatory policy violation,
 * refused change (protected resource) or failure; 2 config the CLI or the program refuses.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { isStackFileError, readStackConfig, REDACTED } from "./plan/config";
import { diffPlans, formatDiffSummary } from "./plan/diff";
import { checkKubernetesSchemas, SCHEMA_SOURCE } from "./plan/k8s-schema";
import { countsByType, manifestsYaml, renderedFiles, requestedTotals } from "./plan/outputs";
import { installMockRuntime } from "./plan/runtime";
import { findUnsetSecretRefs, stubNotice } from "./plan/stub-secrets";
import type { PlannedResource } from "./plan/types";
import { isConfigError } from "../stacks/errors";
import { CONFIG_NAMESPACE, environmentOf } from "../stacks/resolve";
import { mandatoryViolations } from "../policies/common/runner";
import { ESTIMATE_DEFAULTS, formatEstimate } from "../policies/cost/estimate";
import { runAllPacks } from "../policies/offline";

const root = path.resolve(__dirname, "..");

const VALUE_FLAGS = ["--out", "--config", "--diff-against", "--program"];
const BOOLEAN_FLAGS = ["--stub-secrets"];

function usage(): never {
  console.error(
    "usage: npm run plan -- <stack> [--out DIR] [--config FILE] [--stub-secrets] [--diff-against DIR] [--program FILE]",
  );
  process.exit(64);
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const unknown = argv.filter(
    (a, i) =>
      a.startsWith("--") &&
      !VALUE_FLAGS.includes(a) &&
      !BOOLEAN_FLAGS.includes(a) &&
      !VALUE_FLAGS.includes(argv[i - 1] ?? ""),
  );
  if (unknown.length > 0) usage();
  const stack = argv.find((a, i) => !a.startsWith("--") && !VALUE_FLAGS.includes(argv[i - 1] ?? ""));
  if (!stack) usage();
  const flag = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const outDir = path.resolve(flag("--out") ?? path.join(root, "out", "plan", stack));
  const stackFile = flag("--config");
  const diffAgainst = flag("--diff-against");
  let before: PlannedResource[] | undefined;
  if (diffAgainst !== undefined) {
    const file = path.resolve(diffAgainst, "resources.json");
    if (!existsSync(file)) {
      console.error(`--diff-against: no resources.json in ${path.resolve(diffAgainst)}`);
      return 64;
    }
    // Read before anything is written: --out may be the same directory.
    before = JSON.parse(readFileSync(file, "utf8")) as PlannedResource[];
  }

  let cfg;
  try {
    cfg = readStackConfig(root, stack, stackFile && path.resolve(stackFile));
  } catch (err) {
    if (isStackFileError(err)) {
      console.error(`error: ${err.message}`);
      return 2;
    }
    throw err;
  }
  for (const w of cfg.warnings) console.error(`warning: ${w}`);
  let runtime = installMockRuntime({
    project: cfg.project,
    stack,
    config: cfg.config,
    secretKeys: cfg.secretKeys,
  });
  if (argv.includes("--stub-secrets")) {
    const stubbed = findUnsetSecretRefs(cfg.config, cfg.secretKeys);
    if (stubbed.length > 0) {
      for (const s of stubbed) {
        const key = `${CONFIG_NAMESPACE}:${s.key}`;
        cfg.config[key] = REDACTED;
        cfg.secretKeys.push(key);
      }
      runtime = installMockRuntime({
        project: cfg.project,
        stack,
        config: cfg.config,
        secretKeys: cfg.secretKeys,
      });
      console.error(stubNotice(stack, path.relative(process.cwd(), cfg.file) || cfg.file, stubbed));
    }
  }
  let warnings: string[] = [];
  let sizing: { prometheusVolume: string; prometheusMemory: string } | undefined;
  try {
    // --program runs another entry point under the same checks (the tests' synthetic programs).
    const entry = flag("--program") ? path.resolve(flag("--program")!) : path.join(root, "index.ts");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(entry) as {
      warnings?: string[];
      sizing?: { prometheusVolume: string; prometheusMemory: string };
    };
    warnings = program.warnings ?? [];
    sizing = program.sizing;
    // The program also logs them through pulumi.log (shown above under the mock runtime).
    await runtime.settle();
  } catch (err) {
    if (isConfigError(err)) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const engineErrors = runtime.engineErrors();
  if (engineErrors.length > 0) {
    // `pulumi preview` stops at these before any provider is asked: nothing is written.
    for (const e of engineErrors) console.error(`error: ${e}`);
    console.error(
      `plan refused: ${engineErrors.length} error(s) the Pulumi engine reports before any provider runs`,
    );
    return 1;
  }
  const resources = runtime.resources();
  // The API server refuses what its schema refuses, and `pulumi preview` already asks it (a server-side
  // dry run, pulumi/pulumi-kubernetes#1556): refused here the same way, before anything is written.
  const schema = checkKubernetesSchemas(resources);
  if (schema.errors.length > 0) {
    for (const e of schema.errors) console.error(`error: ${e}`);
    console.error(
      `plan refused: ${schema.errors.length} error(s) the Kubernetes API server reports against its schema (${SCHEMA_SOURCE})`,
    );
    return 1;
  }

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
  console.log(
    `kubernetes schema (${SCHEMA_SOURCE}): ${schema.validated.length} object(s) validated, ${schema.notValidated.length} not validated`,
  );
  for (const n of schema.notValidated) console.log(`  not validated  ${n.urn}: ${n.reason}`);

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
  if (sizing) {
    // Both derivations (README "Sizing"): load -> samples/s -> bytes -> volume, and series -> memory.
    console.log("sizing (Prometheus, per replica):");
    console.log(`  volume: ${sizing.prometheusVolume}`);
    console.log(`  memory: ${sizing.prometheusMemory}`);
    const t = requestedTotals(resources, ESTIMATE_DEFAULTS.daemonSetNodes);
    if (t.cpu + t.memoryGi + t.storageGi > 0)
      console.log(
        `  requested in total: ${t.storageGi.toFixed(0)} GiB of volumes, ${t.cpu.toFixed(2)} vCPU, ${t.memoryGi.toFixed(2)} GiB of memory`,
      );
  }

  let refused = 0;
  if (before) {
    const entries = diffPlans(before, resources);
    writeFileSync(path.join(outDir, "diff.json"), JSON.stringify(entries, null, 2) + "\n");
    console.log(
      `plan diff against ${path.relative(process.cwd(), path.resolve(diffAgainst!)) || "."} -> diff.json`,
    );
    console.log(formatDiffSummary(entries));
    refused = entries.reduce((n, e) => n + e.errors.length, 0);
    for (const e of entries) for (const err of e.errors) console.error(`error: ${err}`);
    // A change the config asked for that cannot be applied (a shrinking volume) is a config error.
    const configRefusals = entries
      .flatMap((e) => e.errors)
      .filter((err) => err.startsWith(`${CONFIG_NAMESPACE}:`));
    if (configRefusals.length > 0) return 2;
  }
  return blocking.length > 0 || refused > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);

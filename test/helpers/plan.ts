/** Runs the offline plan (`scripts/plan.ts`) for a shipped stack in a child process, into a temp dir. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseDocument, type Document } from "yaml";
import type { PlannedResource } from "../../scripts/plan/types";
import { scratchDir } from "./scratch";

export const repoRoot = path.resolve(__dirname, "../..");

export interface PlanRun {
  status: number | null;
  stdout: string;
  stderr: string;
  out: string;
  resources: PlannedResource[];
  /** Rendered files: path relative to <out>/files -> text. */
  files: Map<string, string>;
}

/** Every file below `dir`, as paths relative to it. */
export function listFiles(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

/**
 * Plans `stack` into a fresh directory. The shipped prod stack names secrets that are set only with
 * `pulumi config set --secret`, so it is planned with --stub-secrets (as CI does).
 */
export function runPlan(stack: string, extra: string[] = []): PlanRun {
  const out = path.join(scratchDir(`plan-${stack}-`), stack);
  const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
  const flags = stack === "prod" && !extra.includes("--stub-secrets") ? ["--stub-secrets", ...extra] : extra;
  const r = spawnSync(tsx, [path.join(repoRoot, "scripts/plan.ts"), stack, "--out", out, ...flags], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 120_000,
  });
  // Refusals (config, engine) write nothing.
  if ((r.status !== 0 && r.status !== 1) || !existsSync(path.join(out, "resources.json"))) {
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, out, resources: [], files: new Map() };
  }
  const resources = JSON.parse(readFileSync(path.join(out, "resources.json"), "utf8")) as PlannedResource[];
  const filesDir = path.join(out, "files");
  const files = new Map(listFiles(filesDir).map((f) => [f, readFileSync(path.join(filesDir, f), "utf8")]));
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, out, resources, files };
}

/** The one rendered file whose path ends with `suffix`; throws when there is not exactly one. */
export function fileEndingWith(run: PlanRun, suffix: string): { path: string; content: string } {
  const hits = [...run.files].filter(([p]) => p.endsWith(suffix));
  if (hits.length !== 1) throw new Error(`expected one file ending in ${suffix}, found ${hits.length}`);
  return { path: path.join(run.out, "files", hits[0][0]), content: hits[0][1] };
}

/** Provider URN the planned Kubernetes resources of plannedResource point at. */
export const K8S_PROVIDER = "urn:pulumi:s::p::pulumi:providers:kubernetes::k8s";

/** A planned resource as resources.json records it, for the diff's pure tests. */
export function plannedResource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<PlannedResource> = {},
): PlannedResource {
  return {
    urn: `urn:pulumi:s::p::${type}::${name}`,
    type,
    name,
    parent: null,
    dependencies: [],
    protect: false,
    retainOnDelete: false,
    inputs,
    custom: true,
    provider: type.startsWith("kubernetes:") ? K8S_PROVIDER : null,
    deleteBeforeReplace: false,
    replaceOnChanges: [],
    ignoreChanges: [],
    secretDigests: {},
    ...extra,
  };
}

/**
 * A copy of a shipped stack file (`Pulumi.dev.yaml`) with `edit` applied to its YAML document, written
 * to a scratch directory, for `runPlan(name, ["--config", file])`.
 */
export function stackVariant(stackFile: string, name: string, edit: (doc: Document) => void): string {
  const doc = parseDocument(readFileSync(path.join(repoRoot, stackFile), "utf8"));
  edit(doc);
  const file = path.join(scratchDir(`stack-${name}-`), `${name}.yaml`);
  writeFileSync(file, doc.toString());
  return file;
}

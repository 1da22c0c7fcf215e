/**
 * Checks for GitHub workflow files, as functions from a parsed workflow (and its text) to a list of
 * problems, so the tests can run them on the shipped workflows (no problems) and on broken copies
 * (each check reports what it is for).
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with: JsonObject;
  env: JsonObject;
  if?: string;
  id?: string;
}

export interface Job {
  id: string;
  raw: JsonObject;
  permissions: Json | undefined;
  steps: Step[];
  env: JsonObject;
  if?: string;
  needs: string[];
}

export interface Workflow {
  file: string;
  text: string;
  raw: JsonObject;
  on: JsonObject;
  permissions: Json | undefined;
  env: JsonObject;
  jobs: Job[];
}

const asString = (v: Json | undefined): string | undefined => (typeof v === "string" ? v : undefined);
const asObject = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});

/** Parses one workflow; throws with the YAML errors when the text is not valid YAML. */
export function parseWorkflow(file: string, text: string): Workflow {
  const doc = parseDocument(text, { uniqueKeys: true, strict: true });
  if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join("; ")}`);
  const raw = doc.toJS() as Json;
  if (!isObject(raw)) throw new Error(`${file}: not a mapping`);
  // `on` may be a string, a list of events or a mapping of events to filters.
  const onRaw = raw.on;
  const on: JsonObject =
    typeof onRaw === "string"
      ? { [onRaw]: null }
      : Array.isArray(onRaw)
        ? Object.fromEntries(onRaw.filter((e): e is string => typeof e === "string").map((e) => [e, null]))
        : asObject(onRaw);
  const jobs = Object.entries(asObject(raw.jobs)).map(([id, j]): Job => {
    const job = asObject(j);
    const needs = job.needs;
    return {
      id,
      raw: job,
      permissions: job.permissions,
      env: asObject(job.env),
      if: asString(job.if),
      needs:
        typeof needs === "string"
          ? [needs]
          : Array.isArray(needs)
            ? needs.filter((n) => typeof n === "string")
            : [],
      steps: (Array.isArray(job.steps) ? job.steps : []).map((s): Step => {
        const step = asObject(s);
        return {
          name: asString(step.name),
          uses: asString(step.uses),
          run: asString(step.run),
          with: asObject(step.with),
          env: asObject(step.env),
          if: asString(step.if),
          id: asString(step.id),
        };
      }),
    };
  });
  return { file, text, raw, on, permissions: raw.permissions, env: asObject(raw.env), jobs };
}

export const workflowsDir = (root: string) => path.join(root, ".github", "workflows");

export function loadWorkflows(root: string): Workflow[] {
  const dir = workflowsDir(root);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
    .sort()
    .map((f) => parseWorkflow(f, readFileSync(path.join(dir, f), "utf8")));
}

const SHA = /^[0-9a-f]{40}$/;
const EXACT_VERSION = /^v\d+\.\d+\.\d+$/;

/**
 * Every `uses:` is a local action, or pinned: a full commit SHA carrying a `# vX.Y.Z` comment on its line,
 * or an exact vX.Y.Z tag. `docker://` images need a digest or an exact version tag.
 */
export function unpinnedActions(wf: Workflow): string[] {
  const problems: string[] = [];
  const lines = wf.text.split("\n");
  for (const job of wf.jobs) {
    for (const step of job.steps) {
      const uses = step.uses;
      if (uses === undefined || uses.startsWith("./")) continue;
      if (uses.startsWith("docker://")) {
        const image = uses.slice("docker://".length);
        if (!imagePinned(image)) problems.push(`${wf.file} ${job.id}: ${uses} is not pinned`);
        continue;
      }
      const at = uses.lastIndexOf("@");
      const ref = at > 0 ? uses.slice(at + 1) : "";
      if (SHA.test(ref)) {
        const line = lines.find((l) => l.includes(uses));
        if (!line || !/#\s*v\d+\.\d+\.\d+\s*$/.test(line)) {
          problems.push(`${wf.file} ${job.id}: ${uses} has no "# vX.Y.Z" comment naming its version`);
        }
      } else if (!EXACT_VERSION.test(ref)) {
        problems.push(`${wf.file} ${job.id}: ${uses} is not pinned to a commit SHA or an exact vX.Y.Z`);
      }
    }
  }
  return problems;
}

/** An image reference with a digest, or a tag holding an exact x.y.z version. */
export function imagePinned(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const slash = image.lastIndexOf("/");
  const colon = image.lastIndexOf(":");
  if (colon <= slash) return false;
  return /^v?\d+\.\d+\.\d+([-.][\w.-]+)?$/.test(image.slice(colon + 1));
}

/** Job containers and service containers run pinned images. */
export function unpinnedImages(wf: Workflow): string[] {
  const problems: string[] = [];
  for (const job of wf.jobs) {
    const images: string[] = [];
    const container = job.raw.container;
    if (typeof container === "string") images.push(container);
    else if (isObject(container) && typeof container.image === "string") images.push(container.image);
    for (const svc of Object.values(asObject(job.raw.services))) {
      if (isObject(svc) && typeof svc.image === "string") images.push(svc.image);
    }
    for (const image of images) {
      if (!imagePinned(image)) problems.push(`${wf.file} ${job.id}: image ${image} is not pinned`);
    }
  }
  return problems;
}

/** What a job may be granted beyond `contents: read`, and the evidence that it needs it. */
const NEEDS: Record<string, (job: Job) => boolean> = {
  // Comments on the pull request: only a job whose script creates or updates issue comments.
  "pull-requests": (job) =>
    job.steps.some(
      (s) =>
        s.uses?.startsWith("actions/github-script@") === true &&
        /issues\.(createComment|updateComment)/.test(asString(s.with.script) ?? ""),
    ),
  // OIDC to AWS: only a job that assumes a role with configure-aws-credentials.
  "id-token": (job) =>
    job.steps.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") === true),
};

/**
 * Least privilege: the workflow grants nothing (`permissions: {}`) or read-only contents; every job
 * says what it gets; `contents` is at most read; pull-requests: write and id-token: write only in jobs
 * that need them; nothing else is granted and `write-all` / `read-all` never appear.
 */
export function permissionProblems(wf: Workflow): string[] {
  const problems: string[] = [];
  const top = wf.permissions;
  if (top === undefined)
    problems.push(`${wf.file}: no workflow-level permissions (the default token may write)`);
  else if (!isObject(top)) problems.push(`${wf.file}: workflow permissions "${String(top)}"`);
  else {
    for (const [scope, level] of Object.entries(top)) {
      if (!(scope === "contents" && level === "read")) {
        problems.push(
          `${wf.file}: workflow-level ${scope}: ${String(level)} (grant it on the job that needs it)`,
        );
      }
    }
  }
  for (const job of wf.jobs) {
    const p = job.permissions;
    if (p === undefined) {
      problems.push(`${wf.file} ${job.id}: no job permissions`);
      continue;
    }
    if (!isObject(p)) {
      problems.push(`${wf.file} ${job.id}: permissions "${String(p)}"`);
      continue;
    }
    for (const [scope, level] of Object.entries(p)) {
      if (level === "none") continue;
      if (scope === "contents" && level === "read") continue;
      const need = NEEDS[scope];
      if (!need) problems.push(`${wf.file} ${job.id}: ${scope}: ${String(level)} is not needed`);
      else if (!need(job))
        problems.push(`${wf.file} ${job.id}: ${scope}: ${String(level)} without a step that needs it`);
    }
    for (const scope of Object.keys(NEEDS)) {
      if (NEEDS[scope](job) && p[scope] !== "write") {
        problems.push(`${wf.file} ${job.id}: needs ${scope}: write and does not ask for it`);
      }
    }
  }
  return problems;
}

/** Names of env variables (workflow, job or step level) whose value comes from a secret. */
function secretEnvNames(...envs: JsonObject[]): string[] {
  return envs.flatMap((env) =>
    Object.entries(env)
      .filter(([, v]) => typeof v === "string" && /\$\{\{\s*secrets\./.test(v))
      .map(([k]) => k),
  );
}

/**
 * No secret reaches a log through a `run:` script: scripts hold no `${{ }}` expressions at all (values,
 * secrets included, come in through `env:`, so nothing is spliced into shell code), and no script
 * prints a variable that holds a secret.
 */
export function secretProblems(wf: Workflow): string[] {
  const problems: string[] = [];
  for (const job of wf.jobs) {
    for (const step of job.steps) {
      if (step.run === undefined) continue;
      const where = `${wf.file} ${job.id} "${step.name ?? step.run.split("\n")[0]}"`;
      if (step.run.includes("${{"))
        problems.push(`${where}: a \${{ }} expression inside run: (pass it through env:)`);
      for (const name of secretEnvNames(wf.env, job.env, step.env)) {
        const printed = new RegExp(`\\b(echo|printf|cat|tee)\\b[^\\n]*\\$\\{?${name}\\b`);
        if (printed.test(step.run)) problems.push(`${where}: prints the secret $${name}`);
      }
      if (/\bset\s+-[a-z]*x/.test(step.run))
        problems.push(`${where}: set -x traces commands and their secrets`);
    }
  }
  return problems;
}

export function jobById(wf: Workflow, id: string): Job {
  const job = wf.jobs.find((j) => j.id === id);
  if (!job) throw new Error(`${wf.file}: no job ${id}`);
  return job;
}

/** Every line of every `run:` script of a job, joined (for "does this job run X" checks). */
export const runText = (job: Job): string => job.steps.map((s) => s.run ?? "").join("\n");

export const stepsUsing = (job: Job, action: string): Step[] =>
  job.steps.filter((s) => s.uses?.startsWith(`${action}@`) === true);

/** The lines of a multi-line `with:` input (policyPacks, policyPackConfigs), trimmed, empty ones dropped. */
export const lines = (v: Json | undefined): string[] =>
  (asString(v) ?? "")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

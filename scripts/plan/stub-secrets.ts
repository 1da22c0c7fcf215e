/**
 * `--stub-secrets`: finds the secret config keys the stack's config names (receivers, Grafana database
 * password, ...) that are not set at all, so the offline plan can stand in redacted values for them.
 *
 * The program itself decides what a secret reference is: a key counts when the program's own config
 * check (stacks/resolve.ts checkSecretRef, run through stacks/index.ts loadStackSpec) stops complaining
 * about it once it is set as a secret. A key set in plain text is never stubbed: that is a real mistake.
 */
import * as pulumi from "@pulumi/pulumi";
import { REDACTED } from "./config";
import { isConfigError, loadStackSpec } from "../../stacks";
import { CONFIG_NAMESPACE } from "../../stacks/resolve";
import type { ConfigProblem } from "../../stacks/errors";

export interface StubbedSecret {
  /** Key without namespace, as `pulumi config set --secret` takes it. */
  key: string;
  /** Config paths that name it. */
  referencedFrom: string[];
}

function problemsWith(config: Record<string, string>, secretKeys: string[]): ConfigProblem[] {
  pulumi.runtime.setAllConfig(config, secretKeys);
  try {
    loadStackSpec();
    return [];
  } catch (err) {
    if (isConfigError(err)) return err.problems;
    throw err;
  }
}

/** Every string in the stack's `monitoring:*` values that could name a config key. */
function keyNameCandidates(config: Record<string, string>): Set<string> {
  const found = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === "string") {
      if (/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/.test(v)) found.add(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  for (const [key, text] of Object.entries(config)) {
    if (!key.startsWith(`${CONFIG_NAMESPACE}:`)) continue;
    try {
      walk(JSON.parse(text));
    } catch {
      // plain strings (environment, cluster, ...) name no key
    }
  }
  return found;
}

/**
 * Secret keys referenced by the config but unset: a candidate counts when setting it as a secret makes
 * some of the program's problems go away (the problems never carry the name: it may be a credential).
 * Leaves the runtime config as it found it.
 */
export function findUnsetSecretRefs(config: Record<string, string>, secretKeys: string[]): StubbedSecret[] {
  try {
    const before = problemsWith(config, secretKeys);
    if (before.length === 0) return [];
    const paths = (ps: ConfigProblem[]) => new Set(ps.map((p) => p.path));
    const found: StubbedSecret[] = [];
    for (const key of [...keyNameCandidates(config)].sort()) {
      const full = `${CONFIG_NAMESPACE}:${key}`;
      if (full in config) continue;
      const after = paths(problemsWith({ ...config, [full]: REDACTED }, [...secretKeys, full]));
      const cleared = before.filter((p) => !after.has(p.path)).map((p) => p.path);
      if (cleared.length > 0) found.push({ key, referencedFrom: cleared });
    }
    return found;
  } finally {
    pulumi.runtime.setAllConfig(config, secretKeys);
  }
}

/** The loud notice printed when secrets were stubbed: what was stubbed and what `pulumi preview` needs. */
export function stubNotice(stack: string, file: string, stubbed: StubbedSecret[]): string {
  const bar = "!".repeat(100);
  const lines = [
    bar,
    `!! --stub-secrets: ${stubbed.length} secret(s) named by the config are not set in ${file};`,
    "!! this plan used redacted stand-ins for them:",
    ...stubbed.map((s) => `!!   ${CONFIG_NAMESPACE}:${s.key}  (named by ${s.referencedFrom.join(", ")})`),
    `!! \`pulumi preview --stack ${stack}\` refuses until they are set:`,
    ...stubbed.map((s) => `!!   pulumi config set --stack ${stack} --secret ${s.key} <value>`),
    bar,
  ];
  return lines.join("\n");
}

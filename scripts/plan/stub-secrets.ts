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

/** Secret keys referenced by the config but unset; leaves the runtime config as it found it. */
export function findUnsetSecretRefs(config: Record<string, string>, secretKeys: string[]): StubbedSecret[] {
  try {
    const before = problemsWith(config, secretKeys);
    const candidates = new Set(
      before
        .map((p) => p.unsetSecret)
        .filter((v): v is string => v !== undefined)
        .filter((v) => !(`${CONFIG_NAMESPACE}:${v}` in config)),
    );
    const found: StubbedSecret[] = [];
    for (const key of [...candidates].sort()) {
      const full = `${CONFIG_NAMESPACE}:${key}`;
      const after = problemsWith({ ...config, [full]: REDACTED }, [...secretKeys, full]);
      if (!after.some((p) => p.unsetSecret === key)) {
        found.push({ key, referencedFrom: before.filter((p) => p.unsetSecret === key).map((p) => p.path) });
      }
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

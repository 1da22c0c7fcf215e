/**
 * Stack files as the program sees them: a `config:` mapping turned into what the engine hands the
 * program (every key "namespace:key" -> text, structured values as JSON), then read by stacks/raw.ts
 * and resolved, exactly as stacks/index.ts does it. Secret (`secure:`) entries become set secrets.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { rawConfig } from "../../stacks/raw";
import { resolveStackSpec } from "../../stacks/resolve";
import type { StackSpec } from "../../stacks/spec";
import { repoRoot } from "../helpers/plan";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface StackConfig {
  /** Pulumi stack name the file belongs to. */
  stack: string;
  /** Every plain entry of `config:`, by full key ("monitoring:prometheus", "aws:region"). */
  config: Record<string, Json>;
  /** Full keys of the secret entries. */
  secrets: string[];
}

const isSecure = (v: Json): boolean =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v;

/** A stack file's text as the program would see it. */
export function stackConfigOf(stack: string, text: string): StackConfig {
  const doc = (parse(text) ?? {}) as { config?: Record<string, Json> };
  const config: Record<string, Json> = {};
  const secrets: string[] = [];
  for (const [key, value] of Object.entries(doc.config ?? {})) {
    const full = key.includes(":") ? key : `monitoring:${key}`;
    if (isSecure(value)) secrets.push(full);
    else config[full] = value;
  }
  return { stack, config, secrets };
}

/**
 * The shipped Pulumi.<stack>.yaml, with the secrets its comments tell the user to set
 * (`pulumi config set --stack <stack> --secret <key> ...`) counted as set, as they are once deployed.
 */
export function shippedStack(stack: "dev" | "prod"): StackConfig {
  const text = readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8");
  const s = stackConfigOf(stack, text);
  for (const m of text.matchAll(/pulumi config set --stack \S+ --secret ([A-Za-z][A-Za-z0-9_]*)/g))
    if (!s.secrets.includes(`monitoring:${m[1]}`)) s.secrets.push(`monitoring:${m[1]}`);
  return s;
}

/** Resolves a stack's config the way the program does; throws what the program would throw. */
export function resolveStack(s: StackConfig): StackSpec {
  const engine: Record<string, string> = {};
  for (const [key, value] of Object.entries(s.config))
    engine[key] = typeof value === "string" ? value : JSON.stringify(value);
  for (const key of s.secrets) engine[key] = "[secret]";
  const secret = new Set(s.secrets);
  const raw = rawConfig(engine, (key) => secret.has(key));
  return resolveStackSpec(raw.values, {
    stack: s.stack,
    secretKeys: raw.secretKeys,
    awsRegion: engine["aws:region"],
    otherKeys: raw.otherKeys,
  });
}

/**
 * Reads Pulumi.yaml + Pulumi.<stack>.yaml the way the engine hands config to a program: every key as
 * "namespace:key" -> text (JSON for structured values), with `secure:` values replaced by a redacted
 * placeholder that is still registered as a secret.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export const REDACTED = "[redacted-secret]";

export interface StackConfigFile {
  project: string;
  config: Record<string, string>;
  secretKeys: string[];
}

function hasSecure(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasSecure);
  if (value && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "secure") return true;
    return Object.values(value).some(hasSecure);
  }
  return false;
}

function redactSecure(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecure);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (Object.keys(obj).length === 1 && "secure" in obj) return REDACTED;
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, redactSecure(v)]));
  }
  return value;
}

/** Loads the project name and the stack's config; throws a readable error when a file is missing. */
export function readStackConfig(root: string, stack: string, stackFile?: string): StackConfigFile {
  const projectFile = path.join(root, "Pulumi.yaml");
  const project = parse(readFileSync(projectFile, "utf8")) as {
    name: string;
    config?: Record<string, unknown>;
  };
  const file = stackFile ?? path.join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) throw new Error(`no stack config file ${file}`);
  const stackDoc = (parse(readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];

  // Project-level defaults first (Pulumi.yaml `config:` entries with a `default`), then the stack file.
  for (const [key, decl] of Object.entries(project.config ?? {})) {
    if (decl && typeof decl === "object" && "default" in decl) {
      const full = key.includes(":") ? key : `${project.name}:${key}`;
      const v = (decl as { default: unknown }).default;
      config[full] = typeof v === "string" ? v : JSON.stringify(v);
    }
  }
  for (const [key, raw] of Object.entries(stackDoc.config ?? {})) {
    const full = key.includes(":") ? key : `${project.name}:${key}`;
    if (hasSecure(raw)) secretKeys.push(full);
    const value = redactSecure(raw);
    config[full] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { project: project.name, config, secretKeys };
}

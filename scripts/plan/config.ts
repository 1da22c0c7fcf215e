/**
 * Reads Pulumi.yaml + Pulumi.<stack>.yaml the way the Pulumi CLI does before it starts a program, and
 * refuses what the CLI refuses, in the CLI's words. The result is what the engine hands the program:
 * every key as "namespace:key" -> text (JSON for structured values), `secure:` values replaced by a
 * redacted stand-in that is still registered as a secret (the plan cannot decrypt).
 *
 * Sources (pulumi/pulumi):
 * - sdk/go/common/workspace/loaders.go: LoadProjectBytes, LoadProjectStackBytes (unqualified keys get
 *   the project namespace; a key with no value is read as "" with a warning: checkForEmptyConfig).
 * - sdk/go/common/workspace/project.go: ProjectConfigType, Project.Validate, ValidateConfigValue,
 *   SimplifyMarshalledProject ("expected project to be an object, was '%T'").
 * - sdk/go/common/encoding/marshal.go + gopkg.in/yaml.v3 decode.go: duplicate keys are refused at every
 *   level, "yaml: unmarshal errors:\n  line N: mapping key \"k\" already defined at line M".
 * - sdk/go/common/resource/config/key.go: ParseKey.
 * - pkg/workspace/config.go: mergeConfig / ValidateStackConfigAndApplyProjectConfig (missing keys,
 *   defaults, then per-key secret and type checks).
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";

export const REDACTED = "[redacted-secret]";

export interface StackConfigFile {
  project: string;
  config: Record<string, string>;
  secretKeys: string[];
  /** Warnings the CLI prints but does not fail on. */
  warnings: string[];
  /** The stack file that was read. */
  file: string;
}

/** A refusal the CLI makes before the program runs: the plan exits 2 with this message. */
export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

export function isStackFileError(err: unknown): err is StackFileError {
  return err instanceof Error && err.name === "StackFileError";
}

/** A project's `config:` declaration (project.go ProjectConfigType). */
export interface ProjectConfigType {
  type?: string;
  items?: ItemsType;
  description?: string;
  default?: unknown;
  value?: unknown;
  secret?: boolean;
}

interface ItemsType {
  type: string;
  items?: ItemsType;
}

/** One stack config value as the CLI holds it (config.Value): text, whether secure, whether an object. */
interface StackValue {
  text: string;
  secure: boolean;
  object: boolean;
}

const SIMPLE_TYPES = ["string", "integer", "boolean", "array", "object"];
const DECLARATION_ATTRIBUTES = ["type", "items", "description", "secret", "default", "value"];

/** Go's %T of a value yaml.v3 decoded into interface{}, for the CLI's "was '%T'" message. */
function goTypeName(value: unknown): string {
  if (Array.isArray(value)) return "[]interface {}";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float64";
  return "map[string]interface {}";
}

/** Parses YAML with yaml.v3's refusals: syntax errors and duplicate keys at any level. */
function parseYamlLikeGo(file: string, text: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter, version: "1.2" });
  const relative = path.basename(file);
  if (doc.errors.length > 0) {
    throw new StackFileError(`${relative}: invalid YAML file: ${doc.errors[0].message}`);
  }
  const duplicates: string[] = [];
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      const items = node.items;
      for (let i = 0; i < items.length; i++) {
        for (let j = i + 1; j < items.length; j++) {
          const a = items[i].key;
          const b = items[j].key;
          // yaml.v3 compares node kind and source text, so `1` and "1" collide as they do in Go.
          if (isScalar(a) && isScalar(b) && String(a.source ?? a.value) === String(b.source ?? b.value)) {
            const line = (n: Node) => lineCounter.linePos(n.range?.[0] ?? 0).line;
            duplicates.push(
              `  line ${line(b)}: mapping key ${JSON.stringify(String(b.source ?? b.value))} already defined at line ${line(a)}`,
            );
          }
        }
        walk(items[i].value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    }
  };
  walk(doc.contents);
  if (duplicates.length > 0) {
    throw new StackFileError(`${relative}: yaml: unmarshal errors:\n${duplicates.join("\n")}`);
  }
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

/** config.ParseKey after the loader namespaced unqualified keys with the project name. */
function parseConfigKey(projectName: string, key: string): string {
  if (!key.includes(":")) return `${projectName}:${key}`;
  const parts = key.split(":");
  if (parts.length === 2) return key;
  // <namespace>:config:<name> is the legacy form of <namespace>:<name>.
  if (parts.length === 3 && parts[1] === "config") return `${parts[0]}:${parts[2]}`;
  throw new StackFileError(
    `could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`,
  );
}

function isSecureValue(value: unknown): value is { secure: string } {
  return (
    !!value &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as { secure?: unknown }).secure === "string"
  );
}

function hasSecure(value: unknown): boolean {
  if (isSecureValue(value)) return true;
  if (Array.isArray(value)) return value.some(hasSecure);
  if (value && typeof value === "object") return Object.values(value).some(hasSecure);
  return false;
}

function redactSecure(value: unknown): unknown {
  if (isSecureValue(value)) return REDACTED;
  if (Array.isArray(value)) return value.map(redactSecure);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecure(v)]));
  }
  return value;
}

/** config/object.go MarshalString: scalars as text, null as "", objects and arrays as JSON. */
function toStackValue(raw: unknown): StackValue {
  if (raw === null || raw === undefined) return { text: "", secure: false, object: false };
  if (isSecureValue(raw)) return { text: REDACTED, secure: true, object: false };
  if (typeof raw === "string") return { text: raw, secure: false, object: false };
  if (typeof raw === "number" || typeof raw === "boolean") {
    return { text: JSON.stringify(raw), secure: false, object: false };
  }
  return { text: JSON.stringify(redactSecure(raw)), secure: hasSecure(raw), object: true };
}

/** project.go ValidateConfigValue, on the value as the CLI sees it (text unless it is an object). */
export function validateConfigValue(typeName: string, items: ItemsType | undefined, value: unknown): boolean {
  switch (typeName) {
    case "string":
      return typeof value === "string";
    case "integer":
      if (typeof value === "number") return Number.isInteger(value);
      // strconv.Atoi: optional sign, decimal digits, within 64 bits.
      return (
        typeof value === "string" &&
        /^[+-]?\d+$/.test(value) &&
        BigInt(value) < 2n ** 63n &&
        BigInt(value) >= -(2n ** 63n)
      );
    case "boolean":
      return value === true || value === false || value === "true" || value === "false";
    case "object":
      return !!value && typeof value === "object" && !Array.isArray(value);
    default:
      if (!Array.isArray(value) || !items) return false;
      return value.every((v) => validateConfigValue(items.type, items.items, v));
  }
}

/** project.go InferFullTypeName: "array<string>" etc. */
function fullTypeName(typeName: string, items: ItemsType | undefined): string {
  return items ? `array<${fullTypeName(items.type, items.items)}>` : typeName;
}

function isPrimitive(v: unknown): boolean {
  return typeof v === "string" || typeof v === "boolean" || (typeof v === "number" && Number.isInteger(v));
}

/** Pulumi.yaml's `config:` declarations, with the checks LoadProjectBytes and Project.Validate make. */
export function readProjectConfigDeclarations(
  projectFile: string,
  projectName: string,
  rawConfig: unknown,
): Record<string, ProjectConfigType> {
  const where = path.basename(projectFile);
  if (rawConfig === undefined || rawConfig === null) return {};
  if (typeof rawConfig !== "object" || Array.isArray(rawConfig)) {
    throw new StackFileError(
      `could not validate '${where}': config must be a mapping of keys to declarations`,
    );
  }
  const out: Record<string, ProjectConfigType> = {};
  for (const [key, decl] of Object.entries(rawConfig as Record<string, unknown>)) {
    const namespaced = !key.includes(":") || key.startsWith(`${projectName}:`);
    // RewriteShorthandConfigValues: a bare scalar or list is a default (project keys) or a value (others).
    if (isPrimitive(decl) || Array.isArray(decl)) {
      out[key] = namespaced ? { default: decl } : { value: decl };
      continue;
    }
    if (!decl || typeof decl !== "object") {
      throw new StackFileError(
        `could not validate '${where}': config.${key} must be a value or a declaration`,
      );
    }
    const unknown = Object.keys(decl).filter((k) => !DECLARATION_ATTRIBUTES.includes(k));
    if (unknown.length > 0) {
      throw new StackFileError(
        `could not validate '${where}': config.${key}: additional properties ${unknown.map((k) => `'${k}'`).join(", ")} not allowed`,
      );
    }
    const d = decl as ProjectConfigType;
    if (d.type !== undefined && !SIMPLE_TYPES.includes(d.type)) {
      throw new StackFileError(
        `could not validate '${where}': config.${key}.type must be one of ${SIMPLE_TYPES.map((t) => `"${t}"`).join(", ")}`,
      );
    }
    if (d.default !== undefined && d.default !== null && d.value !== undefined && d.value !== null) {
      throw new StackFileError(
        `could not unmarshal '${where}': project config '${key}' cannot have both a 'default' and 'value' attribute`,
      );
    }
    if (namespaced) {
      if (d.type === "array" && !d.items) {
        throw new StackFileError(
          `could not unmarshal '${where}': The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`,
        );
      }
      if (d.type !== undefined && d.default !== undefined && d.default !== null) {
        if (!validateConfigValue(d.type, d.items, d.default)) {
          throw new StackFileError(
            `could not unmarshal '${where}': The default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(d.type, d.items)}'`,
          );
        }
      }
    } else {
      if (d.type !== undefined) {
        throw new StackFileError(
          `could not unmarshal '${where}': Configuration key '${key}' is not namespaced by the project and should not define a type`,
        );
      }
      if (d.default !== undefined && d.default !== null) {
        throw new StackFileError(
          `could not unmarshal '${where}': Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`,
        );
      }
      if (d.value === undefined || d.value === null) {
        throw new StackFileError(
          `could not unmarshal '${where}': Configuration key '${key}' is namespaced and must provide an attribute 'value'`,
        );
      }
    }
    out[key] = d;
  }
  return out;
}

/** workspace/config.go formatMissingKeys: 'a' / 'a' and 'b' / 'a', 'b' and 'c' (sorted). */
function formatMissingKeys(keys: string[]): string {
  if (keys.length === 1) return `'${keys[0]}'`;
  const sorted = [...keys].sort();
  return sorted
    .map((k, i) =>
      i === sorted.length - 1 ? `and '${k}'` : i === sorted.length - 2 ? `'${k}' ` : `'${k}', `,
    )
    .join("");
}

/**
 * mergeConfig (pkg/workspace/config.go): applies project defaults/values and validates the stack's values
 * against the declarations. The CLI stops at the first failing key; the plan lists every one (each in
 * the CLI's words) so one run shows all of them.
 */
export function applyProjectConfig(
  stack: string,
  projectName: string,
  declarations: Record<string, ProjectConfigType>,
  values: Map<string, StackValue>,
): void {
  const keys = Object.keys(declarations).sort();
  const missing: string[] = [];
  for (const projectKey of keys) {
    const decl = declarations[projectKey];
    const key = parseConfigKey(projectName, projectKey);
    const hasDefault = decl.default !== undefined && decl.default !== null;
    const hasValue = decl.value !== undefined && decl.value !== null;
    if (values.has(key)) continue;
    if (!hasDefault && !hasValue) {
      if (key.startsWith(`${projectName}:`)) missing.push(projectKey);
      continue;
    }
    // createConfigValue: string/int/bool as text, anything else as a JSON object value.
    const v = hasDefault ? decl.default : decl.value;
    values.set(
      key,
      isPrimitive(v)
        ? { text: String(v), secure: false, object: false }
        : { text: JSON.stringify(v), secure: false, object: true },
    );
  }
  if (missing.length > 0) {
    const noun = missing.length > 1 ? "values" : "value";
    throw new StackFileError(
      `Stack '${stack}' is missing configuration ${noun} ${formatMissingKeys(missing)}`,
    );
  }

  const errors: string[] = [];
  for (const projectKey of keys) {
    const decl = declarations[projectKey];
    if (decl.type === undefined) continue; // only explicitly typed keys are checked (IsExplicitlyTyped)
    const key = parseConfigKey(projectName, projectKey);
    const value = values.get(key) ?? { text: "", secure: false, object: false };
    if (decl.secret && !value.secure) {
      errors.push(`Stack '${stack}' with configuration key '${projectKey}' must be encrypted as it's secret`);
      continue;
    }
    // A secure value cannot be decrypted here, so its type cannot be checked.
    if (value.secure) continue;
    const content: unknown = value.object ? (JSON.parse(value.text) as unknown) : value.text;
    if (!validateConfigValue(decl.type, decl.items, content)) {
      errors.push(
        `Stack '${stack}' with configuration key '${projectKey}' must be of type '${fullTypeName(decl.type, decl.items)}'`,
      );
    }
  }
  if (errors.length > 0) throw new StackFileError(errors.join("\n"));
}

/** Loads the project name and the stack's config; throws StackFileError for anything the CLI refuses. */
export function readStackConfig(root: string, stack: string, stackFile?: string): StackConfigFile {
  const projectFile = path.join(root, "Pulumi.yaml");
  const projectDoc = parseYamlLikeGo(projectFile, readFileSync(projectFile, "utf8"));
  if (!projectDoc || typeof projectDoc !== "object" || Array.isArray(projectDoc)) {
    throw new StackFileError(
      `could not validate '${path.basename(projectFile)}': expected project to be an object, was '${goTypeName(projectDoc)}'`,
    );
  }
  const projectName = (projectDoc as { name?: unknown }).name;
  if (typeof projectName !== "string" || projectName === "") {
    throw new StackFileError(
      `could not validate 'Pulumi.yaml': project is missing a non-empty string 'name' attribute`,
    );
  }
  const declarations = readProjectConfigDeclarations(
    projectFile,
    projectName,
    (projectDoc as { config?: unknown }).config,
  );

  const file = stackFile ?? path.join(root, `Pulumi.${stack}.yaml`);
  // The CLI treats a missing stack file as an empty one; the plan wants the file it was told to read.
  if (!existsSync(file)) throw new StackFileError(`no stack config file ${file}`);
  const stackDoc = parseYamlLikeGo(file, readFileSync(file, "utf8"));
  const where = path.basename(file);
  const warnings: string[] = [];
  const values = new Map<string, StackValue>();
  if (stackDoc !== null && stackDoc !== undefined) {
    if (typeof stackDoc !== "object" || Array.isArray(stackDoc)) {
      // SimplifyMarshalledProject's wording (it says "project" for stack files too).
      throw new StackFileError(
        `${where}: expected project to be an object, was '${goTypeName(stackDoc)}' (a stack file is a YAML mapping with a \`config:\` mapping)`,
      );
    }
    const rawConfig = (stackDoc as { config?: unknown }).config;
    if (rawConfig !== null && rawConfig !== undefined) {
      if (typeof rawConfig !== "object" || Array.isArray(rawConfig)) {
        throw new StackFileError(
          `${where}: could not unmarshal map: \`config:\` must be a mapping of keys to values, was '${goTypeName(rawConfig)}'`,
        );
      }
      const empty: string[] = [];
      for (const [key, raw] of Object.entries(rawConfig as Record<string, unknown>)) {
        if (raw === null) empty.push(`"${key}"`);
        let full: string;
        try {
          full = parseConfigKey(projectName, key);
        } catch (err) {
          throw new StackFileError(`${where}: could not unmarshal map: ${(err as Error).message}`);
        }
        values.set(full, toStackValue(raw));
      }
      if (empty.length > 0) {
        // checkForEmptyConfig (loaders.go).
        const s = empty.length > 1 ? "s" : "";
        const list = empty.length === 2 ? empty.join(" and ") : empty.join(", ");
        warnings.push(
          `No value for configuration key${s} ${list}. This is currently treated as an empty string \`""\`, but will be treated as \`null\` in a future version of pulumi.\nSet the value${s} to \`""\` to avoid this warning.`,
        );
      }
    }
  }

  try {
    applyProjectConfig(stack, projectName, declarations, values);
  } catch (err) {
    if (isStackFileError(err)) throw new StackFileError(`${where}: ${err.message}`);
    throw err;
  }
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, v] of values) {
    config[key] = v.text;
    if (v.secure) secretKeys.push(key);
  }
  return { project: projectName, config, secretKeys, warnings, file };
}

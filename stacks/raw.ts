/**
 * The engine's config as the program receives it (every key "namespace:key" -> text) turned into the
 * raw values resolveStackSpec reads. Pure, so tests feed it what a stack file would give the engine.
 */
import { CONFIG_NAMESPACE } from "./errors";

/** Keys whose values are plain strings; everything else is structured (JSON) or a scalar JSON literal. */
const STRING_KEYS = new Set(["environment", "platform", "cluster"]);

function parseValue(key: string, text: string): unknown {
  // An empty YAML value may reach a program as the text "null": never a cluster named "null".
  if (STRING_KEYS.has(key)) return text === "null" ? null : text;
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: a plain string, refused by the key's schema with the text shown.
    return text;
  }
}

export interface RawConfig {
  /** `monitoring:*` values by key (without namespace); secret values are never read. */
  values: Record<string, unknown>;
  /** `monitoring:*` keys whose values are secrets. */
  secretKeys: Set<string>;
  /** Full names of the keys in other namespaces (aws:region, ...). */
  otherKeys: string[];
}

export function rawConfig(config: Record<string, string>, isSecret: (fullKey: string) => boolean): RawConfig {
  const raw: RawConfig = { values: {}, secretKeys: new Set(), otherKeys: [] };
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [fullKey, text] of Object.entries(config)) {
    if (!fullKey.startsWith(prefix)) {
      raw.otherKeys.push(fullKey);
      continue;
    }
    const key = fullKey.slice(prefix.length);
    // Secret values are read through pulumi.Config where they are used, never here.
    if (isSecret(fullKey)) raw.secretKeys.add(key);
    else raw.values[key] = parseValue(key, text);
  }
  return raw;
}

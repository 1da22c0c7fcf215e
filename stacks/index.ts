/** Reads the stack's `monitoring:*` config from Pulumi and resolves it (the only Pulumi-aware part of stacks/). */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_NAMESPACE, resolveStackSpec } from "./resolve";
import type { StackSpec } from "./spec";

export { ConfigError, isConfigError } from "./errors";
export type { StackSpec } from "./spec";

// isConfigSecret is internal to the SDK but is how the engine's secret-key list is exposed to programs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as {
  isConfigSecret?: (key: string) => boolean;
};

/** Keys whose values are plain strings; everything else is structured (JSON) or a scalar JSON literal. */
const STRING_KEYS = new Set(["environment", "platform", "cluster"]);

function parseValue(key: string, text: string): unknown {
  if (STRING_KEYS.has(key)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Collects the raw `monitoring:*` values and the names of the ones that are secrets. */
export function readRawConfig(): { values: Record<string, unknown>; secretKeys: Set<string> } {
  const values: Record<string, unknown> = {};
  const secretKeys = new Set<string>();
  const prefix = `${CONFIG_NAMESPACE}:`;
  for (const [fullKey, text] of Object.entries(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(prefix)) continue;
    const key = fullKey.slice(prefix.length);
    if (runtimeConfig.isConfigSecret?.(fullKey)) {
      secretKeys.add(key);
      continue; // secret values are read through pulumi.Config where they are used, never here
    }
    values[key] = parseValue(key, text);
  }
  return { values, secretKeys };
}

/** The resolved spec of the current stack; throws ConfigError (listing every problem) on bad config. */
export function loadStackSpec(): StackSpec {
  const { values, secretKeys } = readRawConfig();
  const awsRegion = new pulumi.Config("aws").get("region");
  return resolveStackSpec(values, { stack: pulumi.getStack(), secretKeys, awsRegion });
}

/** A secret config value by key (e.g. "slackWebhookUrl"), as a secret Output. */
export function secretConfig(key: string): pulumi.Output<string> {
  return new pulumi.Config(CONFIG_NAMESPACE).requireSecret(key);
}

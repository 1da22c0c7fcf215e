/** Reads the stack's `monitoring:*` config from Pulumi and resolves it (the only Pulumi-aware part of stacks/). */
import * as pulumi from "@pulumi/pulumi";
import { rawConfig, type RawConfig } from "./raw";
import { CONFIG_NAMESPACE, resolveStackSpec } from "./resolve";
import type { StackSpec } from "./spec";

export { ConfigError, isConfigError } from "./errors";
export type { StackSpec } from "./spec";

// isConfigSecret is internal to the SDK but is how the engine's secret-key list is exposed to programs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as {
  isConfigSecret?: (key: string) => boolean;
};

/** Collects the raw `monitoring:*` values, the names of the ones that are secrets and the other keys. */
export function readRawConfig(): RawConfig {
  return rawConfig(pulumi.runtime.allConfig(), (key) => runtimeConfig.isConfigSecret?.(key) ?? false);
}

/** The resolved spec of the current stack; throws ConfigError (listing every problem) on bad config. */
export function loadStackSpec(): StackSpec {
  const { values, secretKeys, otherKeys } = readRawConfig();
  const awsRegion = new pulumi.Config("aws").get("region");
  return resolveStackSpec(values, { stack: pulumi.getStack(), secretKeys, awsRegion, otherKeys });
}

/** A secret config value by key (e.g. "slackWebhookUrl"), as a secret Output. */
export function secretConfig(key: string): pulumi.Output<string> {
  return new pulumi.Config(CONFIG_NAMESPACE).requireSecret(key);
}

/**
 * The shared mocks helper: installs Pulumi's mock runtime (recording every registration, secrets
 * redacted) with a stack's config. Call it before importing modules that create resources.
 */
import { installMockRuntime } from "../../scripts/plan/runtime";
import type { PlannedResource } from "../../scripts/plan/types";

export type { PlannedResource };

export interface MockStack {
  /** Waits until every registration (including ones chained on outputs) has been recorded. */
  settle(): Promise<void>;
  resources(): PlannedResource[];
  /** Resources of one type token, e.g. "kubernetes:apps/v1:StatefulSet". */
  ofType(type: string): PlannedResource[];
}

/**
 * @param values `monitoring:*` config values (objects as objects), as a stack file would hold them
 * @param secrets `monitoring:*` secret values by key
 */
export function mockStack(
  stack: string,
  values: Record<string, unknown> = {},
  secrets: Record<string, string> = {},
): MockStack {
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(values))
    config[`monitoring:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
  for (const [k, v] of Object.entries(secrets)) config[`monitoring:${k}`] = v;
  const runtime = installMockRuntime({
    project: "monitoring",
    stack,
    config,
    secretKeys: Object.keys(secrets).map((k) => `monitoring:${k}`),
  });
  return {
    settle: runtime.settle,
    resources: runtime.resources,
    ofType: (type) => runtime.resources().filter((r) => r.type === type),
  };
}

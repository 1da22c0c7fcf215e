/**
 * The cost rules, as a plain array so the offline plan and the tests run them without the engine.
 * Every rule reads its caps from config (declared in `configSchema`) and applies its own defaults in
 * code: the engine fills schema defaults, the offline runner does not. Rules compare `args.type`
 * strings. Levels come from the per-environment config files (config.dev.json, config.prod.json).
 * The rules themselves live in rules/, one file per domain.
 */
import type { Policies } from "@pulumi/policy";
import { awsPolicies } from "./rules/aws";
import { budgetPolicies } from "./rules/budget";
import { computePolicies } from "./rules/compute";
import { networkPolicies } from "./rules/network";
import { retentionPolicies } from "./rules/retention";
import { storagePolicies } from "./rules/storage";
import { tagPolicies } from "./rules/tags";

export { DEFAULTS } from "./rules/config";
export { storageShares } from "./rules/storage";
export { UNTAGGABLE_AWS_TYPES } from "./rules/tags";

export const policies: Policies = [
  ...storagePolicies,
  ...retentionPolicies,
  ...computePolicies,
  ...networkPolicies,
  ...awsPolicies,
  ...tagPolicies,
  ...budgetPolicies,
];

/** The pack's name and default enforcement level, shared by index.ts and the offline runner. */
export const PACK = { name: "monitoring-cost", enforcementLevel: "advisory" } as const;

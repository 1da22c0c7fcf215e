/**
 * The security pack's rules as a plain array: the CrossGuard pack (index.ts), the offline plan and the
 * tests all run this same list. Rule config (allowed registries, exemptions, ...) comes from the
 * per-environment files config.dev.json / config.prod.json.
 */
import type { Policies } from "@pulumi/policy";
import { awsPolicies } from "./rules/aws";
import { dockerPolicies } from "./rules/docker";
import { networkPolicies } from "./rules/network";
import { platformPolicies } from "./rules/platform";
import { rbacPolicies } from "./rules/rbac";
import { secretPolicies } from "./rules/secrets";
import { workloadPolicies } from "./rules/workloads";

export const policies: Policies = [
  ...workloadPolicies,
  ...networkPolicies,
  ...secretPolicies,
  ...rbacPolicies,
  ...platformPolicies,
  ...awsPolicies,
  ...dockerPolicies,
];

/** The pack's name and default enforcement level, shared by index.ts and the offline runner. */
export const PACK = { name: "monitoring-security", enforcementLevel: "mandatory" } as const;

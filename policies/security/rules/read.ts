/**
 * Small typed readers over the untyped resource inputs the policy API hands out (`props` is
 * `Record<string, any>`). Every rule goes through these instead of indexing `props` directly, so a
 * missing or oddly shaped field reads as "absent" rather than throwing.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { withExemptions } from "../../common/exemptions";
import type { ScopedReport } from "../../common/exemptions";

import { obj } from "../../common/read";

export { arr, at, bool, num, obj, objs, str, strs } from "../../common/read";
export type { Obj } from "../../common/read";

/** String entries of a map (labels, annotations, ConfigMap data). */
export function stringMap(value: unknown): Record<string, string> {
  const o = obj(value) ?? {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v === "string") out[k] = v;
  return out;
}

/** Placeholder the offline plan writes for a secret value; the engine never shows it. */
export const SECRET_PLACEHOLDER = "[secret]";

/** The rule's config merged over its defaults (the engine fills schema defaults, the offline runner does not). */
export function configOf<T extends object>(args: { getConfig: <C extends object>() => C }, defaults: T): T {
  const given = args.getConfig<Partial<T>>() ?? {};
  const out: T = { ...defaults };
  for (const [k, v] of Object.entries(given)) {
    if (v !== undefined && v !== null) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** How a resource is named in messages: its type's short kind and its Pulumi name. */
export function resourceLabel(args: { type: string; name: string }): string {
  const kind = args.type.split(":").pop() ?? args.type;
  return `${kind} "${args.name}"`;
}

/** A resource policy that only looks at some types. */
export interface ResourceRule {
  name: string;
  description: string;
  types: readonly string[] | RegExp;
  configSchema?: PolicyConfigSchema;
  /** Wrap with the shared exemptions (workload-level rules). */
  exemptable?: boolean;
  /** Container-level findings pass `{ container }` so an exemption can name that one container. */
  validate: (args: ResourceValidationArgs, report: ScopedReport) => void | Promise<void>;
}

export function matchesType(types: readonly string[] | RegExp, type: string): boolean {
  return types instanceof RegExp ? types.test(type) : types.includes(type);
}

export function resourceRule(rule: ResourceRule): ResourceValidationPolicy {
  const base = {
    name: rule.name,
    description: rule.description,
    ...(rule.configSchema ? { configSchema: rule.configSchema } : {}),
  };
  if (rule.exemptable) {
    return withExemptions({
      ...base,
      validateResource: async (args, report) => {
        if (matchesType(rule.types, args.type)) await rule.validate(args, report);
      },
    });
  }
  return {
    ...base,
    // The scope only matters to exemptions; the engine gets the message alone.
    validateResource: async (args, report) => {
      if (matchesType(rule.types, args.type)) await rule.validate(args, (message) => report(message));
    },
  };
}

export type { StackValidationPolicy };

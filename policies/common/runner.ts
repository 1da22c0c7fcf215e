/**
 * Runs a pack's plain `policies` array over planned resources without the Pulumi engine: the offline
 * plan's policy report and the tests use it. Config follows the engine's `--policy-pack-config` format
 * (`{ "all": level, "<policy>": level | { enforcementLevel, ...props } }`); schema defaults are applied
 * by the policies themselves, not here, exactly as in tests.
 */
import type {
  EnforcementLevel,
  Policies,
  PolicyPackConfig,
  PolicyResource,
  ResourceValidationArgs,
  StackValidationArgs,
} from "@pulumi/policy";
import { setExemptionSink } from "./exemptions";
import type { ExemptedFinding } from "./exemptions";

/** The resource shape the runner needs (a subset of the plan's resources.json entries). */
export interface ResourceUnderTest {
  urn: string;
  type: string;
  name: string;
  parent?: string | null;
  protect?: boolean;
  inputs: Record<string, unknown>;
}

export interface PolicyReportEntry {
  pack: string;
  policy: string;
  enforcementLevel: EnforcementLevel;
  /** The resource in violation, or the stack's URN prefix for stack-wide findings. */
  urn: string;
  message: string;
  exempted: boolean;
  /** Why it is exempted (only when exempted). */
  reason?: string;
}

export interface PackUnderTest {
  name: string;
  policies: Policies;
  /** Pack-wide default level (the PolicyPack's enforcementLevel); "advisory" when unset. */
  enforcementLevel?: EnforcementLevel;
}

function levelAndConfig(
  policyName: string,
  defaultLevel: EnforcementLevel,
  config: PolicyPackConfig,
): { level: EnforcementLevel; props: Record<string, unknown> } {
  const all = config.all;
  let level: EnforcementLevel = typeof all === "string" ? all : (all?.enforcementLevel ?? defaultLevel);
  const own = config[policyName];
  if (typeof own === "string") return { level: own, props: {} };
  if (own) {
    const { enforcementLevel, ...props } = own;
    if (enforcementLevel) level = enforcementLevel;
    return { level, props };
  }
  return { level, props: {} };
}

const notApplicable = (): never => {
  throw new NotApplicable();
};
class NotApplicable extends Error {}

function options(r: ResourceUnderTest) {
  return {
    protect: r.protect ?? false,
    ignoreChanges: [],
    aliases: [],
    additionalSecretOutputs: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  };
}

const typeCheckUnsupported = (): never => {
  throw new Error("isType/asType need provider classes; policies here compare args.type instead");
};

/** Runs every policy of `pack` over `resources` with `config`; returns violations and exemptions. */
export async function runPack(
  pack: PackUnderTest,
  resources: ResourceUnderTest[],
  config: PolicyPackConfig = {},
): Promise<PolicyReportEntry[]> {
  const entries: PolicyReportEntry[] = [];
  const stackTags = new Map<string, string>();
  const stackUrn = resources[0]?.urn.split("::").slice(0, 2).join("::") ?? "urn:pulumi:stack";

  for (const policy of pack.policies) {
    const { level, props } = levelAndConfig(
      policy.name,
      policy.enforcementLevel ?? pack.enforcementLevel ?? "advisory",
      config,
    );
    if (level === "disabled") continue;
    const add = (urn: string, message: string, exempted: boolean, reason?: string) =>
      entries.push({
        pack: pack.name,
        policy: policy.name,
        enforcementLevel: level,
        urn,
        message,
        exempted,
        ...(reason ? { reason } : {}),
      });
    const previousSink = setExemptionSink((f: ExemptedFinding) => add(f.urn, f.message, true, f.reason));
    try {
      if ("validateResource" in policy && policy.validateResource) {
        const validations = Array.isArray(policy.validateResource)
          ? policy.validateResource
          : [policy.validateResource];
        for (const r of resources) {
          const args: ResourceValidationArgs = {
            type: r.type,
            props: r.inputs,
            urn: r.urn,
            name: r.name,
            opts: options(r),
            stackTags,
            isType: typeCheckUnsupported,
            asType: typeCheckUnsupported,
            getConfig: <T extends object>() => props as T,
            notApplicable,
          };
          for (const validate of validations) {
            try {
              await validate(args, (message) => add(r.urn, message, false));
            } catch (err) {
              if (!(err instanceof NotApplicable)) throw err;
            }
          }
        }
      }
      if ("validateStack" in policy) {
        const byUrn = new Map<string, PolicyResource>();
        const policyResources: PolicyResource[] = resources.map((r) => {
          const pr: PolicyResource = {
            type: r.type,
            props: r.inputs,
            urn: r.urn,
            name: r.name,
            opts: options(r),
            dependencies: [],
            propertyDependencies: {},
            isType: typeCheckUnsupported,
            asType: typeCheckUnsupported,
          };
          byUrn.set(r.urn, pr);
          return pr;
        });
        for (const r of resources) {
          const parent = r.parent ? byUrn.get(r.parent) : undefined;
          const pr = byUrn.get(r.urn);
          if (pr && parent) pr.parent = parent;
        }
        const args: StackValidationArgs = {
          resources: policyResources,
          stackTags,
          getConfig: <T extends object>() => props as T,
          notApplicable,
        };
        try {
          await policy.validateStack(args, (message, urn) => add(urn ?? stackUrn, message, false));
        } catch (err) {
          if (!(err instanceof NotApplicable)) throw err;
        }
      }
    } finally {
      setExemptionSink(previousSink);
    }
  }
  return entries;
}

/** Findings that would block `pulumi up`: mandatory and not exempted. */
export function mandatoryViolations(entries: PolicyReportEntry[]): PolicyReportEntry[] {
  return entries.filter((e) => e.enforcementLevel === "mandatory" && !e.exempted);
}

/**
 * What every cost rule shares: config readers (values arrive as JSON; a value of the wrong type falls
 * back to the default), the code defaults (the engine fills schema defaults, the offline runner does
 * not), and the resource shapes the rules read.
 */
import type { PolicyResource } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { containersOf, dockerContainerFacts, isPodBearing, podSpecOf, record, T } from "../read";
import type { ContainerFacts, CostResource, Obj } from "../read";

export function cfgNumber(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}
export function cfgString(value: unknown, fallback: string): string {
  return typeof value === "string" && value.length > 0 ? value : fallback;
}
export function cfgBool(value: unknown, fallback: boolean): boolean {
  return typeof value === "boolean" ? value : fallback;
}
export function cfgStrings(value: unknown, fallback: string[]): string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string") ? value : fallback;
}
export function cfgNumberMap(value: unknown): Record<string, number> {
  const r = record(value) ?? {};
  return Object.fromEntries(Object.entries(r).filter((e): e is [string, number] => typeof e[1] === "number"));
}
export function cfgStringMap(value: unknown): Record<string, string> {
  const r = record(value) ?? {};
  return Object.fromEntries(Object.entries(r).filter((e): e is [string, string] => typeof e[1] === "string"));
}
export const config = (args: { getConfig<T extends object>(): T }): Obj => args.getConfig<Obj>();

export const stringList = (description: string, def: string[]): PolicyConfigJSONSchema => ({
  type: "array",
  items: { type: "string" },
  default: def,
  description,
});

/** A PolicyResource (stack policies) as the estimate's resource shape. */
export const underTest = (r: PolicyResource): CostResource => ({
  urn: r.urn,
  type: r.type,
  name: r.name,
  inputs: r.props,
});

/** The containers of a Kubernetes workload or a Docker container, with the workload's label. */
export function containersOfResource(type: string, props: Obj): ContainerFacts[] {
  if (type === T.dockerContainer) return [dockerContainerFacts(props)];
  if (isPodBearing(type)) return containersOf(podSpecOf(type, props));
  return [];
}

export const DEFAULTS = {
  maxVolumeGi: 200,
  maxDatabaseStorageGb: 200,
  maxTotalStorageGi: 1000,
  allowedStorageClasses: ["gp3"],
  allowClusterDefaultClass: false,
  maxPrometheusRetentionTime: "90d",
  maxPrometheusRetentionSize: "200GB",
  requirePrometheusRetentionSize: true,
  maxElasticsearchRetention: "30d",
  maxReplicas: 5,
  maxCpu: "4",
  maxMemory: "16Gi",
  allowInternalLoadBalancers: false,
  allowedRdsInstanceClasses: ["db.t4g.micro", "db.t4g.small", "db.t4g.medium"],
  maxAlarms: 50,
  requiredTags: ["environment", "stack", "team", "cost-center"],
  monthlyBudgetUsd: 500,
} as const;

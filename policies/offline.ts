/**
 * Both packs over a planned stack without the engine: the offline plan's policy gate. Each pack reads
 * its per-environment config file (the same files `pulumi preview --policy-pack-config` takes).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { PolicyPackConfig } from "@pulumi/policy";
import { runPack, type PackUnderTest, type PolicyReportEntry, type ResourceUnderTest } from "./common/runner";
import { estimateMonthlyCost, estimateOptionsFromPackConfig, type Estimate } from "./cost/estimate";
import * as cost from "./cost/policies";
import * as security from "./security/policies";

export const PACK_DIRS = { security: "security", cost: "cost" } as const;

const packs: { dir: string; pack: PackUnderTest }[] = [
  { dir: PACK_DIRS.security, pack: { ...security.PACK, policies: security.policies } },
  { dir: PACK_DIRS.cost, pack: { ...cost.PACK, policies: cost.policies } },
];

/** The shipped policy config of a pack for an environment ("dev" or "prod"). */
export function packConfig(dir: string, environment: string): PolicyPackConfig {
  const file = path.join(__dirname, dir, `config.${environment}.json`);
  return JSON.parse(readFileSync(file, "utf8")) as PolicyPackConfig;
}

export interface PolicyRun {
  entries: PolicyReportEntry[];
  estimate: Estimate;
}

export async function runAllPacks(resources: ResourceUnderTest[], environment: string): Promise<PolicyRun> {
  const entries: PolicyReportEntry[] = [];
  for (const { dir, pack } of packs)
    entries.push(...(await runPack(pack, resources, packConfig(dir, environment))));
  const costConfig = packConfig(PACK_DIRS.cost, environment);
  const estimate = estimateMonthlyCost(resources, undefined, estimateOptionsFromPackConfig(costConfig));
  return { entries, estimate };
}

/**
 * The cost pack over both shipped stacks' real offline plans (spawned as a user runs them), with the
 * shipped per-environment config: no mandatory violation, the estimate stays within the budget with
 * headroom, and nothing the pack prints carries a secret.
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import { beforeAll, describe, expect, it } from "vitest";
import {
  mandatoryViolations,
  runPack,
  type PolicyReportEntry,
  type ResourceUnderTest,
} from "../../policies/common/runner";
import {
  estimateMonthlyCost,
  estimateOptionsFromPackConfig,
  formatEstimate,
  type Estimate,
} from "../../policies/cost/estimate";
import { PACK, policies } from "../../policies/cost/policies";
import { packConfig, PACK_DIRS } from "../../policies/offline";
import { runPlan } from "../helpers/plan";

const STACKS = ["dev", "prod"] as const;
type Stack = (typeof STACKS)[number];

function readConfig(stack: Stack): PolicyPackConfig {
  return packConfig(PACK_DIRS.cost, stack);
}

function budgetOf(config: PolicyPackConfig): number {
  const entry = config["monthly-cost-budget"];
  const budget = typeof entry === "object" ? (entry as { budgetUsd?: unknown }).budgetUsd : undefined;
  if (typeof budget !== "number") throw new Error("config has no monthly-cost-budget.budgetUsd");
  return budget;
}

const planned: Partial<
  Record<Stack, { resources: ResourceUnderTest[]; entries: PolicyReportEntry[]; estimate: Estimate }>
> = {};

beforeAll(async () => {
  for (const stack of STACKS) {
    const r = runPlan(stack);
    // The plan exits 1 on a mandatory violation of any pack; resources.json is written either way.
    expect([0, 1], r.stderr).toContain(r.status);
    const resources: ResourceUnderTest[] = r.resources;
    const config = readConfig(stack);
    const entries = await runPack({ ...PACK, policies }, resources, config);
    planned[stack] = {
      resources,
      entries,
      estimate: estimateMonthlyCost(resources, undefined, estimateOptionsFromPackConfig(config)),
    };
  }
}, 240_000);

const get = (stack: Stack) => {
  const p = planned[stack];
  if (!p) throw new Error(`no plan for ${stack}`);
  return p;
};

describe("shipped policy config", () => {
  it.each(STACKS)("%s names only existing policies and properties of their schemas", (stack) => {
    const config = readConfig(stack);
    for (const [name, value] of Object.entries(config)) {
      if (name === "all") continue;
      const policy = policies.find((p) => p.name === name);
      expect(policy, `${stack}: unknown policy ${name}`).toBeDefined();
      if (typeof value !== "object") continue;
      const known = Object.keys(policy?.configSchema?.properties ?? {});
      for (const key of Object.keys(value))
        if (key !== "enforcementLevel") expect(known, `${stack} ${name}.${key}`).toContain(key);
    }
  });

  it("prod is mandatory with the dev-only rules off; dev is advisory with gross mistakes mandatory", () => {
    const prod = readConfig("prod");
    const dev = readConfig("dev");
    expect(prod.all).toBe("mandatory");
    expect(prod["no-loadbalancer-services"]).toBe("disabled");
    expect(prod["no-multi-az-rds"]).toBe("disabled");
    expect(dev.all).toBe("advisory");
    for (const name of ["storage-class-allowlist", "no-loadbalancer-services", "no-multi-az-rds"])
      expect((dev[name] as { enforcementLevel?: string }).enforcementLevel, name).toBe("mandatory");
  });
});

describe.each(STACKS)("cost pack on the shipped %s plan", (stack) => {
  it("reports no mandatory violation", () => {
    const { entries } = get(stack);
    expect(mandatoryViolations(entries), JSON.stringify(entries, null, 1)).toEqual([]);
  });

  it("stays within the budget with at least 25% headroom, and prints the estimate", () => {
    const { estimate } = get(stack);
    const budget = budgetOf(readConfig(stack));
    const text = formatEstimate(estimate);
    console.log(`[${stack}] ${text}`);
    expect(estimate.total).toBeLessThanOrEqual(budget * 0.75);
    expect(estimate.unpriced).toEqual([]);
  });

  it("prints nothing secret", () => {
    const { entries, estimate, resources } = get(stack);
    const printed = [formatEstimate(estimate), ...entries.map((e) => e.message)].join("\n");
    expect(printed).not.toContain("[secret]");
    expect(printed).not.toContain("[redacted-secret]");
    expect(printed).not.toMatch(/password|mock-password|webhook/i);
    // The plan does hold secret placeholders (e.g. the RDS password in prod), so the check above means something.
    if (stack === "prod") expect(JSON.stringify(resources)).toContain("[secret]");
  });
});

describe("the shipped prod plan's estimate", () => {
  it("prices the Prometheus volumes, the compute requests and the Multi-AZ database", () => {
    const { estimate } = get("prod");
    expect(estimate.byCategory.storage).toBeGreaterThan(0);
    expect(estimate.byCategory.compute).toBeGreaterThan(0);
    const db = estimate.items.filter((i) => i.category === "database");
    // db.t4g.small Multi-AZ: 2 x 730 h x $0.032 = 46.72
    expect(db.find((i) => i.unit === "instance-hour")?.monthly).toBeCloseTo(46.72, 6);
  });
  it("dev runs on Docker and is not priced", () => {
    expect(get("dev").estimate.total).toBe(0);
  });
});

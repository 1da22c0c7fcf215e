/** The monthly cost estimate (estimate.ts) against the environment's budget. */
import type { StackValidationPolicy } from "@pulumi/policy";
import {
  BUDGET_POLICY,
  ESTIMATE_DEFAULTS,
  estimateMonthlyCost,
  estimateOptionsFromProps,
  formatEstimate,
} from "../estimate";
import { PRICES } from "../prices";
import { cfgNumber, config, DEFAULTS, underTest } from "./config";

// ---- monthly-cost-budget ----

const monthlyCostBudget: StackValidationPolicy = {
  name: BUDGET_POLICY,
  description: `The stack's estimated monthly cost (${PRICES.region} on-demand list prices as of ${PRICES.asOf}) stays within the environment's budget.`,
  configSchema: {
    properties: {
      budgetUsd: {
        type: "number",
        minimum: 0,
        default: DEFAULTS.monthlyBudgetUsd,
        description: "Monthly budget, USD",
      },
      daemonSetNodes: {
        type: "integer",
        minimum: 1,
        default: ESTIMATE_DEFAULTS.daemonSetNodes,
        description: "Nodes a DaemonSet runs on",
      },
      defaultStorageClass: {
        type: "string",
        default: ESTIMATE_DEFAULTS.defaultStorageClass,
        description: "Storage class of claims without storageClassName",
      },
      storageClassTypes: {
        type: "object",
        additionalProperties: { type: "string" },
        default: {},
        description: "Storage class name -> EBS volume type, for classes not named after their type",
      },
      logIngestionGbPerMonth: {
        type: "number",
        minimum: 0,
        default: ESTIMATE_DEFAULTS.logIngestionGbPerMonth,
        description: "Assumed GB/month per log group without an expected-ingest-gb-month tag",
      },
      logRetentionMonthsWhenUnlimited: {
        type: "number",
        minimum: 0,
        default: ESTIMATE_DEFAULTS.logRetentionMonthsWhenUnlimited,
        description: "Months of logs stored by a never-expiring log group",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const cfg = config(args);
    const budget = cfgNumber(cfg.budgetUsd, DEFAULTS.monthlyBudgetUsd);
    const options = estimateOptionsFromProps(cfg);
    const estimate = estimateMonthlyCost(args.resources.map(underTest), PRICES, options);
    if (estimate.total <= budget) return;
    reportViolation(
      `Estimated monthly cost $${estimate.total.toFixed(2)} exceeds the budget of $${budget.toFixed(2)}; reduce the largest items below or raise monthly-cost-budget.budgetUsd.\n${formatEstimate(estimate)}`,
    );
  },
};

export const budgetPolicies = [monthlyCostBudget];

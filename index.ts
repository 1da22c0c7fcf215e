/**
 * Entry point Pulumi runs (and the offline plan runs under mocks): validate the stack's config once,
 * then build the monitoring stack from the resolved spec.
 */
import * as pulumi from "@pulumi/pulumi";
import { MonitoringStack } from "./components/stack";
import { loadStackSpec } from "./stacks";
import { specWarnings } from "./stacks/warnings";

const spec = loadStackSpec();
const stack = new MonitoringStack("monitoring", { spec });

export const environment = spec.environment;
export const platform = stack.platform.name;
/** Grafana (self-hosted): where to log in, and the admin password as a secret output. */
export const grafanaUrl = stack.grafana?.url;
export const grafanaAdminPassword = stack.grafana?.adminPassword;
/** How Prometheus' volume and memory were sized (the formulas in the README, "Sizing"). */
export const sizing = {
  prometheusVolume: spec.prometheus.volumeSizing.explanation,
  prometheusMemory: spec.prometheus.memorySizing.explanation,
};
/** Allowed but probably unintended settings (also shown by `npm run plan`). */
export const warnings = specWarnings(spec);
for (const w of warnings) void pulumi.log.warn(w);

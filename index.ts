/**
 * Entry point Pulumi runs (and the offline plan runs under mocks): validate the stack's config once,
 * then build the monitoring stack from the resolved spec.
 */
import { MonitoringStack } from "./components/stack";
import { loadStackSpec } from "./stacks";

const spec = loadStackSpec();
const stack = new MonitoringStack("monitoring", { spec });

export const environment = spec.environment;
export const platform = stack.platform.name;

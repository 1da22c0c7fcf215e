/**
 * The stack's built-in Grafana dashboards, as provisioning files (folder + file name + dashboard JSON).
 *
 * Dashboards are built with our own small typed builders (./builder.ts) rather than the Grafana Foundation
 * SDK: the SDK is pre-1.0 (0.0.x, per-Grafana-version prerelease builds), far larger than the six panel
 * types used here, and a new dependency in a shared tree; the emitted JSON is what is tested either way.
 * See the header of builder.ts for the full reasoning.
 */
import { alertmanagerDashboard } from "./alertmanager";
import { containersDashboard } from "./containers";
import { kubernetesDashboard } from "./kubernetes";
import { nodeOverviewDashboard } from "./node";
import { prometheusDashboard } from "./prometheus";
import { redDashboard } from "./red";

export * from "./builder";
export { STACK_TAG } from "./common";
export { ALERTMANAGER_DASHBOARD_UID, alertmanagerDashboard } from "./alertmanager";
export { CONTAINERS_DASHBOARD_UID, containersDashboard } from "./containers";
export { KUBERNETES_DASHBOARD_UID, kubernetesDashboard } from "./kubernetes";
export { NODE_DASHBOARD_UID, nodeOverviewDashboard } from "./node";
export { PROMETHEUS_DASHBOARD_UID, prometheusDashboard } from "./prometheus";
export { redDashboard, type RedDashboardOptions } from "./red";

/** One dashboard file: the Grafana folder it belongs in, its file name, and the dashboard model. */
export interface DashboardFile {
  folder: string;
  fileName: string;
  json: object;
}

export const DASHBOARD_FOLDERS = {
  infrastructure: "Infrastructure",
  monitoring: "Monitoring",
  services: "Services",
} as const;

export const SERVICES_RED_DASHBOARD_UID = "services-red";

/** Each shipped dashboard file, defined once; the component that owns the service contributes it. */
export const DASHBOARD_FILES = {
  node: (): DashboardFile => ({
    folder: DASHBOARD_FOLDERS.infrastructure,
    fileName: "node-overview.json",
    json: nodeOverviewDashboard(),
  }),
  containers: (): DashboardFile => ({
    folder: DASHBOARD_FOLDERS.infrastructure,
    fileName: "containers.json",
    json: containersDashboard(),
  }),
  kubernetes: (): DashboardFile => ({
    folder: DASHBOARD_FOLDERS.infrastructure,
    fileName: "kubernetes.json",
    json: kubernetesDashboard(),
  }),
  prometheus: (): DashboardFile => ({
    folder: DASHBOARD_FOLDERS.monitoring,
    fileName: "prometheus.json",
    json: prometheusDashboard(),
  }),
  alertmanager: (): DashboardFile => ({
    folder: DASHBOARD_FOLDERS.monitoring,
    fileName: "alertmanager.json",
    json: alertmanagerDashboard(),
  }),
  servicesRed: (): DashboardFile => ({
    folder: DASHBOARD_FOLDERS.services,
    fileName: "services-red.json",
    json: redDashboard({ uid: SERVICES_RED_DASHBOARD_UID, title: "Services / RED (HTTP)" }),
  }),
} as const;

/** Every dashboard the core stack can ship (what a stack with every component on provisions). */
export function builtInDashboards(): DashboardFile[] {
  return Object.values(DASHBOARD_FILES).map((file) => file());
}

/**
 * Pieces every dashboard shares: the datasource and cluster variables, job/instance variables keyed on a
 * metric only that exporter exposes, the matchers that use them, and the links between dashboards.
 */
import {
  datasourceVariable,
  queryVariable,
  type DashboardLink,
  type QueryVariable,
  type TemplateVariable,
} from "./builder";

/** Tag on every dashboard of the stack; the dashboards link to each other through it. */
export const STACK_TAG = "monitoring-stack";

/**
 * `cluster` comes from Prometheus' external labels, which are NOT on series queried from that Prometheus
 * itself (only on federated / remote-written / Thanos data). On a single Prometheus the variable is then
 * empty: "All" is ".*", and `cluster=~".*"` matches series that lack the label, so every panel still works.
 */
export function clusterVariable(): QueryVariable {
  return queryVariable({
    name: "cluster",
    label: "Cluster",
    query: "label_values(up, cluster)",
    multi: true,
    includeAll: true,
    allValue: ".*",
  });
}

/** `job`, from the jobs exposing `metric` (e.g. `node_uname_info` for node-exporter), preselecting ours. */
export function jobVariable(metric: string, defaultJob: string): QueryVariable {
  return queryVariable({
    name: "job",
    label: "Job",
    query: `label_values(${metric}{cluster=~"$cluster"}, job)`,
    multi: true,
    includeAll: true,
    allValue: ".*",
    defaultValue: defaultJob,
  });
}

/** `instance`, from the instances of the selected jobs exposing `metric`; "All" by default. */
export function instanceVariable(metric: string): QueryVariable {
  return queryVariable({
    name: "instance",
    label: "Instance",
    query: `label_values(${metric}{cluster=~"$cluster", job=~"$job"}, instance)`,
    multi: true,
    includeAll: true,
    allValue: ".*",
  });
}

/** datasource, cluster, job and instance: the usual variable set of an exporter dashboard. */
export function exporterVariables(metric: string, defaultJob: string): TemplateVariable[] {
  return [datasourceVariable(), clusterVariable(), jobVariable(metric, defaultJob), instanceVariable(metric)];
}

/** Matchers for the cluster/job/instance variables, to splice into selectors: `up{${BY_INSTANCE}}`. */
export const BY_CLUSTER = 'cluster=~"$cluster"';
export const BY_JOB = `${BY_CLUSTER}, job=~"$job"`;
export const BY_INSTANCE = `${BY_JOB}, instance=~"$instance"`;

/** Range for rate(): Grafana's `$__rate_interval` (at least four scrape intervals). */
export const RATE = "$__rate_interval";

/** A links drop-down to the other dashboards of the stack, keeping time range and variables. */
export function stackLinks(): DashboardLink[] {
  return [
    {
      type: "dashboards",
      title: "Monitoring stack",
      tags: [STACK_TAG],
      asDropdown: true,
      includeVars: true,
      keepTime: true,
      targetBlank: false,
      icon: "external link",
      tooltip: "",
      url: "",
    },
  ];
}

/** A PromQL double-quoted string literal (Go escaping, which JSON's is a subset of). */
export function promString(s: string): string {
  return JSON.stringify(s);
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function assertMetricName(name: string, what: string): void {
  if (!METRIC_NAME.test(name)) throw new Error(`${what}: "${name}" is not a valid Prometheus metric name`);
}

export function assertLabelName(name: string, what: string): void {
  if (!LABEL_NAME.test(name) || name.startsWith("__")) {
    throw new Error(`${what}: "${name}" is not a valid Prometheus label name`);
  }
}

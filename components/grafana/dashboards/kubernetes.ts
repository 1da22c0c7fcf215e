/**
 * Kubernetes workloads and volumes, from kube-state-metrics (object state) and the kubelets (volume stats,
 * running pods): what the kubernetes rule pack alerts on, so each alert has a panel that shows it. The
 * object metrics carry the reported object's `namespace`, which the `namespace` variable filters;
 * persistent volumes are cluster-scoped and ignore it.
 */
import { JOBS } from "../../../lib/jobs";
import {
  barGauge,
  dashboard,
  datasourceVariable,
  queryVariable,
  row,
  stat,
  table,
  thresholds,
  timeseries,
  type DashboardModel,
} from "./builder";
import { BY_CLUSTER, RATE, STACK_TAG, clusterVariable, jobVariable, stackLinks } from "./common";

export const KUBERNETES_DASHBOARD_UID = "kubernetes-workloads";

/** kube-state-metrics' object series of the selected namespaces. */
const K = `${BY_CLUSTER}, job=~"$job", namespace=~"$namespace"`;
/** Cluster-scoped objects (persistent volumes): no namespace. */
const KC = `${BY_CLUSTER}, job=~"$job"`;
/** The kubelets' volume stats of the selected namespaces. */
const KUBELET = `${BY_CLUSTER}, job="${JOBS.kubelet}", namespace=~"$namespace"`;
const KUBELET_NODES = `${BY_CLUSTER}, job="${JOBS.kubelet}"`;
const TELEMETRY = `${BY_CLUSTER}, job="${JOBS.kubeStateMetricsTelemetry}"`;

const BAD = thresholds("green", [1, "red"]);
const FULL = thresholds("green", [0.85, "orange"], [0.97, "red"]);

/**
 * A table of one controller kind: three per-object counts side by side (desired, then two states);
 * the last column may carry thresholds.
 */
function controllerTable(
  title: string,
  by: string,
  columns: [string, string][],
  lastThresholds?: ReturnType<typeof thresholds>,
) {
  return table({
    title,
    unit: "short",
    width: 8,
    hide: ["__name__", "job", "instance", "cluster"],
    columns: Object.fromEntries(
      columns.map(([name], i) => [
        `Value #${String.fromCharCode(65 + i)}`,
        {
          unit: "short",
          displayName: name,
          ...(i === columns.length - 1 && lastThresholds ? { thresholds: lastThresholds } : {}),
        },
      ]),
    ),
    queries: columns.map(([, metric]) => ({ expr: `sum by (namespace, ${by}) (${metric}{${K}})` })),
  });
}

export function kubernetesDashboard(): DashboardModel {
  const used = (available: string, total: string) =>
    `1 - sum by (namespace, persistentvolumeclaim) (${available}{${KUBELET}}) / sum by (namespace, persistentvolumeclaim) (${total}{${KUBELET}})`;
  const spaceUsed = used("kubelet_volume_stats_available_bytes", "kubelet_volume_stats_capacity_bytes");
  const inodesUsed = used("kubelet_volume_stats_inodes_free", "kubelet_volume_stats_inodes");
  const restarts = `sum by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total{${K}}[$__range]))`;
  return dashboard({
    uid: KUBERNETES_DASHBOARD_UID,
    title: "Kubernetes / Workloads",
    description:
      "Pods, Deployments, StatefulSets, DaemonSets, Jobs, autoscalers, disruption budgets and persistent volumes, from kube-state-metrics and the kubelets.",
    tags: [STACK_TAG, "infrastructure", "kubernetes"],
    links: stackLinks(),
    variables: [
      datasourceVariable(),
      clusterVariable(),
      jobVariable("kube_pod_status_phase", JOBS.kubeStateMetrics),
      queryVariable({
        name: "namespace",
        label: "Namespace",
        query: `label_values(kube_pod_status_phase{${KC}}, namespace)`,
        multi: true,
        includeAll: true,
        allValue: ".*",
      }),
    ],
    rows: [
      row("Overview", [
        stat({
          title: "Running pods",
          unit: "short",
          queries: [{ expr: `sum(kube_pod_status_phase{${K}, phase="Running"})`, legend: "running" }],
        }),
        stat({
          title: "Pending pods",
          unit: "short",
          thresholds: BAD,
          queries: [{ expr: `sum(kube_pod_status_phase{${K}, phase="Pending"})`, legend: "pending" }],
        }),
        stat({
          title: "Crash-looping containers",
          unit: "short",
          thresholds: BAD,
          queries: [
            {
              expr: `count(kube_pod_container_status_waiting_reason{${K}, reason="CrashLoopBackOff"} == 1) or vector(0)`,
              legend: "crash looping",
            },
          ],
        }),
        stat({
          title: "Container restarts",
          description: "Restarts in the selected time range.",
          unit: "short",
          thresholds: thresholds("green", [1, "orange"]),
          queries: [{ expr: `sum(${restarts}) or vector(0)`, legend: "restarts" }],
        }),
        stat({
          title: "OOM-killed containers",
          description:
            "Containers that restarted in the selected time range and whose last termination was an out-of-memory kill.",
          unit: "short",
          thresholds: BAD,
          queries: [
            {
              expr: `count((${restarts} > 0) and on (namespace, pod, container) (kube_pod_container_status_last_terminated_reason{${K}, reason="OOMKilled"} == 1)) or vector(0)`,
              legend: "OOM-killed",
            },
          ],
        }),
        stat({
          title: "Failed jobs",
          unit: "short",
          thresholds: BAD,
          queries: [{ expr: `count(kube_job_failed{${K}} > 0) or vector(0)`, legend: "failed" }],
        }),
      ]),
      row("Pods", [
        timeseries({
          title: "Pods by phase",
          unit: "short",
          min: 0,
          stack: true,
          queries: [{ expr: `sum by (phase) (kube_pod_status_phase{${K}})`, legend: "{{phase}}" }],
        }),
        timeseries({
          title: "Container restarts per pod",
          description: "Restarts per interval, for the containers that restarted.",
          unit: "short",
          min: 0,
          queries: [
            {
              expr: `sum by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total{${K}}[${RATE}])) > 0`,
              legend: "{{namespace}}/{{pod}} {{container}}",
            },
          ],
        }),
        table({
          title: "Containers waiting",
          description:
            "Containers that are not running, with the reason (CrashLoopBackOff, ImagePullBackOff, CreateContainerConfigError...).",
          unit: "short",
          width: 12,
          hide: ["__name__", "job", "instance", "uid", "cluster", "Value"],
          queries: [{ expr: `kube_pod_container_status_waiting_reason{${K}} > 0` }],
        }),
        table({
          title: "Pods not ready",
          description: "Pods pending, in an unknown phase, or running but not ready (Job pods excluded).",
          unit: "short",
          width: 12,
          hide: ["__name__", "job", "Value"],
          queries: [
            {
              expr:
                `max by (namespace, pod) (kube_pod_status_phase{${K}, phase=~"Pending|Unknown"} == 1 ` +
                `or (kube_pod_status_phase{${K}, phase="Running"} == 1 and on (namespace, pod) kube_pod_status_ready{${K}, condition="true"} == 0)) ` +
                `unless on (namespace, pod) kube_pod_owner{${K}, owner_kind="Job"}`,
            },
          ],
        }),
      ]),
      row("Workloads", [
        timeseries({
          title: "Replicas missing per workload",
          description:
            "Desired minus available (Deployments), desired minus ready (StatefulSets), desired minus available (DaemonSets).",
          unit: "short",
          min: 0,
          width: 24,
          queries: [
            {
              expr: `sum by (namespace, deployment) (kube_deployment_spec_replicas{${K}} - kube_deployment_status_replicas_available{${K}})`,
              legend: "deployment {{namespace}}/{{deployment}}",
            },
            {
              expr: `sum by (namespace, statefulset) (kube_statefulset_replicas{${K}} - kube_statefulset_status_replicas_ready{${K}})`,
              legend: "statefulset {{namespace}}/{{statefulset}}",
            },
            {
              expr: `sum by (namespace, daemonset) (kube_daemonset_status_desired_number_scheduled{${K}} - kube_daemonset_status_number_available{${K}})`,
              legend: "daemonset {{namespace}}/{{daemonset}}",
            },
          ],
        }),
        controllerTable("Deployments", "deployment", [
          ["Desired", "kube_deployment_spec_replicas"],
          ["Available", "kube_deployment_status_replicas_available"],
          ["Updated", "kube_deployment_status_replicas_updated"],
        ]),
        controllerTable("StatefulSets", "statefulset", [
          ["Desired", "kube_statefulset_replicas"],
          ["Ready", "kube_statefulset_status_replicas_ready"],
          ["Updated", "kube_statefulset_status_replicas_updated"],
        ]),
        controllerTable(
          "DaemonSets",
          "daemonset",
          [
            ["Desired", "kube_daemonset_status_desired_number_scheduled"],
            ["Available", "kube_daemonset_status_number_available"],
            ["Misscheduled", "kube_daemonset_status_number_misscheduled"],
          ],
          BAD,
        ),
        timeseries({
          title: "Rollouts not progressing",
          description:
            "Deployments whose Progressing condition is false, and StatefulSets whose controller has not observed their latest generation.",
          unit: "short",
          min: 0,
          queries: [
            {
              expr: `sum by (namespace, deployment) (kube_deployment_status_condition{${K}, condition="Progressing", status="false"})`,
              legend: "deployment {{namespace}}/{{deployment}}",
            },
            {
              expr: `sum by (namespace, statefulset) (kube_statefulset_metadata_generation{${K}} - kube_statefulset_status_observed_generation{${K}})`,
              legend: "statefulset {{namespace}}/{{statefulset}}",
            },
          ],
        }),
        timeseries({
          title: "Autoscalers: current against maximum replicas",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: thresholds("green", [1, "orange"]),
          showThresholds: "dashed",
          queries: [
            {
              expr: `sum by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas{${K}}) / sum by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{${K}})`,
              legend: "{{namespace}}/{{horizontalpodautoscaler}}",
            },
          ],
        }),
        timeseries({
          title: "Disruption budgets: healthy pods missing",
          description: "Desired healthy minus currently healthy pods per PodDisruptionBudget.",
          unit: "short",
          min: 0,
          queries: [
            {
              expr: `sum by (namespace, poddisruptionbudget) (kube_poddisruptionbudget_status_desired_healthy{${K}} - kube_poddisruptionbudget_status_current_healthy{${K}})`,
              legend: "{{namespace}}/{{poddisruptionbudget}}",
            },
          ],
        }),
        table({
          title: "Jobs",
          unit: "short",
          width: 12,
          hide: ["__name__", "job", "instance", "cluster"],
          columns: {
            "Value #A": { unit: "short", displayName: "Active" },
            "Value #B": { unit: "short", displayName: "Succeeded" },
            "Value #C": { unit: "short", displayName: "Failed", thresholds: BAD },
          },
          queries: [
            { expr: `sum by (namespace, job_name) (kube_job_status_active{${K}})` },
            { expr: `sum by (namespace, job_name) (kube_job_status_succeeded{${K}})` },
            { expr: `sum by (namespace, job_name) (kube_job_failed{${K}, condition="true"})` },
          ],
        }),
      ]),
      row("Storage", [
        timeseries({
          title: "Volume space used",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: FULL,
          showThresholds: "dashed",
          queries: [{ expr: spaceUsed, legend: "{{namespace}}/{{persistentvolumeclaim}}" }],
        }),
        timeseries({
          title: "Volume inodes used",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: FULL,
          showThresholds: "dashed",
          queries: [{ expr: inodesUsed, legend: "{{namespace}}/{{persistentvolumeclaim}}" }],
        }),
        barGauge({
          title: "Fullest volumes",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: FULL,
          queries: [{ expr: `topk(10, ${spaceUsed})`, legend: "{{namespace}}/{{persistentvolumeclaim}}" }],
        }),
        table({
          title: "Persistent volumes not bound",
          description: "Volumes in phase Pending or Failed (cluster-wide: volumes belong to no namespace).",
          unit: "short",
          width: 12,
          hide: ["__name__", "job", "instance", "cluster", "Value"],
          queries: [{ expr: `kube_persistentvolume_status_phase{${KC}, phase=~"Pending|Failed"} == 1` }],
        }),
      ]),
      row("Nodes and kube-state-metrics", [
        timeseries({
          title: "Running pods per node",
          unit: "short",
          min: 0,
          queries: [
            { expr: `sum by (instance) (kubelet_running_pods{${KUBELET_NODES}})`, legend: "{{instance}}" },
          ],
        }),
        timeseries({
          title: "kube-state-metrics list and watch errors",
          description:
            "Failed list/watch requests per resource: a resource kube-state-metrics may not read (RBAC) shows here, and its metrics are missing.",
          unit: "ops",
          min: 0,
          queries: [
            {
              expr: `sum by (resource) (rate(kube_state_metrics_list_total{${TELEMETRY}, result="error"}[${RATE}]))`,
              legend: "list {{resource}}",
            },
            {
              expr: `sum by (resource) (rate(kube_state_metrics_watch_total{${TELEMETRY}, result="error"}[${RATE}]))`,
              legend: "watch {{resource}}",
            },
          ],
        }),
      ]),
    ],
  });
}

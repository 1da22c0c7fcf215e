/**
 * The Kubernetes pack: workload and storage alerts with the names and meaning of the upstream
 * kubernetes-mixin (github.com/kubernetes-monitoring/kubernetes-mixin, alerts/apps_alerts.libsonnet and
 * alerts/storage_alerts.libsonnet, read at aa38e2b, 2026-08), so teams who know them recognise them, plus
 * kube-state-metrics' own list/watch error alerts (its jsonnet/kube-state-metrics-mixin).
 *
 * Written for this stack's jobs: kube-state-metrics is scraped as job "kube-state-metrics" without
 * namespace/pod target labels (its series carry the reported object's own), its telemetry as
 * "kube-state-metrics-telemetry", and the kubelets as "kubelet" (instance = node). Rules evaluate inside
 * one Prometheus, where the external `cluster` label does not exist, so the mixin's `cluster` joins are
 * dropped; everything else keeps the upstream logic and thresholds.
 */
import { JOBS } from "../../../lib/jobs";
import { AlertRule, RulePack, sel } from "../model";

const K = sel(JOBS.kubeStateMetrics);
const KT = sel(JOBS.kubeStateMetricsTelemetry);
const L = sel(JOBS.kubelet);
const ksm = (...matchers: string[]) => sel(JOBS.kubeStateMetrics, ...matchers);

/** The mixin's kubeJobTimeoutDuration: 12 hours. */
export const JOB_TIMEOUT_SECONDS = 12 * 60 * 60;
/** The mixin's storage thresholds: free share for the critical and the warning variants, and the trend window. */
const FREE_CRITICAL = "0.03";
const FREE_WARNING = "0.15";
const PREDICTION_WINDOW = "6h";
/** Claims a team opts out with the label `excluded_from_alerts: "true"` (kube-state-metrics exposes it). */
export const PVC_EXCLUDED_LABEL = "excluded_from_alerts";

/** Not read-only-many claims, and not the ones labelled out of the alerts. */
const claimExclusions =
  `unless on (namespace, persistentvolumeclaim) kube_persistentvolumeclaim_access_mode{${ksm('access_mode="ReadOnlyMany"')}} == 1 ` +
  `unless on (namespace, persistentvolumeclaim) kube_persistentvolumeclaim_labels{${ksm(`label_${PVC_EXCLUDED_LABEL}="true"`)}} == 1`;

const CLAIM = "{{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }}";

function apps(): AlertRule[] {
  return [
    {
      alert: "KubePodCrashLooping",
      expr: `max_over_time(kube_pod_container_status_waiting_reason{${ksm('reason="CrashLoopBackOff"')}}[5m]) >= 1`,
      for: "15m",
      severity: "warning",
      summary: "A pod is crash looping.",
      description:
        "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} keeps crashing and is waiting to be restarted (CrashLoopBackOff).",
    },
    {
      alert: "KubePodNotReady",
      // topk keeps one owner per pod, so the join cannot be many-to-many; Job pods are left out (they end).
      expr:
        `sum by (namespace, pod, job) (max by (namespace, pod, job) (kube_pod_status_phase{${ksm('phase=~"Pending|Unknown"')}} ` +
        `or (kube_pod_status_phase{${ksm('phase="Running"')}} == 1 and on (namespace, pod) kube_pod_status_ready{${ksm('condition="true"')}} == 0)) ` +
        `* on (namespace, pod) group_left () topk by (namespace, pod) (1, max by (namespace, pod, owner_kind) (kube_pod_owner{${ksm('owner_kind!="Job"')}}))) > 0 ` +
        `unless on (namespace, pod) kube_pod_status_reason{${ksm('reason="SchedulingGated"')}} == 1`,
      for: "15m",
      severity: "warning",
      summary: "A pod has not been ready for more than 15 minutes.",
      description:
        "Pod {{ $labels.namespace }}/{{ $labels.pod }} has been pending, unknown or running but not ready for more than 15 minutes.",
    },
    {
      alert: "KubeDeploymentGenerationMismatch",
      expr: `kube_deployment_status_observed_generation{${K}} != kube_deployment_metadata_generation{${K}}`,
      for: "15m",
      severity: "warning",
      summary:
        "A Deployment's spec change has not been observed by its controller, possibly a failed roll-back.",
      description:
        "The controller of Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has not acted on its latest spec for 15 minutes: the Deployment may have failed without being rolled back.",
    },
    {
      alert: "KubeDeploymentReplicasMismatch",
      expr: `(kube_deployment_spec_replicas{${K}} > kube_deployment_status_replicas_available{${K}}) and (changes(kube_deployment_status_replicas_updated{${K}}[10m]) == 0)`,
      for: "15m",
      severity: "warning",
      summary: "A Deployment has fewer available replicas than it wants.",
      description:
        "Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has had fewer available replicas than its spec asks for, with no rollout progress, for more than 15 minutes.",
    },
    {
      alert: "KubeDeploymentRolloutStuck",
      expr: `kube_deployment_status_condition{${ksm('condition="Progressing"', 'status="false"')}} != 0`,
      for: "15m",
      severity: "warning",
      summary: "A Deployment rollout is not progressing.",
      description:
        "The rollout of Deployment {{ $labels.namespace }}/{{ $labels.deployment }} has not progressed for more than 15 minutes (its Progressing condition is false: progressDeadlineSeconds passed).",
    },
    {
      alert: "KubeStatefulSetReplicasMismatch",
      expr: `(kube_statefulset_status_replicas_ready{${K}} != kube_statefulset_replicas{${K}}) and (changes(kube_statefulset_status_replicas_updated{${K}}[10m]) == 0)`,
      for: "15m",
      severity: "warning",
      summary: "A StatefulSet does not have the number of ready replicas it wants.",
      description:
        "StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has not had the ready replicas its spec asks for, with no update progress, for more than 15 minutes.",
    },
    {
      alert: "KubeStatefulSetGenerationMismatch",
      expr: `kube_statefulset_status_observed_generation{${K}} != kube_statefulset_metadata_generation{${K}}`,
      for: "15m",
      severity: "warning",
      summary:
        "A StatefulSet's spec change has not been observed by its controller, possibly a failed roll-back.",
      description:
        "The controller of StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has not acted on its latest spec for 15 minutes: the StatefulSet may have failed without being rolled back.",
    },
    {
      alert: "KubeStatefulSetUpdateNotRolledOut",
      // The current revision differs from the update revision, not every replica is updated, and the
      // updated count has not moved.
      expr:
        `(max by (namespace, statefulset, job) (kube_statefulset_status_current_revision{${K}} unless kube_statefulset_status_update_revision{${K}}) ` +
        `* on (namespace, statefulset, job) (kube_statefulset_replicas{${K}} != kube_statefulset_status_replicas_updated{${K}})) ` +
        `and on (namespace, statefulset, job) (changes(kube_statefulset_status_replicas_updated{${K}}[5m]) == 0)`,
      for: "15m",
      severity: "warning",
      summary: "A StatefulSet update has not been rolled out.",
      description:
        "The update of StatefulSet {{ $labels.namespace }}/{{ $labels.statefulset }} has not reached every replica and has not progressed for more than 15 minutes.",
    },
    {
      alert: "KubeDaemonSetRolloutStuck",
      expr:
        `((kube_daemonset_status_current_number_scheduled{${K}} != kube_daemonset_status_desired_number_scheduled{${K}}) ` +
        `or (kube_daemonset_status_number_misscheduled{${K}} != 0) ` +
        `or (kube_daemonset_status_updated_number_scheduled{${K}} != kube_daemonset_status_desired_number_scheduled{${K}}) ` +
        `or (kube_daemonset_status_number_available{${K}} != kube_daemonset_status_desired_number_scheduled{${K}})) ` +
        `and (changes(kube_daemonset_status_updated_number_scheduled{${K}}[5m]) == 0)`,
      for: "15m",
      severity: "warning",
      summary: "A DaemonSet rollout is stuck.",
      description:
        "DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} has not finished or progressed its rollout for at least 15 minutes.",
    },
    {
      alert: "KubeContainerWaiting",
      expr: `kube_pod_container_status_waiting_reason{${ksm('reason!="CrashLoopBackOff"')}} > 0`,
      for: "1h",
      severity: "warning",
      summary: "A container has been waiting for more than an hour.",
      description:
        "Container {{ $labels.container }} of pod {{ $labels.namespace }}/{{ $labels.pod }} has been waiting to start for more than an hour ({{ $labels.reason }}).",
    },
    {
      alert: "KubeDaemonSetNotScheduled",
      expr: `kube_daemonset_status_desired_number_scheduled{${K}} - kube_daemonset_status_current_number_scheduled{${K}} > 0`,
      for: "10m",
      severity: "warning",
      summary: "Pods of a DaemonSet are not scheduled.",
      description:
        '{{ printf "%.0f" $value }} pods of DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} are not scheduled.',
    },
    {
      alert: "KubeDaemonSetMisScheduled",
      expr: `kube_daemonset_status_number_misscheduled{${K}} > 0`,
      for: "15m",
      severity: "warning",
      summary: "Pods of a DaemonSet run where they should not.",
      description:
        '{{ printf "%.0f" $value }} pods of DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} run on nodes they are not supposed to run on.',
    },
    {
      alert: "KubeJobNotCompleted",
      expr: `time() - max by (namespace, job_name, job) (kube_job_status_start_time{${K}} and kube_job_status_active{${K}} > 0) > ${JOB_TIMEOUT_SECONDS}`,
      severity: "warning",
      summary: "A Job did not complete in time.",
      description:
        "Job {{ $labels.namespace }}/{{ $labels.job_name }} has been running for {{ $value | humanizeDuration }}, more than 12 hours.",
    },
    {
      alert: "KubeJobFailed",
      // kube-state-metrics reports a Failed condition with one series per status (true/false/unknown);
      // the mixin's `kube_job_failed > 0` would also fire on a Failed condition whose status is false.
      expr: `kube_job_failed{${ksm('condition="true"')}} > 0`,
      for: "15m",
      severity: "warning",
      summary: "A Job failed to complete.",
      description:
        "Job {{ $labels.namespace }}/{{ $labels.job_name }} failed to complete. Deleting the failed Job after the investigation clears the alert.",
    },
    {
      alert: "KubeHpaReplicasMismatch",
      expr:
        `(kube_horizontalpodautoscaler_status_desired_replicas{${K}} != kube_horizontalpodautoscaler_status_current_replicas{${K}}) ` +
        `and (kube_horizontalpodautoscaler_status_current_replicas{${K}} > kube_horizontalpodautoscaler_spec_min_replicas{${K}}) ` +
        `and (kube_horizontalpodautoscaler_status_current_replicas{${K}} < kube_horizontalpodautoscaler_spec_max_replicas{${K}}) ` +
        `and changes(kube_horizontalpodautoscaler_status_current_replicas{${K}}[15m]) == 0`,
      for: "15m",
      severity: "warning",
      summary: "An HPA has not reached its desired number of replicas.",
      description:
        "HorizontalPodAutoscaler {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has not matched its desired number of replicas for more than 15 minutes.",
    },
    {
      alert: "KubeHpaMaxedOut",
      expr:
        `(kube_horizontalpodautoscaler_status_current_replicas{${K}} == kube_horizontalpodautoscaler_spec_max_replicas{${K}}) ` +
        `and on (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{${K}} != kube_horizontalpodautoscaler_spec_min_replicas{${K}})`,
      for: "15m",
      severity: "warning",
      summary: "An HPA is running at its maximum replicas.",
      description:
        "HorizontalPodAutoscaler {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has run at its maximum of {{ $value }} replicas for more than 15 minutes.",
    },
    {
      alert: "KubePdbNotEnoughHealthyPods",
      expr: `(kube_poddisruptionbudget_status_desired_healthy{${K}} - kube_poddisruptionbudget_status_current_healthy{${K}}) > 0`,
      for: "15m",
      severity: "warning",
      summary: "A PodDisruptionBudget does not have enough healthy pods.",
      description:
        'PodDisruptionBudget {{ $labels.namespace }}/{{ $labels.poddisruptionbudget }} has wanted {{ printf "%.0f" $value }} more healthy pods for at least 15 minutes.',
    },
  ];
}

function storage(): AlertRule[] {
  const free = (available: string, total: string) => `(${available}{${L}} / ${total}{${L}})`;
  return [
    {
      alert: "KubePersistentVolumeFillingUp",
      expr: `${free("kubelet_volume_stats_available_bytes", "kubelet_volume_stats_capacity_bytes")} < ${FREE_CRITICAL} and kubelet_volume_stats_used_bytes{${L}} > 0 ${claimExclusions}`,
      for: "1m",
      severity: "critical",
      summary: "A persistent volume is almost full.",
      description: `The volume of claim ${CLAIM} has only {{ $value | humanizePercentage }} of its space free.`,
    },
    {
      alert: "KubePersistentVolumeFillingUp",
      expr:
        `${free("kubelet_volume_stats_available_bytes", "kubelet_volume_stats_capacity_bytes")} < ${FREE_WARNING} and kubelet_volume_stats_used_bytes{${L}} > 0 ` +
        `and predict_linear(kubelet_volume_stats_available_bytes{${L}}[${PREDICTION_WINDOW}], 4 * 24 * 3600) < 0 ${claimExclusions}`,
      for: "1h",
      severity: "warning",
      summary: "A persistent volume is filling up.",
      description: `At the trend of the last ${PREDICTION_WINDOW}, the volume of claim ${CLAIM} fills up within four days; {{ $value | humanizePercentage }} of its space is free.`,
    },
    {
      alert: "KubePersistentVolumeInodesFillingUp",
      expr: `${free("kubelet_volume_stats_inodes_free", "kubelet_volume_stats_inodes")} < ${FREE_CRITICAL} and kubelet_volume_stats_inodes_used{${L}} > 0 ${claimExclusions}`,
      for: "1m",
      severity: "critical",
      summary: "A persistent volume is almost out of inodes.",
      description: `The volume of claim ${CLAIM} has only {{ $value | humanizePercentage }} of its inodes free.`,
    },
    {
      alert: "KubePersistentVolumeInodesFillingUp",
      expr:
        `${free("kubelet_volume_stats_inodes_free", "kubelet_volume_stats_inodes")} < ${FREE_WARNING} and kubelet_volume_stats_inodes_used{${L}} > 0 ` +
        `and predict_linear(kubelet_volume_stats_inodes_free{${L}}[${PREDICTION_WINDOW}], 4 * 24 * 3600) < 0 ${claimExclusions}`,
      for: "1h",
      severity: "warning",
      summary: "A persistent volume is running out of inodes.",
      description: `At the trend of the last ${PREDICTION_WINDOW}, the volume of claim ${CLAIM} runs out of inodes within four days; {{ $value | humanizePercentage }} of its inodes are free.`,
    },
    {
      alert: "KubePersistentVolumeErrors",
      expr: `kube_persistentvolume_status_phase{${ksm('phase=~"Failed|Pending"')}} > 0`,
      for: "5m",
      severity: "critical",
      summary: "A persistent volume has a provisioning problem.",
      description: "Persistent volume {{ $labels.persistentvolume }} is in phase {{ $labels.phase }}.",
    },
  ];
}

/** Share of kube-state-metrics' list or watch requests to the API server that failed, per resource. */
function errorRatio(metric: string): string {
  return `sum by (job, resource) (rate(${metric}{${KT}, result="error"}[5m])) / sum by (job, resource) (rate(${metric}{${KT}}[5m]))`;
}

/**
 * kube-state-metrics' own health: with least RBAC a missing permission shows up only here (the objects'
 * series are simply absent). The mixin's sharding alerts do not apply: the stack runs one unsharded replica.
 */
function kubeStateMetrics(): AlertRule[] {
  return [
    {
      alert: "KubeStateMetricsListErrors",
      expr: `(${errorRatio("kube_state_metrics_list_total")}) > 0.01`,
      for: "15m",
      severity: "critical",
      summary: "kube-state-metrics fails to list Kubernetes objects.",
      description:
        "{{ $value | humanizePercentage }} of kube-state-metrics' list requests for {{ $labels.resource }} fail: the metrics of those objects are missing or stale, and the kubernetes alerts built on them cannot fire.",
    },
    {
      alert: "KubeStateMetricsWatchErrors",
      expr: `(${errorRatio("kube_state_metrics_watch_total")}) > 0.01`,
      for: "15m",
      severity: "critical",
      summary: "kube-state-metrics fails to watch Kubernetes objects.",
      description:
        "{{ $value | humanizePercentage }} of kube-state-metrics' watch requests for {{ $labels.resource }} fail: the metrics of those objects are missing or stale, and the kubernetes alerts built on them cannot fire.",
    },
  ];
}

/** Workload, storage and kube-state-metrics alerts for a Kubernetes cluster. */
export function kubernetesPack(): RulePack {
  return {
    name: "kubernetes",
    groups: [
      { name: "kubernetes-apps", rules: apps() },
      { name: "kubernetes-storage", rules: storage() },
      { name: "kube-state-metrics", rules: kubeStateMetrics() },
    ],
  };
}

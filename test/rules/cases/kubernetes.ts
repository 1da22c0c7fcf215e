/**
 * The kubernetes pack on the series the stack's jobs produce: kube-state-metrics' object series carry
 * the object's own namespace/pod/container and the job's `instance` (the kube-state-metrics pod), the
 * kubelet's volume stats carry `instance` = `node` = the node name.
 */
import { fires, RuleTestCase } from "./types";

const KSM = 'job="kube-state-metrics", instance="kube-state-metrics-7d9f-x2k4"';
const KUBELET = 'job="kubelet", instance="node-a", node="node-a"';
const TELEMETRY =
  'job="kube-state-metrics-telemetry", instance="10.0.1.7:8081", namespace="monitoring-prod", pod="kube-state-metrics-7d9f-x2k4", node="node-b"';

/** Labels of a selector body (`a="x", b="y"`) as a record, plus the severity. */
const labels = (sel: string, severity: string): Record<string, string> => ({
  ...Object.fromEntries(
    sel.split(", ").map((kv) => {
      const i = kv.indexOf("=");
      return [kv.slice(0, i), JSON.parse(kv.slice(i + 1))];
    }),
  ),
  severity,
});
const ksm = (extra: string) => `${KSM}, ${extra}`;

/** A pod's phase series (one per phase, 1 for the current one) and its owner. */
function pod(
  namespace: string,
  name: string,
  phase: string,
  ownerKind: string,
  ready?: boolean,
): Record<string, string> {
  const p = `namespace="${namespace}", pod="${name}", uid="u-${name}"`;
  const out: Record<string, string> = {};
  for (const ph of ["Pending", "Running", "Succeeded", "Failed", "Unknown"])
    out[`kube_pod_status_phase{${ksm(`${p}, phase="${ph}"`)}}`] = ph === phase ? "1x40" : "0x40";
  out[
    `kube_pod_owner{${ksm(`${p}, owner_kind="${ownerKind}", owner_name="${name}-owner", owner_is_controller="true"`)}}`
  ] = "1x40";
  if (ready !== undefined) {
    out[`kube_pod_status_ready{${ksm(`${p}, condition="true"`)}}`] = ready ? "1x40" : "0x40";
    out[`kube_pod_status_ready{${ksm(`${p}, condition="false"`)}}`] = ready ? "0x40" : "1x40";
  }
  return out;
}

const DEPLOY = (name: string) => ksm(`namespace="shop", deployment="${name}"`);
const STS = (name: string) => ksm(`namespace="db", statefulset="${name}"`);
const DS = (name: string) => ksm(`namespace="kube-system", daemonset="${name}"`);
const HPA = (name: string) => ksm(`namespace="shop", horizontalpodautoscaler="${name}"`);
const PVC = (name: string) => `${KUBELET}, namespace="db", persistentvolumeclaim="${name}"`;
const CLAIM = (name: string) => ksm(`namespace="db", persistentvolumeclaim="${name}"`);

/** Volume stats of one claim: capacity 1000 bytes/inodes, `available` as given, used = the rest. */
function volume(kind: "bytes" | "inodes", claim: string, available: string): Record<string, string> {
  const [avail, total, used] =
    kind === "bytes"
      ? [
          "kubelet_volume_stats_available_bytes",
          "kubelet_volume_stats_capacity_bytes",
          "kubelet_volume_stats_used_bytes",
        ]
      : [
          "kubelet_volume_stats_inodes_free",
          "kubelet_volume_stats_inodes",
          "kubelet_volume_stats_inodes_used",
        ];
  return {
    [`${avail}{${PVC(claim)}}`]: available,
    [`${total}{${PVC(claim)}}`]: "1000x200",
    [`${used}{${PVC(claim)}}`]: "500x200",
  };
}

/** The claims the storage cases share: a read-only-many claim and one labelled out of the alerts, both full. */
function exemptClaims(kind: "bytes" | "inodes"): Record<string, string> {
  return {
    ...volume(kind, "shared-ro", "10x200"),
    [`kube_persistentvolumeclaim_access_mode{${CLAIM("shared-ro")}, access_mode="ReadOnlyMany"}`]: "1x200",
    ...volume(kind, "scratch", "10x200"),
    [`kube_persistentvolumeclaim_labels{${CLAIM("scratch")}, label_excluded_from_alerts="true"}`]: "1x200",
    [`kube_persistentvolumeclaim_access_mode{${CLAIM("data-db-0")}, access_mode="ReadWriteOnce"}`]: "1x200",
  };
}

export const kubernetesCases: RuleTestCase[] = [
  {
    name: "rag-0 crash-loops; a container being created is not crash looping",
    series: {
      [`kube_pod_container_status_waiting_reason{${ksm('namespace="rag", pod="rag-0", uid="u1", container="rag", reason="CrashLoopBackOff"')}}`]:
        "1x40",
      [`kube_pod_container_status_waiting_reason{${ksm('namespace="rag", pod="rag-1", uid="u2", container="rag", reason="ContainerCreating"')}}`]:
        "1x40",
    },
    alerts: [
      { at: "10m", alert: "KubePodCrashLooping", expect: [] },
      {
        at: "20m",
        alert: "KubePodCrashLooping",
        expect: [
          fires(
            labels(
              ksm('namespace="rag", pod="rag-0", uid="u1", container="rag", reason="CrashLoopBackOff"'),
              "warning",
            ),
            "A pod is crash looping.",
            "Container rag of pod rag/rag-0 keeps crashing and is waiting to be restarted (CrashLoopBackOff).",
          ),
        ],
      },
    ],
  },
  {
    name: "pods not ready: a pending and a running-unready Deployment pod fire; ready, Job and gated pods do not",
    series: {
      ...pod("shop", "web-1", "Pending", "ReplicaSet"),
      ...pod("shop", "web-2", "Running", "ReplicaSet", false),
      ...pod("shop", "web-3", "Running", "ReplicaSet", true),
      ...pod("shop", "migrate-1", "Pending", "Job"),
      ...pod("shop", "gated-1", "Pending", "ReplicaSet"),
      [`kube_pod_status_reason{${ksm('namespace="shop", pod="gated-1", uid="u-gated-1", reason="SchedulingGated"')}}`]:
        "1x40",
    },
    alerts: [
      { at: "10m", alert: "KubePodNotReady", expect: [] },
      {
        at: "20m",
        alert: "KubePodNotReady",
        expect: ["web-1", "web-2"].map((p) =>
          fires(
            { job: "kube-state-metrics", namespace: "shop", pod: p, severity: "warning" },
            "A pod has not been ready for more than 15 minutes.",
            `Pod shop/${p} has been pending, unknown or running but not ready for more than 15 minutes.`,
          ),
        ),
      },
    ],
  },
  {
    name: "api's controller lags its spec generation; cart's is current",
    series: {
      [`kube_deployment_status_observed_generation{${DEPLOY("api")}}`]: "3x30",
      [`kube_deployment_metadata_generation{${DEPLOY("api")}}`]: "4x30",
      [`kube_deployment_status_observed_generation{${DEPLOY("cart")}}`]: "7x30",
      [`kube_deployment_metadata_generation{${DEPLOY("cart")}}`]: "7x30",
    },
    alerts: [
      { at: "10m", alert: "KubeDeploymentGenerationMismatch", expect: [] },
      {
        at: "20m",
        alert: "KubeDeploymentGenerationMismatch",
        expect: [
          fires(
            labels(DEPLOY("api"), "warning"),
            "A Deployment's spec change has not been observed by its controller, possibly a failed roll-back.",
            "The controller of Deployment shop/api has not acted on its latest spec for 15 minutes: the Deployment may have failed without being rolled back.",
          ),
        ],
      },
    ],
  },
  {
    name: "api lacks a replica with no rollout progress; cart lacks one while rolling out",
    series: {
      [`kube_deployment_spec_replicas{${DEPLOY("api")}}`]: "3x40",
      [`kube_deployment_status_replicas_available{${DEPLOY("api")}}`]: "2x40",
      [`kube_deployment_status_replicas_updated{${DEPLOY("api")}}`]: "3x40",
      [`kube_deployment_spec_replicas{${DEPLOY("cart")}}`]: "3x40",
      [`kube_deployment_status_replicas_available{${DEPLOY("cart")}}`]: "2x40",
      [`kube_deployment_status_replicas_updated{${DEPLOY("cart")}}`]: "0+1x40",
    },
    alerts: [
      { at: "10m", alert: "KubeDeploymentReplicasMismatch", expect: [] },
      {
        at: "20m",
        alert: "KubeDeploymentReplicasMismatch",
        expect: [
          fires(
            labels(DEPLOY("api"), "warning"),
            "A Deployment has fewer available replicas than it wants.",
            "Deployment shop/api has had fewer available replicas than its spec asks for, with no rollout progress, for more than 15 minutes.",
          ),
        ],
      },
    ],
  },
  {
    name: "api's rollout passed its progress deadline; cart's progresses",
    series: {
      [`kube_deployment_status_condition{${DEPLOY("api")}, condition="Progressing", status="false", reason="ProgressDeadlineExceeded"}`]:
        "1x30",
      [`kube_deployment_status_condition{${DEPLOY("cart")}, condition="Progressing", status="false", reason="NewReplicaSetAvailable"}`]:
        "0x30",
    },
    alerts: [
      { at: "10m", alert: "KubeDeploymentRolloutStuck", expect: [] },
      {
        at: "20m",
        alert: "KubeDeploymentRolloutStuck",
        expect: [
          fires(
            labels(
              `${DEPLOY("api")}, condition="Progressing", status="false", reason="ProgressDeadlineExceeded"`,
              "warning",
            ),
            "A Deployment rollout is not progressing.",
            "The rollout of Deployment shop/api has not progressed for more than 15 minutes (its Progressing condition is false: progressDeadlineSeconds passed).",
          ),
        ],
      },
    ],
  },
  {
    name: "postgres has 1 of 2 replicas ready with no update progress; redis has all",
    series: {
      [`kube_statefulset_status_replicas_ready{${STS("postgres")}}`]: "1x40",
      [`kube_statefulset_replicas{${STS("postgres")}}`]: "2x40",
      [`kube_statefulset_status_replicas_updated{${STS("postgres")}}`]: "2x40",
      [`kube_statefulset_status_replicas_ready{${STS("redis")}}`]: "3x40",
      [`kube_statefulset_replicas{${STS("redis")}}`]: "3x40",
      [`kube_statefulset_status_replicas_updated{${STS("redis")}}`]: "3x40",
    },
    alerts: [
      { at: "10m", alert: "KubeStatefulSetReplicasMismatch", expect: [] },
      {
        at: "20m",
        alert: "KubeStatefulSetReplicasMismatch",
        expect: [
          fires(
            labels(STS("postgres"), "warning"),
            "A StatefulSet does not have the number of ready replicas it wants.",
            "StatefulSet db/postgres has not had the ready replicas its spec asks for, with no update progress, for more than 15 minutes.",
          ),
        ],
      },
    ],
  },
  {
    name: "postgres' controller lags its spec generation; redis' is current",
    series: {
      [`kube_statefulset_status_observed_generation{${STS("postgres")}}`]: "5x30",
      [`kube_statefulset_metadata_generation{${STS("postgres")}}`]: "6x30",
      [`kube_statefulset_status_observed_generation{${STS("redis")}}`]: "2x30",
      [`kube_statefulset_metadata_generation{${STS("redis")}}`]: "2x30",
    },
    alerts: [
      { at: "10m", alert: "KubeStatefulSetGenerationMismatch", expect: [] },
      {
        at: "20m",
        alert: "KubeStatefulSetGenerationMismatch",
        expect: [
          fires(
            labels(STS("postgres"), "warning"),
            "A StatefulSet's spec change has not been observed by its controller, possibly a failed roll-back.",
            "The controller of StatefulSet db/postgres has not acted on its latest spec for 15 minutes: the StatefulSet may have failed without being rolled back.",
          ),
        ],
      },
    ],
  },
  {
    name: "postgres' update reached 1 of 3 replicas and stopped; redis finished its update",
    series: {
      [`kube_statefulset_status_current_revision{${STS("postgres")}, revision="postgres-6d"}`]: "1x40",
      [`kube_statefulset_status_update_revision{${STS("postgres")}, revision="postgres-7f"}`]: "1x40",
      [`kube_statefulset_replicas{${STS("postgres")}}`]: "3x40",
      [`kube_statefulset_status_replicas_updated{${STS("postgres")}}`]: "1x40",
      [`kube_statefulset_status_current_revision{${STS("redis")}, revision="redis-9a"}`]: "1x40",
      [`kube_statefulset_status_update_revision{${STS("redis")}, revision="redis-9a"}`]: "1x40",
      [`kube_statefulset_replicas{${STS("redis")}}`]: "3x40",
      [`kube_statefulset_status_replicas_updated{${STS("redis")}}`]: "3x40",
    },
    alerts: [
      { at: "10m", alert: "KubeStatefulSetUpdateNotRolledOut", expect: [] },
      {
        at: "20m",
        alert: "KubeStatefulSetUpdateNotRolledOut",
        expect: [
          fires(
            { job: "kube-state-metrics", namespace: "db", statefulset: "postgres", severity: "warning" },
            "A StatefulSet update has not been rolled out.",
            "The update of StatefulSet db/postgres has not reached every replica and has not progressed for more than 15 minutes.",
          ),
        ],
      },
    ],
  },
  {
    name: "fluent-bit's rollout updated 2 of 3 pods and stopped; kube-proxy is complete",
    series: {
      [`kube_daemonset_status_current_number_scheduled{${DS("fluent-bit")}}`]: "3x40",
      [`kube_daemonset_status_desired_number_scheduled{${DS("fluent-bit")}}`]: "3x40",
      [`kube_daemonset_status_number_misscheduled{${DS("fluent-bit")}}`]: "0x40",
      [`kube_daemonset_status_updated_number_scheduled{${DS("fluent-bit")}}`]: "2x40",
      [`kube_daemonset_status_number_available{${DS("fluent-bit")}}`]: "3x40",
      [`kube_daemonset_status_current_number_scheduled{${DS("kube-proxy")}}`]: "3x40",
      [`kube_daemonset_status_desired_number_scheduled{${DS("kube-proxy")}}`]: "3x40",
      [`kube_daemonset_status_number_misscheduled{${DS("kube-proxy")}}`]: "0x40",
      [`kube_daemonset_status_updated_number_scheduled{${DS("kube-proxy")}}`]: "3x40",
      [`kube_daemonset_status_number_available{${DS("kube-proxy")}}`]: "3x40",
    },
    alerts: [
      { at: "10m", alert: "KubeDaemonSetRolloutStuck", expect: [] },
      {
        at: "20m",
        alert: "KubeDaemonSetRolloutStuck",
        expect: [
          fires(
            labels(DS("fluent-bit"), "warning"),
            "A DaemonSet rollout is stuck.",
            "DaemonSet kube-system/fluent-bit has not finished or progressed its rollout for at least 15 minutes.",
          ),
        ],
      },
    ],
  },
  {
    name: "api cannot pull its image for over an hour; crash loops are KubePodCrashLooping's",
    series: {
      [`kube_pod_container_status_waiting_reason{${ksm('namespace="shop", pod="api-7", uid="u7", container="api", reason="ImagePullBackOff"')}}`]:
        "1x80",
      [`kube_pod_container_status_waiting_reason{${ksm('namespace="shop", pod="api-8", uid="u8", container="api", reason="CrashLoopBackOff"')}}`]:
        "1x80",
    },
    alerts: [
      { at: "30m", alert: "KubeContainerWaiting", expect: [] },
      {
        at: "70m",
        alert: "KubeContainerWaiting",
        expect: [
          fires(
            labels(
              ksm('namespace="shop", pod="api-7", uid="u7", container="api", reason="ImagePullBackOff"'),
              "warning",
            ),
            "A container has been waiting for more than an hour.",
            "Container api of pod shop/api-7 has been waiting to start for more than an hour (ImagePullBackOff).",
          ),
        ],
      },
    ],
  },
  {
    name: "one node cannot take fluent-bit's pod and another runs a misscheduled one; kube-proxy is fine",
    series: {
      [`kube_daemonset_status_desired_number_scheduled{${DS("fluent-bit")}}`]: "3x30",
      [`kube_daemonset_status_current_number_scheduled{${DS("fluent-bit")}}`]: "2x30",
      [`kube_daemonset_status_number_misscheduled{${DS("fluent-bit")}}`]: "1x30",
      [`kube_daemonset_status_desired_number_scheduled{${DS("kube-proxy")}}`]: "3x30",
      [`kube_daemonset_status_current_number_scheduled{${DS("kube-proxy")}}`]: "3x30",
      [`kube_daemonset_status_number_misscheduled{${DS("kube-proxy")}}`]: "0x30",
    },
    alerts: [
      { at: "5m", alert: "KubeDaemonSetNotScheduled", expect: [] },
      {
        at: "15m",
        alert: "KubeDaemonSetNotScheduled",
        expect: [
          fires(
            labels(DS("fluent-bit"), "warning"),
            "Pods of a DaemonSet are not scheduled.",
            "1 pods of DaemonSet kube-system/fluent-bit are not scheduled.",
          ),
        ],
      },
      { at: "10m", alert: "KubeDaemonSetMisScheduled", expect: [] },
      {
        at: "20m",
        alert: "KubeDaemonSetMisScheduled",
        expect: [
          fires(
            labels(DS("fluent-bit"), "warning"),
            "Pods of a DaemonSet run where they should not.",
            "1 pods of DaemonSet kube-system/fluent-bit run on nodes they are not supposed to run on.",
          ),
        ],
      },
    ],
  },
  {
    name: "backfill has been active for 13 hours; nightly finished",
    interval: "5m",
    series: {
      [`kube_job_status_start_time{${ksm('namespace="shop", job_name="backfill"')}}`]: "0x170",
      [`kube_job_status_active{${ksm('namespace="shop", job_name="backfill"')}}`]: "1x170",
      [`kube_job_status_start_time{${ksm('namespace="shop", job_name="nightly"')}}`]: "0x170",
      [`kube_job_status_active{${ksm('namespace="shop", job_name="nightly"')}}`]: "1x12 0x158",
    },
    alerts: [
      { at: "11h", alert: "KubeJobNotCompleted", expect: [] },
      {
        at: "13h",
        alert: "KubeJobNotCompleted",
        expect: [
          fires(
            { job: "kube-state-metrics", namespace: "shop", job_name: "backfill", severity: "warning" },
            "A Job did not complete in time.",
            "Job shop/backfill has been running for 13h 0m 0s, more than 12 hours.",
          ),
        ],
      },
    ],
  },
  {
    name: "the migrate Job failed; the seed Job succeeded",
    series: {
      [`kube_job_failed{${ksm('namespace="shop", job_name="migrate", condition="true"')}}`]: "1x30",
      [`kube_job_failed{${ksm('namespace="shop", job_name="migrate", condition="false"')}}`]: "0x30",
      [`kube_job_failed{${ksm('namespace="shop", job_name="seed", condition="true"')}}`]: "0x30",
      [`kube_job_failed{${ksm('namespace="shop", job_name="seed", condition="false"')}}`]: "1x30",
    },
    alerts: [
      { at: "10m", alert: "KubeJobFailed", expect: [] },
      {
        at: "20m",
        alert: "KubeJobFailed",
        expect: [
          fires(
            labels(ksm('namespace="shop", job_name="migrate", condition="true"'), "warning"),
            "A Job failed to complete.",
            "Job shop/migrate failed to complete. Deleting the failed Job after the investigation clears the alert.",
          ),
        ],
      },
    ],
  },
  {
    name: "api's autoscaler wants 5 replicas but stays at 3; cart's matches; search is at its maximum; fixed has min = max",
    series: {
      [`kube_horizontalpodautoscaler_status_desired_replicas{${HPA("api")}}`]: "5x40",
      [`kube_horizontalpodautoscaler_status_current_replicas{${HPA("api")}}`]: "3x40",
      [`kube_horizontalpodautoscaler_spec_min_replicas{${HPA("api")}}`]: "2x40",
      [`kube_horizontalpodautoscaler_spec_max_replicas{${HPA("api")}}`]: "10x40",
      [`kube_horizontalpodautoscaler_status_desired_replicas{${HPA("cart")}}`]: "4x40",
      [`kube_horizontalpodautoscaler_status_current_replicas{${HPA("cart")}}`]: "4x40",
      [`kube_horizontalpodautoscaler_spec_min_replicas{${HPA("cart")}}`]: "2x40",
      [`kube_horizontalpodautoscaler_spec_max_replicas{${HPA("cart")}}`]: "10x40",
      [`kube_horizontalpodautoscaler_status_desired_replicas{${HPA("search")}}`]: "10x40",
      [`kube_horizontalpodautoscaler_status_current_replicas{${HPA("search")}}`]: "10x40",
      [`kube_horizontalpodautoscaler_spec_min_replicas{${HPA("search")}}`]: "2x40",
      [`kube_horizontalpodautoscaler_spec_max_replicas{${HPA("search")}}`]: "10x40",
      [`kube_horizontalpodautoscaler_status_desired_replicas{${HPA("fixed")}}`]: "3x40",
      [`kube_horizontalpodautoscaler_status_current_replicas{${HPA("fixed")}}`]: "3x40",
      [`kube_horizontalpodautoscaler_spec_min_replicas{${HPA("fixed")}}`]: "3x40",
      [`kube_horizontalpodautoscaler_spec_max_replicas{${HPA("fixed")}}`]: "3x40",
    },
    alerts: [
      { at: "10m", alert: "KubeHpaReplicasMismatch", expect: [] },
      {
        at: "20m",
        alert: "KubeHpaReplicasMismatch",
        expect: [
          fires(
            labels(HPA("api"), "warning"),
            "An HPA has not reached its desired number of replicas.",
            "HorizontalPodAutoscaler shop/api has not matched its desired number of replicas for more than 15 minutes.",
          ),
        ],
      },
      { at: "10m", alert: "KubeHpaMaxedOut", expect: [] },
      {
        at: "20m",
        alert: "KubeHpaMaxedOut",
        expect: [
          fires(
            labels(HPA("search"), "warning"),
            "An HPA is running at its maximum replicas.",
            "HorizontalPodAutoscaler shop/search has run at its maximum of 10 replicas for more than 15 minutes.",
          ),
        ],
      },
    ],
  },
  {
    name: "the api budget wants 2 healthy pods and has 1; the cart budget is met",
    series: {
      [`kube_poddisruptionbudget_status_desired_healthy{${ksm('namespace="shop", poddisruptionbudget="api"')}}`]:
        "2x30",
      [`kube_poddisruptionbudget_status_current_healthy{${ksm('namespace="shop", poddisruptionbudget="api"')}}`]:
        "1x30",
      [`kube_poddisruptionbudget_status_desired_healthy{${ksm('namespace="shop", poddisruptionbudget="cart"')}}`]:
        "2x30",
      [`kube_poddisruptionbudget_status_current_healthy{${ksm('namespace="shop", poddisruptionbudget="cart"')}}`]:
        "3x30",
    },
    alerts: [
      { at: "10m", alert: "KubePdbNotEnoughHealthyPods", expect: [] },
      {
        at: "20m",
        alert: "KubePdbNotEnoughHealthyPods",
        expect: [
          fires(
            labels(ksm('namespace="shop", poddisruptionbudget="api"'), "warning"),
            "A PodDisruptionBudget does not have enough healthy pods.",
            "PodDisruptionBudget shop/api has wanted 1 more healthy pods for at least 15 minutes.",
          ),
        ],
      },
    ],
  },
  {
    name: "data-db-0 is 98% full (critical); read-only-many and opted-out claims are as full and stay silent",
    series: { ...volume("bytes", "data-db-0", "20x200"), ...exemptClaims("bytes") },
    alerts: [
      {
        at: "5m",
        alert: "KubePersistentVolumeFillingUp",
        expect: [
          fires(
            labels(PVC("data-db-0"), "critical"),
            "A persistent volume is almost full.",
            "The volume of claim db/data-db-0 has only 2% of its space free.",
          ),
        ],
      },
    ],
  },
  {
    name: "data-db-0 has 14% free and falls fast (warning); data-db-1 has 10% free but is steady",
    series: {
      ...volume("bytes", "data-db-0", "140-0.1x200"),
      ...volume("bytes", "data-db-1", "100x200"),
      ...exemptClaims("bytes"),
    },
    alerts: [
      { at: "30m", alert: "KubePersistentVolumeFillingUp", expect: [] },
      {
        at: "2h",
        alert: "KubePersistentVolumeFillingUp",
        expect: [
          fires(
            labels(PVC("data-db-0"), "warning"),
            "A persistent volume is filling up.",
            "At the trend of the last 6h, the volume of claim db/data-db-0 fills up within four days; 12.8% of its space is free.",
          ),
        ],
      },
    ],
  },
  {
    name: "data-db-0 has 2% of its inodes free (critical); read-only-many and opted-out claims stay silent",
    series: { ...volume("inodes", "data-db-0", "20x200"), ...exemptClaims("inodes") },
    alerts: [
      {
        at: "5m",
        alert: "KubePersistentVolumeInodesFillingUp",
        expect: [
          fires(
            labels(PVC("data-db-0"), "critical"),
            "A persistent volume is almost out of inodes.",
            "The volume of claim db/data-db-0 has only 2% of its inodes free.",
          ),
        ],
      },
    ],
  },
  {
    name: "data-db-0's free inodes fall fast from 14% (warning); data-db-1 is steady at 10%",
    series: {
      ...volume("inodes", "data-db-0", "140-0.1x200"),
      ...volume("inodes", "data-db-1", "100x200"),
      ...exemptClaims("inodes"),
    },
    alerts: [
      { at: "30m", alert: "KubePersistentVolumeInodesFillingUp", expect: [] },
      {
        at: "2h",
        alert: "KubePersistentVolumeInodesFillingUp",
        expect: [
          fires(
            labels(PVC("data-db-0"), "warning"),
            "A persistent volume is running out of inodes.",
            "At the trend of the last 6h, the volume of claim db/data-db-0 runs out of inodes within four days; 12.8% of its inodes are free.",
          ),
        ],
      },
    ],
  },
  {
    name: "pv-1 failed to provision; pv-2 is bound",
    series: {
      [`kube_persistentvolume_status_phase{${ksm('persistentvolume="pv-1", phase="Failed"')}}`]: "1x20",
      [`kube_persistentvolume_status_phase{${ksm('persistentvolume="pv-1", phase="Bound"')}}`]: "0x20",
      [`kube_persistentvolume_status_phase{${ksm('persistentvolume="pv-2", phase="Failed"')}}`]: "0x20",
      [`kube_persistentvolume_status_phase{${ksm('persistentvolume="pv-2", phase="Bound"')}}`]: "1x20",
    },
    alerts: [
      { at: "3m", alert: "KubePersistentVolumeErrors", expect: [] },
      {
        at: "10m",
        alert: "KubePersistentVolumeErrors",
        expect: [
          fires(
            labels(ksm('persistentvolume="pv-1", phase="Failed"'), "critical"),
            "A persistent volume has a provisioning problem.",
            "Persistent volume pv-1 is in phase Failed.",
          ),
        ],
      },
    ],
  },
  {
    name: "kube-state-metrics may not list or watch pods (RBAC); deployments work",
    series: {
      [`kube_state_metrics_list_total{${TELEMETRY}, resource="*v1.Pod", result="error"}`]: "0+1x40",
      [`kube_state_metrics_list_total{${TELEMETRY}, resource="*v1.Pod", result="success"}`]: "0x40",
      [`kube_state_metrics_list_total{${TELEMETRY}, resource="*v1.Deployment", result="error"}`]: "0x40",
      [`kube_state_metrics_list_total{${TELEMETRY}, resource="*v1.Deployment", result="success"}`]: "0+1x40",
      [`kube_state_metrics_watch_total{${TELEMETRY}, resource="*v1.Pod", result="error"}`]: "0+1x40",
      [`kube_state_metrics_watch_total{${TELEMETRY}, resource="*v1.Pod", result="success"}`]: "0+1x40",
      [`kube_state_metrics_watch_total{${TELEMETRY}, resource="*v1.Deployment", result="error"}`]: "0x40",
      [`kube_state_metrics_watch_total{${TELEMETRY}, resource="*v1.Deployment", result="success"}`]: "0+1x40",
    },
    alerts: [
      { at: "10m", alert: "KubeStateMetricsListErrors", expect: [] },
      {
        at: "25m",
        alert: "KubeStateMetricsListErrors",
        expect: [
          fires(
            { job: "kube-state-metrics-telemetry", resource: "*v1.Pod", severity: "critical" },
            "kube-state-metrics fails to list Kubernetes objects.",
            "100% of kube-state-metrics' list requests for *v1.Pod fail: the metrics of those objects are missing or stale, and the kubernetes alerts built on them cannot fire.",
          ),
        ],
      },
      { at: "10m", alert: "KubeStateMetricsWatchErrors", expect: [] },
      {
        at: "25m",
        alert: "KubeStateMetricsWatchErrors",
        expect: [
          fires(
            { job: "kube-state-metrics-telemetry", resource: "*v1.Pod", severity: "critical" },
            "kube-state-metrics fails to watch Kubernetes objects.",
            "50% of kube-state-metrics' watch requests for *v1.Pod fail: the metrics of those objects are missing or stale, and the kubernetes alerts built on them cannot fire.",
          ),
        ],
      },
    ],
  },
];

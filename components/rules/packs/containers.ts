import { JOBS } from "../../../lib/jobs";
import { RulePack, sel } from "../model";

/** Real containers only (the cgroup hierarchy's own entries have no image). */
const C = sel(JOBS.cadvisor, 'image!=""');

/**
 * Kubernetes: a container restarted in the last 10 minutes and its last termination was an OOM kill, as
 * the kubelet reports it in the pod status (kube-state-metrics). cAdvisor cannot tell on Kubernetes: the
 * stack's cAdvisor gets no /dev/kmsg there (only a privileged container could open it).
 */
export const KSM_OOM_KILLED = `(increase(kube_pod_container_status_restarts_total{${sel(JOBS.kubeStateMetrics)}}[10m]) > 0) and on (namespace, pod, container) (kube_pod_container_status_last_terminated_reason{${sel(JOBS.kubeStateMetrics, 'reason="OOMKilled"')}} == 1)`;
/**
 * Docker: the kernel's OOM kills of the container's processes, which cAdvisor reads from /dev/kmsg (the
 * device the Docker cAdvisor is given) and counts per container cgroup, so a container Docker restarts in
 * place keeps its count; a killed child process that leaves the container running counts too.
 */
export const CADVISOR_OOM_KILLED = `increase(container_oom_events_total{${C}}[10m]) > 0`;
/** Container name: `container` from the kubelet's cAdvisor, `name` from a standalone cAdvisor on Docker. */
const CONTAINER = "{{ or $labels.container $labels.name $labels.id }}";

/** Container resource alerts from cAdvisor metrics. */
export function containersPack(): RulePack {
  return {
    name: "containers",
    groups: [
      {
        name: "containers.rules",
        rules: [
          {
            alert: "ContainerCPUThrottlingHigh",
            expr: `increase(container_cpu_cfs_throttled_periods_total{${C}}[5m]) / increase(container_cpu_cfs_periods_total{${C}}[5m]) > 0.25`,
            for: "15m",
            severity: "info",
            summary: "A container is being CPU-throttled a lot.",
            description: `{{ $value | humanizePercentage }} of CPU periods of container ${CONTAINER} on {{ $labels.instance }} were throttled; its CPU limit may be too low.`,
          },
          {
            alert: "ContainerMemoryNearLimit",
            expr: `container_memory_working_set_bytes{${C}} / (container_spec_memory_limit_bytes{${C}} > 0) > 0.9`,
            for: "15m",
            severity: "warning",
            summary: "A container is close to its memory limit.",
            description: `Container ${CONTAINER} on {{ $labels.instance }} uses {{ $value | humanizePercentage }} of its memory limit and risks being OOM-killed.`,
          },
          {
            alert: "ContainerOOMKilled",
            // Whichever source the platform has; where both see a kill, the kubelet's report wins.
            expr: `(${KSM_OOM_KILLED}) or ((${CADVISOR_OOM_KILLED}) unless on (namespace, pod, container) (${KSM_OOM_KILLED}))`,
            severity: "warning",
            summary: "A container was OOM-killed.",
            description: `Container ${CONTAINER}{{ with $labels.pod }} of pod {{ $labels.namespace }}/{{ . }}{{ end }} was killed for running out of memory in the last 10 minutes.`,
          },
        ],
      },
    ],
  };
}

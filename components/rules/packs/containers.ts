import { JOBS } from "../../../lib/jobs";
import { RulePack, sel } from "../model";

/** Real containers only (the cgroup hierarchy's own entries have no image). */
const C = sel(JOBS.cadvisor, 'image!=""');
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
            expr: `increase(container_oom_events_total{${C}}[10m]) > 0`,
            severity: "warning",
            summary: "A container was OOM-killed.",
            description: `Container ${CONTAINER} on {{ $labels.instance }} had {{ printf "%.0f" $value }} out-of-memory kills in the last 10 minutes.`,
          },
        ],
      },
    ],
  };
}

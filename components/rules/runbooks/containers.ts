import type { RunbookGuides } from "../model";

const C = 'job="cadvisor", image!=""';

export const containersRunbooks: RunbookGuides = {
  containercputhrottlinghigh: {
    meaning:
      "More than 25 % of a container's CPU scheduling periods were throttled over 5 minutes, for 15 minutes: the container wanted more CPU than its CPU limit (CFS quota) allows. Severity info.",
    impact:
      "The container runs slower than it could: latency spikes and timeouts in bursts, even while the node has idle CPU.",
    diagnose: [
      "On the *Containers / Overview* dashboard compare *CPU usage against limit* and *CPU throttling* for the container: usage close to the limit with high throttling means the limit is too low for its bursts.",
      "Multi-threaded runtimes (JVM, Go, Node.js worker pools) burn a small quota in a fraction of each 100 ms period; their thread count may need to follow the limit.",
    ],
    queries: [
      {
        title: "Throttled share of periods per container",
        expr: `increase(container_cpu_cfs_throttled_periods_total{${C}}[5m]) / increase(container_cpu_cfs_periods_total{${C}}[5m])`,
      },
      { title: "CPU used in cores per container", expr: `rate(container_cpu_usage_seconds_total{${C}}[5m])` },
    ],
    panels: [
      { dashboard: "containers-overview", panel: "CPU throttling" },
      { dashboard: "containers-overview", panel: "CPU usage against limit" },
    ],
    fix: [
      "Raise the container's CPU limit (or remove it and keep a realistic request); for this stack's own workloads that is `monitoring:<service>.resources.limits.cpu`.",
      "Or reduce the work or the parallelism of the process to fit the limit.",
    ],
  },
  containermemorynearlimit: {
    meaning: "A container's working set has been above 90 % of its memory limit for 15 minutes.",
    impact:
      "At the limit the kernel OOM-kills the container: a restart, lost in-memory state, and for Prometheus a WAL replay on start-up.",
    diagnose: [
      "*Memory working set against limit* shows whether usage climbs steadily (a leak or growing data) or sits at a plateau just under the limit (a limit sized too tight).",
      "For Prometheus, memory follows the number of active series: check *Head series* on the Prometheus dashboard for growth or churn.",
    ],
    queries: [
      {
        title: "Working set against the limit per container",
        expr: `container_memory_working_set_bytes{${C}} / (container_spec_memory_limit_bytes{${C}} > 0)`,
      },
      { title: "RSS and page cache per container", expr: `container_memory_rss{${C}}` },
    ],
    panels: [
      { dashboard: "containers-overview", panel: "Memory working set against limit" },
      { dashboard: "containers-overview", panel: "Memory RSS and page cache" },
    ],
    fix: [
      "Raise the memory limit (`monitoring:<service>.resources.limits.memory` for this stack's workloads) if the usage is legitimate, or fix the leak.",
      "For Prometheus, reduce active series (drop unused metrics with metric_relabel_configs) before raising memory.",
    ],
  },
  containeroomkilled: {
    meaning:
      "A container was killed for running out of memory in the last 10 minutes: the kernel killed a process in it because the container reached its memory limit (or the node ran out of memory). The source depends on the platform. Kubernetes: the container restarted and the kubelet reports its last termination as `OOMKilled` (kube-state-metrics, on with the Kubernetes pack). Docker: cAdvisor counts the kernel's OOM kills per container from /dev/kmsg, which the stack gives it read-only with CAP_SYSLOG; that also catches a killed child process that left the container running. Where both see the same kill, the kubelet's report wins.",
    impact:
      "The process was killed and, usually, restarted: in-flight requests failed and in-memory state was lost. Repeated kills become a crash loop (KubePodCrashLooping).",
    diagnose: [
      "Kubernetes: `kubectl describe pod <pod>` shows `Last State: Terminated, Reason: OOMKilled` with the time. Docker: `docker inspect <container> --format '{{.State.OOMKilled}}'` (only for the main process).",
      "*Memory working set against limit* before the kill shows whether it was a steady climb or a spike; the node's `dmesg` (`Memory cgroup out of memory: Killed process`) names the process.",
      "No kill on Docker although the kernel log shows one: cAdvisor's log says `Could not configure a source for OOM detection` when it cannot open /dev/kmsg (an engine that refuses the device or the capability, e.g. rootless Docker).",
    ],
    queries: [
      {
        title:
          "Kubernetes: containers restarted in the last 10 minutes whose last termination was an OOM kill",
        expr: 'increase(kube_pod_container_status_restarts_total{job="kube-state-metrics"}[10m]) > 0 and on (namespace, pod, container) kube_pod_container_status_last_terminated_reason{job="kube-state-metrics", reason="OOMKilled"} == 1',
      },
      {
        title: "Docker: OOM kills in the last 10 minutes per container (cAdvisor)",
        expr: `increase(container_oom_events_total{${C}}[10m])`,
      },
      { title: "Node-level OOM kills", expr: 'increase(node_vmstat_oom_kill{job="node-exporter"}[10m])' },
    ],
    panels: [
      { dashboard: "containers-overview", panel: "OOM events" },
      { dashboard: "containers-overview", panel: "Memory working set against limit" },
      { dashboard: "kubernetes-workloads", panel: "OOM-killed containers" },
      { dashboard: "node-overview", panel: "Major page faults and OOM kills" },
    ],
    fix: [
      "Raise the memory limit or reduce the memory the process needs (cache sizes, heap limits that match the container limit, e.g. `GOMEMLIMIT` or `-XX:MaxRAMPercentage`).",
    ],
  },
};

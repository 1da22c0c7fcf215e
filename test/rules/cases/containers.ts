import { fires, RuleTestCase } from "./types";

const api = 'job="cadvisor", instance="c0:8080", id="/docker/aaa", name="api", image="api:1"';
const db = 'job="cadvisor", instance="c0:8080", id="/docker/bbb", name="db", image="postgres:17"';
const k8s =
  'job="cadvisor", instance="node1", id="/kubepods/pod1/ccc", namespace="rag", pod="rag-0", container="rag", image="rag:2"';
const cgroup = 'job="cadvisor", instance="c0:8080", id="/system.slice", image=""';
const KSM = 'job="kube-state-metrics", instance="kube-state-metrics-7d9f-x2k4"';
const ksmRag = `${KSM}, namespace="rag", pod="rag-0", uid="u-rag", container="rag"`;
const ksmWeb = `${KSM}, namespace="shop", pod="web-1", uid="u-web", container="web"`;
const ksmBatch = `${KSM}, namespace="shop", pod="batch-0", uid="u-batch", container="batch"`;
const labels = (sel: string, severity: string): Record<string, string> => ({
  ...Object.fromEntries(
    sel.split(", ").map((kv) => {
      const [k, v] = kv.split("=");
      return [k, JSON.parse(v)];
    }),
  ),
  severity,
});

export const containerCases: RuleTestCase[] = [
  {
    name: "api is throttled in 30% of CPU periods, db never, the cgroup root is ignored",
    series: {
      [`container_cpu_cfs_throttled_periods_total{${api}}`]: "0+30x30",
      [`container_cpu_cfs_periods_total{${api}}`]: "0+100x30",
      [`container_cpu_cfs_throttled_periods_total{${db}}`]: "0x30",
      [`container_cpu_cfs_periods_total{${db}}`]: "0+100x30",
      [`container_cpu_cfs_throttled_periods_total{${cgroup}}`]: "0+90x30",
      [`container_cpu_cfs_periods_total{${cgroup}}`]: "0+100x30",
    },
    alerts: [
      { at: "10m", alert: "ContainerCPUThrottlingHigh", expect: [] },
      {
        at: "25m",
        alert: "ContainerCPUThrottlingHigh",
        expect: [
          fires(
            labels(api, "info"),
            "A container is being CPU-throttled a lot.",
            "30% of CPU periods of container api on c0:8080 were throttled; its CPU limit may be too low.",
          ),
        ],
      },
    ],
  },
  {
    name: "rag (Kubernetes) uses 95% of its memory limit; db has no limit",
    series: {
      [`container_memory_working_set_bytes{${k8s}}`]: "950x30",
      [`container_spec_memory_limit_bytes{${k8s}}`]: "1000x30",
      [`container_memory_working_set_bytes{${db}}`]: "950x30",
      [`container_spec_memory_limit_bytes{${db}}`]: "0x30",
    },
    alerts: [
      { at: "10m", alert: "ContainerMemoryNearLimit", expect: [] },
      {
        at: "20m",
        alert: "ContainerMemoryNearLimit",
        expect: [
          fires(
            labels(k8s, "warning"),
            "A container is close to its memory limit.",
            "Container rag on node1 uses 95% of its memory limit and risks being OOM-killed.",
          ),
        ],
      },
    ],
  },
  {
    name: "Docker: cAdvisor counts an OOM kill of api at minute 11 (from /dev/kmsg)",
    series: {
      [`container_oom_events_total{${api}}`]: "0x10 1x20",
      [`container_oom_events_total{${db}}`]: "0x30",
    },
    alerts: [
      { at: "10m", alert: "ContainerOOMKilled", expect: [] },
      {
        at: "15m",
        alert: "ContainerOOMKilled",
        expect: [
          fires(
            labels(api, "warning"),
            "A container was OOM-killed.",
            "Container api was killed for running out of memory in the last 10 minutes.",
          ),
        ],
      },
      { at: "30m", alert: "ContainerOOMKilled", expect: [] },
    ],
  },
  {
    name: "Docker: Docker restarts api in place after the kill; the count per cgroup survives the gap",
    series: {
      [`container_oom_events_total{${api}}`]: "0x10 _x2 1x18",
    },
    alerts: [
      {
        at: "15m",
        alert: "ContainerOOMKilled",
        expect: [
          fires(
            labels(api, "warning"),
            "A container was OOM-killed.",
            "Container api was killed for running out of memory in the last 10 minutes.",
          ),
        ],
      },
    ],
  },
  {
    name: "Kubernetes: the kubelet reports rag OOMKilled and restarted; other restarts and old kills stay silent",
    series: {
      // rag: restarted at minute 11, its last termination an OOM kill.
      [`kube_pod_container_status_restarts_total{${ksmRag}}`]: "0x10 1x20",
      [`kube_pod_container_status_last_terminated_reason{${ksmRag}, reason="OOMKilled"}`]: "_x10 1x20",
      // web: restarted at minute 11 after exiting with an error.
      [`kube_pod_container_status_restarts_total{${ksmWeb}}`]: "0x10 1x20",
      [`kube_pod_container_status_last_terminated_reason{${ksmWeb}, reason="Error"}`]: "_x10 1x20",
      // batch: OOM-killed long ago, no restart since.
      [`kube_pod_container_status_restarts_total{${ksmBatch}}`]: "2x30",
      [`kube_pod_container_status_last_terminated_reason{${ksmBatch}, reason="OOMKilled"}`]: "1x30",
      // The kubelet's cAdvisor (source "kubelet") may count the same kill: the kubelet's report wins.
      [`container_oom_events_total{${k8s}}`]: "0x10 1x20",
    },
    alerts: [
      { at: "10m", alert: "ContainerOOMKilled", expect: [] },
      {
        at: "15m",
        alert: "ContainerOOMKilled",
        expect: [
          fires(
            labels(ksmRag, "warning"),
            "A container was OOM-killed.",
            "Container rag of pod rag/rag-0 was killed for running out of memory in the last 10 minutes.",
          ),
        ],
      },
      { at: "30m", alert: "ContainerOOMKilled", expect: [] },
    ],
  },
];

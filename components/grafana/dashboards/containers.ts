/**
 * Containers, from cAdvisor (the stack's own per-node cAdvisor, or the kubelet's built-in endpoint):
 * CPU, memory working set, network and filesystem per container.
 *
 * The label naming a container differs by source: standalone cAdvisor on Docker puts the container name in
 * `name`; the kubelet's endpoint has `container`, `pod` and `namespace`; standalone cAdvisor on Kubernetes
 * carries the whitelisted runtime labels (`container_label_io_kubernetes_*`). The `group` variable picks the
 * label to break down by, so one dashboard serves all three. `image!=""` keeps real containers only (cAdvisor
 * also reports every cgroup up to the root).
 */
import { JOBS } from "../../../lib/jobs";
import {
  barGauge,
  customVariable,
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
import {
  BY_INSTANCE,
  RATE,
  STACK_TAG,
  clusterVariable,
  jobVariable,
  instanceVariable,
  stackLinks,
} from "./common";

export const CONTAINERS_DASHBOARD_UID = "containers-overview";

/** Container selector: instance filters plus real containers of the chosen ones. */
const C = `${BY_INSTANCE}, image!="", $group=~"$container"`;
const BY = "instance, $group";
const LEGEND = "{{instance}} {{$group}}";
const USAGE = thresholds("green", [0.8, "orange"], [0.9, "red"]);

export function containersDashboard(): DashboardModel {
  const cpu = `sum by (${BY}) (rate(container_cpu_usage_seconds_total{${C}}[${RATE}]))`;
  const memory = `sum by (${BY}) (container_memory_working_set_bytes{${C}})`;
  return dashboard({
    uid: CONTAINERS_DASHBOARD_UID,
    title: "Containers / Overview",
    description: "Per-container CPU, memory, network and filesystem from cAdvisor.",
    tags: [STACK_TAG, "infrastructure", "cadvisor"],
    links: stackLinks(),
    variables: [
      datasourceVariable(),
      clusterVariable(),
      jobVariable("container_cpu_usage_seconds_total", JOBS.cadvisor),
      instanceVariable("container_cpu_usage_seconds_total"),
      customVariable({
        name: "group",
        label: "Group by",
        defaultValue: "name",
        options: [
          { text: "Container name (Docker)", value: "name" },
          { text: "Container (kubelet)", value: "container" },
          { text: "Pod (kubelet)", value: "pod" },
          { text: "Namespace (kubelet)", value: "namespace" },
          {
            text: "Container (cAdvisor on Kubernetes)",
            value: "container_label_io_kubernetes_container_name",
          },
          { text: "Pod (cAdvisor on Kubernetes)", value: "container_label_io_kubernetes_pod_name" },
          { text: "Compose service", value: "container_label_com_docker_compose_service" },
          { text: "Image", value: "image" },
        ],
      }),
      queryVariable({
        name: "container",
        label: "Container",
        query: `label_values(container_cpu_usage_seconds_total{${BY_INSTANCE}, image!=""}, $group)`,
        multi: true,
        includeAll: true,
        allValue: ".*",
      }),
    ],
    rows: [
      row("Overview", [
        stat({
          title: "Containers",
          unit: "short",
          queries: [
            {
              expr: `count(count by (${BY}) (container_cpu_usage_seconds_total{${C}}))`,
              legend: "containers",
            },
          ],
        }),
        stat({
          title: "CPU used (cores)",
          unit: "short",
          decimals: 2,
          queries: [{ expr: `sum(rate(container_cpu_usage_seconds_total{${C}}[${RATE}]))`, legend: "cores" }],
        }),
        stat({
          title: "Memory working set",
          unit: "bytes",
          queries: [{ expr: `sum(container_memory_working_set_bytes{${C}})`, legend: "working set" }],
        }),
        stat({
          title: "OOM events",
          description: "Out-of-memory kills in the selected time range.",
          unit: "short",
          thresholds: thresholds("green", [1, "red"]),
          queries: [
            { expr: `sum(increase(container_oom_events_total{${C}}[$__range])) or vector(0)`, legend: "OOM" },
          ],
        }),
        barGauge({
          title: "Top memory",
          unit: "bytes",
          min: 0,
          width: 8,
          height: 4,
          queries: [{ expr: `topk(5, ${memory})`, legend: LEGEND }],
        }),
      ]),
      row("CPU", [
        timeseries({
          title: "CPU usage (cores)",
          unit: "short",
          queries: [{ expr: cpu, legend: LEGEND }],
        }),
        timeseries({
          title: "CPU usage against limit",
          description: "Containers with a CPU limit (CFS quota) only.",
          unit: "percentunit",
          min: 0,
          thresholds: USAGE,
          showThresholds: "dashed",
          queries: [
            {
              expr: `${cpu} / sum by (${BY}) (container_spec_cpu_quota{${C}} / container_spec_cpu_period{${C}})`,
              legend: LEGEND,
            },
          ],
        }),
        timeseries({
          title: "CPU throttling",
          description: "Share of scheduling periods in which the container hit its CPU limit.",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: thresholds("green", [0.25, "orange"], [0.5, "red"]),
          showThresholds: "dashed",
          queries: [
            {
              expr: `sum by (${BY}) (rate(container_cpu_cfs_throttled_periods_total{${C}}[${RATE}])) / sum by (${BY}) (rate(container_cpu_cfs_periods_total{${C}}[${RATE}]))`,
              legend: LEGEND,
            },
          ],
        }),
      ]),
      row("Memory", [
        timeseries({
          title: "Memory working set",
          description: "What the kernel would not reclaim: the figure OOM decisions and limits are about.",
          unit: "bytes",
          min: 0,
          queries: [{ expr: memory, legend: LEGEND }],
        }),
        timeseries({
          title: "Memory working set against limit",
          description: "Containers with a memory limit only.",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: USAGE,
          showThresholds: "dashed",
          queries: [
            {
              expr: `${memory} / sum by (${BY}) (container_spec_memory_limit_bytes{${C}} > 0)`,
              legend: LEGEND,
            },
          ],
        }),
        timeseries({
          title: "Memory RSS and page cache",
          unit: "bytes",
          min: 0,
          queries: [
            { expr: `sum by (${BY}) (container_memory_rss{${C}})`, legend: `${LEGEND} rss` },
            { expr: `sum by (${BY}) (container_memory_cache{${C}})`, legend: `${LEGEND} cache` },
          ],
        }),
        table({
          title: "Top containers by memory",
          unit: "bytes",
          width: 12,
          hide: ["__name__"],
          columns: {
            "Value #A": { unit: "bytes", displayName: "Working set" },
            "Value #B": { unit: "short", displayName: "CPU (cores)", decimals: 3 },
          },
          queries: [{ expr: `topk(10, ${memory})` }, { expr: `topk(10, ${cpu})` }],
        }),
      ]),
      row("Network", [
        timeseries({
          title: "Network traffic",
          description: "Received above the axis, transmitted below.",
          unit: "Bps",
          negativeY: ".* transmitted$",
          queries: [
            {
              expr: `sum by (${BY}) (rate(container_network_receive_bytes_total{${C}}[${RATE}]))`,
              legend: `${LEGEND} received`,
            },
            {
              expr: `sum by (${BY}) (rate(container_network_transmit_bytes_total{${C}}[${RATE}]))`,
              legend: `${LEGEND} transmitted`,
            },
          ],
        }),
        timeseries({
          title: "Network errors and drops",
          unit: "pps",
          queries: [
            {
              expr: `sum by (${BY}) (rate(container_network_receive_errors_total{${C}}[${RATE}]) + rate(container_network_transmit_errors_total{${C}}[${RATE}]))`,
              legend: `${LEGEND} errors`,
            },
            {
              expr: `sum by (${BY}) (rate(container_network_receive_packets_dropped_total{${C}}[${RATE}]) + rate(container_network_transmit_packets_dropped_total{${C}}[${RATE}]))`,
              legend: `${LEGEND} drops`,
            },
          ],
        }),
      ]),
      row("Filesystem", [
        timeseries({
          title: "Filesystem I/O",
          description: "Read above the axis, written below.",
          unit: "Bps",
          negativeY: ".* written$",
          queries: [
            {
              expr: `sum by (${BY}) (rate(container_fs_reads_bytes_total{${C}}[${RATE}]))`,
              legend: `${LEGEND} read`,
            },
            {
              expr: `sum by (${BY}) (rate(container_fs_writes_bytes_total{${C}}[${RATE}]))`,
              legend: `${LEGEND} written`,
            },
          ],
        }),
        timeseries({
          title: "Filesystem usage",
          description: "Writable layer and volumes cAdvisor accounts to the container.",
          unit: "bytes",
          min: 0,
          queries: [{ expr: `sum by (${BY}) (container_fs_usage_bytes{${C}})`, legend: LEGEND }],
        }),
      ]),
    ],
  });
}

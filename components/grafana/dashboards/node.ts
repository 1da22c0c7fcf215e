/**
 * Node overview: CPU, memory, disk I/O, filesystems, network, load and uptime per host, from node-exporter's
 * raw metrics (no recording rules needed).
 */
import { JOBS } from "../../../lib/jobs";
import {
  barGauge,
  dashboard,
  gauge,
  row,
  stat,
  table,
  thresholds,
  timeseries,
  type DashboardModel,
} from "./builder";
import { BY_INSTANCE, RATE, STACK_TAG, exporterVariables, stackLinks } from "./common";

export const NODE_DASHBOARD_UID = "node-overview";

const S = BY_INSTANCE;
/** Real filesystems only: pseudo and in-memory ones say nothing about disk space. */
const FS = `${S}, fstype!~"tmpfs|ramfs|devtmpfs|squashfs|nsfs|overlay|fuse\\\\.lxcfs|autofs"`;
/** Virtual interfaces would double count traffic already seen on the physical one. */
const NET = `${S}, device!~"lo|veth.*|docker.*|br-.*|cali.*|flannel.*|cni.*|virbr.*|vxlan.*|tunl.*"`;

const USAGE = thresholds("green", [0.8, "orange"], [0.9, "red"]);

export function nodeOverviewDashboard(): DashboardModel {
  const cores = `count by (instance) (node_cpu_seconds_total{${S}, mode="idle"})`;
  return dashboard({
    uid: NODE_DASHBOARD_UID,
    title: "Nodes / Overview",
    description: "Hosts as node-exporter sees them: CPU, memory, disks, filesystems, network, load, uptime.",
    tags: [STACK_TAG, "infrastructure", "node-exporter"],
    links: stackLinks(),
    variables: exporterVariables("node_uname_info", JOBS.nodeExporter),
    rows: [
      row("Overview", [
        stat({
          title: "Uptime",
          description: "Time since boot; orange for an hour after a reboot.",
          unit: "s",
          decimals: 1,
          thresholds: thresholds("orange", [3600, "green"]),
          queries: [{ expr: `time() - node_boot_time_seconds{${S}}`, legend: "{{instance}}" }],
        }),
        stat({
          title: "CPU cores",
          unit: "short",
          queries: [{ expr: cores, legend: "{{instance}}" }],
        }),
        stat({
          title: "Memory",
          unit: "bytes",
          queries: [{ expr: `node_memory_MemTotal_bytes{${S}}`, legend: "{{instance}}" }],
        }),
        gauge({
          title: "CPU busy",
          description: "Share of CPU time not idle, over all cores.",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: USAGE,
          queries: [
            {
              expr: `1 - avg by (instance) (rate(node_cpu_seconds_total{${S}, mode="idle"}[${RATE}]))`,
              legend: "{{instance}}",
            },
          ],
        }),
        gauge({
          title: "Memory used",
          description: "1 - MemAvailable / MemTotal (page cache that can be reclaimed counts as free).",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: USAGE,
          queries: [
            {
              expr: `1 - node_memory_MemAvailable_bytes{${S}} / node_memory_MemTotal_bytes{${S}}`,
              legend: "{{instance}}",
            },
          ],
        }),
        gauge({
          title: "Root filesystem used",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: USAGE,
          queries: [
            {
              expr: `1 - node_filesystem_avail_bytes{${FS}, mountpoint="/"} / node_filesystem_size_bytes{${FS}, mountpoint="/"}`,
              legend: "{{instance}}",
            },
          ],
        }),
      ]),
      row("CPU", [
        timeseries({
          title: "CPU usage by mode",
          description: "Average over the cores of each host; idle left out.",
          unit: "percentunit",
          min: 0,
          max: 1,
          stack: true,
          queries: [
            {
              expr: `avg by (instance, mode) (rate(node_cpu_seconds_total{${S}, mode!="idle"}[${RATE}]))`,
              legend: "{{instance}} {{mode}}",
            },
          ],
        }),
        timeseries({
          title: "Load average per core",
          description: "Load divided by the number of cores; above 1 means runnable tasks are queuing.",
          unit: "short",
          decimals: 2,
          thresholds: thresholds("green", [1, "orange"], [2, "red"]),
          showThresholds: "dashed",
          queries: [
            { expr: `node_load1{${S}} / on (instance) ${cores}`, legend: "{{instance}} 1m" },
            { expr: `node_load5{${S}} / on (instance) ${cores}`, legend: "{{instance}} 5m" },
            { expr: `node_load15{${S}} / on (instance) ${cores}`, legend: "{{instance}} 15m" },
          ],
        }),
        timeseries({
          title: "Context switches and interrupts",
          unit: "ops",
          queries: [
            {
              expr: `rate(node_context_switches_total{${S}}[${RATE}])`,
              legend: "{{instance}} context switches",
            },
            { expr: `rate(node_intr_total{${S}}[${RATE}])`, legend: "{{instance}} interrupts" },
          ],
        }),
        timeseries({
          title: "CPU pressure (PSI)",
          description:
            "Share of time some runnable task waited for a CPU (Linux pressure stall information).",
          unit: "percentunit",
          min: 0,
          queries: [
            { expr: `rate(node_pressure_cpu_waiting_seconds_total{${S}}[${RATE}])`, legend: "{{instance}}" },
          ],
        }),
      ]),
      row("Memory", [
        timeseries({
          title: "Memory",
          unit: "bytes",
          min: 0,
          queries: [
            {
              expr: `node_memory_MemTotal_bytes{${S}} - node_memory_MemAvailable_bytes{${S}}`,
              legend: "{{instance}} used",
            },
            {
              expr: `node_memory_Cached_bytes{${S}} + node_memory_Buffers_bytes{${S}}`,
              legend: "{{instance}} cache + buffers",
            },
            { expr: `node_memory_MemAvailable_bytes{${S}}`, legend: "{{instance}} available" },
          ],
        }),
        timeseries({
          title: "Swap used",
          unit: "bytes",
          min: 0,
          queries: [
            {
              expr: `node_memory_SwapTotal_bytes{${S}} - node_memory_SwapFree_bytes{${S}}`,
              legend: "{{instance}}",
            },
          ],
        }),
        timeseries({
          title: "Major page faults and OOM kills",
          description: "Major faults read pages back from disk: sustained values mean memory is too tight.",
          unit: "ops",
          queries: [
            { expr: `rate(node_vmstat_pgmajfault{${S}}[${RATE}])`, legend: "{{instance}} major faults" },
            { expr: `increase(node_vmstat_oom_kill{${S}}[${RATE}])`, legend: "{{instance}} OOM kills" },
          ],
          overrides: [
            {
              matcher: { id: "byFrameRefID", options: "B" },
              properties: [{ id: "unit", value: "short" }],
            },
          ],
        }),
        timeseries({
          title: "Memory pressure (PSI)",
          description: "Share of time some task stalled waiting for memory.",
          unit: "percentunit",
          min: 0,
          queries: [
            {
              expr: `rate(node_pressure_memory_waiting_seconds_total{${S}}[${RATE}])`,
              legend: "{{instance}}",
            },
          ],
        }),
      ]),
      row("Disk I/O", [
        timeseries({
          title: "Disk throughput",
          description: "Read above the axis, written below.",
          unit: "Bps",
          negativeY: ".* written$",
          queries: [
            {
              expr: `rate(node_disk_read_bytes_total{${S}}[${RATE}])`,
              legend: "{{instance}} {{device}} read",
            },
            {
              expr: `rate(node_disk_written_bytes_total{${S}}[${RATE}])`,
              legend: "{{instance}} {{device}} written",
            },
          ],
        }),
        timeseries({
          title: "Disk IOPS",
          description: "Reads above the axis, writes below.",
          unit: "iops",
          negativeY: ".* writes$",
          queries: [
            {
              expr: `rate(node_disk_reads_completed_total{${S}}[${RATE}])`,
              legend: "{{instance}} {{device}} reads",
            },
            {
              expr: `rate(node_disk_writes_completed_total{${S}}[${RATE}])`,
              legend: "{{instance}} {{device}} writes",
            },
          ],
        }),
        timeseries({
          title: "Disk busy",
          description: "Share of time the device had I/O in flight.",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: USAGE,
          showThresholds: "dashed",
          queries: [
            {
              expr: `rate(node_disk_io_time_seconds_total{${S}}[${RATE}])`,
              legend: "{{instance}} {{device}}",
            },
          ],
        }),
        timeseries({
          title: "Disk latency",
          description: "Average time per completed read and write.",
          unit: "s",
          queries: [
            {
              expr: `rate(node_disk_read_time_seconds_total{${S}}[${RATE}]) / rate(node_disk_reads_completed_total{${S}}[${RATE}])`,
              legend: "{{instance}} {{device}} read",
            },
            {
              expr: `rate(node_disk_write_time_seconds_total{${S}}[${RATE}]) / rate(node_disk_writes_completed_total{${S}}[${RATE}])`,
              legend: "{{instance}} {{device}} write",
            },
          ],
        }),
      ]),
      row("Filesystems", [
        timeseries({
          title: "Filesystem space used",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: USAGE,
          showThresholds: "dashed",
          queries: [
            {
              expr: `1 - node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}}`,
              legend: "{{instance}} {{mountpoint}}",
            },
          ],
        }),
        timeseries({
          title: "Filesystem inodes used",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: USAGE,
          showThresholds: "dashed",
          queries: [
            {
              expr: `1 - node_filesystem_files_free{${FS}} / node_filesystem_files{${FS}}`,
              legend: "{{instance}} {{mountpoint}}",
            },
          ],
        }),
        table({
          title: "Filesystems",
          unit: "bytes",
          hide: ["__name__", "job", "cluster", "device_error"],
          columns: {
            "Value #A": { unit: "bytes", displayName: "Size" },
            "Value #B": { unit: "bytes", displayName: "Available" },
            "Value #C": { unit: "percentunit", displayName: "Used", decimals: 1, thresholds: USAGE },
          },
          queries: [
            { expr: `max by (instance, mountpoint, fstype) (node_filesystem_size_bytes{${FS}})` },
            { expr: `max by (instance, mountpoint, fstype) (node_filesystem_avail_bytes{${FS}})` },
            {
              expr: `1 - max by (instance, mountpoint, fstype) (node_filesystem_avail_bytes{${FS}}) / max by (instance, mountpoint, fstype) (node_filesystem_size_bytes{${FS}})`,
            },
          ],
        }),
      ]),
      row("Network", [
        timeseries({
          title: "Network traffic",
          description: "Received above the axis, transmitted below; virtual interfaces left out.",
          unit: "Bps",
          negativeY: ".* transmitted$",
          queries: [
            {
              expr: `rate(node_network_receive_bytes_total{${NET}}[${RATE}])`,
              legend: "{{instance}} {{device}} received",
            },
            {
              expr: `rate(node_network_transmit_bytes_total{${NET}}[${RATE}])`,
              legend: "{{instance}} {{device}} transmitted",
            },
          ],
        }),
        timeseries({
          title: "Network errors and drops",
          unit: "pps",
          queries: [
            {
              expr: `rate(node_network_receive_errs_total{${NET}}[${RATE}]) + rate(node_network_transmit_errs_total{${NET}}[${RATE}])`,
              legend: "{{instance}} {{device}} errors",
            },
            {
              expr: `rate(node_network_receive_drop_total{${NET}}[${RATE}]) + rate(node_network_transmit_drop_total{${NET}}[${RATE}])`,
              legend: "{{instance}} {{device}} drops",
            },
          ],
        }),
        timeseries({
          title: "TCP connections established",
          unit: "short",
          queries: [{ expr: `node_netstat_Tcp_CurrEstab{${S}}`, legend: "{{instance}}" }],
        }),
        barGauge({
          title: "File descriptors used",
          description: "Allocated file handles against the kernel's maximum.",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: USAGE,
          queries: [
            { expr: `node_filefd_allocated{${S}} / node_filefd_maximum{${S}}`, legend: "{{instance}}" },
          ],
        }),
      ]),
      row("Time", [
        timeseries({
          title: "Clock offset",
          description: "Offset from the kernel's NTP state; alerting usually starts around 50 ms.",
          unit: "s",
          thresholds: thresholds("green", [0.05, "orange"], [0.5, "red"]),
          showThresholds: "dashed",
          queries: [{ expr: `node_timex_offset_seconds{${S}}`, legend: "{{instance}}" }],
        }),
        stat({
          title: "Clock synchronised",
          description:
            "Whether the kernel considers its clock synchronised (NTP/chrony running and in sync).",
          unit: "bool",
          width: 12,
          thresholds: thresholds("red", [1, "green"]),
          queries: [{ expr: `node_timex_sync_status{${S}}`, legend: "{{instance}}" }],
        }),
      ]),
    ],
  });
}

import { JOBS } from "../../../lib/jobs";
import { RulePack, sel } from "../model";

const S = sel(JOBS.nodeExporter);
/** Real filesystems only (node-exporter's own fs-type/mount-point excludes drop the rest at the source). */
const FS = sel(JOBS.nodeExporter, 'fstype!=""', 'mountpoint!=""');
/** Block devices worth alerting on: disks, NVMe, virtio/Xen, device-mapper and md arrays, not partitions' holders. */
const DISKS = sel(
  JOBS.nodeExporter,
  'device=~"(/dev/)?(mmcblk.p.+|nvme.+|rbd.+|sd.+|vd.+|xvd.+|dm-.+|md.+|dasd.+)"',
);

const fsLocation = "{{ $labels.device }}, mounted on {{ $labels.mountpoint }}, at {{ $labels.instance }}";

/** Host alerts from node-exporter, with the recording rules they (and ad-hoc queries) use. */
export function nodePack(): RulePack {
  return {
    name: "node",
    groups: [
      {
        name: "node.recording",
        rules: [
          {
            record: "instance:node_num_cpu:sum",
            expr: `count without (cpu, mode) (node_cpu_seconds_total{${S}, mode="idle"})`,
          },
          {
            record: "instance:node_cpu_utilisation:rate5m",
            expr: `1 - avg without (cpu) (sum without (mode) (rate(node_cpu_seconds_total{${S}, mode=~"idle|iowait|steal"}[5m])))`,
          },
          {
            record: "instance:node_load1_per_cpu:ratio",
            expr: `node_load1{${S}} / instance:node_num_cpu:sum{${S}}`,
          },
          {
            record: "instance:node_memory_utilisation:ratio",
            expr: `1 - node_memory_MemAvailable_bytes{${S}} / node_memory_MemTotal_bytes{${S}}`,
          },
          {
            record: "instance:node_vmstat_pgmajfault:rate5m",
            expr: `rate(node_vmstat_pgmajfault{${S}}[5m])`,
          },
          {
            record: "instance_device:node_disk_io_time_seconds:rate5m",
            expr: `rate(node_disk_io_time_seconds_total{${DISKS}}[5m])`,
          },
          {
            record: "instance_device:node_disk_io_time_weighted_seconds:rate5m",
            expr: `rate(node_disk_io_time_weighted_seconds_total{${DISKS}}[5m])`,
          },
          {
            record: "instance:node_network_receive_bytes_excluding_lo:rate5m",
            expr: `sum without (device) (rate(node_network_receive_bytes_total{${S}, device!="lo"}[5m]))`,
          },
          {
            record: "instance:node_network_transmit_bytes_excluding_lo:rate5m",
            expr: `sum without (device) (rate(node_network_transmit_bytes_total{${S}, device!="lo"}[5m]))`,
          },
        ],
      },
      {
        name: "node.alerts",
        rules: [
          {
            alert: "NodeFilesystemSpaceFillingUp",
            expr: `(node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}} * 100 < 15 and predict_linear(node_filesystem_avail_bytes{${FS}}[6h], 24 * 60 * 60) < 0 and node_filesystem_readonly{${FS}} == 0)`,
            for: "1h",
            severity: "warning",
            summary: "Filesystem is predicted to run out of space within the next 24 hours.",
            description: `Filesystem on ${fsLocation} has only {{ printf "%.2f" $value }}% available space left and is filling up.`,
          },
          {
            alert: "NodeFilesystemSpaceFillingUp",
            expr: `(node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}} * 100 < 10 and predict_linear(node_filesystem_avail_bytes{${FS}}[6h], 4 * 60 * 60) < 0 and node_filesystem_readonly{${FS}} == 0)`,
            for: "1h",
            severity: "critical",
            summary: "Filesystem is predicted to run out of space within the next 4 hours.",
            description: `Filesystem on ${fsLocation} has only {{ printf "%.2f" $value }}% available space left and is filling up fast.`,
          },
          {
            alert: "NodeFilesystemAlmostOutOfSpace",
            expr: `(node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}} * 100 < 5 and node_filesystem_readonly{${FS}} == 0)`,
            for: "30m",
            severity: "warning",
            summary: "Filesystem has less than 5% space left.",
            description: `Filesystem on ${fsLocation} has only {{ printf "%.2f" $value }}% available space left.`,
          },
          {
            alert: "NodeFilesystemAlmostOutOfSpace",
            expr: `(node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}} * 100 < 3 and node_filesystem_readonly{${FS}} == 0)`,
            for: "30m",
            severity: "critical",
            summary: "Filesystem has less than 3% space left.",
            description: `Filesystem on ${fsLocation} has only {{ printf "%.2f" $value }}% available space left.`,
          },
          {
            alert: "NodeFilesystemFilesFillingUp",
            expr: `(node_filesystem_files_free{${FS}} / node_filesystem_files{${FS}} * 100 < 40 and predict_linear(node_filesystem_files_free{${FS}}[6h], 24 * 60 * 60) < 0 and node_filesystem_readonly{${FS}} == 0)`,
            for: "1h",
            severity: "warning",
            summary: "Filesystem is predicted to run out of inodes within the next 24 hours.",
            description: `Filesystem on ${fsLocation} has only {{ printf "%.2f" $value }}% available inodes left and is filling up.`,
          },
          {
            alert: "NodeFilesystemFilesFillingUp",
            expr: `(node_filesystem_files_free{${FS}} / node_filesystem_files{${FS}} * 100 < 20 and predict_linear(node_filesystem_files_free{${FS}}[6h], 4 * 60 * 60) < 0 and node_filesystem_readonly{${FS}} == 0)`,
            for: "1h",
            severity: "critical",
            summary: "Filesystem is predicted to run out of inodes within the next 4 hours.",
            description: `Filesystem on ${fsLocation} has only {{ printf "%.2f" $value }}% available inodes left and is filling up fast.`,
          },
          {
            alert: "NodeFilesystemAlmostOutOfFiles",
            expr: `(node_filesystem_files_free{${FS}} / node_filesystem_files{${FS}} * 100 < 5 and node_filesystem_readonly{${FS}} == 0)`,
            for: "1h",
            severity: "warning",
            summary: "Filesystem has less than 5% inodes left.",
            description: `Filesystem on ${fsLocation} has only {{ printf "%.2f" $value }}% available inodes left.`,
          },
          {
            alert: "NodeFilesystemAlmostOutOfFiles",
            expr: `(node_filesystem_files_free{${FS}} / node_filesystem_files{${FS}} * 100 < 3 and node_filesystem_readonly{${FS}} == 0)`,
            for: "1h",
            severity: "critical",
            summary: "Filesystem has less than 3% inodes left.",
            description: `Filesystem on ${fsLocation} has only {{ printf "%.2f" $value }}% available inodes left.`,
          },
          {
            alert: "NodeNetworkReceiveErrs",
            expr: `rate(node_network_receive_errs_total{${S}}[2m]) / rate(node_network_receive_packets_total{${S}}[2m]) > 0.01`,
            for: "1h",
            severity: "warning",
            summary: "Network interface is reporting many receive errors.",
            description:
              "{{ $labels.instance }} interface {{ $labels.device }} has seen {{ $value | humanizePercentage }} of received packets fail in the last two minutes.",
          },
          {
            alert: "NodeNetworkTransmitErrs",
            expr: `rate(node_network_transmit_errs_total{${S}}[2m]) / rate(node_network_transmit_packets_total{${S}}[2m]) > 0.01`,
            for: "1h",
            severity: "warning",
            summary: "Network interface is reporting many transmit errors.",
            description:
              "{{ $labels.instance }} interface {{ $labels.device }} has seen {{ $value | humanizePercentage }} of transmitted packets fail in the last two minutes.",
          },
          {
            alert: "NodeHighNumberConntrackEntriesUsed",
            expr: `node_nf_conntrack_entries{${S}} / node_nf_conntrack_entries_limit{${S}} > 0.75`,
            for: "5m",
            severity: "warning",
            summary: "Number of conntrack entries is getting close to the limit.",
            description:
              "{{ $value | humanizePercentage }} of conntrack entries are used on {{ $labels.instance }}.",
          },
          {
            alert: "NodeClockSkewDetected",
            expr: `(node_timex_offset_seconds{${S}} > 0.05 and deriv(node_timex_offset_seconds{${S}}[5m]) >= 0) or (node_timex_offset_seconds{${S}} < -0.05 and deriv(node_timex_offset_seconds{${S}}[5m]) <= 0)`,
            for: "10m",
            severity: "warning",
            summary: "Clock skew detected.",
            description:
              "The clock on {{ $labels.instance }} is off by {{ $value }}s and is not converging. Check that NTP is configured correctly on this host.",
          },
          {
            alert: "NodeClockNotSynchronising",
            expr: `min_over_time(node_timex_sync_status{${S}}[5m]) == 0 and node_timex_maxerror_seconds{${S}} >= 16`,
            for: "10m",
            severity: "warning",
            summary: "Clock is not synchronising.",
            description:
              "The clock on {{ $labels.instance }} is not synchronising. Check that NTP is configured on this host.",
          },
          {
            alert: "NodeMemoryHighUtilization",
            expr: `100 - (node_memory_MemAvailable_bytes{${S}} / node_memory_MemTotal_bytes{${S}} * 100) > 90`,
            for: "15m",
            severity: "warning",
            summary: "Host is running out of memory.",
            description:
              '{{ $labels.instance }} has used {{ printf "%.2f" $value }}% of its memory for 15 minutes.',
          },
          {
            alert: "NodeCPUHighUsage",
            expr: `instance:node_cpu_utilisation:rate5m{${S}} * 100 > 90`,
            for: "15m",
            severity: "info",
            summary: "High CPU usage.",
            description:
              '{{ $labels.instance }} has used {{ printf "%.2f" $value }}% of its CPU for 15 minutes.',
          },
          {
            alert: "NodeSystemSaturation",
            expr: `instance:node_load1_per_cpu:ratio{${S}} > 2`,
            for: "15m",
            severity: "warning",
            summary: "System is saturated: load per core is very high.",
            description:
              '{{ $labels.instance }} has a 1-minute load average of {{ printf "%.2f" $value }} per core for 15 minutes; tasks are waiting for CPU.',
          },
          {
            alert: "NodeDiskIOSaturation",
            expr: `instance_device:node_disk_io_time_weighted_seconds:rate5m{${S}} > 10`,
            for: "30m",
            severity: "warning",
            summary: "Disk IO queue is high.",
            description:
              '{{ $labels.device }} on {{ $labels.instance }} has an average IO queue length of {{ printf "%.2f" $value }} for 30 minutes.',
          },
          {
            alert: "NodeMemoryMajorPagesFaults",
            expr: `instance:node_vmstat_pgmajfault:rate5m{${S}} > 500`,
            for: "15m",
            severity: "warning",
            summary: "Memory major page faults are occurring at a very high rate.",
            description:
              '{{ $labels.instance }} has {{ printf "%.0f" $value }} major page faults per second for 15 minutes; the host is likely short of memory.',
          },
          {
            alert: "NodeTextFileCollectorScrapeError",
            expr: `node_textfile_scrape_error{${S}} == 1`,
            severity: "warning",
            summary: "node-exporter text file collector failed to scrape.",
            description: "node-exporter on {{ $labels.instance }} failed to read one of its text files.",
          },
          {
            alert: "NodeFileDescriptorLimit",
            expr: `node_filefd_allocated{${S}} * 100 / node_filefd_maximum{${S}} > 70`,
            for: "15m",
            severity: "warning",
            summary: "Kernel is predicted to exhaust its file descriptor limit soon.",
            description:
              '{{ $labels.instance }} has allocated {{ printf "%.2f" $value }}% of its file descriptors.',
          },
          {
            alert: "NodeFileDescriptorLimit",
            expr: `node_filefd_allocated{${S}} * 100 / node_filefd_maximum{${S}} > 90`,
            for: "15m",
            severity: "critical",
            summary: "Kernel is about to exhaust its file descriptor limit.",
            description:
              '{{ $labels.instance }} has allocated {{ printf "%.2f" $value }}% of its file descriptors.',
          },
          {
            alert: "NodeRAIDDegraded",
            expr: `node_md_disks_required{${S}} - ignoring (state) (node_md_disks{${S}, state="active"}) > 0`,
            for: "15m",
            severity: "critical",
            summary: "RAID array is degraded.",
            description:
              "RAID array {{ $labels.device }} on {{ $labels.instance }} is missing {{ $value }} active disks; replace the failed ones.",
          },
          {
            alert: "NodeRAIDDiskFailure",
            expr: `node_md_disks{${S}, state="failed"} > 0`,
            severity: "warning",
            summary: "A disk in a RAID array has failed.",
            description:
              "RAID array {{ $labels.device }} on {{ $labels.instance }} has {{ $value }} failed disks.",
          },
          {
            alert: "NodeSystemdServiceFailed",
            expr: `node_systemd_unit_state{${S}, state="failed"} == 1`,
            for: "5m",
            severity: "warning",
            summary: "A systemd service has failed.",
            description: "Systemd unit {{ $labels.name }} on {{ $labels.instance }} is in the failed state.",
          },
          {
            alert: "NodeSystemdServiceCrashlooping",
            // Needs the systemd collector with --collector.systemd.enable-restarts-metrics; silent without.
            expr: `increase(node_systemd_service_restart_total{${S}}[5m]) > 2`,
            for: "15m",
            severity: "warning",
            summary: "A systemd service keeps restarting, possibly crash looping.",
            description:
              "Systemd service {{ $labels.name }} on {{ $labels.instance }} has restarted more than twice every 5 minutes for 15 minutes.",
          },
          {
            alert: "NodeBondingDegraded",
            expr: `(node_bonding_slaves{${S}} - node_bonding_active{${S}}) != 0`,
            for: "5m",
            severity: "warning",
            summary: "A bonding interface is degraded.",
            description:
              'Bonding interface {{ $labels.master }} on {{ $labels.instance }} has {{ printf "%.0f" $value }} failed member links.',
          },
        ],
      },
    ],
  };
}

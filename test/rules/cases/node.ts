import { fires, RuleTestCase } from "./types";

const J = 'job="node-exporter"';
const FS1 = `${J}, instance="n1:9100", device="/dev/sda1", fstype="ext4", mountpoint="/"`;
const FS2 = `${J}, instance="n2:9100", device="/dev/sda1", fstype="ext4", mountpoint="/"`;
const FS_OK = `${J}, instance="n3:9100", device="/dev/sda1", fstype="ext4", mountpoint="/"`;
const fsLabels = (instance: string, severity: string) => ({
  job: "node-exporter",
  instance,
  device: "/dev/sda1",
  fstype: "ext4",
  mountpoint: "/",
  severity,
});
const at = (instance: string) => `/dev/sda1, mounted on /, at ${instance}`;
const node = (instance: string, severity: string) => ({ job: "node-exporter", instance, severity });

/** Filesystem series: size, free and readonly for three hosts. */
function fsSeries(kind: "bytes" | "files", n1: string, n2: string, ok: string): Record<string, string> {
  const [total, free] =
    kind === "bytes"
      ? ["node_filesystem_size_bytes", "node_filesystem_avail_bytes"]
      : ["node_filesystem_files", "node_filesystem_files_free"];
  const out: Record<string, string> = {};
  for (const [sel, values] of [
    [FS1, n1],
    [FS2, n2],
    [FS_OK, ok],
  ] as const) {
    out[`${total}{${sel}}`] = "10000x100";
    out[`${free}{${sel}}`] = values;
    out[`node_filesystem_readonly{${sel}}`] = "0x100";
  }
  return out;
}

export const nodeCases: RuleTestCase[] = [
  {
    name: "filesystem space filling up: warning at 14%, warning and critical below 10%, healthy host silent",
    series: fsSeries("bytes", "1400-1x100", "990-10x100", "5000x100"),
    alerts: [
      { at: "30m", alert: "NodeFilesystemSpaceFillingUp", expect: [] },
      {
        at: "70m",
        alert: "NodeFilesystemSpaceFillingUp",
        expect: [
          fires(
            fsLabels("n1:9100", "warning"),
            "Filesystem is predicted to run out of space within the next 24 hours.",
            `Filesystem on ${at("n1:9100")} has only 13.30% available space left and is filling up.`,
          ),
          fires(
            fsLabels("n2:9100", "warning"),
            "Filesystem is predicted to run out of space within the next 24 hours.",
            `Filesystem on ${at("n2:9100")} has only 2.90% available space left and is filling up.`,
          ),
          fires(
            fsLabels("n2:9100", "critical"),
            "Filesystem is predicted to run out of space within the next 4 hours.",
            `Filesystem on ${at("n2:9100")} has only 2.90% available space left and is filling up fast.`,
          ),
        ],
      },
    ],
  },
  {
    name: "filesystem almost out of space: 4% warns, 2% is also critical",
    series: fsSeries("bytes", "400x100", "200x100", "5000x100"),
    alerts: [
      { at: "20m", alert: "NodeFilesystemAlmostOutOfSpace", expect: [] },
      {
        at: "35m",
        alert: "NodeFilesystemAlmostOutOfSpace",
        expect: [
          fires(
            fsLabels("n1:9100", "warning"),
            "Filesystem has less than 5% space left.",
            `Filesystem on ${at("n1:9100")} has only 4.00% available space left.`,
          ),
          fires(
            fsLabels("n2:9100", "warning"),
            "Filesystem has less than 5% space left.",
            `Filesystem on ${at("n2:9100")} has only 2.00% available space left.`,
          ),
          fires(
            fsLabels("n2:9100", "critical"),
            "Filesystem has less than 3% space left.",
            `Filesystem on ${at("n2:9100")} has only 2.00% available space left.`,
          ),
        ],
      },
    ],
  },
  {
    name: "a read-only filesystem that is full does not alert",
    series: {
      [`node_filesystem_size_bytes{${FS1}}`]: "10000x100",
      [`node_filesystem_avail_bytes{${FS1}}`]: "0x100",
      [`node_filesystem_readonly{${FS1}}`]: "1x100",
    },
    alerts: [
      { at: "90m", alert: "NodeFilesystemAlmostOutOfSpace", expect: [] },
      { at: "90m", alert: "NodeFilesystemSpaceFillingUp", expect: [] },
    ],
  },
  {
    name: "inodes filling up: warning at 32%, warning and critical at 12.9%",
    series: fsSeries("files", "3900-10x100", "1990-10x100", "9000x100"),
    alerts: [
      { at: "30m", alert: "NodeFilesystemFilesFillingUp", expect: [] },
      {
        at: "70m",
        alert: "NodeFilesystemFilesFillingUp",
        expect: [
          fires(
            fsLabels("n1:9100", "warning"),
            "Filesystem is predicted to run out of inodes within the next 24 hours.",
            `Filesystem on ${at("n1:9100")} has only 32.00% available inodes left and is filling up.`,
          ),
          fires(
            fsLabels("n2:9100", "warning"),
            "Filesystem is predicted to run out of inodes within the next 24 hours.",
            `Filesystem on ${at("n2:9100")} has only 12.90% available inodes left and is filling up.`,
          ),
          fires(
            fsLabels("n2:9100", "critical"),
            "Filesystem is predicted to run out of inodes within the next 4 hours.",
            `Filesystem on ${at("n2:9100")} has only 12.90% available inodes left and is filling up fast.`,
          ),
        ],
      },
    ],
  },
  {
    name: "almost out of inodes: 4% warns, 2% is also critical",
    series: fsSeries("files", "400x100", "200x100", "9000x100"),
    alerts: [
      { at: "30m", alert: "NodeFilesystemAlmostOutOfFiles", expect: [] },
      {
        at: "65m",
        alert: "NodeFilesystemAlmostOutOfFiles",
        expect: [
          fires(
            fsLabels("n1:9100", "warning"),
            "Filesystem has less than 5% inodes left.",
            `Filesystem on ${at("n1:9100")} has only 4.00% available inodes left.`,
          ),
          fires(
            fsLabels("n2:9100", "warning"),
            "Filesystem has less than 5% inodes left.",
            `Filesystem on ${at("n2:9100")} has only 2.00% available inodes left.`,
          ),
          fires(
            fsLabels("n2:9100", "critical"),
            "Filesystem has less than 3% inodes left.",
            `Filesystem on ${at("n2:9100")} has only 2.00% available inodes left.`,
          ),
        ],
      },
    ],
  },
  {
    name: "network errors: 2% of packets on eth0 fail, eth1 is clean",
    series: {
      [`node_network_receive_packets_total{${J}, instance="n1:9100", device="eth0"}`]: "0+1000x90",
      [`node_network_receive_errs_total{${J}, instance="n1:9100", device="eth0"}`]: "0+20x90",
      [`node_network_transmit_packets_total{${J}, instance="n1:9100", device="eth0"}`]: "0+1000x90",
      [`node_network_transmit_errs_total{${J}, instance="n1:9100", device="eth0"}`]: "0+20x90",
      [`node_network_receive_packets_total{${J}, instance="n1:9100", device="eth1"}`]: "0+1000x90",
      [`node_network_receive_errs_total{${J}, instance="n1:9100", device="eth1"}`]: "0x90",
      [`node_network_transmit_packets_total{${J}, instance="n1:9100", device="eth1"}`]: "0+1000x90",
      [`node_network_transmit_errs_total{${J}, instance="n1:9100", device="eth1"}`]: "0x90",
    },
    alerts: [
      { at: "30m", alert: "NodeNetworkReceiveErrs", expect: [] },
      { at: "30m", alert: "NodeNetworkTransmitErrs", expect: [] },
      {
        at: "70m",
        alert: "NodeNetworkReceiveErrs",
        expect: [
          fires(
            { job: "node-exporter", instance: "n1:9100", device: "eth0", severity: "warning" },
            "Network interface is reporting many receive errors.",
            "n1:9100 interface eth0 has seen 2% of received packets fail in the last two minutes.",
          ),
        ],
      },
      {
        at: "70m",
        alert: "NodeNetworkTransmitErrs",
        expect: [
          fires(
            { job: "node-exporter", instance: "n1:9100", device: "eth0", severity: "warning" },
            "Network interface is reporting many transmit errors.",
            "n1:9100 interface eth0 has seen 2% of transmitted packets fail in the last two minutes.",
          ),
        ],
      },
    ],
  },
  {
    name: "conntrack table 80% full on n1, 10% on n2",
    series: {
      [`node_nf_conntrack_entries{${J}, instance="n1:9100"}`]: "800x20",
      [`node_nf_conntrack_entries_limit{${J}, instance="n1:9100"}`]: "1000x20",
      [`node_nf_conntrack_entries{${J}, instance="n2:9100"}`]: "100x20",
      [`node_nf_conntrack_entries_limit{${J}, instance="n2:9100"}`]: "1000x20",
    },
    alerts: [
      { at: "2m", alert: "NodeHighNumberConntrackEntriesUsed", expect: [] },
      {
        at: "10m",
        alert: "NodeHighNumberConntrackEntriesUsed",
        expect: [
          fires(
            node("n1:9100", "warning"),
            "Number of conntrack entries is getting close to the limit.",
            "80% of conntrack entries are used on n1:9100.",
          ),
        ],
      },
    ],
  },
  {
    name: "clock: n1 is 100ms off and not converging, n2 does not synchronise, n3 is fine",
    series: {
      [`node_timex_offset_seconds{${J}, instance="n1:9100"}`]: "0.1x30",
      [`node_timex_sync_status{${J}, instance="n1:9100"}`]: "1x30",
      [`node_timex_maxerror_seconds{${J}, instance="n1:9100"}`]: "0.5x30",
      [`node_timex_offset_seconds{${J}, instance="n2:9100"}`]: "0x30",
      [`node_timex_sync_status{${J}, instance="n2:9100"}`]: "0x30",
      [`node_timex_maxerror_seconds{${J}, instance="n2:9100"}`]: "16x30",
      [`node_timex_offset_seconds{${J}, instance="n3:9100"}`]: "0.001x30",
      [`node_timex_sync_status{${J}, instance="n3:9100"}`]: "1x30",
      [`node_timex_maxerror_seconds{${J}, instance="n3:9100"}`]: "0.5x30",
    },
    alerts: [
      { at: "5m", alert: "NodeClockSkewDetected", expect: [] },
      { at: "5m", alert: "NodeClockNotSynchronising", expect: [] },
      {
        at: "15m",
        alert: "NodeClockSkewDetected",
        expect: [
          fires(
            node("n1:9100", "warning"),
            "Clock skew detected.",
            "The clock on n1:9100 is off by 0.1s and is not converging. Check that NTP is configured correctly on this host.",
          ),
        ],
      },
      {
        at: "15m",
        alert: "NodeClockNotSynchronising",
        expect: [
          fires(
            node("n2:9100", "warning"),
            "Clock is not synchronising.",
            "The clock on n2:9100 is not synchronising. Check that NTP is configured on this host.",
          ),
        ],
      },
    ],
  },
  {
    name: "memory: n1 uses 95%, n2 50%",
    series: {
      [`node_memory_MemTotal_bytes{${J}, instance="n1:9100"}`]: "1000x30",
      [`node_memory_MemAvailable_bytes{${J}, instance="n1:9100"}`]: "50x30",
      [`node_memory_MemTotal_bytes{${J}, instance="n2:9100"}`]: "1000x30",
      [`node_memory_MemAvailable_bytes{${J}, instance="n2:9100"}`]: "500x30",
    },
    alerts: [
      { at: "10m", alert: "NodeMemoryHighUtilization", expect: [] },
      {
        at: "20m",
        alert: "NodeMemoryHighUtilization",
        expect: [
          fires(
            node("n1:9100", "warning"),
            "Host is running out of memory.",
            "n1:9100 has used 95.00% of its memory for 15 minutes.",
          ),
        ],
      },
    ],
    exprs: [
      {
        at: "5m",
        expr: "instance:node_memory_utilisation:ratio",
        samples: [
          { labels: `instance:node_memory_utilisation:ratio{${J}, instance="n1:9100"}`, value: 0.95 },
          { labels: `instance:node_memory_utilisation:ratio{${J}, instance="n2:9100"}`, value: 0.5 },
        ],
      },
    ],
  },
  {
    name: "CPU and load: n1 has two busy cores (5% idle) and load 5, n2 is 90% idle with load 0.5",
    series: {
      [`node_cpu_seconds_total{${J}, instance="n1:9100", cpu="0", mode="idle"}`]: "0+3x40",
      [`node_cpu_seconds_total{${J}, instance="n1:9100", cpu="1", mode="idle"}`]: "0+3x40",
      [`node_load1{${J}, instance="n1:9100"}`]: "5x40",
      [`node_cpu_seconds_total{${J}, instance="n2:9100", cpu="0", mode="idle"}`]: "0+54x40",
      [`node_cpu_seconds_total{${J}, instance="n2:9100", cpu="1", mode="idle"}`]: "0+54x40",
      [`node_load1{${J}, instance="n2:9100"}`]: "0.5x40",
    },
    alerts: [
      { at: "10m", alert: "NodeCPUHighUsage", expect: [] },
      { at: "10m", alert: "NodeSystemSaturation", expect: [] },
      {
        at: "25m",
        alert: "NodeCPUHighUsage",
        expect: [
          fires(
            node("n1:9100", "info"),
            "High CPU usage.",
            "n1:9100 has used 95.00% of its CPU for 15 minutes.",
          ),
        ],
      },
      {
        at: "25m",
        alert: "NodeSystemSaturation",
        expect: [
          fires(
            node("n1:9100", "warning"),
            "System is saturated: load per core is very high.",
            "n1:9100 has a 1-minute load average of 2.50 per core for 15 minutes; tasks are waiting for CPU.",
          ),
        ],
      },
    ],
    exprs: [
      {
        at: "10m",
        expr: "instance:node_num_cpu:sum",
        samples: [
          { labels: `instance:node_num_cpu:sum{${J}, instance="n1:9100"}`, value: 2 },
          { labels: `instance:node_num_cpu:sum{${J}, instance="n2:9100"}`, value: 2 },
        ],
      },
      {
        at: "10m",
        expr: "instance:node_load1_per_cpu:ratio",
        samples: [
          { labels: `instance:node_load1_per_cpu:ratio{${J}, instance="n1:9100"}`, value: 2.5 },
          { labels: `instance:node_load1_per_cpu:ratio{${J}, instance="n2:9100"}`, value: 0.25 },
        ],
      },
      {
        at: "10m",
        expr: "round(instance:node_cpu_utilisation:rate5m, 0.001)",
        samples: [
          { labels: `{${J}, instance="n1:9100"}`, value: 0.95 },
          { labels: `{${J}, instance="n2:9100"}`, value: 0.1 },
        ],
      },
    ],
  },
  {
    name: "disk IO queue of 12 on sda, 1 on sdb; partitions and loop devices are not counted",
    series: {
      [`node_disk_io_time_weighted_seconds_total{${J}, instance="n1:9100", device="sda"}`]: "0+720x60",
      [`node_disk_io_time_weighted_seconds_total{${J}, instance="n1:9100", device="sdb"}`]: "0+60x60",
      [`node_disk_io_time_weighted_seconds_total{${J}, instance="n1:9100", device="loop0"}`]: "0+720x60",
    },
    alerts: [
      { at: "20m", alert: "NodeDiskIOSaturation", expect: [] },
      {
        at: "40m",
        alert: "NodeDiskIOSaturation",
        expect: [
          fires(
            { job: "node-exporter", instance: "n1:9100", device: "sda", severity: "warning" },
            "Disk IO queue is high.",
            "sda on n1:9100 has an average IO queue length of 12.00 for 30 minutes.",
          ),
        ],
      },
    ],
  },
  {
    name: "major page faults: 600/s on n1, 1/s on n2",
    series: {
      [`node_vmstat_pgmajfault{${J}, instance="n1:9100"}`]: "0+36000x30",
      [`node_vmstat_pgmajfault{${J}, instance="n2:9100"}`]: "0+60x30",
    },
    alerts: [
      { at: "10m", alert: "NodeMemoryMajorPagesFaults", expect: [] },
      {
        at: "25m",
        alert: "NodeMemoryMajorPagesFaults",
        expect: [
          fires(
            node("n1:9100", "warning"),
            "Memory major page faults are occurring at a very high rate.",
            "n1:9100 has 600 major page faults per second for 15 minutes; the host is likely short of memory.",
          ),
        ],
      },
    ],
  },
  {
    name: "text file collector error on n1 from minute 2",
    series: {
      [`node_textfile_scrape_error{${J}, instance="n1:9100"}`]: "0 0 1 1 1",
      [`node_textfile_scrape_error{${J}, instance="n2:9100"}`]: "0 0 0 0 0",
    },
    alerts: [
      { at: "1m", alert: "NodeTextFileCollectorScrapeError", expect: [] },
      {
        at: "3m",
        alert: "NodeTextFileCollectorScrapeError",
        expect: [
          fires(
            node("n1:9100", "warning"),
            "node-exporter text file collector failed to scrape.",
            "node-exporter on n1:9100 failed to read one of its text files.",
          ),
        ],
      },
    ],
  },
  {
    name: "file descriptors: 80% warns, 95% is also critical, 10% is fine",
    series: {
      [`node_filefd_allocated{${J}, instance="n1:9100"}`]: "800x30",
      [`node_filefd_maximum{${J}, instance="n1:9100"}`]: "1000x30",
      [`node_filefd_allocated{${J}, instance="n2:9100"}`]: "950x30",
      [`node_filefd_maximum{${J}, instance="n2:9100"}`]: "1000x30",
      [`node_filefd_allocated{${J}, instance="n3:9100"}`]: "100x30",
      [`node_filefd_maximum{${J}, instance="n3:9100"}`]: "1000x30",
    },
    alerts: [
      { at: "10m", alert: "NodeFileDescriptorLimit", expect: [] },
      {
        at: "20m",
        alert: "NodeFileDescriptorLimit",
        expect: [
          fires(
            node("n1:9100", "warning"),
            "Kernel is predicted to exhaust its file descriptor limit soon.",
            "n1:9100 has allocated 80.00% of its file descriptors.",
          ),
          fires(
            node("n2:9100", "warning"),
            "Kernel is predicted to exhaust its file descriptor limit soon.",
            "n2:9100 has allocated 95.00% of its file descriptors.",
          ),
          fires(
            node("n2:9100", "critical"),
            "Kernel is about to exhaust its file descriptor limit.",
            "n2:9100 has allocated 95.00% of its file descriptors.",
          ),
        ],
      },
    ],
  },
  {
    name: "RAID: md0 lost one of two disks, md1 is whole",
    series: {
      [`node_md_disks_required{${J}, instance="n1:9100", device="md0"}`]: "2x30",
      [`node_md_disks{${J}, instance="n1:9100", device="md0", state="active"}`]: "1x30",
      [`node_md_disks{${J}, instance="n1:9100", device="md0", state="failed"}`]: "1x30",
      [`node_md_disks_required{${J}, instance="n1:9100", device="md1"}`]: "2x30",
      [`node_md_disks{${J}, instance="n1:9100", device="md1", state="active"}`]: "2x30",
      [`node_md_disks{${J}, instance="n1:9100", device="md1", state="failed"}`]: "0x30",
    },
    alerts: [
      { at: "5m", alert: "NodeRAIDDegraded", expect: [] },
      {
        at: "20m",
        alert: "NodeRAIDDegraded",
        expect: [
          fires(
            { job: "node-exporter", instance: "n1:9100", device: "md0", severity: "critical" },
            "RAID array is degraded.",
            "RAID array md0 on n1:9100 is missing 1 active disks; replace the failed ones.",
          ),
        ],
      },
      {
        at: "1m",
        alert: "NodeRAIDDiskFailure",
        expect: [
          fires(
            {
              job: "node-exporter",
              instance: "n1:9100",
              device: "md0",
              state: "failed",
              severity: "warning",
            },
            "A disk in a RAID array has failed.",
            "RAID array md0 on n1:9100 has 1 failed disks.",
          ),
        ],
      },
    ],
  },
  {
    name: "a healthy RAID array raises nothing",
    series: {
      [`node_md_disks_required{${J}, instance="n1:9100", device="md1"}`]: "2x30",
      [`node_md_disks{${J}, instance="n1:9100", device="md1", state="active"}`]: "2x30",
      [`node_md_disks{${J}, instance="n1:9100", device="md1", state="failed"}`]: "0x30",
    },
    alerts: [
      { at: "25m", alert: "NodeRAIDDegraded", expect: [] },
      { at: "25m", alert: "NodeRAIDDiskFailure", expect: [] },
    ],
  },
  {
    name: "systemd: foo.service failed, bar.service active",
    series: {
      [`node_systemd_unit_state{${J}, instance="n1:9100", name="foo.service", state="failed"}`]: "1x20",
      [`node_systemd_unit_state{${J}, instance="n1:9100", name="foo.service", state="active"}`]: "0x20",
      [`node_systemd_unit_state{${J}, instance="n1:9100", name="bar.service", state="failed"}`]: "0x20",
      [`node_systemd_unit_state{${J}, instance="n1:9100", name="bar.service", state="active"}`]: "1x20",
    },
    alerts: [
      { at: "2m", alert: "NodeSystemdServiceFailed", expect: [] },
      {
        at: "10m",
        alert: "NodeSystemdServiceFailed",
        expect: [
          fires(
            {
              job: "node-exporter",
              instance: "n1:9100",
              name: "foo.service",
              state: "failed",
              severity: "warning",
            },
            "A systemd service has failed.",
            "Systemd unit foo.service on n1:9100 is in the failed state.",
          ),
        ],
      },
    ],
  },
  {
    name: "a systemd service restarts every minute on n1, a steady one on n2",
    series: {
      [`node_systemd_service_restart_total{${J}, instance="n1:9100", name="app.service"}`]: "0+1x40",
      [`node_systemd_service_restart_total{${J}, instance="n2:9100", name="app.service"}`]: "3x40",
    },
    alerts: [
      { at: "10m", alert: "NodeSystemdServiceCrashlooping", expect: [] },
      {
        at: "25m",
        alert: "NodeSystemdServiceCrashlooping",
        expect: [
          fires(
            { ...node("n1:9100", "warning"), name: "app.service" },
            "A systemd service keeps restarting, possibly crash looping.",
            "Systemd service app.service on n1:9100 has restarted more than twice every 5 minutes for 15 minutes.",
          ),
        ],
      },
    ],
  },
  {
    name: "bond0 on n1 lost one of its two links; bond0 on n2 has both",
    series: {
      [`node_bonding_slaves{${J}, instance="n1:9100", master="bond0"}`]: "2x20",
      [`node_bonding_active{${J}, instance="n1:9100", master="bond0"}`]: "1x20",
      [`node_bonding_slaves{${J}, instance="n2:9100", master="bond0"}`]: "2x20",
      [`node_bonding_active{${J}, instance="n2:9100", master="bond0"}`]: "2x20",
    },
    alerts: [
      { at: "3m", alert: "NodeBondingDegraded", expect: [] },
      {
        at: "10m",
        alert: "NodeBondingDegraded",
        expect: [
          fires(
            { ...node("n1:9100", "warning"), master: "bond0" },
            "A bonding interface is degraded.",
            "Bonding interface bond0 on n1:9100 has 1 failed member links.",
          ),
        ],
      },
    ],
  },
];

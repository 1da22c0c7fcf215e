import type { RunbookGuide, RunbookGuides } from "../model";

const FS = 'job="node-exporter", fstype!="", mountpoint!=""';

const findSpace = [
  "Read `device`, `mountpoint` and `instance` from the alert. On the *Nodes / Overview* dashboard pick that instance and look at *Filesystem space used* for the trend: steady growth (data), a step (a large file or a copy) or a sawtooth that stopped falling (rotation or clean-up broken).",
  "On the host (or in a debug pod on the node: `kubectl debug node/<node> -it --image=busybox` and `chroot /host`), find what grows: `du -xh --max-depth=2 <mountpoint> | sort -h | tail -20`.",
  "Usual suspects: container logs and images (`/var/lib/docker`, `/var/lib/containerd`, `/var/log/pods`), journald (`journalctl --disk-usage`), core dumps, a Prometheus or Alertmanager volume (see the Prometheus *Storage size* panel), deleted files still held open (`lsof +L1`).",
];

const fixSpace = [
  "Free space now: remove what is not needed (`docker system prune` / `crictl rmi --prune` for unused images, `journalctl --vacuum-size=500M`, old core dumps), and restart a process that holds deleted files open.",
  "If a Prometheus volume fills, lower `monitoring:prometheus.retentionSize` or grow `prometheus.volume.size` (the retention size is kept at 85 % of the volume by default); Prometheus deletes the oldest blocks itself once the size retention is below the usage.",
  "Make it not come back: log rotation for the writer, an image garbage-collection threshold on the kubelet, or a bigger disk (on AWS, grow the EBS volume and `resize2fs` / `xfs_growfs`).",
];

const spaceFillingUp: RunbookGuide = {
  meaning:
    "A filesystem has little space left (under 15 % for the warning, 10 % for the critical) and, extrapolating the last 6 hours linearly, will be full within 24 hours (warning) or 4 hours (critical). Read-only filesystems are left out.",
  impact:
    "When it is full, writes fail: services crash or stop logging, databases (Prometheus's TSDB included) stop ingesting and may corrupt their write-ahead log, container runtimes cannot pull images or start containers, and the kubelet starts evicting pods.",
  diagnose: findSpace,
  queries: [
    {
      title: "Available space in %, per filesystem",
      expr: `node_filesystem_avail_bytes{${FS}} / node_filesystem_size_bytes{${FS}} * 100`,
    },
    {
      title: "Predicted available bytes in 4 hours (negative: full before then)",
      expr: `predict_linear(node_filesystem_avail_bytes{${FS}}[6h], 4 * 3600)`,
    },
    {
      title: "Growth in bytes per hour over the last 6 hours",
      expr: `-deriv(node_filesystem_avail_bytes{${FS}}[6h]) * 3600`,
    },
  ],
  panels: [
    { dashboard: "node-overview", panel: "Filesystem space used" },
    { dashboard: "node-overview", panel: "Filesystems" },
  ],
  fix: fixSpace,
};

const almostOutOfSpace: RunbookGuide = {
  ...spaceFillingUp,
  meaning:
    "A filesystem has had less than 5 % (warning) or 3 % (critical) of its space available for 30 minutes, whatever the trend. Read-only filesystems are left out.",
};

const findInodes = [
  "Inodes run out when there are very many small files, while `df -h` may still show free space. On the host: `df -i <mountpoint>`, then find the directory with the most entries: `find <mountpoint> -xdev -type d -printf '%s %p\\n' 2>/dev/null | sort -n | tail -20` or `du --inodes -x --max-depth=3 <mountpoint> | sort -n | tail`.",
  "Usual suspects: session or cache directories never cleaned, mail queues, a build or CI cache, many tiny container layers, a Prometheus TSDB with very many blocks (see the *Storage size* panel).",
];

const filesFillingUp: RunbookGuide = {
  meaning:
    "A filesystem has few free inodes left (under 40 % for the warning, 20 % for the critical) and, extrapolating the last 6 hours, will run out within 24 hours (warning) or 4 hours (critical). Read-only filesystems are left out.",
  impact:
    "With no free inode no file can be created, whatever space is left: the same failures as a full disk (services crash, logs stop, containers cannot start).",
  diagnose: findInodes,
  queries: [
    {
      title: "Free inodes in %, per filesystem",
      expr: `node_filesystem_files_free{${FS}} / node_filesystem_files{${FS}} * 100`,
    },
    {
      title: "Predicted free inodes in 4 hours (negative: none left before then)",
      expr: `predict_linear(node_filesystem_files_free{${FS}}[6h], 4 * 3600)`,
    },
  ],
  panels: [
    { dashboard: "node-overview", panel: "Filesystem inodes used" },
    { dashboard: "node-overview", panel: "Filesystems" },
  ],
  fix: [
    "Delete the small files that are not needed (and the job that creates them without cleaning up: a tmpfiles.d rule or a cron clean-up).",
    "An inode count is fixed when an ext4 filesystem is made: if the workload needs more, recreate it with more inodes (`mkfs.ext4 -i 4096`) or use XFS, which allocates inodes dynamically.",
  ],
};

const almostOutOfFiles: RunbookGuide = {
  ...filesFillingUp,
  meaning:
    "A filesystem has had less than 5 % (warning) or 3 % (critical) of its inodes free for an hour, whatever the trend. Read-only filesystems are left out.",
};

const networkErrs = (direction: "receive" | "transmit"): RunbookGuide => ({
  meaning: `More than 1 % of the packets an interface ${direction === "receive" ? "received" : "sent"} over two minutes failed with errors, for an hour. Errors are counted by the driver: ${direction === "receive" ? "CRC and frame errors, FIFO overruns, packets too long" : "carrier losses, FIFO underruns, aborted transmissions"}.`,
  impact:
    "Retransmissions and timeouts for everything on that interface: higher latency, failed scrapes and health checks, in the worst case a flapping link.",
  diagnose: [
    "Find the interface (`device`) and instance in the alert, and see on the *Network errors and drops* panel whether errors started at a point in time (a change, a moved VM) or grow with traffic.",
    `On the host: \`ip -s link show <device>\` and \`ethtool -S <device> | grep -iE 'err|drop|fifo|crc'\` name the error kind; \`ethtool <device>\` shows speed and duplex (a duplex mismatch gives ${direction === "receive" ? "CRC / frame" : "collision / carrier"} errors).`,
    "On a VM, compare with other VMs on the same hypervisor or instance type; on bare metal, check the cable, the switch port counters and the NIC firmware.",
  ],
  queries: [
    {
      title: `${direction === "receive" ? "Receive" : "Transmit"} error ratio per interface`,
      expr: `rate(node_network_${direction}_errs_total{job="node-exporter"}[2m]) / rate(node_network_${direction}_packets_total{job="node-exporter"}[2m])`,
    },
    {
      title: `${direction === "receive" ? "Receive" : "Transmit"} drops per second per interface`,
      expr: `rate(node_network_${direction}_drop_total{job="node-exporter"}[5m])`,
    },
  ],
  panels: [
    { dashboard: "node-overview", panel: "Network errors and drops" },
    { dashboard: "node-overview", panel: "Network traffic" },
  ],
  fix: [
    "Physical: replace the cable or transceiver, move to another switch port, fix a speed/duplex mismatch (`ethtool -s <device> autoneg on`).",
    "Virtual: update the NIC driver / ENA or virtio driver, or move the instance (stop/start on AWS moves it to other hardware).",
    `FIFO ${direction === "receive" ? "overruns" : "underruns"} under load: larger ring buffers (\`ethtool -G <device> rx 4096 tx 4096\`) and spreading interrupts (irqbalance, RSS).`,
  ],
});

export const nodeRunbooks: RunbookGuides = {
  nodefilesystemspacefillingup: spaceFillingUp,
  nodefilesystemalmostoutofspace: almostOutOfSpace,
  nodefilesystemfilesfillingup: filesFillingUp,
  nodefilesystemalmostoutoffiles: almostOutOfFiles,
  nodenetworkreceiveerrs: networkErrs("receive"),
  nodenetworktransmiterrs: networkErrs("transmit"),
  nodehighnumberconntrackentriesused: {
    meaning:
      "The kernel's connection-tracking table (used by NAT, kube-proxy in iptables mode and stateful firewall rules) has been over 75 % full for 5 minutes.",
    impact:
      "When it is full the kernel drops packets of new connections (`nf_conntrack: table full, dropping packet` in the kernel log): new connections time out at random while existing ones work.",
    diagnose: [
      "On the host: `conntrack -C` (entries) against `sysctl net.netfilter.nf_conntrack_max`, and `conntrack -L | awk '{print $3}' | sort | uniq -c | sort -n` for the protocols; `conntrack -S` shows drops and insert failures.",
      "Look for a source of many short connections or many half-open ones: a client without keep-alive, a port scan, a UDP-heavy service (DNS), or a connection leak. Compare with *TCP connections established* on the node dashboard.",
    ],
    queries: [
      {
        title: "Conntrack table use per node",
        expr: 'node_nf_conntrack_entries{job="node-exporter"} / node_nf_conntrack_entries_limit{job="node-exporter"}',
      },
      { title: "Conntrack entries per node", expr: 'node_nf_conntrack_entries{job="node-exporter"}' },
    ],
    panels: [{ dashboard: "node-overview", panel: "TCP connections established" }],
    fix: [
      "Raise the limit: `sysctl -w net.netfilter.nf_conntrack_max=<2x>` (persist it in /etc/sysctl.d; on Kubernetes kube-proxy's `conntrack.maxPerCore` sets it), with memory to spare (about 300 bytes per entry).",
      "Shorten how long finished connections stay in the table (`net.netfilter.nf_conntrack_tcp_timeout_time_wait`, `..._udp_timeout`) and fix the client that opens connections without reusing them.",
    ],
  },
  nodeclockskewdetected: {
    meaning:
      "The kernel reports the clock more than 50 ms away from its time source (node_timex_offset_seconds) for 10 minutes, and the offset is not shrinking.",
    impact:
      "Timestamps disagree between hosts: TLS certificates may be refused as not yet valid, distributed systems (etcd, databases, Alertmanager's gossip) misbehave, logs and metrics are misaligned, and Prometheus may reject samples with timestamps in the future.",
    diagnose: [
      "On the host: `timedatectl` (is a sync service active?), then `chronyc tracking` / `chronyc sources -v` or `ntpq -p` to see the selected source and the offset.",
      "Check that the NTP servers are reachable (UDP 123 through firewalls and security groups); on AWS the Amazon Time Sync Service is at 169.254.169.123.",
      "On a VM, a paused or migrated guest can jump; check the hypervisor's time sync settings.",
    ],
    queries: [
      { title: "Clock offset per node (seconds)", expr: 'node_timex_offset_seconds{job="node-exporter"}' },
      {
        title: "Offset trend over 5 minutes (positive: drifting away)",
        expr: 'deriv(node_timex_offset_seconds{job="node-exporter"}[5m])',
      },
    ],
    panels: [
      { dashboard: "node-overview", panel: "Clock offset" },
      { dashboard: "node-overview", panel: "Clock synchronised" },
    ],
    fix: [
      "Run exactly one time sync daemon (chrony or systemd-timesyncd) pointed at reachable servers; `chronyc makestep` corrects a large offset at once.",
      "Open UDP 123 to the time servers, or use the cloud provider's local time service.",
    ],
  },
  nodeclocknotsynchronising: {
    meaning:
      "For 10 minutes the kernel has reported the clock as unsynchronised (node_timex_sync_status 0) with a maximum error of 16 s or more: no time sync daemon is disciplining the clock.",
    impact:
      "The clock drifts freely; over hours and days this becomes the skew NodeClockSkewDetected describes, with the same consequences (TLS, distributed systems, misaligned data).",
    diagnose: [
      "On the host: `timedatectl` shows `System clock synchronized: no`; check which daemon should run (`systemctl status chronyd systemd-timesyncd ntp`) and its log.",
      "Check reachability of the configured servers (UDP 123) and DNS resolution of their names.",
    ],
    queries: [
      {
        title: "Sync status per node (1 synchronised, 0 not)",
        expr: 'node_timex_sync_status{job="node-exporter"}',
      },
      {
        title: "Kernel's maximum clock error estimate (seconds)",
        expr: 'node_timex_maxerror_seconds{job="node-exporter"}',
      },
    ],
    panels: [{ dashboard: "node-overview", panel: "Clock synchronised" }],
    fix: [
      "Enable and start one sync daemon (`systemctl enable --now chronyd`, or `timedatectl set-ntp true` for timesyncd) with reachable servers.",
    ],
  },
  nodememoryhighutilization: {
    meaning:
      "Over 90 % of the host's memory has been in use for 15 minutes, counting as free what the kernel could hand out without swapping (MemAvailable: free memory plus reclaimable cache).",
    impact:
      "Little room left: the kernel reclaims page cache hard (slower IO), may swap, and the OOM killer (or the kubelet's eviction) will stop processes if usage grows further.",
    diagnose: [
      "On the *Nodes / Overview* dashboard, see in *Memory* what grew (used, cache, buffers) and when; *Swap used* and *Major page faults and OOM kills* show whether the host is already under pressure.",
      "Find the consumers: `ps aux --sort=-rss | head`; on Kubernetes `kubectl top pods -A --sort-by=memory` and the *Top containers by memory* panel on the *Containers / Overview* dashboard.",
      "A steady climb over days in one process is a leak; a step at a deploy is a new workload or a changed limit.",
    ],
    queries: [
      {
        title: "Memory used in % per node",
        expr: '100 - (node_memory_MemAvailable_bytes{job="node-exporter"} / node_memory_MemTotal_bytes{job="node-exporter"} * 100)',
      },
      {
        title: "Top 10 containers by working set",
        expr: 'topk(10, container_memory_working_set_bytes{job="cadvisor", image!=""})',
      },
    ],
    panels: [
      { dashboard: "node-overview", panel: "Memory" },
      { dashboard: "node-overview", panel: "Memory used" },
      { dashboard: "containers-overview", panel: "Top containers by memory" },
    ],
    fix: [
      "Restart or fix the process that leaks; set memory limits so one workload cannot take the host (Kubernetes requests/limits).",
      "Move workloads to other nodes or add memory (a larger instance type) if the usage is legitimate.",
    ],
  },
  nodecpuhighusage: {
    meaning:
      "The host's CPUs have been more than 90 % busy (everything but idle, iowait and steal) on average for 15 minutes. Severity info: a note, not a page.",
    impact:
      "Little headroom: latency of everything on the host grows under any extra load; with NodeSystemSaturation beside it, tasks are already waiting.",
    diagnose: [
      "On *CPU usage by mode*, see which mode dominates: `user` (application work), `system` (kernel, often networking or many syscalls), `softirq` (network packets), `steal` (a noisy neighbour on the hypervisor).",
      "Find the consumers: `top` / `pidstat 5` on the host; on Kubernetes `kubectl top pods -A --sort-by=cpu` and *CPU usage (cores)* on the *Containers / Overview* dashboard.",
    ],
    queries: [
      {
        title: "CPU busy in % per node (recorded)",
        expr: 'instance:node_cpu_utilisation:rate5m{job="node-exporter"} * 100',
      },
      {
        title: "CPU seconds per mode per node",
        expr: 'sum by (instance, mode) (rate(node_cpu_seconds_total{job="node-exporter"}[5m]))',
      },
    ],
    panels: [
      { dashboard: "node-overview", panel: "CPU busy" },
      { dashboard: "node-overview", panel: "CPU usage by mode" },
      { dashboard: "containers-overview", panel: "CPU usage (cores)" },
    ],
    fix: [
      "If it is expected load, add CPU (more nodes or larger instances) or spread the workload; if it is a runaway process, fix or restart it.",
      "Set CPU requests so the scheduler does not pack busy workloads onto one node.",
    ],
  },
  nodesystemsaturation: {
    meaning:
      "The 1-minute load average per CPU core has been above 2 for 15 minutes: on average two or more tasks were runnable (or in uninterruptible IO wait) for every core.",
    impact:
      "Tasks wait for CPU or IO: request latencies grow, health checks and scrapes time out, and the host may look unresponsive.",
    diagnose: [
      "Load counts both CPU-runnable tasks and tasks blocked in IO (state D). Compare *Load average per core* with *CPU busy*: high load with idle CPU means IO (check *Disk busy* and *Disk latency*, and NodeDiskIOSaturation).",
      "On the host: `vmstat 5` (`r` runnable, `b` blocked), `ps -eo state,pid,cmd | grep '^D'` for tasks stuck in IO, `pidstat -d 5` for who does the IO.",
      "*CPU pressure (PSI)* shows how much time tasks were stalled waiting for CPU.",
    ],
    queries: [
      { title: "Load per core (recorded)", expr: 'instance:node_load1_per_cpu:ratio{job="node-exporter"}' },
      {
        title: "Share of time with tasks waiting for CPU (PSI)",
        expr: 'rate(node_pressure_cpu_waiting_seconds_total{job="node-exporter"}[5m])',
      },
    ],
    panels: [
      { dashboard: "node-overview", panel: "Load average per core" },
      { dashboard: "node-overview", panel: "CPU pressure (PSI)" },
      { dashboard: "node-overview", panel: "Disk busy" },
    ],
    fix: [
      "CPU-bound: reduce or spread the load, add cores. IO-bound: see NodeDiskIOSaturation (faster volume, fewer writers).",
      "Stop a runaway process; on Kubernetes set CPU limits on noisy workloads.",
    ],
  },
  nodediskiosaturation: {
    meaning:
      "A disk's average IO queue (weighted IO time per second: the number of requests in flight, averaged) has been above 10 for 30 minutes: the device gets more requests than it completes.",
    impact:
      "Every read and write on that disk waits: databases (the Prometheus TSDB among them) slow down, fsyncs stall, and processes pile up in uninterruptible sleep, which raises the load average.",
    diagnose: [
      "Find the device and host in the alert; *Disk latency*, *Disk IOPS* and *Disk throughput* show whether it is many small requests or large transfers.",
      "On the host: `iostat -x 5` (`aqu-sz`, `r_await`, `w_await`, `%util`) and `iotop -o` / `pidstat -d 5` for the processes behind it.",
      "On AWS EBS: a gp2/gp3 volume may be at its provisioned IOPS or throughput, or a gp2 volume out of burst credits (CloudWatch `BurstBalance`).",
    ],
    queries: [
      {
        title: "Average IO queue length per device (recorded)",
        expr: 'instance_device:node_disk_io_time_weighted_seconds:rate5m{job="node-exporter"}',
      },
      {
        title: "Share of time the device was busy",
        expr: 'instance_device:node_disk_io_time_seconds:rate5m{job="node-exporter"}',
      },
    ],
    panels: [
      { dashboard: "node-overview", panel: "Disk busy" },
      { dashboard: "node-overview", panel: "Disk latency" },
      { dashboard: "node-overview", panel: "Disk IOPS" },
    ],
    fix: [
      "Give the volume more IOPS / throughput (gp3 allows raising both online) or move the IO-heavy workload to its own volume.",
      "Reduce the IO: larger batches, less logging, fewer compactions at once; for Prometheus, fewer series or a longer scrape interval.",
    ],
  },
  nodememorymajorpagesfaults: {
    meaning:
      "The host has had more than 500 major page faults per second for 15 minutes: pages that had to be read back from disk (swap or evicted file-backed memory) because memory is short.",
    impact:
      "Processes stall on disk reads for memory they already had: everything slows down sharply (thrashing), usually just before the OOM killer steps in.",
    diagnose: [
      "Check *Memory* and *Swap used*: major faults with little available memory mean the working set no longer fits.",
      "On the host: `vmstat 5` (`si`/`so` for swap), `sar -B 5` (`majflt/s`), `ps -eo min_flt,maj_flt,cmd --sort=-maj_flt | head` for the processes faulting.",
      "*Memory pressure (PSI)* shows how much time tasks were stalled on memory.",
    ],
    queries: [
      {
        title: "Major page faults per second (recorded)",
        expr: 'instance:node_vmstat_pgmajfault:rate5m{job="node-exporter"}',
      },
      { title: "Available memory in bytes", expr: 'node_memory_MemAvailable_bytes{job="node-exporter"}' },
    ],
    panels: [
      { dashboard: "node-overview", panel: "Major page faults and OOM kills" },
      { dashboard: "node-overview", panel: "Memory pressure (PSI)" },
      { dashboard: "node-overview", panel: "Swap used" },
    ],
    fix: [
      "Free memory: stop or move the largest consumers, fix a leak, or add memory.",
      "Set memory limits so a single workload cannot push the rest of the host out of memory.",
    ],
  },
  nodetextfilecollectorscrapeerror: {
    meaning:
      "node-exporter's textfile collector could not read one of the `*.prom` files in its text file directory (a syntax error, a file being written while read, or conflicting metric types).",
    impact:
      "All metrics from the broken file are missing, so whatever alerts or dashboards rely on them (backup ages, cron job results) are blind.",
    diagnose: [
      "node-exporter's log names the file and the error: Kubernetes `kubectl -n <namespace>-node logs ds/node-exporter`, Docker `docker logs monitoring-<stack>-node-exporter`.",
      "Check the file by hand: `promtool check metrics < file.prom`.",
    ],
    queries: [
      {
        title: "Text file collector errors per node",
        expr: 'node_textfile_scrape_error{job="node-exporter"}',
      },
    ],
    panels: [],
    fix: [
      "Fix the writer: write to a temporary file and `mv` it into place, so node-exporter never reads half a file, and emit valid exposition format.",
    ],
  },
  nodefiledescriptorlimit: {
    meaning:
      "The kernel has allocated more than 70 % (warning) or 90 % (critical) of its system-wide file handle limit (`fs.file-max`) for 15 minutes.",
    impact:
      "At the limit, `open()` and `socket()` fail with ENFILE for every process: services cannot accept connections or open files.",
    diagnose: [
      'On the host: `cat /proc/sys/fs/file-nr` (allocated, unused, max), then the processes holding most descriptors: `for p in /proc/[0-9]*; do echo "$(ls $p/fd 2>/dev/null | wc -l) $(cat $p/comm)"; done | sort -n | tail`.',
      "A steady climb in one process is a descriptor leak (sockets not closed).",
    ],
    queries: [
      {
        title: "File descriptors allocated in %",
        expr: 'node_filefd_allocated{job="node-exporter"} * 100 / node_filefd_maximum{job="node-exporter"}',
      },
    ],
    panels: [{ dashboard: "node-overview", panel: "File descriptors used" }],
    fix: [
      "Restart or fix the leaking process.",
      "If the load is legitimate, raise `fs.file-max` (`sysctl -w fs.file-max=<n>`, persisted in /etc/sysctl.d).",
    ],
  },
  noderaiddegraded: {
    meaning:
      "A Linux software RAID (md) array has had fewer active disks than it needs for 15 minutes: it runs degraded.",
    impact:
      "Redundancy is gone (a two-disk RAID1, RAID5) or reduced (RAID6, RAID10): one more disk failure can lose the array and its data. Performance is lower while degraded and while rebuilding.",
    diagnose: [
      "On the host: `cat /proc/mdstat` and `mdadm --detail /dev/<device>` show the failed or missing member; `dmesg` and `smartctl -a /dev/<disk>` tell why it dropped.",
    ],
    queries: [
      {
        title: "Missing active disks per array",
        expr: 'node_md_disks_required{job="node-exporter"} - ignoring (state) (node_md_disks{job="node-exporter", state="active"})',
      },
    ],
    panels: [],
    fix: [
      "Replace the failed disk and add it back (`mdadm --manage /dev/<device> --add /dev/<new>`); watch the rebuild in /proc/mdstat.",
      "Make sure backups are current before the rebuild, which stresses the remaining disks.",
    ],
  },
  noderaiddiskfailure: {
    meaning: "At least one member disk of a Linux software RAID (md) array is marked failed.",
    impact:
      "The array has lost redundancy; it is degraded or will be (see NodeRAIDDegraded) until the disk is replaced.",
    diagnose: [
      "On the host: `mdadm --detail /dev/<device>` names the failed member; `smartctl -a /dev/<disk>` and `dmesg` show the disk errors.",
    ],
    queries: [
      { title: "Failed disks per array", expr: 'node_md_disks{job="node-exporter", state="failed"}' },
    ],
    panels: [],
    fix: [
      "Remove the failed member (`mdadm --manage /dev/<device> --remove /dev/<disk>`), replace the disk and add the new one; the array rebuilds.",
    ],
  },
  nodesystemdservicefailed: {
    meaning:
      "A systemd unit on the host has been in the `failed` state for 5 minutes. Needs node-exporter's systemd collector (off by default); without it this alert stays silent.",
    impact: "Whatever the unit provides (a daemon, a timer's job, a mount) is not running.",
    diagnose: [
      "On the host: `systemctl status <name>` and `journalctl -u <name> -n 100` show why it failed; `systemctl list-units --failed` lists all failed units.",
    ],
    queries: [
      {
        title: "Failed units per node",
        expr: 'node_systemd_unit_state{job="node-exporter", state="failed"} == 1',
      },
    ],
    panels: [],
    fix: [
      "Fix the cause in the unit's log and `systemctl restart <name>`; `systemctl reset-failed <name>` clears the state of a unit that is no longer needed.",
    ],
  },
  nodesystemdservicecrashlooping: {
    meaning:
      "A systemd service on the host restarted more than twice in every 5-minute window for 15 minutes: it keeps failing and systemd keeps restarting it. Needs node-exporter's systemd collector with `--collector.systemd.enable-restarts-metrics` (both off in this stack's node-exporter); without them this alert stays silent.",
    impact:
      "Whatever the service provides is up only between crashes: requests fail intermittently, and the restart loop costs CPU and floods the journal.",
    diagnose: [
      "On the host: `systemctl status <name>` shows the restart counter and the last exit code; `journalctl -u <name> -n 200` shows why each start ends.",
      "A unit restarting on a timer or by design (`Restart=always` with a short-lived process) is a false positive: check the unit file.",
    ],
    queries: [
      {
        title: "Restarts per service in the last 5 minutes",
        expr: 'increase(node_systemd_service_restart_total{job="node-exporter"}[5m])',
      },
    ],
    panels: [],
    fix: [
      "Fix the cause in the service's log (configuration, a missing dependency, resources) and restart it once.",
      "To stop the loop while investigating: `systemctl stop <name>`, or `systemctl edit <name>` with a `StartLimitBurst` that gives up.",
    ],
  },
  nodebondingdegraded: {
    meaning:
      "A bonding (link aggregation) interface on the host has had fewer active member links than configured for 5 minutes: one or more of its slaves is down. node-exporter's bonding collector is on by default; hosts without bonds never fire it.",
    impact:
      "The host still has network through the remaining links, but without the redundancy the bond exists for (and, in an active-active mode, with less bandwidth). The next link failure takes the host off the network.",
    diagnose: [
      "On the host: `cat /proc/net/bonding/<master>` lists each slave's MII status and link failure count.",
      "`ip link` and `ethtool <slave>` show whether the slave is down at the NIC, the cable or the switch port; check the switch side's LACP state for 802.3ad bonds.",
    ],
    queries: [
      {
        title: "Configured against active member links per bond",
        expr: 'node_bonding_slaves{job="node-exporter"} - node_bonding_active{job="node-exporter"}',
      },
    ],
    panels: [{ dashboard: "node-overview", panel: "Network errors and drops" }],
    fix: [
      "Replace the failed cable, NIC or switch port, or fix the switch configuration; the slave rejoins the bond on its own once its link is up.",
    ],
  },
};

import type { RunbookGuide, RunbookGuides } from "../model";

const P = 'job="prometheus"';

const logs =
  "Read the Prometheus log: Kubernetes `kubectl -n <namespace> logs prometheus-<n>` (each replica of the HA pair is its own pod), Docker `docker logs monitoring-<stack>-prometheus-0`.";

const sendingErrors: RunbookGuide = {
  meaning:
    "Prometheus failed to deliver more than 1 % of its alert notifications to one Alertmanager (warning) or more than 3 % to every Alertmanager it knows (critical), over 5 minutes, for 15 minutes. Each Prometheus replica sends every alert to every Alertmanager peer; Alertmanager deduplicates.",
  impact:
    "Alerts reach fewer Alertmanagers. Against one peer this is absorbed by the cluster; against all of them alerts are late or lost, and nobody is notified.",
  diagnose: [
    `${logs} Look for \`Error sending alert\` with the Alertmanager URL and the error (connection refused, timeout, 4xx).`,
    "Check the Alertmanager peers themselves: are they up (AlertmanagerClusterDown), and reachable from the Prometheus pods on port 9093 (NetworkPolicy `alertmanager` admits Prometheus)?",
    "Compare per Alertmanager on the *Notifications sent, failed and dropped* panel: one bad peer or all of them.",
  ],
  queries: [
    {
      title: "Error ratio per Prometheus and Alertmanager",
      expr: `rate(prometheus_notifications_errors_total{${P}}[5m]) / rate(prometheus_notifications_sent_total{${P}}[5m])`,
    },
    { title: "Alertmanager targets up", expr: 'up{job="alertmanager"}' },
  ],
  panels: [
    { dashboard: "prometheus-overview", panel: "Notifications sent, failed and dropped" },
    { dashboard: "prometheus-overview", panel: "Notification latency (p99)" },
    { dashboard: "alertmanager-overview", panel: "Cluster members" },
  ],
  fix: [
    "Bring the failing Alertmanager back (its own runbooks: AlertmanagerClusterDown, AlertmanagerFailedReload).",
    "Fix the network path (NetworkPolicy, DNS of the headless Service `alertmanager-headless`) if the peers are up but unreachable.",
  ],
};

export const prometheusRunbooks: RunbookGuides = {
  prometheusbadconfig: {
    meaning:
      "The last reload of Prometheus's configuration (prometheus.yml or a rule file) failed, and has for 10 minutes. The stack reloads automatically when the mounted files change (`--config.auto-reload-interval=30s`), so this follows a config change that Prometheus refused.",
    impact:
      "Prometheus keeps running the previous configuration: the change (new scrape jobs, new or fixed rules) is not in effect. A restart with the broken file would fail to start.",
    diagnose: [
      `${logs} The line after \`Loading configuration file\` names the error (\`Error loading config\`, a rule file and line).`,
      "Check the rendered files with the same promtool: `npm run plan -- <stack>` writes them under `out/plan/<stack>/files/`; run `promtool check config` on prometheus.yml and `promtool check rules` on the rule files. Inside the pod: `promtool check config /etc/prometheus/prometheus.yml`.",
      "A config that passes this stack's promtool (3.5) may still use something the running image does not know: compare the image version (`monitoring:prometheus.image`).",
    ],
    queries: [
      {
        title: "Last reload successful (1) or not (0), per replica",
        expr: `prometheus_config_last_reload_successful{${P}}`,
      },
      {
        title: "When the last successful reload happened",
        expr: `prometheus_config_last_reload_success_timestamp_seconds{${P}}`,
      },
    ],
    panels: [{ dashboard: "prometheus-overview", panel: "Config reloaded" }],
    fix: [
      "Fix the config in the stack's Pulumi config (it is rendered, never edited in place) and run `pulumi up`; Prometheus picks the new files up within 30 s.",
      "Hand-edited ConfigMaps are overwritten by the next `pulumi up`: fix the source instead.",
    ],
  },
  prometheussdrefreshfailure: {
    meaning:
      "A service discovery mechanism (`mechanism` label: kubernetes, file, dns, ...) of Prometheus has failed to refresh its targets in the last 10 minutes, for 20 minutes.",
    impact:
      "Targets are not updated: new pods are not scraped and removed ones stay listed (and show as down) until discovery recovers.",
    diagnose: [
      `${logs} Discovery errors name the mechanism and the cause (API permission denied, DNS failure, unreadable file).`,
      "*Service discovery: discovered targets* shows whether the target count froze.",
    ],
    queries: [
      {
        title: "Refresh failures per mechanism",
        expr: `increase(prometheus_sd_refresh_failures_total{${P}}[10m])`,
      },
      { title: "Targets discovered per scrape config", expr: `prometheus_sd_discovered_targets{${P}}` },
    ],
    panels: [{ dashboard: "prometheus-overview", panel: "Service discovery: discovered targets" }],
    fix: [
      "Restore what the mechanism depends on (the API server, DNS, the file) or fix the permissions; for Kubernetes see PrometheusKubernetesListWatchFailures.",
    ],
  },
  prometheusnotificationqueuerunningfull: {
    meaning:
      "Extrapolating the last 5 minutes, Prometheus's queue of alert notifications waiting to be sent to Alertmanager will be over its capacity within 30 minutes (for 15 minutes).",
    impact:
      "When the queue is full, new alert notifications are dropped: alerts reach Alertmanager late or not at all.",
    diagnose: [
      "The queue grows when Alertmanager answers slowly or not at all: check *Notification latency (p99)* and PrometheusErrorSendingAlertsToAnyAlertmanager.",
      "Or when rules produce very many alerts at once (an alert per series of a high-cardinality metric): count firing alerts by name.",
    ],
    queries: [
      {
        title: "Queue length against capacity",
        expr: `prometheus_notifications_queue_length{${P}} / prometheus_notifications_queue_capacity{${P}}`,
      },
      { title: "Firing alerts by name", expr: 'count by (alertname) (ALERTS{alertstate="firing"})' },
    ],
    panels: [
      { dashboard: "prometheus-overview", panel: "Notification queue" },
      { dashboard: "prometheus-overview", panel: "Notification latency (p99)" },
    ],
    fix: [
      "Make Alertmanager reachable and fast again; if one rule floods, aggregate its expression (`sum by (...)`) so it fires once per useful unit.",
    ],
  },
  prometheuserrorsendingalertstosomealertmanagers: sendingErrors,
  prometheuserrorsendingalertstoanyalertmanager: sendingErrors,
  prometheusnotconnectedtoalertmanagers: {
    meaning: "For 10 minutes Prometheus has known no Alertmanager to send alerts to.",
    impact:
      "No alert leaves Prometheus: nobody is notified of anything, and the dead man's switch stops receiving Watchdog.",
    diagnose: [
      "Prometheus → *Status → Runtime & Build Information* lists the discovered Alertmanagers; *Status → Configuration* shows the `alerting` section the stack rendered (one target per Alertmanager peer).",
      `${logs} Look for discovery errors for the alertmanagers.`,
      "Check that the Alertmanager peers resolve: `nslookup alertmanager-0.alertmanager-headless.<namespace>.svc` from a pod (Kubernetes), or that the `monitoring-<stack>-alertmanager-0` container is on the stack's Docker network.",
    ],
    queries: [
      {
        title: "Alertmanagers discovered per Prometheus",
        expr: `prometheus_notifications_alertmanagers_discovered{${P}}`,
      },
    ],
    panels: [{ dashboard: "prometheus-overview", panel: "Alertmanagers discovered" }],
    fix: [
      "Bring the Alertmanager StatefulSet / containers back, or fix the alerting section through the stack's config and `pulumi up`.",
    ],
  },
  prometheustsdbreloadsfailing: {
    meaning:
      "Prometheus has failed to reload its on-disk blocks (after compaction or at start-up) at least once in the last 3 hours, for 4 hours.",
    impact:
      "Data in the blocks that failed is not queryable; a corrupted block may keep compactions failing and the disk filling.",
    diagnose: [
      `${logs} Look for \`reloadBlocks\` / \`open block\` errors naming the block directory (a ULID).`,
      "Check the volume: full (NodeFilesystemAlmostOutOfSpace), read-only after an IO error (`dmesg`), or a block directory with missing files.",
    ],
    queries: [
      {
        title: "Reload failures in the last 3 hours",
        expr: `increase(prometheus_tsdb_reloads_failures_total{${P}}[3h])`,
      },
    ],
    panels: [
      { dashboard: "prometheus-overview", panel: "TSDB failures" },
      { dashboard: "prometheus-overview", panel: "Storage size" },
    ],
    fix: [
      "Free or grow the volume if it is full. For a corrupted block, stop that replica, move the named block directory out of the data directory, and start it again (the other replica of the HA pair still has the data).",
    ],
  },
  prometheustsdbcompactionsfailing: {
    meaning: "Prometheus's TSDB compactions have failed at least once in the last 3 hours, for 4 hours.",
    impact:
      "Blocks are not merged or deleted: disk use grows past the retention (retention is applied when blocks are compacted), queries over long ranges slow down, and the disk may fill.",
    diagnose: [
      `${logs} Look for \`compaction failed\` and its cause (no space left, a corrupted chunk, out of memory).`,
      "Check free space on the Prometheus volume (*Storage size*, node filesystem alerts) and the pod's memory against its limit (*Memory*).",
    ],
    queries: [
      {
        title: "Compaction failures in the last 3 hours",
        expr: `increase(prometheus_tsdb_compactions_failed_total{${P}}[3h])`,
      },
      { title: "Bytes on disk in blocks", expr: `prometheus_tsdb_storage_blocks_bytes{${P}}` },
    ],
    panels: [
      { dashboard: "prometheus-overview", panel: "TSDB failures" },
      { dashboard: "prometheus-overview", panel: "Storage size" },
    ],
    fix: [
      "Give it space (grow `prometheus.volume.size`, or lower `retentionSize`) or memory (`prometheus.resources.limits.memory`), then let it compact.",
      "For a corrupted block named in the log: stop the replica, move the block directory out, start it again.",
    ],
  },
  prometheusnotingestingsamples: {
    meaning:
      "Prometheus has scrape targets or rules but has appended no sample to its head block for 10 minutes.",
    impact: "No new data: every alert that depends on fresh data goes blind, dashboards flatline.",
    diagnose: [
      `${logs} Look for TSDB or WAL errors (\`no space left on device\`, \`read-only file system\`).`,
      "Check *Targets up by job*: all targets down also stops ingestion (then TargetDown fires too).",
      "Check the volume (full or read-only) and that the pod is not being throttled to a standstill (*Memory*, CPU throttling on the containers dashboard).",
    ],
    queries: [
      {
        title: "Samples appended per second",
        expr: `rate(prometheus_tsdb_head_samples_appended_total{${P}}[5m])`,
      },
      { title: "Targets up per job", expr: "sum by (job) (up)" },
    ],
    panels: [
      { dashboard: "prometheus-overview", panel: "Samples appended" },
      { dashboard: "prometheus-overview", panel: "Targets up by job" },
    ],
    fix: [
      "Fix the storage (space, a remount read-write after fixing the disk error) and restart the replica; fix the scrape targets if they all went away.",
    ],
  },
  prometheusduplicatetimestamps: {
    meaning:
      "Prometheus is dropping samples because a target exposes the same series twice with the same timestamp and different values, for 10 minutes.",
    impact: "The affected series lose samples; their values are whichever came first.",
    diagnose: [
      `${logs} Lines \`Duplicate sample for timestamp\` name the target (scrape pool and URL) and a series.`,
      "Fetch the target's /metrics and look for the series twice (often two collectors exporting one name, or relabelling that drops the label that told them apart).",
    ],
    queries: [
      {
        title: "Samples dropped per second",
        expr: `rate(prometheus_target_scrapes_sample_duplicate_timestamp_total{${P}}[5m])`,
      },
    ],
    panels: [{ dashboard: "prometheus-overview", panel: "Rejected samples" }],
    fix: ["Fix the exporter so every series is unique, or fix the relabelling that merges them."],
  },
  prometheusoutofordertimestamps: {
    meaning:
      "Prometheus is dropping samples whose timestamps are older than the latest one of their series, for 10 minutes.",
    impact:
      "Those samples are never stored: the affected series have gaps, and alerts or recording rules over them see missing data.",
    diagnose: [
      `${logs} Lines \`Out of order sample\` name the target.`,
      "Usual causes: a target that exposes explicit timestamps from a clock that jumps, or two targets relabelled into the same series.",
    ],
    queries: [
      {
        title: "Samples dropped per second",
        expr: `rate(prometheus_target_scrapes_sample_out_of_order_total{${P}}[5m])`,
      },
    ],
    panels: [{ dashboard: "prometheus-overview", panel: "Rejected samples" }],
    fix: [
      "Stop exposing timestamps from the exporter (let Prometheus stamp them) or fix the relabelling that makes two targets collide.",
    ],
  },
  prometheusremotestoragefailures: {
    meaning:
      "More than 1 % of the samples Prometheus sends to a remote-write endpoint (`remote_name`, `url`) have failed over 5 minutes, for 15 minutes.",
    impact:
      "Failed samples are retried and eventually dropped: long-term storage (e.g. Amazon Managed Service for Prometheus) gets gaps.",
    diagnose: [
      `${logs} Look for \`remote_write\` errors: HTTP 4xx (auth, SigV4 role, request too large, rate limits) or 5xx / timeouts (the endpoint).`,
      "For AMP: the IAM role of the Prometheus service account needs `aps:RemoteWrite` on the workspace.",
    ],
    queries: [
      {
        title: "Failed samples per second",
        expr: `rate(prometheus_remote_storage_samples_failed_total{${P}}[5m])`,
      },
      { title: "Samples sent per second", expr: `rate(prometheus_remote_storage_samples_total{${P}}[5m])` },
    ],
    panels: [
      { dashboard: "prometheus-overview", panel: "Remote write: samples failed, retried, dropped" },
      { dashboard: "prometheus-overview", panel: "Remote write queues" },
    ],
    fix: [
      "Fix the credentials or permissions, or the endpoint; for rate limits, ask for a higher quota or send fewer series (write_relabel_configs).",
    ],
  },
  prometheusremotewritebehind: {
    meaning:
      "The newest sample Prometheus has sent to a remote-write endpoint is more than 2 minutes older than the newest sample it ingested, for 15 minutes.",
    impact:
      "Remote storage lags; if the lag grows past the WAL's retention (about 2 hours) samples are lost for good. Data read from the remote side is stale.",
    diagnose: [
      "Check failures (PrometheusRemoteStorageFailures) and whether the shards are at their maximum (*Remote write queues*): the endpoint is slow or the queue is too small for the volume.",
      "Check the Prometheus pod's CPU: sending is CPU-bound at high sample rates.",
    ],
    queries: [
      {
        title: "Lag in seconds per endpoint",
        expr: `max_over_time(prometheus_remote_storage_highest_timestamp_in_seconds{${P}}[5m]) - ignoring (remote_name, url) group_right max_over_time(prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${P}}[5m])`,
      },
      {
        title: "Shards in use against the maximum",
        expr: `prometheus_remote_storage_shards{${P}} / prometheus_remote_storage_shards_max{${P}}`,
      },
    ],
    panels: [
      { dashboard: "prometheus-overview", panel: "Remote write: lag" },
      { dashboard: "prometheus-overview", panel: "Remote write: samples pending" },
    ],
    fix: [
      "Fix the endpoint, raise `queue_config.max_shards`, give Prometheus more CPU, or send fewer series.",
    ],
  },
  prometheusrulefailures: {
    meaning:
      "Prometheus failed to evaluate rules of a group (`rule_group`) in the last 5 minutes, for 15 minutes.",
    impact:
      "The failing rules produce nothing: their alerts cannot fire, their recorded series have gaps, and alerts built on those series go blind.",
    diagnose: [
      "Prometheus → *Status → Rules* (`/rules`) shows the failing rule with its last error.",
      "Typical errors: `many-to-many matching not allowed` (a join whose labels are not unique any more, often after an exporter upgrade), `found duplicate series for the match group`, query timeouts.",
    ],
    queries: [
      {
        title: "Failures per rule group",
        expr: `increase(prometheus_rule_evaluation_failures_total{${P}}[5m])`,
      },
    ],
    panels: [{ dashboard: "prometheus-overview", panel: "Rule evaluation failures" }],
    fix: [
      "Fix the rule in its pack (components/rules/packs) so the join is unique again; test it with `npm test` (promtool test rules runs every pack's cases) and deploy.",
    ],
  },
  prometheusmissingruleevaluations: {
    meaning:
      "A rule group took longer than its interval, so Prometheus skipped evaluations of it in the last 5 minutes, for 15 minutes.",
    impact:
      "Alerts of that group are evaluated less often than configured: they fire late, and `for` durations stretch.",
    diagnose: [
      "*Rule group evaluation duration* against the interval shows the slow group; `/rules` shows each rule's evaluation time.",
      "Slow rules usually aggregate over many series or long ranges; the query load from dashboards competes for the same CPU (PrometheusHighQueryLoad).",
    ],
    queries: [
      {
        title: "Missed iterations per group",
        expr: `increase(prometheus_rule_group_iterations_missed_total{${P}}[5m])`,
      },
      {
        title: "Last evaluation duration against the interval",
        expr: `prometheus_rule_group_last_duration_seconds{${P}} / prometheus_rule_group_interval_seconds{${P}}`,
      },
    ],
    panels: [
      { dashboard: "prometheus-overview", panel: "Rule group evaluation duration" },
      { dashboard: "prometheus-overview", panel: "Missed rule group iterations" },
    ],
    fix: [
      "Make the slow rules cheaper (a recording rule for the expensive part), split the group, or give Prometheus more CPU.",
    ],
  },
  prometheustargetlimithit: {
    meaning:
      "A scrape config has more targets than its `target_limit`, so Prometheus dropped the whole scrape pool's targets in the last 5 minutes, for 15 minutes.",
    impact: "No target of that scrape config is scraped.",
    diagnose: [
      "Prometheus → *Status → Targets* shows the pool with the limit error; compare the discovered target count with the limit.",
    ],
    queries: [
      {
        title: "Pools over their target limit",
        expr: `increase(prometheus_target_scrape_pool_exceeded_target_limit_total{${P}}[5m])`,
      },
      { title: "Targets per scrape pool", expr: `prometheus_target_scrape_pool_targets{${P}}` },
    ],
    panels: [{ dashboard: "prometheus-overview", panel: "Service discovery: discovered targets" }],
    fix: [
      "Raise the limit if the growth is legitimate, or narrow the discovery (relabel `keep` on the namespaces or labels you mean).",
    ],
  },
  prometheuslabellimithit: {
    meaning:
      "A target exposed samples with more labels, or longer label names or values, than its scrape config allows (`label_limit`, `label_name_length_limit`, `label_value_length_limit`), so its scrapes failed in the last 5 minutes, for 15 minutes.",
    impact: "The targets concerned are not ingested at all (the whole scrape fails).",
    diagnose: [
      "Prometheus → *Status → Targets* shows the targets with the limit error; fetch their /metrics and look for the long or numerous labels.",
    ],
    queries: [
      {
        title: "Pools over their label limits",
        expr: `increase(prometheus_target_scrape_pool_exceeded_label_limits_total{${P}}[5m])`,
      },
    ],
    panels: [{ dashboard: "prometheus-overview", panel: "Targets down" }],
    fix: [
      "Drop or shorten the offending labels (metric_relabel_configs) or fix the exporter; raise the limit only for a known good reason.",
    ],
  },
  prometheustargetsyncfailure: {
    meaning:
      "Prometheus failed to create or update the targets of a scrape pool (`scrape_job`) in the last 30 minutes because of an invalid configuration.",
    impact: "The scrape pool runs with stale targets or none.",
    diagnose: [
      `${logs} Look for \`error creating new scrape pool\` or TLS / auth file errors naming the pool.`,
    ],
    queries: [
      {
        title: "Sync failures per scrape pool",
        expr: `increase(prometheus_target_sync_failed_total{${P}}[30m])`,
      },
    ],
    panels: [{ dashboard: "prometheus-overview", panel: "Service discovery: discovered targets" }],
    fix: [
      "Fix the scrape config (a missing certificate or credentials file is the usual cause) through the stack's config and `pulumi up`.",
    ],
  },
  prometheushighqueryload: {
    meaning:
      "Prometheus has been running more than 80 % of its maximum concurrent queries (`--query.max-concurrency`, 20 by default) on average for 15 minutes.",
    impact: "New queries queue: dashboards and rule evaluations slow down, and queries time out.",
    diagnose: [
      "Find the heavy queries: *Query duration (p90)* and *HTTP API latency*; Grafana dashboards refreshing often over long ranges are the usual source.",
      "Enable the query log (`query_log_file`) for a while to see which queries run and how long.",
    ],
    queries: [
      {
        title: "Concurrent queries against the maximum",
        expr: `prometheus_engine_queries{${P}} / prometheus_engine_queries_concurrent_max{${P}}`,
      },
      {
        title: "Slowest API endpoints (p99)",
        expr: `histogram_quantile(0.99, sum by (handler, le) (rate(prometheus_http_request_duration_seconds_bucket{${P}}[5m])))`,
      },
    ],
    panels: [
      { dashboard: "prometheus-overview", panel: "Query duration (p90)" },
      { dashboard: "prometheus-overview", panel: "HTTP API latency" },
    ],
    fix: [
      "Lengthen dashboard refresh intervals, use recording rules for expensive dashboard queries, and give Prometheus more CPU (`prometheus.resources`).",
    ],
  },
  prometheuskuberneteslistwatchfailures: {
    meaning:
      "Kubernetes service discovery of Prometheus saw failed LIST or WATCH requests against the API server in the last 5 minutes, for 15 minutes. Rendered only when Kubernetes discovery is on.",
    impact: "Kubernetes targets are not updated: new pods are not scraped, removed ones linger.",
    diagnose: [
      `${logs} Errors such as \`forbidden: User "system:serviceaccount:<namespace>:prometheus" cannot list resource\` point to RBAC; timeouts point to the API server.`,
      "Check the read-only ClusterRole the stack creates for Prometheus (`kubectl describe clusterrole monitoring-<stack>-prometheus`) and its binding to the `prometheus` service account.",
    ],
    queries: [
      {
        title: "Failed LIST/WATCH requests",
        expr: `increase(prometheus_sd_kubernetes_failures_total{${P}}[5m])`,
      },
    ],
    panels: [{ dashboard: "prometheus-overview", panel: "Service discovery: discovered targets" }],
    fix: [
      "Restore the RBAC through `pulumi up` (it is part of the stack), or fix API server connectivity from the Prometheus pods.",
    ],
  },
  prometheusremotewritedesiredshards: {
    meaning:
      "For 15 minutes, Prometheus' remote-write queue to one endpoint has computed that it needs more shards (parallel senders) than its `queue_config.max_shards` allows: at the allowed parallelism it cannot send samples as fast as it ingests them.",
    impact:
      "Samples pile up in the queue and remote write falls behind (PrometheusRemoteWriteBehind follows); past the WAL's retention (about 2 hours) unsent samples are lost for good.",
    diagnose: [
      "Compare desired, current and maximum shards per endpoint (queries below) and the *Remote write: lag* panel.",
      "A slow endpoint (high send latency, throttling, 429s in *Remote write: samples failed, retried, dropped*) makes every shard slower, so more are wanted: check the receiving side before raising the limit.",
      "A jump in ingested samples (*Samples appended*) raises the need too: a new, high-cardinality target is a common cause.",
    ],
    queries: [
      {
        title: "Desired shards against the maximum per endpoint",
        expr: `prometheus_remote_storage_shards_desired{${P}} / prometheus_remote_storage_shards_max{${P}}`,
      },
      { title: "Shards running per endpoint", expr: `prometheus_remote_storage_shards{${P}}` },
    ],
    panels: [
      { dashboard: "prometheus-overview", panel: "Remote write: lag" },
      { dashboard: "prometheus-overview", panel: "Remote write: samples failed, retried, dropped" },
    ],
    fix: [
      "Fix or scale the receiving endpoint if it is slow; otherwise raise `queue_config.max_shards` (each shard holds `capacity` samples in memory) or send fewer series (write_relabel_configs).",
    ],
  },
  prometheusscrapebodysizelimithit: {
    meaning:
      "Scrapes failed in the last 5 minutes, for 15 minutes, because a target's response was larger than its scrape config's `body_size_limit`.",
    impact: "The targets concerned are not ingested at all: the whole scrape fails, `up` is 0 for them.",
    diagnose: [
      "Prometheus → *Status → Targets* shows the targets with `body size limit exceeded`; fetch their /metrics and measure it (`curl -s <target>/metrics | wc -c`).",
      "A response that grew suddenly usually carries a new high-cardinality metric or label.",
    ],
    queries: [
      {
        title: "Scrapes over the body size limit in the last 5 minutes",
        expr: `increase(prometheus_target_scrapes_exceeded_body_size_limit_total{${P}}[5m])`,
      },
      { title: "Targets down per job", expr: "count by (job) (up == 0)" },
    ],
    panels: [
      { dashboard: "prometheus-overview", panel: "Targets down" },
      { dashboard: "prometheus-overview", panel: "Samples scraped by job" },
    ],
    fix: [
      "Make the exporter expose less (drop unused metrics at the source) or raise the limit for that scrape config if the size is legitimate.",
    ],
  },
  prometheusscrapesamplelimithit: {
    meaning:
      "Scrapes failed in the last 5 minutes, for 15 minutes, because a target exposed more samples than its scrape config's `sample_limit` (counted after metric relabelling).",
    impact: "The targets concerned are not ingested at all: the whole scrape fails, `up` is 0 for them.",
    diagnose: [
      "Prometheus → *Status → Targets* shows the targets with `sample limit exceeded`; `scrape_samples_post_metric_relabeling` against the limit shows how far over they are.",
      "Look for the metric whose series multiplied (a label with unbounded values: user IDs, URLs, timestamps).",
    ],
    queries: [
      {
        title: "Scrapes over the sample limit in the last 5 minutes",
        expr: `increase(prometheus_target_scrapes_exceeded_sample_limit_total{${P}}[5m])`,
      },
      {
        title: "Samples per target after relabelling",
        expr: "topk(10, scrape_samples_post_metric_relabeling)",
      },
    ],
    panels: [
      { dashboard: "prometheus-overview", panel: "Samples scraped by job" },
      { dashboard: "prometheus-overview", panel: "Targets down" },
    ],
    fix: [
      "Drop the exploding series (metric_relabel_configs, or fix the exporter's labels); raise `sample_limit` only when the growth is legitimate, since the limit protects Prometheus' memory.",
    ],
  },
  prometheushagroupdown: {
    meaning:
      "Half or more of the Prometheus replicas of the HA group (all replicas scraped by one job) have been up less than half of the last 5 minutes, for 5 minutes. The upstream mixin fires at more than half; in this stack's pair that would be both replicas, and then no replica is left to evaluate the rule, so here it fires at half, from the surviving replica. A replica whose pod has no IP (Pending, unschedulable) is no target at all and does not count here; on Kubernetes KubeStatefulSetReplicasMismatch reports that case.",
    impact:
      "The pair has lost its redundancy: one replica scrapes, evaluates and alerts alone. Its data has a gap where the other replica was down, and the next failure leaves no alerting at all (only the dead man's switch, which stops receiving Watchdog, would tell).",
    diagnose: [
      "Find the down replica on *Targets up by job*, then the pod: `kubectl -n <namespace> get pods -l app.kubernetes.io/name=prometheus` (Pending, CrashLoopBackOff, OOMKilled) and `kubectl describe pod prometheus-<n>`; Docker: `docker ps -a --filter name=prometheus`.",
      `${logs} A replica stuck in WAL replay after an unclean stop is up but not ready; one that is OOM-killed restarts again and again (PrometheusHAGroupCrashlooping).`,
      "A Pending pod points at its volume (the claim is bound to a volume in another zone) or at node capacity.",
    ],
    queries: [
      { title: "Prometheus replicas up", expr: `up{${P}}` },
      { title: "Share of the last 5 minutes each replica was up", expr: `avg_over_time(up{${P}}[5m])` },
    ],
    panels: [
      { dashboard: "prometheus-overview", panel: "Targets up by job" },
      { dashboard: "prometheus-overview", panel: "Uptime" },
    ],
    fix: [
      "Bring the replica back: free or move its volume, give it the memory its series need (`prometheus.resources`, see the README's sizing), or fix what its log names.",
      "The returning replica does not backfill the gap from its partner; dashboards pinned to it (sticky sessions) show the gap until it ages out of the retention.",
    ],
  },
  prometheushagroupcrashlooping: {
    meaning:
      "Half or more of the Prometheus replicas of the HA group have restarted at least 5 times in the last 30 minutes, or at least twice in the last hour without a clean shutdown (`prometheus_tsdb_clean_start` 0), for 5 minutes. As with PrometheusHAGroupDown, the upstream threshold (more than half) is lowered to half so that the surviving replica of the pair can report it.",
    impact:
      "The restarting replica spends its time replaying its WAL instead of scraping: its data has gaps, its alerts are late, and an unclean restart may lose the last samples. The pair runs without redundancy.",
    diagnose: [
      "`kubectl -n <namespace> describe pod prometheus-<n>`: `Last State: Terminated, Reason: OOMKilled` means the memory limit is below what the head series need (ContainerOOMKilled fires too); liveness probe failures during a long WAL replay mean the startup probe gives up too early.",
      `${logs} The last lines before each restart name the cause (panic, corrupted WAL segment, permission denied on the volume).`,
    ],
    queries: [
      {
        title: "Restarts per replica in the last 30 minutes",
        expr: `changes(process_start_time_seconds{${P}}[30m])`,
      },
      { title: "Whether the last start was clean (1) or not (0)", expr: `prometheus_tsdb_clean_start{${P}}` },
    ],
    panels: [
      { dashboard: "prometheus-overview", panel: "Uptime" },
      { dashboard: "prometheus-overview", panel: "Head series" },
    ],
    fix: [
      "OOM kills: raise `prometheus.resources.limits.memory` or cut series (see the README's sizing); the limit must cover the head series and the WAL replay.",
      "A corrupted WAL segment: the log names it; Prometheus repairs what it can on start, otherwise move the segment away and accept the loss of its samples.",
    ],
  },
};

import { fires, RuleTestCase } from "./types";

const P0 = 'job="prometheus", instance="p0:9090"';
const P1 = 'job="prometheus", instance="p1:9090"';
const p0 = (severity: string, extra: Record<string, string> = {}) => ({
  job: "prometheus",
  instance: "p0:9090",
  ...extra,
  severity,
});
const AM0 = "http://a0:9093/api/v2/alerts";
const AM1 = "http://a1:9093/api/v2/alerts";

/** A counter that grows by one per minute on p0 and stays flat on p1, checked before and after `for`. */
function counterCase(
  name: string,
  metric: string,
  alert: string,
  labels: Record<string, string>,
  silentAt: string,
  firesAt: string,
  severity: string,
  summary: string,
  description: string,
): RuleTestCase {
  const extra = Object.entries(labels)
    .map(([k, v]) => `, ${k}="${v}"`)
    .join("");
  return {
    name,
    series: { [`${metric}{${P0}${extra}}`]: "0+1x300", [`${metric}{${P1}${extra}}`]: "0x300" },
    alerts: [
      { at: silentAt, alert, expect: [] },
      { at: firesAt, alert, expect: [fires(p0(severity, labels), summary, description)] },
    ],
  };
}

export const prometheusCases: RuleTestCase[] = [
  {
    name: "p0 failed to reload its configuration",
    series: {
      [`prometheus_config_last_reload_successful{${P0}}`]: "0x30",
      [`prometheus_config_last_reload_successful{${P1}}`]: "1x30",
    },
    alerts: [
      { at: "5m", alert: "PrometheusBadConfig", expect: [] },
      {
        at: "20m",
        alert: "PrometheusBadConfig",
        expect: [
          fires(
            p0("critical"),
            "Failed Prometheus configuration reload.",
            "Prometheus p0:9090 has failed to reload its configuration; it keeps running the previous one.",
          ),
        ],
      },
    ],
  },
  counterCase(
    "DNS service discovery refresh keeps failing",
    "prometheus_sd_refresh_failures_total",
    "PrometheusSDRefreshFailure",
    { mechanism: "dns" },
    "15m",
    "40m",
    "warning",
    "Failed Prometheus service discovery refresh.",
    "Prometheus p0:9090 has failed to refresh service discovery of type dns.",
  ),
  {
    name: "notification queue grows towards its capacity on p0, empty on p1",
    series: {
      [`prometheus_notifications_queue_length{${P0}}`]: "5000+100x60",
      [`prometheus_notifications_queue_capacity{${P0}}`]: "10000x60",
      [`prometheus_notifications_queue_length{${P1}}`]: "0x60",
      [`prometheus_notifications_queue_capacity{${P1}}`]: "10000x60",
    },
    alerts: [
      { at: "10m", alert: "PrometheusNotificationQueueRunningFull", expect: [] },
      {
        at: "45m",
        alert: "PrometheusNotificationQueueRunningFull",
        expect: [
          fires(
            p0("warning"),
            "Prometheus alert notification queue predicted to run full in less than 30m.",
            "The alert notification queue of Prometheus p0:9090 is running full.",
          ),
        ],
      },
    ],
  },
  {
    name: "5% of alerts to a0 fail, a1 is fine: some, not any",
    series: {
      [`prometheus_notifications_errors_total{${P0}, alertmanager="${AM0}"}`]: "0+5x30",
      [`prometheus_notifications_sent_total{${P0}, alertmanager="${AM0}"}`]: "0+100x30",
      [`prometheus_notifications_errors_total{${P0}, alertmanager="${AM1}"}`]: "0x30",
      [`prometheus_notifications_sent_total{${P0}, alertmanager="${AM1}"}`]: "0+100x30",
    },
    alerts: [
      { at: "10m", alert: "PrometheusErrorSendingAlertsToSomeAlertmanagers", expect: [] },
      {
        at: "20m",
        alert: "PrometheusErrorSendingAlertsToSomeAlertmanagers",
        expect: [
          fires(
            p0("warning", { alertmanager: AM0 }),
            "More than 1% of alerts sent by Prometheus to a specific Alertmanager were affected by errors.",
            `5.0% of alerts sent by Prometheus p0:9090 to Alertmanager ${AM0} were affected by errors.`,
          ),
        ],
      },
      { at: "20m", alert: "PrometheusErrorSendingAlertsToAnyAlertmanager", expect: [] },
    ],
  },
  {
    name: "alerts to every Alertmanager fail (5% and 4%)",
    series: {
      [`prometheus_notifications_errors_total{${P0}, alertmanager="${AM0}"}`]: "0+5x30",
      [`prometheus_notifications_sent_total{${P0}, alertmanager="${AM0}"}`]: "0+100x30",
      [`prometheus_notifications_errors_total{${P0}, alertmanager="${AM1}"}`]: "0+4x30",
      [`prometheus_notifications_sent_total{${P0}, alertmanager="${AM1}"}`]: "0+100x30",
    },
    alerts: [
      { at: "10m", alert: "PrometheusErrorSendingAlertsToAnyAlertmanager", expect: [] },
      {
        at: "20m",
        alert: "PrometheusErrorSendingAlertsToAnyAlertmanager",
        expect: [
          fires(
            p0("critical"),
            "Prometheus encounters more than 3% errors sending alerts to any Alertmanager.",
            "4.0% minimum errors while sending alerts from Prometheus p0:9090 to any Alertmanager.",
          ),
        ],
      },
    ],
  },
  {
    name: "p0 discovered no Alertmanager, p1 three",
    series: {
      [`prometheus_notifications_alertmanagers_discovered{${P0}}`]: "0x30",
      [`prometheus_notifications_alertmanagers_discovered{${P1}}`]: "3x30",
    },
    alerts: [
      { at: "5m", alert: "PrometheusNotConnectedToAlertmanagers", expect: [] },
      {
        at: "15m",
        alert: "PrometheusNotConnectedToAlertmanagers",
        expect: [
          fires(
            p0("warning"),
            "Prometheus is not connected to any Alertmanagers.",
            "Prometheus p0:9090 is not connected to any Alertmanagers.",
          ),
        ],
      },
    ],
  },
  counterCase(
    "TSDB reloads fail for over 4h",
    "prometheus_tsdb_reloads_failures_total",
    "PrometheusTSDBReloadsFailing",
    {},
    "3h",
    "250m",
    "warning",
    "Prometheus has issues reloading blocks from disk.",
    "Prometheus p0:9090 has detected 180 reload failures over the last 3h.",
  ),
  counterCase(
    "TSDB compactions fail for over 4h",
    "prometheus_tsdb_compactions_failed_total",
    "PrometheusTSDBCompactionsFailing",
    {},
    "3h",
    "250m",
    "warning",
    "Prometheus has issues compacting blocks.",
    "Prometheus p0:9090 has detected 180 compaction failures over the last 3h.",
  ),
  {
    name: "p0 has targets but appends nothing, p1 ingests",
    series: {
      [`prometheus_tsdb_head_samples_appended_total{${P0}, type="float"}`]: "1000x30",
      [`prometheus_tsdb_head_samples_appended_total{${P0}, type="histogram"}`]: "0x30",
      [`prometheus_target_metadata_cache_entries{${P0}, scrape_job="node-exporter"}`]: "10x30",
      [`prometheus_tsdb_head_samples_appended_total{${P1}, type="float"}`]: "0+100x30",
      [`prometheus_target_metadata_cache_entries{${P1}, scrape_job="node-exporter"}`]: "10x30",
    },
    alerts: [
      { at: "5m", alert: "PrometheusNotIngestingSamples", expect: [] },
      {
        at: "20m",
        alert: "PrometheusNotIngestingSamples",
        expect: [
          fires(
            p0("warning"),
            "Prometheus is not ingesting samples.",
            "Prometheus p0:9090 has scrape targets or rules but is not ingesting samples.",
          ),
        ],
      },
    ],
  },
  {
    name: "an idle Prometheus with neither targets nor rules is not 'not ingesting'",
    series: {
      [`prometheus_tsdb_head_samples_appended_total{${P0}, type="float"}`]: "0x30",
      [`prometheus_target_metadata_cache_entries{${P0}, scrape_job="node-exporter"}`]: "0x30",
    },
    alerts: [{ at: "20m", alert: "PrometheusNotIngestingSamples", expect: [] }],
  },
  {
    name: "samples with duplicate and out-of-order timestamps are dropped at 0.1/s",
    series: {
      [`prometheus_target_scrapes_sample_duplicate_timestamp_total{${P0}}`]: "0+6x30",
      [`prometheus_target_scrapes_sample_out_of_order_total{${P0}}`]: "0+6x30",
      [`prometheus_target_scrapes_sample_duplicate_timestamp_total{${P1}}`]: "0x30",
      [`prometheus_target_scrapes_sample_out_of_order_total{${P1}}`]: "0x30",
    },
    alerts: [
      { at: "5m", alert: "PrometheusDuplicateTimestamps", expect: [] },
      { at: "5m", alert: "PrometheusOutOfOrderTimestamps", expect: [] },
      {
        at: "20m",
        alert: "PrometheusDuplicateTimestamps",
        expect: [
          fires(
            p0("warning"),
            "Prometheus is dropping samples with duplicate timestamps.",
            "Prometheus p0:9090 is dropping 0.1 samples/s with different values but duplicated timestamps.",
          ),
        ],
      },
      {
        at: "20m",
        alert: "PrometheusOutOfOrderTimestamps",
        expect: [
          fires(
            p0("warning"),
            "Prometheus drops samples with out-of-order timestamps.",
            "Prometheus p0:9090 is dropping 0.1 samples/s with timestamps arriving out of order.",
          ),
        ],
      },
    ],
  },
  {
    name: "remote write: 2% of samples fail and the queue is 300s behind on p0; p1 is current",
    series: {
      [`prometheus_remote_storage_samples_failed_total{${P0}, remote_name="amp", url="https://amp/write"}`]:
        "0+12x30",
      [`prometheus_remote_storage_samples_total{${P0}, remote_name="amp", url="https://amp/write"}`]:
        "0+588x30",
      [`prometheus_remote_storage_highest_timestamp_in_seconds{${P0}}`]: "1000+60x30",
      [`prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${P0}, remote_name="amp", url="https://amp/write"}`]:
        "700+60x30",
      [`prometheus_remote_storage_samples_failed_total{${P1}, remote_name="amp", url="https://amp/write"}`]:
        "0x30",
      [`prometheus_remote_storage_samples_total{${P1}, remote_name="amp", url="https://amp/write"}`]:
        "0+600x30",
      [`prometheus_remote_storage_highest_timestamp_in_seconds{${P1}}`]: "1000+60x30",
      [`prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${P1}, remote_name="amp", url="https://amp/write"}`]:
        "995+60x30",
    },
    alerts: [
      { at: "10m", alert: "PrometheusRemoteStorageFailures", expect: [] },
      { at: "10m", alert: "PrometheusRemoteWriteBehind", expect: [] },
      {
        at: "20m",
        alert: "PrometheusRemoteStorageFailures",
        expect: [
          fires(
            p0("critical", { remote_name: "amp", url: "https://amp/write" }),
            "Prometheus fails to send samples to remote storage.",
            "2.0% of samples Prometheus p0:9090 sent to amp (https://amp/write) failed.",
          ),
        ],
      },
      {
        at: "20m",
        alert: "PrometheusRemoteWriteBehind",
        expect: [
          fires(
            p0("critical", { remote_name: "amp", url: "https://amp/write" }),
            "Prometheus remote write is behind.",
            "Prometheus p0:9090 remote write to amp is 300.0s behind.",
          ),
        ],
      },
    ],
  },
  counterCase(
    "rule evaluations fail",
    "prometheus_rule_evaluation_failures_total",
    "PrometheusRuleFailures",
    { rule_group: "/etc/prometheus/rules/node.rules.yaml;node.alerts" },
    "10m",
    "20m",
    "critical",
    "Prometheus is failing rule evaluations.",
    "Prometheus p0:9090 has failed to evaluate 5 rules of group /etc/prometheus/rules/node.rules.yaml;node.alerts in the last 5m.",
  ),
  counterCase(
    "rule group evaluations are missed",
    "prometheus_rule_group_iterations_missed_total",
    "PrometheusMissingRuleEvaluations",
    { rule_group: "/etc/prometheus/rules/node.rules.yaml;node.alerts" },
    "10m",
    "20m",
    "warning",
    "Prometheus is missing rule evaluations due to slow rule group evaluation.",
    "Prometheus p0:9090 has missed 5 evaluations of rule group /etc/prometheus/rules/node.rules.yaml;node.alerts in the last 5m.",
  ),
  counterCase(
    "scrape pools exceed their target limit",
    "prometheus_target_scrape_pool_exceeded_target_limit_total",
    "PrometheusTargetLimitHit",
    {},
    "10m",
    "20m",
    "warning",
    "Prometheus has dropped targets because some scrape configs have exceeded the targets limit.",
    "Prometheus p0:9090 has dropped 5 targets because the number of targets exceeded the configured target_limit.",
  ),
  counterCase(
    "scrape pools exceed their label limits",
    "prometheus_target_scrape_pool_exceeded_label_limits_total",
    "PrometheusLabelLimitHit",
    {},
    "10m",
    "20m",
    "warning",
    "Prometheus has dropped targets because some scrape configs have exceeded the labels limit.",
    "Prometheus p0:9090 has dropped 5 targets because some samples exceeded the configured label_limit, label_name_length_limit or label_value_length_limit.",
  ),
  {
    name: "target sync of one scrape pool fails every minute",
    series: {
      [`prometheus_target_sync_failed_total{${P0}, scrape_job="kubernetes-pods"}`]: "0x5 1+1x60",
      [`prometheus_target_sync_failed_total{${P1}, scrape_job="kubernetes-pods"}`]: "0x60",
    },
    alerts: [
      { at: "4m", alert: "PrometheusTargetSyncFailure", expect: [] },
      {
        at: "40m",
        alert: "PrometheusTargetSyncFailure",
        expect: [
          fires(
            p0("critical", { scrape_job: "kubernetes-pods" }),
            "Prometheus has failed to sync targets.",
            "Prometheus p0:9090 failed 30 target syncs of scrape pool kubernetes-pods in the last 30m because of an invalid configuration.",
          ),
        ],
      },
    ],
  },
  {
    name: "p0 runs 18 of 20 concurrent queries on average, p1 2",
    series: {
      [`prometheus_engine_queries{${P0}}`]: "18x30",
      [`prometheus_engine_queries_concurrent_max{${P0}}`]: "20x30",
      [`prometheus_engine_queries{${P1}}`]: "2x30",
      [`prometheus_engine_queries_concurrent_max{${P1}}`]: "20x30",
    },
    alerts: [
      { at: "10m", alert: "PrometheusHighQueryLoad", expect: [] },
      {
        at: "20m",
        alert: "PrometheusHighQueryLoad",
        expect: [
          fires(
            p0("warning"),
            "Prometheus is reaching its maximum capacity serving concurrent requests.",
            "Prometheus p0:9090 query API has used 90% of its concurrency capacity for 15 minutes.",
          ),
        ],
      },
    ],
  },
  counterCase(
    "Kubernetes LIST/WATCH requests fail",
    "prometheus_sd_kubernetes_failures_total",
    "PrometheusKubernetesListWatchFailures",
    {},
    "10m",
    "20m",
    "warning",
    "Requests in Kubernetes service discovery are failing.",
    "Kubernetes service discovery of Prometheus p0:9090 is seeing 5 failed LIST/WATCH requests; check its RBAC.",
  ),
  {
    name: "remote write on p0 wants more shards than its maximum; p1 stays within",
    series: {
      [`prometheus_remote_storage_shards_desired{${P0}, remote_name="r1", url="http://lts:9201/write"}`]:
        "12x30",
      [`prometheus_remote_storage_shards_max{${P0}, remote_name="r1", url="http://lts:9201/write"}`]: "10x30",
      [`prometheus_remote_storage_shards_desired{${P1}, remote_name="r1", url="http://lts:9201/write"}`]:
        "4x30",
      [`prometheus_remote_storage_shards_max{${P1}, remote_name="r1", url="http://lts:9201/write"}`]: "10x30",
    },
    alerts: [
      { at: "10m", alert: "PrometheusRemoteWriteDesiredShards", expect: [] },
      {
        at: "20m",
        alert: "PrometheusRemoteWriteDesiredShards",
        expect: [
          fires(
            p0("warning", { remote_name: "r1", url: "http://lts:9201/write" }),
            "Prometheus remote write wants to run more shards than its configured maximum.",
            "Prometheus p0:9090 remote write to r1 (http://lts:9201/write) wants 12 shards, more than its max_shards: it cannot keep up.",
          ),
        ],
      },
    ],
  },
  counterCase(
    "scrapes exceed the body size limit",
    "prometheus_target_scrapes_exceeded_body_size_limit_total",
    "PrometheusScrapeBodySizeLimitHit",
    {},
    "10m",
    "20m",
    "warning",
    "Prometheus has failed scrapes whose response exceeded the body size limit.",
    "Prometheus p0:9090 has failed 5 scrapes in the last 5m because targets exceeded the configured body_size_limit.",
  ),
  counterCase(
    "scrapes exceed the sample limit",
    "prometheus_target_scrapes_exceeded_sample_limit_total",
    "PrometheusScrapeSampleLimitHit",
    {},
    "10m",
    "20m",
    "warning",
    "Prometheus has failed scrapes that exceeded the sample limit.",
    "Prometheus p0:9090 has failed 5 scrapes in the last 5m because targets exceeded the configured sample_limit.",
  ),
  {
    name: "one replica of the pair is down: the survivor reports the HA group at half strength",
    series: { [`up{${P0}}`]: "1x30", [`up{${P1}}`]: "0x30" },
    alerts: [
      { at: "3m", alert: "PrometheusHAGroupDown", expect: [] },
      {
        at: "10m",
        alert: "PrometheusHAGroupDown",
        expect: [
          fires(
            { job: "prometheus", severity: "critical" },
            "Half or more of the Prometheus instances of an HA group are down.",
            "50% of the Prometheus instances of the prometheus HA group have been up less than half of the last 5m: the group has lost its redundancy.",
          ),
        ],
      },
    ],
  },
  {
    name: "both replicas up, one of them briefly down: the HA group is healthy",
    series: { [`up{${P0}}`]: "1x30", [`up{${P1}}`]: "1x10 0 0 1x18" },
    alerts: [{ at: "15m", alert: "PrometheusHAGroupDown", expect: [] }],
  },
  {
    name: "p1 restarts every minute: the pair is crashlooping",
    series: {
      [`up{${P0}}`]: "1x40",
      [`up{${P1}}`]: "1x40",
      [`process_start_time_seconds{${P0}}`]: "100x40",
      [`process_start_time_seconds{${P1}}`]: "0+60x40",
    },
    alerts: [
      { at: "3m", alert: "PrometheusHAGroupCrashlooping", expect: [] },
      {
        at: "20m",
        alert: "PrometheusHAGroupCrashlooping",
        expect: [
          fires(
            { job: "prometheus", severity: "critical" },
            "Half or more of the Prometheus instances of an HA group are crashlooping.",
            "50% of the Prometheus instances of the prometheus HA group have restarted at least 5 times in the last 30m or uncleanly twice in the last 1h.",
          ),
        ],
      },
    ],
  },
  {
    name: "p1 restarted uncleanly twice within the hour (WAL not closed cleanly)",
    series: {
      [`up{${P0}}`]: "1x40",
      [`up{${P1}}`]: "1x40",
      [`process_start_time_seconds{${P0}}`]: "100x40",
      [`process_start_time_seconds{${P1}}`]: "100x10 700x10 1300x20",
      [`prometheus_tsdb_clean_start{${P0}}`]: "1x40",
      [`prometheus_tsdb_clean_start{${P1}}`]: "0x40",
    },
    alerts: [
      { at: "15m", alert: "PrometheusHAGroupCrashlooping", expect: [] },
      {
        at: "30m",
        alert: "PrometheusHAGroupCrashlooping",
        expect: [
          fires(
            { job: "prometheus", severity: "critical" },
            "Half or more of the Prometheus instances of an HA group are crashlooping.",
            "50% of the Prometheus instances of the prometheus HA group have restarted at least 5 times in the last 30m or uncleanly twice in the last 1h.",
          ),
        ],
      },
    ],
  },
  {
    name: "one clean restart of p1 (a rollout) is no crashloop",
    series: {
      [`up{${P0}}`]: "1x40",
      [`up{${P1}}`]: "1x40",
      [`process_start_time_seconds{${P0}}`]: "100x40",
      [`process_start_time_seconds{${P1}}`]: "100x10 700x30",
      [`prometheus_tsdb_clean_start{${P0}}`]: "1x40",
      [`prometheus_tsdb_clean_start{${P1}}`]: "1x40",
    },
    alerts: [{ at: "30m", alert: "PrometheusHAGroupCrashlooping", expect: [] }],
  },
];

import { JOBS } from "../../../lib/jobs";
import { AlertRule, RulePack, sel } from "../model";

const S = sel(JOBS.prometheus);
/**
 * Labels shared by the replicas of one HA group (the mixin's prometheusHAGroupLabels): every replica of
 * the stack's pair is scraped by one job. The replica label (prometheus_replica) is external, so it is not
 * on the series the rules read.
 */
const HA_GROUP = "job";

/**
 * Prometheus self-monitoring. Each replica of the HA pair evaluates these over its own TSDB; the
 * replica label is external, so both replicas send identical alerts and Alertmanager deduplicates them.
 */
export function prometheusPack(options: { kubernetes: boolean }): RulePack {
  const rules: AlertRule[] = [
    {
      alert: "PrometheusBadConfig",
      expr: `max_over_time(prometheus_config_last_reload_successful{${S}}[5m]) == 0`,
      for: "10m",
      severity: "critical",
      summary: "Failed Prometheus configuration reload.",
      description:
        "Prometheus {{ $labels.instance }} has failed to reload its configuration; it keeps running the previous one.",
    },
    {
      alert: "PrometheusSDRefreshFailure",
      expr: `increase(prometheus_sd_refresh_failures_total{${S}}[10m]) > 0`,
      for: "20m",
      severity: "warning",
      summary: "Failed Prometheus service discovery refresh.",
      description:
        "Prometheus {{ $labels.instance }} has failed to refresh service discovery of type {{ $labels.mechanism }}.",
    },
    {
      alert: "PrometheusNotificationQueueRunningFull",
      expr: `(predict_linear(prometheus_notifications_queue_length{${S}}[5m], 60 * 30) > min_over_time(prometheus_notifications_queue_capacity{${S}}[5m]))`,
      for: "15m",
      severity: "warning",
      summary: "Prometheus alert notification queue predicted to run full in less than 30m.",
      description: "The alert notification queue of Prometheus {{ $labels.instance }} is running full.",
    },
    {
      alert: "PrometheusErrorSendingAlertsToSomeAlertmanagers",
      expr: `(rate(prometheus_notifications_errors_total{${S}}[5m]) / rate(prometheus_notifications_sent_total{${S}}[5m])) * 100 > 1`,
      for: "15m",
      severity: "warning",
      summary:
        "More than 1% of alerts sent by Prometheus to a specific Alertmanager were affected by errors.",
      description:
        '{{ printf "%.1f" $value }}% of alerts sent by Prometheus {{ $labels.instance }} to Alertmanager {{ $labels.alertmanager }} were affected by errors.',
    },
    {
      alert: "PrometheusErrorSendingAlertsToAnyAlertmanager",
      expr: `min without (alertmanager) (rate(prometheus_notifications_errors_total{${S}}[5m]) / rate(prometheus_notifications_sent_total{${S}}[5m])) * 100 > 3`,
      for: "15m",
      severity: "critical",
      summary: "Prometheus encounters more than 3% errors sending alerts to any Alertmanager.",
      description:
        '{{ printf "%.1f" $value }}% minimum errors while sending alerts from Prometheus {{ $labels.instance }} to any Alertmanager.',
    },
    {
      alert: "PrometheusNotConnectedToAlertmanagers",
      expr: `max_over_time(prometheus_notifications_alertmanagers_discovered{${S}}[5m]) < 1`,
      for: "10m",
      severity: "warning",
      summary: "Prometheus is not connected to any Alertmanagers.",
      description: "Prometheus {{ $labels.instance }} is not connected to any Alertmanagers.",
    },
    {
      alert: "PrometheusTSDBReloadsFailing",
      expr: `increase(prometheus_tsdb_reloads_failures_total{${S}}[3h]) > 0`,
      for: "4h",
      severity: "warning",
      summary: "Prometheus has issues reloading blocks from disk.",
      description:
        "Prometheus {{ $labels.instance }} has detected {{ $value | humanize }} reload failures over the last 3h.",
    },
    {
      alert: "PrometheusTSDBCompactionsFailing",
      expr: `increase(prometheus_tsdb_compactions_failed_total{${S}}[3h]) > 0`,
      for: "4h",
      severity: "warning",
      summary: "Prometheus has issues compacting blocks.",
      description:
        "Prometheus {{ $labels.instance }} has detected {{ $value | humanize }} compaction failures over the last 3h.",
    },
    {
      alert: "PrometheusNotIngestingSamples",
      expr: `(sum without (type) (rate(prometheus_tsdb_head_samples_appended_total{${S}}[5m])) <= 0 and (sum without (scrape_job) (prometheus_target_metadata_cache_entries{${S}}) > 0 or sum without (rule_group) (prometheus_rule_group_rules{${S}}) > 0))`,
      for: "10m",
      severity: "warning",
      summary: "Prometheus is not ingesting samples.",
      description:
        "Prometheus {{ $labels.instance }} has scrape targets or rules but is not ingesting samples.",
    },
    {
      alert: "PrometheusDuplicateTimestamps",
      expr: `rate(prometheus_target_scrapes_sample_duplicate_timestamp_total{${S}}[5m]) > 0`,
      for: "10m",
      severity: "warning",
      summary: "Prometheus is dropping samples with duplicate timestamps.",
      description:
        'Prometheus {{ $labels.instance }} is dropping {{ printf "%.4g" $value }} samples/s with different values but duplicated timestamps.',
    },
    {
      alert: "PrometheusOutOfOrderTimestamps",
      expr: `rate(prometheus_target_scrapes_sample_out_of_order_total{${S}}[5m]) > 0`,
      for: "10m",
      severity: "warning",
      summary: "Prometheus drops samples with out-of-order timestamps.",
      description:
        'Prometheus {{ $labels.instance }} is dropping {{ printf "%.4g" $value }} samples/s with timestamps arriving out of order.',
    },
    {
      alert: "PrometheusRemoteStorageFailures",
      expr: `(rate(prometheus_remote_storage_samples_failed_total{${S}}[5m]) / (rate(prometheus_remote_storage_samples_failed_total{${S}}[5m]) + rate(prometheus_remote_storage_samples_total{${S}}[5m]))) * 100 > 1`,
      for: "15m",
      severity: "critical",
      summary: "Prometheus fails to send samples to remote storage.",
      description:
        '{{ printf "%.1f" $value }}% of samples Prometheus {{ $labels.instance }} sent to {{ $labels.remote_name }} ({{ $labels.url }}) failed.',
    },
    {
      alert: "PrometheusRemoteWriteBehind",
      expr: `(max_over_time(prometheus_remote_storage_highest_timestamp_in_seconds{${S}}[5m]) - ignoring (remote_name, url) group_right max_over_time(prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${S}}[5m])) > 120`,
      for: "15m",
      severity: "critical",
      summary: "Prometheus remote write is behind.",
      description:
        'Prometheus {{ $labels.instance }} remote write to {{ $labels.remote_name }} is {{ printf "%.1f" $value }}s behind.',
    },
    {
      alert: "PrometheusRemoteWriteDesiredShards",
      expr: `(max_over_time(prometheus_remote_storage_shards_desired{${S}}[5m]) > max_over_time(prometheus_remote_storage_shards_max{${S}}[5m]))`,
      for: "15m",
      severity: "warning",
      summary: "Prometheus remote write wants to run more shards than its configured maximum.",
      description:
        'Prometheus {{ $labels.instance }} remote write to {{ $labels.remote_name }} ({{ $labels.url }}) wants {{ printf "%.0f" $value }} shards, more than its max_shards: it cannot keep up.',
    },
    {
      alert: "PrometheusRuleFailures",
      expr: `increase(prometheus_rule_evaluation_failures_total{${S}}[5m]) > 0`,
      for: "15m",
      severity: "critical",
      summary: "Prometheus is failing rule evaluations.",
      description:
        'Prometheus {{ $labels.instance }} has failed to evaluate {{ printf "%.0f" $value }} rules of group {{ $labels.rule_group }} in the last 5m.',
    },
    {
      alert: "PrometheusMissingRuleEvaluations",
      expr: `increase(prometheus_rule_group_iterations_missed_total{${S}}[5m]) > 0`,
      for: "15m",
      severity: "warning",
      summary: "Prometheus is missing rule evaluations due to slow rule group evaluation.",
      description:
        'Prometheus {{ $labels.instance }} has missed {{ printf "%.0f" $value }} evaluations of rule group {{ $labels.rule_group }} in the last 5m.',
    },
    {
      alert: "PrometheusTargetLimitHit",
      expr: `increase(prometheus_target_scrape_pool_exceeded_target_limit_total{${S}}[5m]) > 0`,
      for: "15m",
      severity: "warning",
      summary: "Prometheus has dropped targets because some scrape configs have exceeded the targets limit.",
      description:
        'Prometheus {{ $labels.instance }} has dropped {{ printf "%.0f" $value }} targets because the number of targets exceeded the configured target_limit.',
    },
    {
      alert: "PrometheusLabelLimitHit",
      expr: `increase(prometheus_target_scrape_pool_exceeded_label_limits_total{${S}}[5m]) > 0`,
      for: "15m",
      severity: "warning",
      summary: "Prometheus has dropped targets because some scrape configs have exceeded the labels limit.",
      description:
        'Prometheus {{ $labels.instance }} has dropped {{ printf "%.0f" $value }} targets because some samples exceeded the configured label_limit, label_name_length_limit or label_value_length_limit.',
    },
    {
      alert: "PrometheusScrapeBodySizeLimitHit",
      expr: `increase(prometheus_target_scrapes_exceeded_body_size_limit_total{${S}}[5m]) > 0`,
      for: "15m",
      severity: "warning",
      summary: "Prometheus has failed scrapes whose response exceeded the body size limit.",
      description:
        'Prometheus {{ $labels.instance }} has failed {{ printf "%.0f" $value }} scrapes in the last 5m because targets exceeded the configured body_size_limit.',
    },
    {
      alert: "PrometheusScrapeSampleLimitHit",
      expr: `increase(prometheus_target_scrapes_exceeded_sample_limit_total{${S}}[5m]) > 0`,
      for: "15m",
      severity: "warning",
      summary: "Prometheus has failed scrapes that exceeded the sample limit.",
      description:
        'Prometheus {{ $labels.instance }} has failed {{ printf "%.0f" $value }} scrapes in the last 5m because targets exceeded the configured sample_limit.',
    },
    {
      alert: "PrometheusTargetSyncFailure",
      expr: `increase(prometheus_target_sync_failed_total{${S}}[30m]) > 0`,
      for: "5m",
      severity: "critical",
      summary: "Prometheus has failed to sync targets.",
      description:
        'Prometheus {{ $labels.instance }} failed {{ printf "%.0f" $value }} target syncs of scrape pool {{ $labels.scrape_job }} in the last 30m because of an invalid configuration.',
    },
    {
      alert: "PrometheusHighQueryLoad",
      expr: `avg_over_time(prometheus_engine_queries{${S}}[5m]) / max_over_time(prometheus_engine_queries_concurrent_max{${S}}[5m]) > 0.8`,
      for: "15m",
      severity: "warning",
      summary: "Prometheus is reaching its maximum capacity serving concurrent requests.",
      description:
        "Prometheus {{ $labels.instance }} query API has used {{ $value | humanizePercentage }} of its concurrency capacity for 15 minutes.",
    },
    // The HA-group alerts of the mixin (its prometheusHAGroupLabels set). Upstream fires them when more
    // than half of a group is unhealthy; in a pair that is both replicas, and then no replica is left to
    // evaluate the rule, since the pair monitors itself. Here they fire at half or more (as the
    // Alertmanager mixin's cluster alerts do), from the surviving replica. The mixin's
    // PrometheusHAGroupNotIngestingSamples is left out for the same reason without a way around it: a
    // replica that ingests nothing has no fresh data to evaluate, and one that ingests sees its own
    // samples appended, so no member of the group can ever find the whole group not ingesting.
    {
      alert: "PrometheusHAGroupDown",
      expr: `(count by (${HA_GROUP}) (avg_over_time(up{${S}}[5m]) < 0.5) / count by (${HA_GROUP}) (up{${S}})) >= 0.5`,
      for: "5m",
      severity: "critical",
      summary: "Half or more of the Prometheus instances of an HA group are down.",
      description:
        "{{ $value | humanizePercentage }} of the Prometheus instances of the {{ $labels.job }} HA group have been up less than half of the last 5m: the group has lost its redundancy.",
    },
    {
      alert: "PrometheusHAGroupCrashlooping",
      expr:
        `((count by (${HA_GROUP}) (prometheus_tsdb_clean_start{${S}} == 0 and changes(process_start_time_seconds{${S}}[1h]) > 1) / count by (${HA_GROUP}) (up{${S}})) >= 0.5) ` +
        `or ((count by (${HA_GROUP}) (changes(process_start_time_seconds{${S}}[30m]) > 4) / count by (${HA_GROUP}) (up{${S}})) >= 0.5)`,
      for: "5m",
      severity: "critical",
      summary: "Half or more of the Prometheus instances of an HA group are crashlooping.",
      description:
        "{{ $value | humanizePercentage }} of the Prometheus instances of the {{ $labels.job }} HA group have restarted at least 5 times in the last 30m or uncleanly twice in the last 1h.",
    },
  ];
  if (options.kubernetes) {
    rules.push({
      alert: "PrometheusKubernetesListWatchFailures",
      expr: `increase(prometheus_sd_kubernetes_failures_total{${S}}[5m]) > 0`,
      for: "15m",
      severity: "warning",
      summary: "Requests in Kubernetes service discovery are failing.",
      description:
        'Kubernetes service discovery of Prometheus {{ $labels.instance }} is seeing {{ printf "%.0f" $value }} failed LIST/WATCH requests; check its RBAC.',
    });
  }
  return { name: "prometheus", groups: [{ name: "prometheus.rules", rules }] };
}

/**
 * Prometheus: targets, ingestion, TSDB, rule evaluation, notifications to Alertmanager and remote write,
 * per Prometheus instance (both replicas of an HA pair show side by side).
 */
import { JOBS } from "../../../lib/jobs";
import {
  barGauge,
  dashboard,
  heatmap,
  row,
  stat,
  thresholds,
  timeseries,
  type DashboardModel,
} from "./builder";
import { BY_CLUSTER, BY_INSTANCE, RATE, STACK_TAG, exporterVariables, stackLinks } from "./common";

export const PROMETHEUS_DASHBOARD_UID = "prometheus-overview";

const S = BY_INSTANCE;
const BAD = thresholds("green", [1e-9, "red"]);

export function prometheusDashboard(): DashboardModel {
  return dashboard({
    uid: PROMETHEUS_DASHBOARD_UID,
    title: "Prometheus / Overview",
    description: "Prometheus servers: targets, ingestion, TSDB, rules, notifications and remote write.",
    tags: [STACK_TAG, "monitoring", "prometheus"],
    links: stackLinks(),
    variables: exporterVariables("prometheus_build_info", JOBS.prometheus),
    rows: [
      row("Overview", [
        stat({
          title: "Targets up",
          description: "Scrape targets whose last scrape succeeded (all jobs).",
          unit: "short",
          thresholds: thresholds("red", [1, "green"]),
          queries: [{ expr: `sum(up{${BY_CLUSTER}} == 1) or vector(0)`, legend: "up" }],
        }),
        stat({
          title: "Targets down",
          unit: "short",
          thresholds: thresholds("green", [1, "red"]),
          colorMode: "background",
          queries: [{ expr: `count(up{${BY_CLUSTER}} == 0) or vector(0)`, legend: "down" }],
        }),
        stat({
          title: "Head series",
          unit: "short",
          queries: [{ expr: `prometheus_tsdb_head_series{${S}}`, legend: "{{instance}}" }],
        }),
        stat({
          title: "Samples appended",
          unit: "cps",
          queries: [
            {
              expr: `sum by (instance) (rate(prometheus_tsdb_head_samples_appended_total{${S}}[${RATE}]))`,
              legend: "{{instance}}",
            },
          ],
        }),
        stat({
          title: "Config reloaded",
          description: "Whether the last configuration reload succeeded.",
          unit: "bool",
          thresholds: thresholds("red", [1, "green"]),
          queries: [{ expr: `prometheus_config_last_reload_successful{${S}}`, legend: "{{instance}}" }],
        }),
        stat({
          title: "Uptime",
          unit: "s",
          decimals: 1,
          thresholds: thresholds("orange", [600, "green"]),
          queries: [{ expr: `time() - process_start_time_seconds{${S}}`, legend: "{{instance}}" }],
        }),
      ]),
      row("Scraping", [
        barGauge({
          title: "Targets up by job",
          description: "Share of each job's targets whose last scrape succeeded.",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: thresholds("red", [0.5, "orange"], [1, "green"]),
          queries: [
            {
              expr: `sum by (job) (up{${BY_CLUSTER}}) / count by (job) (up{${BY_CLUSTER}})`,
              legend: "{{job}}",
            },
          ],
        }),
        timeseries({
          title: "Scrape duration by job",
          description: "Slowest target of each job; a scrape must finish within its timeout.",
          unit: "s",
          queries: [{ expr: `max by (job) (scrape_duration_seconds{${BY_CLUSTER}})`, legend: "{{job}}" }],
        }),
        timeseries({
          title: "Samples scraped by job",
          unit: "short",
          queries: [
            {
              expr: `sum by (job) (scrape_samples_post_metric_relabeling{${BY_CLUSTER}})`,
              legend: "{{job}}",
            },
          ],
        }),
        timeseries({
          title: "Scrape interval accuracy",
          description: "Actual interval between scrapes (99th percentile) per configured interval.",
          unit: "s",
          queries: [
            {
              expr: `prometheus_target_interval_length_seconds{${S}, quantile="0.99"}`,
              legend: "{{instance}} every {{interval}}",
            },
          ],
        }),
        timeseries({
          title: "Rejected samples",
          description:
            "Samples dropped at scrape time: out of order, duplicate timestamps, out of bounds, over limits.",
          unit: "cps",
          thresholds: BAD,
          queries: [
            {
              expr: `sum by (instance) (rate(prometheus_target_scrapes_sample_out_of_order_total{${S}}[${RATE}]))`,
              legend: "{{instance}} out of order",
            },
            {
              expr: `sum by (instance) (rate(prometheus_target_scrapes_sample_duplicate_timestamp_total{${S}}[${RATE}]))`,
              legend: "{{instance}} duplicate timestamp",
            },
            {
              expr: `sum by (instance) (rate(prometheus_target_scrapes_sample_out_of_bounds_total{${S}}[${RATE}]))`,
              legend: "{{instance}} out of bounds",
            },
            {
              expr: `sum by (instance) (rate(prometheus_target_scrapes_exceeded_sample_limit_total{${S}}[${RATE}]))`,
              legend: "{{instance}} sample limit",
            },
          ],
        }),
        timeseries({
          title: "Service discovery: discovered targets",
          unit: "short",
          queries: [
            {
              expr: `sum by (instance, config) (prometheus_sd_discovered_targets{${S}})`,
              legend: "{{instance}} {{config}}",
            },
          ],
        }),
      ]),
      row("Ingestion and storage", [
        timeseries({
          title: "Samples appended",
          unit: "cps",
          queries: [
            {
              expr: `rate(prometheus_tsdb_head_samples_appended_total{${S}}[${RATE}])`,
              legend: "{{instance}} {{type}}",
            },
          ],
        }),
        timeseries({
          title: "Head series",
          unit: "short",
          queries: [
            { expr: `prometheus_tsdb_head_series{${S}}`, legend: "{{instance}} series" },
            { expr: `prometheus_tsdb_head_chunks{${S}}`, legend: "{{instance}} chunks" },
          ],
        }),
        timeseries({
          title: "Series churn",
          description: "Series created and removed from the head block.",
          unit: "ops",
          negativeY: ".* removed$",
          queries: [
            {
              expr: `rate(prometheus_tsdb_head_series_created_total{${S}}[${RATE}])`,
              legend: "{{instance}} created",
            },
            {
              expr: `rate(prometheus_tsdb_head_series_removed_total{${S}}[${RATE}])`,
              legend: "{{instance}} removed",
            },
          ],
        }),
        timeseries({
          title: "Storage size",
          unit: "bytes",
          queries: [
            { expr: `prometheus_tsdb_storage_blocks_bytes{${S}}`, legend: "{{instance}} blocks" },
            { expr: `prometheus_tsdb_wal_storage_size_bytes{${S}}`, legend: "{{instance}} WAL" },
          ],
        }),
        timeseries({
          title: "TSDB failures",
          description:
            "Failed compactions, reloads, WAL truncations and WAL corruptions: any is worth a look.",
          unit: "ops",
          thresholds: BAD,
          queries: [
            {
              expr: `rate(prometheus_tsdb_compactions_failed_total{${S}}[${RATE}])`,
              legend: "{{instance}} compactions",
            },
            {
              expr: `rate(prometheus_tsdb_reloads_failures_total{${S}}[${RATE}])`,
              legend: "{{instance}} reloads",
            },
            {
              expr: `rate(prometheus_tsdb_wal_truncations_failed_total{${S}}[${RATE}])`,
              legend: "{{instance}} WAL truncations",
            },
            {
              expr: `rate(prometheus_tsdb_wal_corruptions_total{${S}}[${RATE}])`,
              legend: "{{instance}} WAL corruptions",
            },
          ],
        }),
        timeseries({
          title: "Memory",
          unit: "bytes",
          queries: [
            { expr: `process_resident_memory_bytes{${S}}`, legend: "{{instance}} resident" },
            { expr: `go_memstats_heap_inuse_bytes{${S}}`, legend: "{{instance}} heap in use" },
          ],
        }),
      ]),
      row("Queries", [
        timeseries({
          title: "Query duration (p90)",
          description: "Time per query stage; from the engine's summary.",
          unit: "s",
          queries: [
            {
              expr: `prometheus_engine_query_duration_seconds{${S}, quantile="0.9"}`,
              legend: "{{instance}} {{slice}}",
            },
          ],
        }),
        heatmap({
          title: "HTTP API latency",
          description: "All HTTP handlers (queries, remote read, UI) as a histogram.",
          unit: "reqps",
          yUnit: "s",
          queries: [
            {
              expr: `sum by (le) (rate(prometheus_http_request_duration_seconds_bucket{${S}}[${RATE}]))`,
            },
          ],
        }),
      ]),
      row("Rules", [
        timeseries({
          title: "Rule group evaluation duration",
          description:
            "Last evaluation time of each group against its interval: a group slower than its interval misses iterations.",
          unit: "s",
          queries: [
            {
              expr: `max by (instance, rule_group) (prometheus_rule_group_last_duration_seconds{${S}})`,
              legend: "{{instance}} {{rule_group}}",
            },
          ],
        }),
        timeseries({
          title: "Rule evaluation duration (p99)",
          unit: "s",
          queries: [
            {
              expr: `prometheus_rule_evaluation_duration_seconds{${S}, quantile="0.99"}`,
              legend: "{{instance}}",
            },
          ],
        }),
        timeseries({
          title: "Rule evaluation failures",
          unit: "ops",
          thresholds: BAD,
          showThresholds: "line",
          queries: [
            {
              expr: `sum by (instance, rule_group) (rate(prometheus_rule_evaluation_failures_total{${S}}[${RATE}]))`,
              legend: "{{instance}} {{rule_group}}",
            },
          ],
        }),
        timeseries({
          title: "Missed rule group iterations",
          unit: "ops",
          thresholds: BAD,
          queries: [
            {
              expr: `sum by (instance, rule_group) (rate(prometheus_rule_group_iterations_missed_total{${S}}[${RATE}]))`,
              legend: "{{instance}} {{rule_group}}",
            },
          ],
        }),
      ]),
      row("Alert notifications", [
        timeseries({
          title: "Notifications sent, failed and dropped",
          description: "Alert batches sent to each Alertmanager; errors and dropped alerts below the axis.",
          unit: "ops",
          negativeY: ".* (errors|dropped)$",
          queries: [
            {
              expr: `sum by (instance, alertmanager) (rate(prometheus_notifications_sent_total{${S}}[${RATE}]))`,
              legend: "{{instance}} → {{alertmanager}} sent",
            },
            {
              expr: `sum by (instance, alertmanager) (rate(prometheus_notifications_errors_total{${S}}[${RATE}]))`,
              legend: "{{instance}} → {{alertmanager}} errors",
            },
            {
              expr: `rate(prometheus_notifications_dropped_total{${S}}[${RATE}])`,
              legend: "{{instance}} dropped",
            },
          ],
        }),
        timeseries({
          title: "Notification queue",
          unit: "short",
          queries: [
            { expr: `prometheus_notifications_queue_length{${S}}`, legend: "{{instance}} queued" },
            { expr: `prometheus_notifications_queue_capacity{${S}}`, legend: "{{instance}} capacity" },
          ],
        }),
        stat({
          title: "Alertmanagers discovered",
          unit: "short",
          width: 6,
          thresholds: thresholds("red", [1, "green"]),
          queries: [
            { expr: `prometheus_notifications_alertmanagers_discovered{${S}}`, legend: "{{instance}}" },
          ],
        }),
        timeseries({
          title: "Notification latency (p99)",
          unit: "s",
          width: 18,
          queries: [
            {
              expr: `prometheus_notifications_latency_seconds{${S}, quantile="0.99"}`,
              legend: "{{instance}} → {{alertmanager}}",
            },
          ],
        }),
      ]),
      row("Remote write", [
        stat({
          title: "Remote write queues",
          description: "Remote write destinations configured (0 when remote write is off).",
          unit: "short",
          width: 4,
          queries: [{ expr: `count(prometheus_remote_storage_shards{${S}}) or vector(0)`, legend: "queues" }],
        }),
        timeseries({
          title: "Remote write: samples pending",
          unit: "short",
          width: 10,
          queries: [
            {
              expr: `sum by (instance, remote_name, url) (prometheus_remote_storage_samples_pending{${S}})`,
              legend: "{{instance}} {{remote_name}}",
            },
          ],
        }),
        timeseries({
          title: "Remote write: samples failed, retried, dropped",
          unit: "cps",
          width: 10,
          thresholds: BAD,
          queries: [
            {
              expr: `sum by (instance, remote_name) (rate(prometheus_remote_storage_samples_failed_total{${S}}[${RATE}]))`,
              legend: "{{instance}} {{remote_name}} failed",
            },
            {
              expr: `sum by (instance, remote_name) (rate(prometheus_remote_storage_samples_retried_total{${S}}[${RATE}]))`,
              legend: "{{instance}} {{remote_name}} retried",
            },
            {
              expr: `sum by (instance, remote_name) (rate(prometheus_remote_storage_samples_dropped_total{${S}}[${RATE}]))`,
              legend: "{{instance}} {{remote_name}} dropped",
            },
          ],
        }),
        timeseries({
          title: "Remote write: lag",
          description: "Newest sample ingested minus newest sample sent, per queue.",
          unit: "s",
          width: 24,
          thresholds: thresholds("green", [60, "orange"], [300, "red"]),
          showThresholds: "dashed",
          queries: [
            {
              expr: `max by (cluster, job, instance) (prometheus_remote_storage_highest_timestamp_in_seconds{${S}}) - on (cluster, job, instance) group_right max by (cluster, job, instance, remote_name, url) (prometheus_remote_storage_queue_highest_sent_timestamp_seconds{${S}})`,
              legend: "{{instance}} {{remote_name}}",
            },
          ],
        }),
      ]),
    ],
  });
}

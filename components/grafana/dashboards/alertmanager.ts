/**
 * Alertmanager: alerts and silences, notifications by integration, latency, and the health of the gossip
 * cluster the replicas form.
 */
import { JOBS } from "../../../lib/jobs";
import { dashboard, heatmap, row, stat, thresholds, timeseries, type DashboardModel } from "./builder";
import { BY_INSTANCE, RATE, STACK_TAG, exporterVariables, stackLinks } from "./common";

export const ALERTMANAGER_DASHBOARD_UID = "alertmanager-overview";

const S = BY_INSTANCE;
const BAD = thresholds("green", [1e-9, "red"]);

export function alertmanagerDashboard(): DashboardModel {
  return dashboard({
    uid: ALERTMANAGER_DASHBOARD_UID,
    title: "Alertmanager / Overview",
    description:
      "Alertmanager replicas: alerts, silences, notifications by integration, gossip cluster health.",
    tags: [STACK_TAG, "monitoring", "alertmanager"],
    links: stackLinks(),
    variables: exporterVariables("alertmanager_build_info", JOBS.alertmanager),
    rows: [
      row("Overview", [
        stat({
          title: "Active alerts",
          description:
            "Replicas share alerts through gossip, so this is the highest count any replica holds.",
          unit: "short",
          thresholds: thresholds("green", [1, "orange"]),
          queries: [{ expr: `max(alertmanager_alerts{${S}, state="active"})`, legend: "active" }],
        }),
        stat({
          title: "Suppressed alerts",
          description: "Silenced or inhibited.",
          unit: "short",
          thresholds: thresholds("green", [1, "blue"]),
          queries: [{ expr: `max(alertmanager_alerts{${S}, state="suppressed"})`, legend: "suppressed" }],
        }),
        stat({
          title: "Active silences",
          unit: "short",
          thresholds: thresholds("green", [1, "blue"]),
          queries: [{ expr: `max(alertmanager_silences{${S}, state="active"})`, legend: "active" }],
        }),
        stat({
          title: "Cluster members",
          description: "Peers each replica sees (all replicas should see every peer).",
          unit: "short",
          thresholds: thresholds("red", [1, "green"]),
          queries: [{ expr: `alertmanager_cluster_members{${S}}`, legend: "{{instance}}" }],
        }),
        stat({
          title: "Cluster health score",
          description:
            "memberlist awareness score: 0 is healthy, higher means this replica is struggling to gossip.",
          unit: "short",
          thresholds: thresholds("green", [1, "orange"], [4, "red"]),
          queries: [{ expr: `alertmanager_cluster_health_score{${S}}`, legend: "{{instance}}" }],
        }),
        stat({
          title: "Config reloaded",
          unit: "bool",
          thresholds: thresholds("red", [1, "green"]),
          queries: [{ expr: `alertmanager_config_last_reload_successful{${S}}`, legend: "{{instance}}" }],
        }),
      ]),
      row("Alerts", [
        timeseries({
          title: "Alerts by state",
          unit: "short",
          queries: [{ expr: `alertmanager_alerts{${S}}`, legend: "{{instance}} {{state}}" }],
        }),
        timeseries({
          title: "Alerts received",
          description: "Alerts posted by Prometheus, by status; invalid ones below the axis.",
          unit: "ops",
          negativeY: ".* invalid$",
          queries: [
            {
              expr: `sum by (instance, status) (rate(alertmanager_alerts_received_total{${S}}[${RATE}]))`,
              legend: "{{instance}} {{status}}",
            },
            {
              expr: `rate(alertmanager_alerts_invalid_total{${S}}[${RATE}])`,
              legend: "{{instance}} invalid",
            },
          ],
        }),
        timeseries({
          title: "Silences by state",
          unit: "short",
          queries: [{ expr: `alertmanager_silences{${S}}`, legend: "{{instance}} {{state}}" }],
        }),
        timeseries({
          title: "Aggregation groups",
          description: "Alert groups the dispatcher is tracking.",
          unit: "short",
          queries: [{ expr: `alertmanager_dispatcher_aggregation_groups{${S}}`, legend: "{{instance}}" }],
        }),
      ]),
      row("Notifications", [
        timeseries({
          title: "Notifications sent by integration",
          unit: "ops",
          queries: [
            {
              expr: `sum by (integration) (rate(alertmanager_notifications_total{${S}}[${RATE}]))`,
              legend: "{{integration}}",
            },
          ],
        }),
        timeseries({
          title: "Notifications failed by integration",
          description: "After retries; each is a notification that never arrived.",
          unit: "ops",
          thresholds: BAD,
          showThresholds: "line",
          queries: [
            {
              expr: `sum by (integration, reason) (rate(alertmanager_notifications_failed_total{${S}}[${RATE}]))`,
              legend: "{{integration}} {{reason}}",
            },
          ],
        }),
        timeseries({
          title: "Notification requests failed by integration",
          description: "Individual attempts, including ones a retry later made good.",
          unit: "ops",
          thresholds: BAD,
          queries: [
            {
              expr: `sum by (integration) (rate(alertmanager_notification_requests_failed_total{${S}}[${RATE}]))`,
              legend: "{{integration}}",
            },
          ],
        }),
        timeseries({
          title: "Notification latency by integration",
          unit: "s",
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (integration, le) (rate(alertmanager_notification_latency_seconds_bucket{${S}}[${RATE}])))`,
              legend: "{{integration}} p99",
            },
            {
              expr: `histogram_quantile(0.5, sum by (integration, le) (rate(alertmanager_notification_latency_seconds_bucket{${S}}[${RATE}])))`,
              legend: "{{integration}} p50",
            },
          ],
        }),
        heatmap({
          title: "Notification latency",
          unit: "ops",
          yUnit: "s",
          queries: [
            {
              expr: `sum by (le) (rate(alertmanager_notification_latency_seconds_bucket{${S}}[${RATE}]))`,
            },
          ],
        }),
        timeseries({
          title: "Notification log queries",
          description:
            "Lookups of the notification log, which stops replicas sending the same notification twice.",
          unit: "ops",
          queries: [
            { expr: `rate(alertmanager_nflog_queries_total{${S}}[${RATE}])`, legend: "{{instance}} queries" },
            {
              expr: `rate(alertmanager_nflog_query_errors_total{${S}}[${RATE}])`,
              legend: "{{instance}} errors",
            },
          ],
        }),
      ]),
      row("Cluster", [
        timeseries({
          title: "Cluster members",
          unit: "short",
          queries: [
            { expr: `alertmanager_cluster_members{${S}}`, legend: "{{instance}} members" },
            { expr: `alertmanager_cluster_failed_peers{${S}}`, legend: "{{instance}} failed peers" },
          ],
        }),
        timeseries({
          title: "Cluster health score",
          unit: "short",
          thresholds: thresholds("green", [1, "orange"], [4, "red"]),
          showThresholds: "dashed",
          queries: [{ expr: `alertmanager_cluster_health_score{${S}}`, legend: "{{instance}}" }],
        }),
        timeseries({
          title: "Gossip messages",
          description: "Sent above the axis, received below.",
          unit: "ops",
          negativeY: ".* received$",
          queries: [
            {
              expr: `sum by (instance) (rate(alertmanager_cluster_messages_sent_total{${S}}[${RATE}]))`,
              legend: "{{instance}} sent",
            },
            {
              expr: `sum by (instance) (rate(alertmanager_cluster_messages_received_total{${S}}[${RATE}]))`,
              legend: "{{instance}} received",
            },
          ],
        }),
        timeseries({
          title: "Gossip problems",
          description: "Pruned messages (queue overflow), oversized messages dropped, failed reconnections.",
          unit: "ops",
          thresholds: BAD,
          queries: [
            {
              expr: `rate(alertmanager_cluster_messages_pruned_total{${S}}[${RATE}])`,
              legend: "{{instance}} pruned",
            },
            {
              expr: `sum by (instance) (rate(alertmanager_oversized_gossip_message_dropped_total{${S}}[${RATE}]))`,
              legend: "{{instance}} oversized dropped",
            },
            {
              expr: `rate(alertmanager_cluster_reconnections_failed_total{${S}}[${RATE}])`,
              legend: "{{instance}} reconnections failed",
            },
          ],
        }),
        timeseries({
          title: "Gossip queue",
          unit: "short",
          queries: [{ expr: `alertmanager_cluster_messages_queued{${S}}`, legend: "{{instance}}" }],
        }),
        timeseries({
          title: "HTTP API latency (p99)",
          unit: "s",
          queries: [
            {
              expr: `histogram_quantile(0.99, sum by (instance, handler, le) (rate(alertmanager_http_request_duration_seconds_bucket{${S}}[${RATE}])))`,
              legend: "{{instance}} {{handler}}",
            },
          ],
        }),
      ]),
    ],
  });
}

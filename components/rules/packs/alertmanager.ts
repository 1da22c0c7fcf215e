import { JOBS } from "../../../lib/jobs";
import { RulePack, sel } from "../model";

const S = sel(JOBS.alertmanager);
/** Labels that identify one Alertmanager cluster: all peers are scraped by one job. */
const CLUSTER = "job";
/** Integrations the shipped routes page through: a cluster-wide failure there is critical. */
export const CRITICAL_INTEGRATIONS = "pagerduty|slack";

/** Share of failed notifications per instance and integration (`reason` only splits the failures). */
function failureRatio(...matchers: string[]): string {
  const m = sel(JOBS.alertmanager, ...matchers);
  return `sum without (reason) (rate(alertmanager_notifications_failed_total{${m}}[15m])) / rate(alertmanager_notifications_total{${m}}[15m])`;
}

/** Alertmanager cluster self-monitoring. */
export function alertmanagerPack(): RulePack {
  return {
    name: "alertmanager",
    groups: [
      {
        name: "alertmanager.rules",
        rules: [
          {
            alert: "AlertmanagerFailedReload",
            expr: `max_over_time(alertmanager_config_last_reload_successful{${S}}[5m]) == 0`,
            for: "10m",
            severity: "critical",
            summary: "Reloading an Alertmanager configuration has failed.",
            description:
              "Configuration has failed to load for Alertmanager {{ $labels.instance }}; it keeps running the previous configuration.",
          },
          {
            alert: "AlertmanagerMembersInconsistent",
            expr: `max_over_time(alertmanager_cluster_members{${S}}[5m]) < on (${CLUSTER}) group_left () count by (${CLUSTER}) (max_over_time(alertmanager_cluster_members{${S}}[5m]))`,
            for: "15m",
            severity: "critical",
            summary: "An Alertmanager cluster member has not found all other cluster members.",
            description:
              "Alertmanager {{ $labels.instance }} sees only {{ $value }} members of its cluster ({{ $labels.job }}).",
          },
          {
            alert: "AlertmanagerClusterFailedPeers",
            expr: `max_over_time(alertmanager_cluster_failed_peers{${S}}[5m]) > 0`,
            for: "15m",
            severity: "warning",
            summary: "An Alertmanager instance has failed peers in its cluster.",
            description:
              "Alertmanager {{ $labels.instance }} has {{ $value }} failed peers in the {{ $labels.job }} cluster.",
          },
          {
            alert: "AlertmanagerFailedToSendAlerts",
            expr: `(${failureRatio()}) > 0.01`,
            for: "5m",
            severity: "warning",
            summary: "An Alertmanager instance failed to send notifications.",
            description:
              "Alertmanager {{ $labels.instance }} failed to send {{ $value | humanizePercentage }} of notifications to {{ $labels.integration }}.",
          },
          {
            alert: "AlertmanagerClusterFailedToSendAlerts",
            expr: `min by (${CLUSTER}, integration) (${failureRatio(`integration=~"${CRITICAL_INTEGRATIONS}"`)}) > 0.01`,
            for: "5m",
            severity: "critical",
            summary:
              "All Alertmanager instances in a cluster failed to send notifications to a critical integration.",
            description:
              "The minimum notification failure rate to {{ $labels.integration }} across the {{ $labels.job }} cluster is {{ $value | humanizePercentage }}.",
          },
          {
            alert: "AlertmanagerClusterFailedToSendAlerts",
            expr: `min by (${CLUSTER}, integration) (${failureRatio(`integration!~"${CRITICAL_INTEGRATIONS}"`)}) > 0.01`,
            for: "5m",
            severity: "warning",
            summary:
              "All Alertmanager instances in a cluster failed to send notifications to a non-critical integration.",
            description:
              "The minimum notification failure rate to {{ $labels.integration }} across the {{ $labels.job }} cluster is {{ $value | humanizePercentage }}.",
          },
          {
            alert: "AlertmanagerConfigInconsistent",
            expr: `count by (${CLUSTER}) (count_values by (${CLUSTER}) ("config_hash", alertmanager_config_hash{${S}})) != 1`,
            for: "20m",
            severity: "critical",
            summary: "Alertmanager instances within the same cluster have different configurations.",
            description:
              "Alertmanager instances of the {{ $labels.job }} cluster run {{ $value }} different configurations.",
          },
          {
            alert: "AlertmanagerClusterDown",
            expr: `(count by (${CLUSTER}) (avg_over_time(up{${S}}[5m]) < 0.5) / count by (${CLUSTER}) (up{${S}})) >= 0.5`,
            for: "5m",
            severity: "critical",
            summary: "Half or more of the Alertmanager instances within the same cluster are down.",
            description:
              "{{ $value | humanizePercentage }} of Alertmanager instances in the {{ $labels.job }} cluster have been up less than half of the last 5m.",
          },
          {
            alert: "AlertmanagerClusterCrashlooping",
            expr: `(count by (${CLUSTER}) (changes(process_start_time_seconds{${S}}[10m]) > 4) / count by (${CLUSTER}) (up{${S}})) >= 0.5`,
            for: "5m",
            severity: "critical",
            summary: "Half or more of the Alertmanager instances within the same cluster are crashlooping.",
            description:
              "{{ $value | humanizePercentage }} of Alertmanager instances in the {{ $labels.job }} cluster have restarted at least 5 times in the last 10m.",
          },
        ],
      },
    ],
  };
}

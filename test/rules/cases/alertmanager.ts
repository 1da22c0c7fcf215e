import { fires, RuleTestCase } from "./types";

const J = 'job="alertmanager"';
const inst = (i: number) => `${J}, instance="a${i}:9093"`;
const am = (i: number, severity: string, extra: Record<string, string> = {}) => ({
  job: "alertmanager",
  instance: `a${i}:9093`,
  ...extra,
  severity,
});

/** Notification counters of one instance and integration: `failedPerMin` of 100 per minute fail. */
function notifications(i: number, integration: string, failedPerMin: number): Record<string, string> {
  return {
    [`alertmanager_notifications_total{${inst(i)}, integration="${integration}"}`]: "0+100x40",
    [`alertmanager_notifications_failed_total{${inst(i)}, integration="${integration}", reason="serverError"}`]: `0+${failedPerMin}x40`,
    [`alertmanager_notifications_failed_total{${inst(i)}, integration="${integration}", reason="clientError"}`]:
      "0x40",
  };
}

export const alertmanagerCases: RuleTestCase[] = [
  {
    name: "a0 failed to reload its configuration",
    series: {
      [`alertmanager_config_last_reload_successful{${inst(0)}}`]: "0x30",
      [`alertmanager_config_last_reload_successful{${inst(1)}}`]: "1x30",
    },
    alerts: [
      { at: "5m", alert: "AlertmanagerFailedReload", expect: [] },
      {
        at: "20m",
        alert: "AlertmanagerFailedReload",
        expect: [
          fires(
            am(0, "critical"),
            "Reloading an Alertmanager configuration has failed.",
            "Configuration has failed to load for Alertmanager a0:9093; it keeps running the previous configuration.",
          ),
        ],
      },
    ],
  },
  {
    name: "a2 sees only two of three cluster members",
    series: {
      [`alertmanager_cluster_members{${inst(0)}}`]: "3x30",
      [`alertmanager_cluster_members{${inst(1)}}`]: "3x30",
      [`alertmanager_cluster_members{${inst(2)}}`]: "2x30",
    },
    alerts: [
      { at: "10m", alert: "AlertmanagerMembersInconsistent", expect: [] },
      {
        at: "20m",
        alert: "AlertmanagerMembersInconsistent",
        expect: [
          fires(
            am(2, "critical"),
            "An Alertmanager cluster member has not found all other cluster members.",
            "Alertmanager a2:9093 sees only 2 members of its cluster (alertmanager).",
          ),
        ],
      },
    ],
  },
  {
    name: "a complete cluster of three is consistent",
    series: {
      [`alertmanager_cluster_members{${inst(0)}}`]: "3x30",
      [`alertmanager_cluster_members{${inst(1)}}`]: "3x30",
      [`alertmanager_cluster_members{${inst(2)}}`]: "3x30",
    },
    alerts: [{ at: "25m", alert: "AlertmanagerMembersInconsistent", expect: [] }],
  },
  {
    name: "a0 fails 2% of Slack notifications, email is fine, the cluster as a whole delivers",
    series: {
      ...notifications(0, "slack", 2),
      ...notifications(0, "email", 0),
      ...notifications(1, "slack", 0),
    },
    alerts: [
      { at: "3m", alert: "AlertmanagerFailedToSendAlerts", expect: [] },
      {
        at: "20m",
        alert: "AlertmanagerFailedToSendAlerts",
        expect: [
          fires(
            am(0, "warning", { integration: "slack" }),
            "An Alertmanager instance failed to send notifications.",
            "Alertmanager a0:9093 failed to send 2% of notifications to slack.",
          ),
        ],
      },
      { at: "20m", alert: "AlertmanagerClusterFailedToSendAlerts", expect: [] },
    ],
  },
  {
    name: "every instance fails Slack (critical) and webhook (warning) notifications",
    series: {
      ...notifications(0, "slack", 2),
      ...notifications(1, "slack", 3),
      ...notifications(0, "webhook", 5),
      ...notifications(1, "webhook", 4),
      ...notifications(0, "email", 0),
      ...notifications(1, "email", 10),
    },
    alerts: [
      { at: "3m", alert: "AlertmanagerClusterFailedToSendAlerts", expect: [] },
      {
        at: "20m",
        alert: "AlertmanagerClusterFailedToSendAlerts",
        expect: [
          fires(
            { job: "alertmanager", integration: "slack", severity: "critical" },
            "All Alertmanager instances in a cluster failed to send notifications to a critical integration.",
            "The minimum notification failure rate to slack across the alertmanager cluster is 2%.",
          ),
          fires(
            { job: "alertmanager", integration: "webhook", severity: "warning" },
            "All Alertmanager instances in a cluster failed to send notifications to a non-critical integration.",
            "The minimum notification failure rate to webhook across the alertmanager cluster is 4%.",
          ),
        ],
      },
    ],
  },
  {
    name: "a2 runs a different configuration",
    series: {
      [`alertmanager_config_hash{${inst(0)}}`]: "111x40",
      [`alertmanager_config_hash{${inst(1)}}`]: "111x40",
      [`alertmanager_config_hash{${inst(2)}}`]: "222x40",
    },
    alerts: [
      { at: "10m", alert: "AlertmanagerConfigInconsistent", expect: [] },
      {
        at: "25m",
        alert: "AlertmanagerConfigInconsistent",
        expect: [
          fires(
            { job: "alertmanager", severity: "critical" },
            "Alertmanager instances within the same cluster have different configurations.",
            "Alertmanager instances of the alertmanager cluster run 2 different configurations.",
          ),
        ],
      },
    ],
  },
  {
    name: "all instances run one configuration",
    series: {
      [`alertmanager_config_hash{${inst(0)}}`]: "111x40",
      [`alertmanager_config_hash{${inst(1)}}`]: "111x40",
    },
    alerts: [{ at: "30m", alert: "AlertmanagerConfigInconsistent", expect: [] }],
  },
  {
    name: "two of three instances down: cluster down",
    series: {
      [`up{${inst(0)}}`]: "0x20",
      [`up{${inst(1)}}`]: "0x20",
      [`up{${inst(2)}}`]: "1x20",
    },
    alerts: [
      { at: "3m", alert: "AlertmanagerClusterDown", expect: [] },
      {
        at: "10m",
        alert: "AlertmanagerClusterDown",
        expect: [
          fires(
            { job: "alertmanager", severity: "critical" },
            "Half or more of the Alertmanager instances within the same cluster are down.",
            "66.67% of Alertmanager instances in the alertmanager cluster have been up less than half of the last 5m.",
          ),
        ],
      },
    ],
  },
  {
    name: "one of three instances down is not a cluster outage",
    series: { [`up{${inst(0)}}`]: "0x20", [`up{${inst(1)}}`]: "1x20", [`up{${inst(2)}}`]: "1x20" },
    alerts: [{ at: "15m", alert: "AlertmanagerClusterDown", expect: [] }],
  },
  {
    name: "two of three instances restart every minute: crashlooping",
    series: {
      [`process_start_time_seconds{${inst(0)}}`]: "0+60x30",
      [`process_start_time_seconds{${inst(1)}}`]: "0+60x30",
      [`process_start_time_seconds{${inst(2)}}`]: "0x30",
      [`up{${inst(0)}}`]: "1x30",
      [`up{${inst(1)}}`]: "1x30",
      [`up{${inst(2)}}`]: "1x30",
    },
    alerts: [
      { at: "8m", alert: "AlertmanagerClusterCrashlooping", expect: [] },
      {
        at: "15m",
        alert: "AlertmanagerClusterCrashlooping",
        expect: [
          fires(
            { job: "alertmanager", severity: "critical" },
            "Half or more of the Alertmanager instances within the same cluster are crashlooping.",
            "66.67% of Alertmanager instances in the alertmanager cluster have restarted at least 5 times in the last 10m.",
          ),
        ],
      },
    ],
  },
  {
    name: "one of three instances restarting is not a cluster crashloop",
    series: {
      [`process_start_time_seconds{${inst(0)}}`]: "0+60x30",
      [`process_start_time_seconds{${inst(1)}}`]: "0x30",
      [`process_start_time_seconds{${inst(2)}}`]: "0x30",
      [`up{${inst(0)}}`]: "1x30",
      [`up{${inst(1)}}`]: "1x30",
      [`up{${inst(2)}}`]: "1x30",
    },
    alerts: [{ at: "20m", alert: "AlertmanagerClusterCrashlooping", expect: [] }],
  },
  {
    name: "a0 cannot reach a failed peer; a1 sees none",
    series: {
      [`alertmanager_cluster_failed_peers{${inst(0)}}`]: "1x30",
      [`alertmanager_cluster_failed_peers{${inst(1)}}`]: "0x30",
    },
    alerts: [
      { at: "10m", alert: "AlertmanagerClusterFailedPeers", expect: [] },
      {
        at: "20m",
        alert: "AlertmanagerClusterFailedPeers",
        expect: [
          fires(
            am(0, "warning"),
            "An Alertmanager instance has failed peers in its cluster.",
            "Alertmanager a0:9093 has 1 failed peers in the alertmanager cluster.",
          ),
        ],
      },
    ],
  },
];

import type { RunbookGuides } from "../model";

const A = 'job="alertmanager"';

const logs =
  "Read the Alertmanager log: Kubernetes `kubectl -n <namespace> logs alertmanager-<n>`, Docker `docker logs monitoring-<stack>-alertmanager-0`.";

const failedNotifications = {
  diagnose: [
    `${logs} Lines \`Notify for alerts failed\` name the integration and receiver and carry the remote answer (401 / 403: a wrong or revoked key; 404: a deleted webhook or channel; 429: rate limited; timeouts: network egress).`,
    "*Notifications failed by integration* and *Notification requests failed by integration* show which integration fails and since when; a start at a deploy points to the config, a start out of nowhere to the provider or the credentials.",
    "Check the credential the receiver reads: secrets are files under `/etc/alertmanager/secrets` (Kubernetes Secret `alertmanager-secrets`), set from the Pulumi secrets the routing config names (`apiUrlSecret`, `routingKeySecret`, `urlSecret`, `authPasswordSecret`).",
    "Test delivery by hand: `amtool alert add alertname=Test severity=warning --alertmanager.url=http://<alertmanager>:9093` and watch the receiver.",
  ],
  queries: [
    {
      title: "Failure ratio per instance and integration",
      expr: `sum without (reason) (rate(alertmanager_notifications_failed_total{${A}}[15m])) / rate(alertmanager_notifications_total{${A}}[15m])`,
    },
    {
      title: "Failed requests per integration and reason",
      expr: `sum by (integration, reason) (rate(alertmanager_notifications_failed_total{${A}}[15m]))`,
    },
  ],
  panels: [
    { dashboard: "alertmanager-overview", panel: "Notifications failed by integration" },
    { dashboard: "alertmanager-overview", panel: "Notification requests failed by integration" },
    { dashboard: "alertmanager-overview", panel: "Notification latency by integration" },
  ],
  fix: [
    "Rotate or correct the credential: `pulumi config set --secret <key> <value>` for the key the receiver names, then `pulumi up` (the Secret changes and the Alertmanager pods roll).",
    "Recreate a deleted Slack webhook or PagerDuty integration and update its secret the same way.",
    "Allow egress from the Alertmanager pods to the provider (NetworkPolicy, proxy, NAT).",
  ],
};

export const alertmanagerRunbooks: RunbookGuides = {
  alertmanagerfailedreload: {
    meaning: "The last attempt of an Alertmanager to load its configuration failed, and has for 10 minutes.",
    impact:
      "That Alertmanager keeps routing with its previous configuration: a routing or receiver change is not in effect on it, and the cluster may disagree (AlertmanagerConfigInconsistent). A restart with the broken file would not start.",
    diagnose: [
      `${logs} \`Loading configuration file failed\` carries the parse error.`,
      "Check the rendered file with the same tool the tests use: `npm run plan -- <stack>` writes `alertmanager.yml` under `out/plan/<stack>/files/`; run `amtool check-config` on it.",
      "A secret file the config references (`*_file`) that is missing or empty also fails the load: check the mounted `/etc/alertmanager/secrets`.",
    ],
    queries: [
      {
        title: "Last reload successful (1) or not (0), per instance",
        expr: `alertmanager_config_last_reload_successful{${A}}`,
      },
    ],
    panels: [{ dashboard: "alertmanager-overview", panel: "Config reloaded" }],
    fix: [
      "Fix the routing config (`monitoring:alertmanager.routing`) or set the missing secret, then `pulumi up`; the stack validates routing before rendering, so a failure here is usually a missing secret or a template error.",
    ],
  },
  alertmanagermembersinconsistent: {
    meaning:
      "An Alertmanager has seen fewer cluster members than there are Alertmanagers in its job for 15 minutes: the gossip cluster is split or a peer cannot join.",
    impact:
      "Peers that do not gossip do not share silences or the notification log: notifications may be sent twice, and silences set on one peer do not hold on another.",
    diagnose: [
      `${logs} Look for memberlist errors (\`Failed to join\`, \`failed to resolve\`, timeouts to port 9094).`,
      "The peers find each other through the headless Service (`alertmanager-<n>.alertmanager-headless.<namespace>.svc:9094`, TCP and UDP): check that DNS resolves and the NetworkPolicy `alertmanager` allows 9094 TCP and UDP between the pods.",
      "Compare *Cluster members* per instance and *Gossip problems*.",
    ],
    queries: [
      { title: "Members each instance sees", expr: `alertmanager_cluster_members{${A}}` },
      { title: "Failed peers per instance", expr: `alertmanager_cluster_failed_peers{${A}}` },
    ],
    panels: [
      { dashboard: "alertmanager-overview", panel: "Cluster members" },
      { dashboard: "alertmanager-overview", panel: "Gossip problems" },
    ],
    fix: [
      "Fix DNS or the network path on 9094 TCP+UDP; restart a peer that stays alone (`kubectl -n <namespace> delete pod alertmanager-<n>`, the StatefulSet recreates it).",
    ],
  },
  alertmanagerfailedtosendalerts: {
    meaning:
      "One Alertmanager failed to send more than 1 % of its notifications to an integration (`integration` label) over 15 minutes, for 5 minutes.",
    impact:
      "Notifications through that integration are late or lost from this instance; other peers may still deliver them.",
    ...failedNotifications,
  },
  alertmanagerclusterfailedtosendalerts: {
    meaning:
      "Every Alertmanager of the cluster failed to send more than 1 % of its notifications to one integration over 15 minutes, for 5 minutes. Critical for the integrations the shipped routes page through (pagerduty, slack), warning for the others.",
    impact:
      "Notifications through that integration are not arriving from any peer: people who rely on it are not told about alerts.",
    ...failedNotifications,
  },
  alertmanagerconfiginconsistent: {
    meaning:
      "The Alertmanagers of one cluster have been running different configurations (by hash) for 20 minutes.",
    impact:
      "Alerts are routed differently depending on which peer handles them: some receivers may get alerts others do not.",
    diagnose: [
      "Compare `alertmanager_config_hash` per instance; one failing to reload (AlertmanagerFailedReload) keeps the old hash.",
      "On Kubernetes a rollout that is stuck leaves old and new pods side by side: `kubectl -n <namespace> rollout status statefulset/alertmanager`.",
    ],
    queries: [{ title: "Config hash per instance", expr: `alertmanager_config_hash{${A}}` }],
    panels: [{ dashboard: "alertmanager-overview", panel: "Config reloaded" }],
    fix: [
      "Fix the reload failure or finish the rollout (delete the pod that runs the old config so the StatefulSet recreates it).",
    ],
  },
  alertmanagerclusterdown: {
    meaning:
      "Half or more of the Alertmanagers of the cluster have been up less than half of the last 5 minutes, for 5 minutes.",
    impact:
      "Few or no peers left to receive and send alerts; with all of them down no notification goes out, and the dead man's switch stops receiving Watchdog.",
    diagnose: [
      "Kubernetes: `kubectl -n <namespace> get pods -l app.kubernetes.io/name=alertmanager -o wide` and `describe` the failing pods (scheduling, volume attach, OOMKilled, failing probes). Docker: `docker ps -a --filter name=monitoring-<stack>-alertmanager`.",
      `${logs}`,
    ],
    queries: [
      { title: "Alertmanager targets up", expr: `up{${A}}` },
      { title: "Share of time each was up over 5 minutes", expr: `avg_over_time(up{${A}}[5m])` },
    ],
    panels: [
      { dashboard: "alertmanager-overview", panel: "Cluster members" },
      { dashboard: "prometheus-overview", panel: "Targets up by job" },
    ],
    fix: [
      "Bring the pods back: fix the cause in their events (node capacity, a PVC that cannot attach in another zone, memory limit too low: `monitoring:alertmanager.resources`).",
    ],
  },
  alertmanagerclustercrashlooping: {
    meaning:
      "Half or more of the Alertmanagers of the cluster restarted at least 5 times in the last 10 minutes, for 5 minutes.",
    impact:
      "Peers keep losing in-memory state between restarts; with all of them looping, alerts are delayed or dropped.",
    diagnose: [
      "The log of the previous run says why: `kubectl -n <namespace> logs alertmanager-<n> --previous`; `kubectl describe pod` shows OOMKilled or a failing liveness probe.",
      "A configuration or secret file that breaks start-up makes every peer loop at once after a deploy.",
    ],
    queries: [
      { title: "Restarts in the last 10 minutes", expr: `changes(process_start_time_seconds{${A}}[10m])` },
    ],
    panels: [{ dashboard: "alertmanager-overview", panel: "Cluster members" }],
    fix: [
      "Roll back the change that started it (`pulumi up` of the previous config), or raise the memory limit if the pods are OOM-killed.",
    ],
  },
  alertmanagerclusterfailedpeers: {
    meaning:
      "An Alertmanager instance has counted at least one failed peer in its gossip cluster at some point in every 5-minute window for 15 minutes: a peer it knows about does not answer (memberlist marks it failed).",
    impact:
      "The failed peer gets no silences and notification-log updates from the others: if it is still running and receiving alerts, it may send duplicate notifications or ignore new silences. The cluster has lost part of its redundancy.",
    diagnose: [
      "On the *Cluster members* panel compare the member and failed-peer counts per instance: one instance seeing failures points at that instance's network; all seeing the same peer failed points at the peer.",
      "Read the instance's log (`kubectl -n <namespace> logs alertmanager-<n>`, Docker `docker logs monitoring-<stack>-alertmanager-<n>`): memberlist logs `Suspect` and `Marking ... as failed` with the peer's address.",
      "Check that the peer pods are running and that the gossip port (9094, TCP and UDP) is reachable between them: the NetworkPolicy `alertmanager` admits the peers, and the headless Service `alertmanager-headless` must resolve to every pod.",
    ],
    queries: [
      { title: "Failed peers per instance", expr: 'alertmanager_cluster_failed_peers{job="alertmanager"}' },
      { title: "Members each instance sees", expr: 'alertmanager_cluster_members{job="alertmanager"}' },
    ],
    panels: [
      { dashboard: "alertmanager-overview", panel: "Cluster members" },
      { dashboard: "alertmanager-overview", panel: "Gossip problems" },
    ],
    fix: [
      "Bring the failed peer back (or let its StatefulSet recreate it); a peer removed for good is forgotten after memberlist's reap interval.",
      "Fix the network path of port 9094 (UDP as well as TCP) between the pods if every peer is running.",
    ],
  },
};

import type { RunbookGuides } from "../model";

/** Runbooks of the `general` pack (packs/general.ts). */
export const generalRunbooks: RunbookGuides = {
  targetdown: {
    meaning:
      "More than 10 % of the scrape targets of one job (per namespace and service where discovery sets them) have answered no scrape (`up == 0`) for 10 minutes. `up` is written by Prometheus itself for every target on every scrape: 0 means the connection failed, timed out, or the response was not valid exposition format.",
    impact:
      "Every metric of the down targets is missing, so the alerts built on them (node, container, Alertmanager or service alerts) cannot fire for those targets, and dashboards show gaps. A target that is down because its process is down is also an outage of that process.",
    diagnose: [
      "Open Prometheus → *Status → Targets* (`/targets`), filter on the job named in the alert and read the *Error* column: `connection refused` (the process is not listening), `context deadline exceeded` (slower than `scrape_timeout`), `server returned HTTP status 401/403` (auth), `no such host` (DNS / discovery).",
      "Check that the target process runs. Kubernetes: `kubectl -n <namespace> get pods -o wide` and `kubectl -n <namespace> describe pod <pod>` for restarts and failing probes. Docker (dev): `docker ps -a --filter name=monitoring-<stack>` and `docker logs <container>`.",
      "From the Prometheus container, fetch the target's metrics path by hand (`wget -qO- http://<target>/metrics | head`) to separate a network or NetworkPolicy problem from a broken exporter.",
      "If only some replicas of a job are down, compare their nodes: a whole node down shows every job on it down at once (node-exporter and cAdvisor included).",
    ],
    queries: [
      { title: "Targets down right now, by job and instance", expr: "up == 0" },
      {
        title: "Share of down targets per job (what the alert computes)",
        expr: "100 * (count by (job, namespace, service) (up == 0) / count by (job, namespace, service) (up))",
      },
      {
        title: "How long scrapes take per job (near scrape_timeout means timeouts)",
        expr: "max by (job) (scrape_duration_seconds)",
      },
    ],
    panels: [
      { dashboard: "prometheus-overview", panel: "Targets down" },
      { dashboard: "prometheus-overview", panel: "Targets up by job" },
      { dashboard: "prometheus-overview", panel: "Scrape duration by job" },
    ],
    fix: [
      "Restart or fix the target process (its logs say why it stopped); on Kubernetes fix the failing probe or resource limit that keeps restarting it.",
      "For timeouts, make the exporter faster (disable expensive collectors) or raise that job's `scrapeInterval` in `monitoring:prometheus.extraScrapeJobs` (the timeout follows the interval).",
      "For a target that no longer exists, remove it from `monitoring:prometheus.extraScrapeJobs` (Docker) or from its Service / annotations (Kubernetes) rather than silencing the alert.",
      "For a NetworkPolicy or firewall block, allow Prometheus's pods to reach the target port; the stack's own NetworkPolicies admit Prometheus to the exporters it ships.",
    ],
  },
  watchdog: {
    meaning:
      "This alert always fires (`vector(1)`). It exists so that its *absence* means something: it is routed only to the dead man's switch receiver (`monitoring:alertmanager.routing.watchdog`), which expects a notification every interval. Seeing it firing in Prometheus or Alertmanager is normal.",
    impact:
      "None while it fires. When the dead man's switch stops receiving it, the alerting pipeline is broken somewhere (Prometheus down, rules not loaded, Alertmanager down or unreachable, notifications failing) and no other alert will reach anyone either.",
    diagnose: [
      "If you were paged by the heartbeat service (it stopped hearing from the stack): check in order that Prometheus is up and evaluating rules, that it is connected to Alertmanager, and that Alertmanager can send to the heartbeat URL.",
      "Prometheus: *Alerts* page (`/alerts`) shows Watchdog firing; if not, the rule files are not loaded (see PrometheusBadConfig, PrometheusRuleFailures).",
      "Alertmanager: `amtool --alertmanager.url=http://<alertmanager>:9093 alert query alertname=Watchdog` must list it; `amtool config routes test --config.file=alertmanager.yml alertname=Watchdog severity=none` must print the dead man's switch receiver.",
      "Notifications: the *Notifications failed by integration* panel shows whether the webhook integration to the heartbeat service fails.",
    ],
    queries: [
      {
        title: "Watchdog as Prometheus sees it (one series per replica before deduplication)",
        expr: 'ALERTS{alertname="Watchdog"}',
      },
      {
        title: "Prometheus knows at least one Alertmanager",
        expr: 'prometheus_notifications_alertmanagers_discovered{job="prometheus"}',
      },
      {
        title: "Webhook notifications failing (the heartbeat integration)",
        expr: 'rate(alertmanager_notifications_failed_total{job="alertmanager", integration="webhook"}[15m])',
      },
    ],
    panels: [
      { dashboard: "alertmanager-overview", panel: "Active alerts" },
      { dashboard: "alertmanager-overview", panel: "Notifications failed by integration" },
      { dashboard: "prometheus-overview", panel: "Alertmanagers discovered" },
    ],
    fix: [
      "Never silence Watchdog: a silence stops the heartbeat and the dead man's switch will page.",
      "Fix whatever part of the pipeline the diagnosis found broken (Prometheus, rules, Alertmanager, the webhook URL in the `alertmanagerHeartbeatUrl` secret).",
      "If the heartbeat service pages while everything here looks healthy, compare its expected interval with `watchdog.interval` (default 1m): the heartbeat must allow at least two intervals of slack.",
    ],
  },
  infoinhibitor: {
    meaning:
      "Fires while an `info` alert is firing in a namespace where no `warning` or `critical` alert fires. Alertmanager uses it as an inhibition source so that info alerts stay quiet unless something more serious happens beside them. It is only rendered when `infoInhibitor` is switched on.",
    impact: "None by itself; it must be routed nowhere (severity `none` goes to a null receiver).",
    diagnose: [
      "If it reached a person, the route tree sends severity `none` to a real receiver: check with `amtool config routes test --config.file=alertmanager.yml alertname=InfoInhibitor severity=none`.",
      "To see which info alerts it stands for, list the info alerts firing in that namespace.",
    ],
    queries: [
      {
        title: "Info alerts firing, by namespace",
        expr: 'count by (namespace, alertname) (ALERTS{severity="info", alertstate="firing"})',
      },
    ],
    panels: [{ dashboard: "alertmanager-overview", panel: "Suppressed alerts" }],
    fix: [
      "Route `alertname=InfoInhibitor` to a receiver that notifies nobody (before the severity routes) and keep the inhibit rule that uses it as a source.",
    ],
  },
};

import { AlertRule, RulePack } from "../model";

/**
 * General alerts: scrape targets down, and the always-firing Watchdog that proves the whole
 * alerting pipeline (Prometheus -> Alertmanager -> dead-man's-switch receiver) works.
 */
export function generalPack(options: { infoInhibitor: boolean }): RulePack {
  const rules: AlertRule[] = [
    {
      alert: "TargetDown",
      // Share of down targets per job (and namespace/service where discovery sets them; absent labels
      // simply group together on the Docker platform).
      expr: `100 * (count by (job, namespace, service) (up == 0) / count by (job, namespace, service) (up)) > 10`,
      for: "10m",
      severity: "warning",
      summary: "One or more scrape targets are down.",
      description:
        '{{ printf "%.4g" $value }}% of the {{ $labels.job }}{{ with $labels.service }}/{{ . }}{{ end }} targets{{ with $labels.namespace }} in namespace {{ . }}{{ end }} are down.',
    },
    {
      alert: "Watchdog",
      expr: "vector(1)",
      severity: "none",
      summary: "Alerting pipeline heartbeat; always firing.",
      description:
        "This alert always fires so that its absence at the dead-man's-switch receiver shows the alerting pipeline is broken. It is routed to the heartbeat receiver only.",
    },
  ];
  if (options.infoInhibitor) {
    rules.push({
      alert: "InfoInhibitor",
      expr: `ALERTS{severity="info"} == 1 unless on (namespace) ALERTS{alertname!="InfoInhibitor", severity=~"warning|critical", alertstate="firing"} == 1`,
      severity: "none",
      summary: "Info-level alert inhibition.",
      description:
        "Fires while an info alert is firing in the {{ $labels.namespace }} namespace without a warning or critical alert beside it; Alertmanager uses it to inhibit the info alerts. Route it nowhere.",
    });
  }
  return { name: "general", groups: [{ name: "general.rules", rules }] };
}

/**
 * Scrape job names shared by the Prometheus config, the rule packs and the dashboards.
 * Rules select on `job`, so the names live in one place.
 */
export const JOBS = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  nodeExporter: "node-exporter",
  cadvisor: "cadvisor",
  grafana: "grafana",
} as const;

/** External label that tells the two replicas of an HA Prometheus pair apart; dropped on alerts. */
export const PROMETHEUS_REPLICA_LABEL = "prometheus_replica";

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
  /** kube-state-metrics' object metrics (Kubernetes only). */
  kubeStateMetrics: "kube-state-metrics",
  /** kube-state-metrics' own telemetry (list/watch results against the API server). */
  kubeStateMetricsTelemetry: "kube-state-metrics-telemetry",
  /** The kubelets' own /metrics (volume stats), one target per node (Kubernetes only). */
  kubelet: "kubelet",
} as const;

/** External label that tells the two replicas of an HA Prometheus pair apart; dropped on alerts. */
export const PROMETHEUS_REPLICA_LABEL = "prometheus_replica";

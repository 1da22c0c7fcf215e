/**
 * Images every stack runs unless its config pins another. Each section's other per-environment
 * defaults live with the section (stacks/sections/).
 */

/**
 * Images pinned to current supported releases (checked 2026-11-28). The integration tests run Debian's
 * builds of Prometheus 3.5.3, Alertmanager 0.33.1 and node-exporter 1.11.1 on the rendered configs, so
 * the configs use nothing newer than those understand (see the README's "Images" section).
 * - Prometheus 3.13 is the LTS line (3.5 LTS support ended 2026-07-31; 3.13 is supported to July 2027).
 * - cAdvisor publishes to ghcr.io/google/cadvisor from v0.53 on (gcr.io/cadvisor gets no new tags); the
 *   security pack's registry allowlist must include "ghcr.io/google" for it (it matches hosts and path
 *   prefixes followed by "/", not a whole repository name).
 */
export const IMAGES = {
  prometheus: "quay.io/prometheus/prometheus:v3.13.4",
  alertmanager: "quay.io/prometheus/alertmanager:v0.34.1",
  nodeExporter: "quay.io/prometheus/node-exporter:v1.12.1",
  cadvisor: "ghcr.io/google/cadvisor:v0.60.5",
  grafana: "docker.io/grafana/grafana:13.2.3",
  /** Service packs' exporters (monitoring:packs), same upstream versions as the live test's Debian builds. */
  redisExporter: "docker.io/oliver006/redis_exporter:v1.86.0",
  postgresExporter: "quay.io/prometheuscommunity/postgres-exporter:v0.19.1",
  // One Elastic release for all four (README: "Logging"): the 9.x line, not 8.19, whose end of life is
  // July 2027. Kibana refuses an Elasticsearch of another version, so they move together.
  elasticsearch: "docker.elastic.co/elasticsearch/elasticsearch:9.5.6",
  logstash: "docker.elastic.co/logstash/logstash:9.5.6",
  kibana: "docker.elastic.co/kibana/kibana:9.5.6",
  filebeat: "docker.elastic.co/beats/filebeat:9.5.6",
  /** The version Debian ships as prometheus-elasticsearch-exporter (its metric names are tested against it). */
  elasticsearchExporter: "quay.io/prometheuscommunity/elasticsearch-exporter:v1.10.0",
  // v2.20.0 (2026-08-16) is the current release, built with client-go v0.36 (Kubernetes 1.36); the
  // clusters it supports are client-go's (kube-state-metrics README, "Compatibility matrix").
  kubeStateMetrics: "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.20.0",
} as const;

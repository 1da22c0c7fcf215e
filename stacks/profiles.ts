/**
 * Images every stack runs unless its config pins another. Each section's other per-environment
 * defaults live with the section (stacks/sections/).
 */

/** Images pinned to the versions the integration tests run (Debian's builds of the same upstream tags). */
export const IMAGES = {
  prometheus: "quay.io/prometheus/prometheus:v3.5.3",
  alertmanager: "quay.io/prometheus/alertmanager:v0.33.1",
  nodeExporter: "quay.io/prometheus/node-exporter:v1.11.1",
  cadvisor: "gcr.io/cadvisor/cadvisor:v0.52.1",
  grafana: "docker.io/grafana/grafana:12.2.1",
  /** Service packs' exporters (monitoring:packs), same upstream versions as the live test's Debian builds. */
  redisExporter: "docker.io/oliver006/redis_exporter:v1.86.0",
  postgresExporter: "quay.io/prometheuscommunity/postgres-exporter:v0.19.1",
} as const;

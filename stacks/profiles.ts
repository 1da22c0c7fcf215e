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
  // One Elastic release for all four (README: "Logging"): the 9.x line, not 8.19, whose end of life is
  // July 2027. Kibana refuses an Elasticsearch of another version, so they move together.
  elasticsearch: "docker.elastic.co/elasticsearch/elasticsearch:9.5.6",
  logstash: "docker.elastic.co/logstash/logstash:9.5.6",
  kibana: "docker.elastic.co/kibana/kibana:9.5.6",
  filebeat: "docker.elastic.co/beats/filebeat:9.5.6",
  /** The version Debian ships as prometheus-elasticsearch-exporter (its metric names are tested against it). */
  elasticsearchExporter: "quay.io/prometheuscommunity/elasticsearch-exporter:v1.10.0",
} as const;

/**
 * Alerts on the logging stack (pure): Elasticsearch cluster health, missing nodes, unassigned shards,
 * heap pressure, disk use against the cluster's own watermarks before the flood stage (where
 * Elasticsearch makes indices read-only), and the end-to-end check that a service's logs still arrive.
 * Metric names are those of elasticsearch_exporter 1.10 (collector/cluster_health.go, nodes.go,
 * cluster_settings.go, indices.go), checked against Debian's binary by test/logging.
 */
import type { RulePack } from "../../rules/model";
import { LOGGING_WORKLOADS } from "../names";

const J = `job="${LOGGING_WORKLOADS.exporter}"`;
const BY = "es_cluster";
/** Used share of each node's data path. */
const DISK_USED = `(1 - elasticsearch_filesystem_data_available_bytes{${J}} / elasticsearch_filesystem_data_size_bytes{${J}})`;
const HEAP = `(elasticsearch_jvm_memory_used_bytes{${J}, area="heap"} / elasticsearch_jvm_memory_max_bytes{${J}, area="heap"})`;
/** Backing index `.ds-logs-<dataset>-<namespace>-<yyyy.MM.dd>-<generation>` -> its data stream. */
const DATA_STREAM_OF_INDEX = String.raw`\\.ds-(.+)-\\d{4}\\.\\d{2}\\.\\d{2}-\\d+`;
export const INDEXED_RATE = "logging:data_stream_indexed_docs:rate15m";

export function loggingPack(i: { nodes: number }): RulePack {
  return {
    name: "elasticsearch",
    groups: [
      {
        name: "elasticsearch.rules",
        rules: [
          {
            alert: "ElasticsearchClusterRed",
            expr: `max by (${BY}) (elasticsearch_cluster_health_status{${J}, color="red"}) == 1`,
            for: "5m",
            severity: "critical",
            summary: "An Elasticsearch cluster is red: some primary shards are unassigned.",
            description:
              "Cluster {{ $labels.es_cluster }} is red: data of the affected indices cannot be searched and new logs for them are refused.",
          },
          {
            alert: "ElasticsearchClusterYellow",
            expr: `max by (${BY}) (elasticsearch_cluster_health_status{${J}, color="yellow"}) == 1`,
            // Yellow is normal for minutes while a node restarts (rolling updates).
            for: "30m",
            severity: "warning",
            summary:
              "An Elasticsearch cluster has been yellow for 30 minutes: replica shards are unassigned.",
            description: "Cluster {{ $labels.es_cluster }} is yellow: one more node failure may lose data.",
          },
          {
            alert: "ElasticsearchNodesMissing",
            expr: `max by (${BY}) (elasticsearch_cluster_health_number_of_nodes{${J}}) < ${i.nodes}`,
            for: "5m",
            severity: "warning",
            summary: "An Elasticsearch cluster has fewer nodes than it should.",
            description: `Cluster {{ $labels.es_cluster }} has {{ $value }} of ${i.nodes} nodes.`,
          },
          {
            alert: "ElasticsearchUnassignedShards",
            // Shards of a restarting node wait `delayed_timeout` before reallocation: those are expected.
            expr: `max by (${BY}) (elasticsearch_cluster_health_unassigned_shards{${J}} - elasticsearch_cluster_health_delayed_unassigned_shards{${J}}) > 0`,
            for: "15m",
            severity: "warning",
            summary: "Elasticsearch has had unassigned shards for 15 minutes.",
            description:
              "Cluster {{ $labels.es_cluster }} has {{ $value }} unassigned shards that are not waiting for a node to return.",
          },
          {
            alert: "ElasticsearchHeapPressure",
            // The lowest point over the window: garbage collection no longer brings the heap down.
            expr: `min_over_time(${HEAP}[15m:1m]) > 0.85`,
            severity: "warning",
            summary: "An Elasticsearch node's heap stays above 85% after garbage collection.",
            description:
              "Node {{ $labels.name }} of {{ $labels.es_cluster }} has not dropped below {{ $value | humanizePercentage }} heap use in 15 minutes.",
          },
          {
            alert: "ElasticsearchHeapPressure",
            expr: `min_over_time(${HEAP}[5m:1m]) > 0.95`,
            severity: "critical",
            summary:
              "An Elasticsearch node's heap stays above 95%: it is about to fail with out-of-memory errors.",
            description:
              "Node {{ $labels.name }} of {{ $labels.es_cluster }} has not dropped below {{ $value | humanizePercentage }} heap use in 5 minutes.",
          },
          {
            alert: "ElasticsearchDiskAboveHighWatermark",
            expr: `${DISK_USED} > on (job, instance) group_left () elasticsearch_clustersettings_allocation_watermark_high_ratio{${J}}`,
            for: "5m",
            severity: "warning",
            summary: "An Elasticsearch node's disk is above the high watermark: shards are moved off it.",
            description:
              "Node {{ $labels.name }} of {{ $labels.es_cluster }} uses {{ $value | humanizePercentage }} of {{ $labels.path }}; above the high watermark Elasticsearch relocates shards away and allocates none there.",
          },
          {
            alert: "ElasticsearchDiskNearFloodStage",
            expr: `${DISK_USED} > on (job, instance) group_left () (elasticsearch_clustersettings_allocation_watermark_flood_stage_ratio{${J}} - 0.02)`,
            for: "5m",
            severity: "critical",
            summary:
              "An Elasticsearch node's disk is within 2% of the flood stage, where its indices become read-only.",
            description:
              "Node {{ $labels.name }} of {{ $labels.es_cluster }} uses {{ $value | humanizePercentage }} of {{ $labels.path }}; at the flood stage every index with a shard there stops accepting logs.",
          },
        ],
      },
      {
        name: "logging.arrival",
        rules: [
          {
            record: INDEXED_RATE,
            expr: `sum by (data_stream) (label_replace(rate(elasticsearch_index_stats_indexing_index_total{${J}, index=~"\\\\.ds-logs-.+"}[15m]), "data_stream", "$1", "index", "${DATA_STREAM_OF_INDEX}"))`,
          },
          {
            alert: "LogsStoppedArriving",
            // A stream that received logs in the last day and none for 30 minutes (15m rate + 15m for).
            expr: `label_replace(${INDEXED_RATE} == 0 and on (data_stream) max_over_time(${INDEXED_RATE}[1d]) > 0, "service", "$1", "data_stream", "logs-(.+)-[^-]+")`,
            for: "15m",
            severity: "warning",
            summary: "A service's logs have stopped arriving in Elasticsearch.",
            description:
              "No log of {{ $labels.service }} has been indexed into {{ $labels.data_stream }} for 30 minutes, although it had logs in the last day: the service, Filebeat, Logstash or Elasticsearch may be failing.",
          },
        ],
      },
    ],
  };
}

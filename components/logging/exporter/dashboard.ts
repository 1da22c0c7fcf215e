/**
 * Logging / Elasticsearch: cluster health, nodes and shards, heap and disk against the watermarks, and
 * logs indexed per data stream (what LogsStoppedArriving watches).
 */
import {
  dashboard,
  datasourceVariable,
  queryVariable,
  row,
  stat,
  thresholds,
  timeseries,
  type DashboardModel,
} from "../../grafana/dashboards/builder";
import { clusterVariable, STACK_TAG, stackLinks } from "../../grafana/dashboards/common";
import { LOGGING_WORKLOADS } from "../names";
import { INDEXED_RATE } from "./rules";

export const ELASTICSEARCH_DASHBOARD_UID = "logging-elasticsearch";

const S = `cluster=~"$cluster", job="${LOGGING_WORKLOADS.exporter}", es_cluster=~"$es_cluster"`;

export function elasticsearchDashboard(): DashboardModel {
  return dashboard({
    uid: ELASTICSEARCH_DASHBOARD_UID,
    title: "Logging / Elasticsearch",
    description:
      "The log store: cluster health, shards, heap and disk per node, logs indexed per data stream.",
    tags: [STACK_TAG, "logging", "elasticsearch"],
    links: stackLinks(),
    variables: [
      datasourceVariable(),
      clusterVariable(),
      queryVariable({
        name: "es_cluster",
        label: "Elasticsearch cluster",
        query: `label_values(elasticsearch_cluster_health_status{cluster=~"$cluster"}, es_cluster)`,
        multi: true,
        includeAll: true,
        allValue: ".*",
      }),
    ],
    rows: [
      row("Cluster", [
        stat({
          title: "Health",
          description: "0 green, 1 yellow (replicas unassigned), 2 red (primaries unassigned).",
          unit: "none",
          thresholds: thresholds("green", [1, "orange"], [2, "red"]),
          queries: [
            {
              expr: `max by (es_cluster) (elasticsearch_cluster_health_status{${S}, color="yellow"} + 2 * elasticsearch_cluster_health_status{${S}, color="red"})`,
              legend: "{{es_cluster}}",
            },
          ],
        }),
        stat({
          title: "Nodes",
          unit: "short",
          queries: [
            {
              expr: `max by (es_cluster) (elasticsearch_cluster_health_number_of_nodes{${S}})`,
              legend: "{{es_cluster}}",
            },
          ],
        }),
        stat({
          title: "Unassigned shards",
          unit: "short",
          thresholds: thresholds("green", [1, "orange"]),
          queries: [
            {
              expr: `max by (es_cluster) (elasticsearch_cluster_health_unassigned_shards{${S}})`,
              legend: "{{es_cluster}}",
            },
          ],
        }),
        stat({
          title: "Active shards",
          unit: "short",
          queries: [
            {
              expr: `max by (es_cluster) (elasticsearch_cluster_health_active_shards{${S}})`,
              legend: "{{es_cluster}}",
            },
          ],
        }),
      ]),
      row("Nodes", [
        timeseries({
          title: "Heap used",
          description: "Alerts fire when the lowest point over 15 minutes stays above 85%.",
          unit: "percentunit",
          min: 0,
          max: 1,
          thresholds: thresholds("green", [0.85, "orange"], [0.95, "red"]),
          showThresholds: "dashed",
          queries: [
            {
              expr: `elasticsearch_jvm_memory_used_bytes{${S}, area="heap"} / elasticsearch_jvm_memory_max_bytes{${S}, area="heap"}`,
              legend: "{{name}}",
            },
          ],
        }),
        timeseries({
          title: "Disk used and watermarks",
          description: "Each node's data path against the cluster's high and flood-stage watermarks.",
          unit: "percentunit",
          min: 0,
          max: 1,
          queries: [
            {
              expr: `1 - elasticsearch_filesystem_data_available_bytes{${S}} / elasticsearch_filesystem_data_size_bytes{${S}}`,
              legend: "{{name}} {{path}}",
            },
            {
              expr: `max(elasticsearch_clustersettings_allocation_watermark_high_ratio{cluster=~"$cluster", job="${LOGGING_WORKLOADS.exporter}"})`,
              legend: "high watermark",
            },
            {
              expr: `max(elasticsearch_clustersettings_allocation_watermark_flood_stage_ratio{cluster=~"$cluster", job="${LOGGING_WORKLOADS.exporter}"})`,
              legend: "flood stage",
            },
          ],
        }),
      ]),
      row("Logs", [
        timeseries({
          title: "Logs indexed per data stream",
          description: "Documents per second into each log data stream (15-minute rate).",
          unit: "ops",
          queries: [{ expr: `${INDEXED_RATE}{cluster=~"$cluster"}`, legend: "{{data_stream}}" }],
          width: 24,
        }),
      ]),
    ],
  });
}

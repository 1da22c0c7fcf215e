/**
 * The logging rules under the real promtool: `check rules`, and `test rules` with a case where each
 * alert fires and one where it stays silent.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loggingPack } from "../../components/logging/exporter/rules";
import { alertRules } from "../../components/rules/model";
import { renderRuleFile } from "../../components/rules/render";
import { fires, type RuleTestCase } from "../rules/cases/types";
import { promtool, RUNBOOK_BASE, tempDir, writePackWithTests } from "../rules/harness";

const PACK = loggingPack({ nodes: 3 });
const J = 'job="elasticsearch-exporter", instance="exporter:9114"';
const CL = `${J}, es_cluster="logs"`;
const node = (name: string) => `${CL}, name="${name}"`;
const at = (severity: string, extra: Record<string, string> = {}) => ({
  es_cluster: "logs",
  ...extra,
  severity,
});
const onNode = (name: string, severity: string, extra: Record<string, string> = {}) => ({
  job: "elasticsearch-exporter",
  instance: "exporter:9114",
  es_cluster: "logs",
  name,
  ...extra,
  severity,
});

const CASES: RuleTestCase[] = [
  {
    name: "red for 10 minutes fires; yellow for 20 minutes does not yet",
    series: {
      [`elasticsearch_cluster_health_status{${CL}, color="red"}`]: "0x2 1x20",
      [`elasticsearch_cluster_health_status{${CL}, color="yellow"}`]: "1x20",
    },
    alerts: [
      { at: "4m", alert: "ElasticsearchClusterRed", expect: [] },
      {
        at: "12m",
        alert: "ElasticsearchClusterRed",
        expect: [
          fires(
            at("critical"),
            "An Elasticsearch cluster is red: some primary shards are unassigned.",
            "Cluster logs is red: data of the affected indices cannot be searched and new logs for them are refused.",
          ),
        ],
      },
      { at: "20m", alert: "ElasticsearchClusterYellow", expect: [] },
    ],
  },
  {
    name: "yellow for 40 minutes fires",
    series: { [`elasticsearch_cluster_health_status{${CL}, color="yellow"}`]: "1x45" },
    alerts: [
      {
        at: "40m",
        alert: "ElasticsearchClusterYellow",
        expect: [
          fires(
            at("warning"),
            "An Elasticsearch cluster has been yellow for 30 minutes: replica shards are unassigned.",
            "Cluster logs is yellow: one more node failure may lose data.",
          ),
        ],
      },
    ],
  },
  {
    name: "two of three nodes fires; three stays silent",
    series: {
      [`elasticsearch_cluster_health_number_of_nodes{${CL}}`]: "3x5 2x15",
      [`elasticsearch_cluster_health_number_of_nodes{${J}, es_cluster="other"}`]: "3x20",
    },
    alerts: [
      { at: "5m", alert: "ElasticsearchNodesMissing", expect: [] },
      {
        at: "15m",
        alert: "ElasticsearchNodesMissing",
        expect: [
          fires(
            at("warning"),
            "An Elasticsearch cluster has fewer nodes than it should.",
            "Cluster logs has 2 of 3 nodes.",
          ),
        ],
      },
    ],
  },
  {
    name: "unassigned shards that wait for their node stay silent; others fire after 15 minutes",
    series: {
      [`elasticsearch_cluster_health_unassigned_shards{${CL}}`]: "5x40",
      [`elasticsearch_cluster_health_delayed_unassigned_shards{${CL}}`]: "5x10 0x30",
    },
    alerts: [
      { at: "10m", alert: "ElasticsearchUnassignedShards", expect: [] },
      { at: "20m", alert: "ElasticsearchUnassignedShards", expect: [] },
      {
        at: "30m",
        alert: "ElasticsearchUnassignedShards",
        expect: [
          fires(
            at("warning"),
            "Elasticsearch has had unassigned shards for 15 minutes.",
            "Cluster logs has 5 unassigned shards that are not waiting for a node to return.",
          ),
        ],
      },
    ],
  },
  {
    name: "heap that garbage collection brings down stays silent",
    series: {
      [`elasticsearch_jvm_memory_used_bytes{${node("es-0")}, area="heap"}`]:
        "900 600 900 600 900 600 900 600 900 600 900 600 900 600 900 600 900 600 900 600",
      [`elasticsearch_jvm_memory_max_bytes{${node("es-0")}, area="heap"}`]: "1000x20",
    },
    alerts: [{ at: "18m", alert: "ElasticsearchHeapPressure", expect: [] }],
  },
  {
    name: "heap stuck at 90% warns, at 97% is critical too",
    series: {
      [`elasticsearch_jvm_memory_used_bytes{${node("es-0")}, area="heap"}`]:
        "900 600 900 600 900 600 900 600 900 600 900 600 900 600 900 600 900 600 900 600",
      [`elasticsearch_jvm_memory_max_bytes{${node("es-0")}, area="heap"}`]: "1000x20",
      [`elasticsearch_jvm_memory_used_bytes{${node("es-1")}, area="heap"}`]: "900x20",
      [`elasticsearch_jvm_memory_max_bytes{${node("es-1")}, area="heap"}`]: "1000x20",
      [`elasticsearch_jvm_memory_used_bytes{${node("es-2")}, area="heap"}`]: "970x20",
      [`elasticsearch_jvm_memory_max_bytes{${node("es-2")}, area="heap"}`]: "1000x20",
    },
    alerts: [
      {
        at: "18m",
        alert: "ElasticsearchHeapPressure",
        expect: [
          fires(
            onNode("es-1", "warning", { area: "heap" }),
            "An Elasticsearch node's heap stays above 85% after garbage collection.",
            "Node es-1 of logs has not dropped below 90% heap use in 15 minutes.",
          ),
          fires(
            onNode("es-2", "warning", { area: "heap" }),
            "An Elasticsearch node's heap stays above 85% after garbage collection.",
            "Node es-2 of logs has not dropped below 97% heap use in 15 minutes.",
          ),
          fires(
            onNode("es-2", "critical", { area: "heap" }),
            "An Elasticsearch node's heap stays above 95%: it is about to fail with out-of-memory errors.",
            "Node es-2 of logs has not dropped below 97% heap use in 5 minutes.",
          ),
        ],
      },
    ],
  },
  {
    name: "disk above the high watermark warns; within 2% of the flood stage is critical; below stays silent",
    series: {
      [`elasticsearch_clustersettings_allocation_watermark_high_ratio{${J}}`]: "0.9x20",
      [`elasticsearch_clustersettings_allocation_watermark_flood_stage_ratio{${J}}`]: "0.95x20",
      [`elasticsearch_filesystem_data_size_bytes{${node("es-0")}, path="/data"}`]: "100x20",
      [`elasticsearch_filesystem_data_available_bytes{${node("es-0")}, path="/data"}`]: "20x20",
      [`elasticsearch_filesystem_data_size_bytes{${node("es-1")}, path="/data"}`]: "100x20",
      [`elasticsearch_filesystem_data_available_bytes{${node("es-1")}, path="/data"}`]: "8x20",
      [`elasticsearch_filesystem_data_size_bytes{${node("es-2")}, path="/data"}`]: "100x20",
      [`elasticsearch_filesystem_data_available_bytes{${node("es-2")}, path="/data"}`]: "6x20",
    },
    alerts: [
      { at: "3m", alert: "ElasticsearchDiskAboveHighWatermark", expect: [] },
      { at: "3m", alert: "ElasticsearchDiskNearFloodStage", expect: [] },
      {
        at: "10m",
        alert: "ElasticsearchDiskAboveHighWatermark",
        expect: ["es-1", "es-2"].map((n, i) =>
          fires(
            onNode(n, "warning", { path: "/data" }),
            "An Elasticsearch node's disk is above the high watermark: shards are moved off it.",
            `Node ${n} of logs uses ${["92%", "94%"][i]} of /data; above the high watermark Elasticsearch relocates shards away and allocates none there.`,
          ),
        ),
      },
      {
        at: "10m",
        alert: "ElasticsearchDiskNearFloodStage",
        expect: [
          fires(
            onNode("es-2", "critical", { path: "/data" }),
            "An Elasticsearch node's disk is within 2% of the flood stage, where its indices become read-only.",
            "Node es-2 of logs uses 94% of /data; at the flood stage every index with a shard there stops accepting logs.",
          ),
        ],
      },
    ],
  },
  {
    name: "a service whose logs stop fires after 30 minutes; one that keeps logging or never logged stays silent",
    series: {
      [`elasticsearch_index_stats_indexing_index_total{${CL}, index=".ds-logs-bge_icl-prod-2026.11.28-000001"}`]:
        "0+60x60 3600x120",
      [`elasticsearch_index_stats_indexing_index_total{${CL}, index=".ds-logs-grafana-prod-2026.11.28-000001"}`]:
        "0+60x180",
      [`elasticsearch_index_stats_indexing_index_total{${CL}, index=".ds-logs-quiet-prod-2026.11.28-000001"}`]:
        "0x180",
      // Rollover: the old backing index stops, the new one carries on; the stream still receives logs.
      [`elasticsearch_index_stats_indexing_index_total{${CL}, index=".ds-logs-api-prod-2026.11.28-000001"}`]:
        "0+60x60 3600x120",
      [`elasticsearch_index_stats_indexing_index_total{${CL}, index=".ds-logs-api-prod-2026.11.29-000002"}`]:
        "_x60 0+60x120",
    },
    alerts: [
      { at: "80m", alert: "LogsStoppedArriving", expect: [] },
      {
        at: "100m",
        alert: "LogsStoppedArriving",
        expect: [
          fires(
            { data_stream: "logs-bge_icl-prod", service: "bge_icl", severity: "warning" },
            "A service's logs have stopped arriving in Elasticsearch.",
            "No log of bge_icl has been indexed into logs-bge_icl-prod for 30 minutes, although it had logs in the last day: the service, Filebeat, Logstash or Elasticsearch may be failing.",
          ),
        ],
      },
    ],
    exprs: [
      {
        at: "30m",
        expr: "round(logging:data_stream_indexed_docs:rate15m * 60)",
        samples: [
          { labels: '{data_stream="logs-api-prod"}', value: 60 },
          { labels: '{data_stream="logs-bge_icl-prod"}', value: 60 },
          { labels: '{data_stream="logs-grafana-prod"}', value: 60 },
          { labels: '{data_stream="logs-quiet-prod"}', value: 0 },
        ],
      },
    ],
  },
];

describe("logging rules", () => {
  it("promtool check rules accepts the rendered file", () => {
    const dir = tempDir("logging-rules-");
    writeFileSync(
      path.join(dir, "elasticsearch.rules.yaml"),
      renderRuleFile(PACK, { runbookBaseUrl: RUNBOOK_BASE }),
    );
    const r = promtool(["check", "rules", "elasticsearch.rules.yaml"], dir);
    expect(r.status, r.output).toBe(0);
  });

  it("every alert has a case where it fires and one where it stays silent", () => {
    const checks = CASES.flatMap((c) => c.alerts ?? []);
    for (const alert of new Set(alertRules(PACK).map((a) => a.alert))) {
      expect(
        checks.some((c) => c.alert === alert && c.expect.length > 0),
        `${alert} fires`,
      ).toBe(true);
      expect(
        checks.some((c) => c.alert === alert && c.expect.length === 0),
        `${alert} silent`,
      ).toBe(true);
    }
  });

  it("promtool test rules: every case passes", () => {
    const dir = tempDir("logging-rules-test-");
    const r = promtool(["test", "rules", writePackWithTests(dir, PACK, CASES)], dir);
    expect(r.status, r.output).toBe(0);
  });

  it("a wrong expectation fails (the harness can fail)", () => {
    const cases = structuredClone(CASES);
    cases[0].alerts![1].expect[0].labels.severity = "warning";
    const dir = tempDir("logging-rules-wrong-");
    const r = promtool(["test", "rules", writePackWithTests(dir, PACK, cases)], dir);
    expect(r.status).not.toBe(0);
  });
});

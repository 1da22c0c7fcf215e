/**
 * The embedding server's two dashboards, after the seed's "BGE-IN-ICL Overview" (000:300-489) and
 * "Performance Analysis" (000:491-576), rebuilt with current panel types (the seed used the removed
 * graph/singlestat panels and the API import envelope) and ratios summed before dividing.
 */
import {
  heatmap,
  row,
  stat,
  thresholds,
  timeseries,
  type DashboardFile,
} from "../../components/grafana/dashboards";
import { BY_CLUSTER } from "../../components/grafana/dashboards/common";
import type { PackSpec, SloSpec } from "../../stacks/spec";
import { BY_INSTANCE, latencyPanel, packDashboard, percentiles, RATE, rateBy, ratioOf } from "../dashboards";
import { bgeIclDefinition as def } from "./definition";

export function bgeIclDashboards(spec: PackSpec, slos: SloSpec[]): DashboardFile[] {
  const status = spec.labels.status;
  const provider = spec.labels.provider;
  const custom = `${BY_CLUSTER}, job="${def.jobs.custom.job}"`;
  const overview = packDashboard({
    spec,
    slos,
    uid: "bge-icl-overview",
    title: "Embedding server / Overview",
    description: "BGE-IN-ICL requests, latency, throughput, cache, batching and queue.",
    keyMetric: "bge_icl_requests_total",
    mainJob: "server",
    tags: ["embeddings"],
    rows: [
      row("Requests", [
        stat({
          title: "Request rate",
          unit: "reqps",
          width: 6,
          sparkline: true,
          queries: [
            { expr: `sum(rate(bge_icl_requests_total{${BY_INSTANCE}}[${RATE}]))`, legend: "requests" },
          ],
        }),
        stat({
          title: "Error ratio",
          unit: "percentunit",
          width: 6,
          decimals: 2,
          sparkline: true,
          thresholds: thresholds("green", [0.01, "orange"], [0.05, "red"]),
          queries: [
            { expr: ratioOf("job", "bge_icl_requests_total", `${status}="error"`), legend: "errors" },
          ],
        }),
        stat({
          title: "Embeddings per second",
          unit: "ops",
          width: 6,
          sparkline: true,
          queries: [
            {
              expr: `sum(rate(bge_icl_embeddings_generated_total{${BY_INSTANCE}}[${RATE}]))`,
              legend: "embeddings",
            },
          ],
        }),
        stat({
          title: "Cache hit rate",
          unit: "percentunit",
          width: 6,
          thresholds: thresholds("red", [0.6, "orange"], [0.8, "green"]),
          queries: [{ expr: `avg(bge_icl_cache_hit_rate{${BY_INSTANCE}})`, legend: "hit rate" }],
        }),
        timeseries({
          title: "Requests by provider and status",
          unit: "reqps",
          queries: [
            {
              expr: rateBy(`${provider}, ${status}`, "bge_icl_requests_total"),
              legend: `{{${provider}}} {{${status}}}`,
            },
          ],
        }),
        latencyPanel("Response time percentiles", "bge_icl_request_duration_seconds", "", "", 10),
        timeseries({
          title: "Error ratio by provider",
          unit: "percentunit",
          min: 0,
          max: 1,
          queries: [
            {
              expr: ratioOf(provider, "bge_icl_requests_total", `${status}="error"`),
              legend: `{{${provider}}}`,
            },
          ],
        }),
        timeseries({
          title: "Throughput",
          unit: "ops",
          queries: [
            { expr: rateBy("instance", "bge_icl_embeddings_generated_total"), legend: "{{instance}}" },
          ],
        }),
      ]),
      row("Batching and queue", [
        timeseries({
          title: "Adaptive batch size",
          unit: "short",
          width: 8,
          queries: [
            { expr: `bge_icl_current_batch_size{${BY_INSTANCE}}`, legend: "{{instance}} current" },
            { expr: `bge_icl_min_batch_size{${BY_INSTANCE}}`, legend: "{{instance}} minimum" },
          ],
        }),
        timeseries({
          title: "Queue depth",
          unit: "short",
          width: 8,
          thresholds: thresholds("green", [100, "red"]),
          showThresholds: "dashed",
          queries: [{ expr: `bge_icl_queue_depth{${BY_INSTANCE}}`, legend: "{{instance}}" }],
        }),
        timeseries({
          title: "Active connections and requests",
          unit: "short",
          width: 8,
          queries: [
            { expr: `sum(bge_icl_active_connections{${BY_INSTANCE}})`, legend: "connections" },
            {
              expr: `sum by (${provider}) (bge_icl_active_requests_current{${custom}})`,
              legend: `{{${provider}}} active`,
            },
          ],
        }),
      ]),
      row("Process", [
        timeseries({
          title: "Resident memory",
          unit: "bytes",
          queries: [{ expr: `process_resident_memory_bytes{${BY_INSTANCE}}`, legend: "{{instance}}" }],
        }),
        timeseries({
          title: "CPU",
          unit: "short",
          queries: [
            {
              expr: `rate(process_cpu_seconds_total{${BY_INSTANCE}}[${RATE}])`,
              legend: "{{instance}} cores",
            },
          ],
        }),
      ]),
    ],
  });

  const performance = packDashboard({
    spec,
    slos: [],
    uid: "bge-icl-performance",
    title: "Embedding server / Performance",
    description:
      "BGE-IN-ICL latency distribution, inference time by batch size, context preparation and quality.",
    keyMetric: "bge_icl_requests_total",
    mainJob: "server",
    tags: ["embeddings", "performance"],
    rows: [
      row("Latency", [
        heatmap({
          title: "Response time distribution",
          unit: "reqps",
          yUnit: "s",
          width: 24,
          queries: [
            { expr: `sum by (le) (rate(bge_icl_request_duration_seconds_bucket{${BY_INSTANCE}}[${RATE}]))` },
          ],
        }),
        timeseries({
          title: "Model inference p50 by batch size",
          unit: "s",
          queries: percentiles(
            "bge_icl_model_inference_seconds",
            "batch_size_range",
            "{{batch_size_range}} ",
            custom,
          ).slice(0, 1),
        }),
        timeseries({
          title: "Model inference p95 by model",
          unit: "s",
          queries: percentiles("bge_icl_model_inference_seconds", "model", "{{model}} ", custom).slice(1, 2),
        }),
        latencyPanel(
          "Context preparation by language",
          "bge_icl_context_preparation_seconds",
          "language",
          "{{language}} ",
        ),
      ]),
      row("Context and cache (custom exporter)", [
        timeseries({
          title: "Context quality score p50 by language",
          unit: "short",
          queries: percentiles("bge_icl_context_quality_score", "language", "{{language}} ", custom).slice(
            0,
            1,
          ),
        }),
        timeseries({
          title: "Cache efficiency by provider",
          unit: "percentunit",
          min: 0,
          max: 1,
          queries: [{ expr: `bge_icl_cache_efficiency_ratio{${custom}}`, legend: `{{${provider}}}` }],
        }),
        stat({
          title: "Embedding dimensions",
          unit: "short",
          width: 6,
          queries: [
            { expr: `max by (model) (bge_icl_embedding_dimensions{${custom}})`, legend: "{{model}}" },
          ],
        }),
        stat({
          title: "Custom exporter scrape",
          unit: "short",
          width: 6,
          thresholds: thresholds("red", [1, "green"]),
          queries: [{ expr: `sum(up{${custom}})`, legend: "up" }],
        }),
      ]),
    ],
  });
  return [overview, performance];
}

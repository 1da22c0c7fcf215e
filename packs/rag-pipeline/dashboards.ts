/**
 * The RAG pipeline's dashboard, after the seed's "RAG Pipeline API Metrics" (003:995-1045), with the
 * pipeline and system dashboards its directory tree names but never defines (003:21-25): provider
 * latency and errors, pipeline runs and stage timings, and the pipeline's system gauges.
 */
import {
  gauge,
  row,
  stat,
  thresholds,
  timeseries,
  type DashboardFile,
} from "../../components/grafana/dashboards";
import { BY_CLUSTER } from "../../components/grafana/dashboards/common";
import type { PackSpec, SloSpec } from "../../stacks/spec";
import { BY_INSTANCE, latencyPanel, packDashboard, RATE, rateBy, ratioOf } from "../dashboards";
import { ragPipelineDefinition as def } from "./definition";

export function ragPipelineDashboards(spec: PackSpec, slos: SloSpec[]): DashboardFile[] {
  const status = spec.labels.status;
  const provider = spec.labels.provider;
  const system = `${BY_CLUSTER}, job="${def.jobs.system.job}"`;
  const usage = (title: string, metric: string, warn: number) =>
    gauge({
      title,
      unit: "percent",
      min: 0,
      max: 100,
      width: 8,
      thresholds: thresholds("green", [warn, "orange"], [Math.min(95, warn + 10), "red"]),
      queries: [{ expr: `max(${metric}{${system}})`, legend: title }],
    });
  return [
    packDashboard({
      spec,
      slos,
      uid: "rag-pipeline",
      title: "RAG pipeline",
      description:
        "API traffic, provider latency and errors, pipeline runs and stages, and the pipeline's system gauges.",
      keyMetric: "api_requests_total",
      mainJob: "api",
      tags: ["rag"],
      rows: [
        row("API", [
          stat({
            title: "Request rate",
            unit: "reqps",
            width: 8,
            sparkline: true,
            queries: [{ expr: `sum(rate(api_requests_total{${BY_INSTANCE}}[${RATE}]))`, legend: "requests" }],
          }),
          stat({
            title: "5xx ratio",
            unit: "percentunit",
            width: 8,
            decimals: 2,
            sparkline: true,
            thresholds: thresholds("green", [0.01, "orange"], [0.05, "red"]),
            queries: [{ expr: ratioOf("job", "api_requests_total", `${status}=~"5.."`), legend: "5xx" }],
          }),
          stat({
            title: "Latency p95",
            unit: "s",
            width: 8,
            thresholds: thresholds("green", [2, "red"]),
            queries: [
              {
                expr: `histogram_quantile(0.95, sum by (le) (rate(api_response_time_seconds_bucket{${BY_INSTANCE}}[${RATE}])))`,
                legend: "p95",
              },
            ],
          }),
          timeseries({
            title: "Requests by endpoint and method",
            unit: "reqps",
            queries: [
              { expr: rateBy("endpoint, method", "api_requests_total"), legend: "{{method}} {{endpoint}}" },
            ],
          }),
          timeseries({
            title: "Client and server errors",
            unit: "reqps",
            queries: [
              {
                expr: rateBy(status, "api_requests_total", `${BY_INSTANCE}, ${status}=~"4..|5.."`),
                legend: `{{${status}}}`,
              },
            ],
          }),
        ]),
        row("Providers", [
          latencyPanel(
            "Latency p95 by provider",
            "api_response_time_seconds",
            provider,
            `{{${provider}}} `,
            2,
          ),
          timeseries({
            title: "5xx ratio by provider",
            unit: "percentunit",
            min: 0,
            queries: [
              {
                expr: ratioOf(provider, "api_requests_total", `${status}=~"5.."`),
                legend: `{{${provider}}}`,
              },
            ],
          }),
          timeseries({
            title: "Requests by provider",
            unit: "reqps",
            queries: [{ expr: rateBy(provider, "api_requests_total"), legend: `{{${provider}}}` }],
          }),
        ]),
        row("Pipeline", [
          timeseries({
            title: "Pipeline runs by outcome",
            unit: "ops",
            queries: [
              { expr: rateBy("success", "pipeline_executions_total"), legend: "success={{success}}" },
            ],
          }),
          timeseries({
            title: "Pipeline failure ratio",
            unit: "percentunit",
            min: 0,
            thresholds: thresholds("green", [0.1, "red"]),
            showThresholds: "dashed",
            queries: [
              { expr: ratioOf("job", "pipeline_executions_total", 'success="false"'), legend: "failed" },
            ],
          }),
          latencyPanel("Pipeline run time", "pipeline_execution_time_seconds"),
          latencyPanel(
            "Stage time by stage",
            "pipeline_step_execution_time_seconds",
            "step_name",
            "{{step_name}} ",
          ),
        ]),
        row("System (pipeline host)", [
          usage("CPU", "system_cpu_usage_percent", 80),
          usage("Memory", "system_memory_usage_percent", 85),
          usage("Disk", "system_disk_usage_percent", 90),
          timeseries({
            title: "Usage over time",
            unit: "percent",
            width: 24,
            queries: [
              { expr: `max(system_cpu_usage_percent{${system}})`, legend: "CPU" },
              { expr: `max(system_memory_usage_percent{${system}})`, legend: "memory" },
              { expr: `max(system_disk_usage_percent{${system}})`, legend: "disk" },
            ],
          }),
        ]),
      ],
    }),
  ];
}

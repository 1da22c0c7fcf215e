/**
 * RAG pipeline, seed 003: the API on :8000 (`api_*` by endpoint, method, provider, status_code;
 * pipeline executions and stage timings) and its system gauges on :8001 /system-metrics.
 *
 * Consolidated: the seed's HighErrorRate counted absolute 5xx per second (003:950) while its in-app
 * rules use a 5 % error ratio (003:1075-1090); the ratio is kept, per provider, so one failing LLM
 * provider shows up. PipelineExecutionFailure likewise becomes the in-app 10 % failure ratio instead
 * of 0.05 failures per second. The disk gauge gets the in-app 90 % threshold (003:528-558).
 */
import { errorRatio, quantile } from "../alerts";
import type { AlertDefinition, PackDefinition } from "../model";

const systemGauge = (
  alert: string,
  metric: string,
  what: string,
  threshold: number,
  source: string,
): AlertDefinition => ({
  alert,
  group: "rag-pipeline-system",
  severity: "warning",
  for: "10m",
  threshold: {
    default: threshold,
    unit: "percent",
    min: 0,
    max: 100,
    meaning: `${what} usage (percent) above`,
  },
  expr: (c) => `${metric}{${c.job("system")}} > ${c.threshold}`,
  summary: `The RAG pipeline host's ${what} usage is high.`,
  description: () => `${what} usage reported by {{ $labels.instance }} is {{ $value | humanize }}%.`,
  runbook: {
    meaning: `The pipeline's own ${what} gauge is above the threshold.`,
    impact: "Pipeline stages slow down or fail.",
    diagnosis: ["System row of the RAG pipeline dashboard; node dashboard of the host."],
    mitigation: ["Scale the pipeline out or move it to a larger host."],
  },
  source,
});

export const ragPipelineDefinition: PackDefinition = {
  key: "ragPipeline",
  name: "rag-pipeline",
  title: "RAG pipeline",
  seed: "003",
  logs: false,
  jobs: {
    api: {
      job: "rag-pipeline-api",
      description: "the pipeline API",
      metricsPath: "/metrics",
      defaultPort: 8000,
      scrapeInterval: "10s",
    },
    system: {
      job: "rag-pipeline-system",
      description: "the pipeline's system gauges",
      metricsPath: "/system-metrics",
      defaultPort: 8001,
      scrapeInterval: "15s",
    },
  },
  labels: {
    status: { default: "status_code", description: "HTTP status label of api_requests_total" },
    provider: { default: "provider", description: "LLM/embedding provider label of the api_* metrics" },
  },
  alerts: [
    {
      alert: "RAGPipelineHighErrorRate",
      group: "rag-pipeline-api",
      severity: "critical",
      for: "5m",
      threshold: { default: 0.05, unit: "ratio", min: 0, max: 1, meaning: "share of 5xx responses above" },
      expr: (c) =>
        `${errorRatio("api_requests_total", c.job("api"), `${c.label("status")}=~"5.."`, ["job", c.label("provider")])} > ${c.threshold}`,
      summary: "The RAG API fails many requests.",
      description: (c) =>
        `{{ $value | humanizePercentage }} of requests through provider {{ $labels.${c.label("provider")} }} fail with 5xx.`,
      runbook: {
        meaning: "More than the threshold share of API requests for one provider end with a 5xx status.",
        impact: "Users get errors for queries routed to that provider.",
        diagnosis: ["Errors by provider and endpoint on the dashboard."],
        mitigation: ["Fail over to another provider; check the provider's status page and quotas."],
      },
      source: "003:949 HighErrorRate (rate > 0.1/s) / 003:1075 error_rate 0.05",
    },
    {
      alert: "RAGPipelineSlowResponseTime",
      group: "rag-pipeline-api",
      severity: "warning",
      for: "5m",
      threshold: { default: 2, unit: "seconds", min: 0.001, max: 600, meaning: "p95 API latency above" },
      expr: (c) =>
        `${quantile(0.95, "api_response_time_seconds", c.job("api"), ["job", c.label("provider")])} > ${c.threshold}`,
      summary: "The RAG API answers slowly.",
      description: (c) =>
        `p95 latency through provider {{ $labels.${c.label("provider")} }} is {{ $value | humanizeDuration }}.`,
      runbook: {
        meaning: "The slowest 5 % of API requests for one provider take longer than the threshold.",
        impact: "Users wait for answers.",
        diagnosis: ["Latency by provider; pipeline stage timings: retrieval or generation?"],
        mitigation: ["Switch provider; reduce retrieved context size."],
      },
      source: "003:958 SlowResponseTime",
    },
    {
      alert: "PipelineExecutionFailure",
      group: "rag-pipeline-api",
      severity: "critical",
      for: "5m",
      threshold: {
        default: 0.1,
        unit: "ratio",
        min: 0,
        max: 1,
        meaning: "share of failed pipeline runs above",
      },
      expr: (c) =>
        `${errorRatio("pipeline_executions_total", c.job("api"), 'success="false"', ["job"])} > ${c.threshold}`,
      summary: "Many pipeline runs fail.",
      description: () => "{{ $value | humanizePercentage }} of pipeline runs of {{ $labels.job }} fail.",
      runbook: {
        meaning: "More than the threshold share of pipeline executions fail.",
        impact: "Documents are not ingested or answers not produced.",
        diagnosis: ["Executions by success and stage timings on the dashboard."],
        mitigation: ["Find the failing stage; retry failed runs once fixed."],
      },
      source: "003:967 PipelineExecutionFailure (rate > 0.05/s) / 003:1075 pipeline_failure_rate 0.1",
    },
    systemGauge("RAGPipelineHighCPUUsage", "system_cpu_usage_percent", "CPU", 80, "003:976 HighCPUUsage"),
    systemGauge(
      "RAGPipelineHighMemoryUsage",
      "system_memory_usage_percent",
      "memory",
      85,
      "003:985 HighMemoryUsage",
    ),
    systemGauge(
      "RAGPipelineHighDiskUsage",
      "system_disk_usage_percent",
      "disk",
      90,
      "003:528-558 disk threshold 90",
    ),
  ],
};

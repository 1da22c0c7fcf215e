/**
 * Embedding server (BGE-IN-ICL), seed 000: the server's own metrics on :8081 (`bge_icl_*`), its custom
 * exporter on :9091 and the chunkhound helper on :8082.
 *
 * Consolidated from the seed: HighLatency takes the production template's `for: 5m` (the rule file
 * said 2m, 000:169 vs 000:1385); HighMemoryUsage divided the process' RSS by the node's memory,
 * whose label sets never match (000:221), so it compares the RSS with a configurable size instead;
 * LowThroughput only fires while requests arrive (an idle server is not slow); error ratios are
 * summed before dividing.
 */
import { DOWN_DIAGNOSIS, errorRatio, quantile } from "../alerts";
import type { PackDefinition } from "../model";

const GIB = 1024 ** 3;

export const bgeIclDefinition: PackDefinition = {
  key: "bgeIcl",
  name: "bge-icl",
  title: "Embedding server (BGE-IN-ICL)",
  seed: "000",
  logs: true,
  jobs: {
    server: {
      job: "bge-icl-server",
      description: "the embedding server's metrics endpoint",
      metricsPath: "/metrics",
      defaultPort: 8081,
      scrapeInterval: "10s",
      params: { format: ["prometheus"] },
    },
    custom: {
      job: "bge-icl-custom",
      description: "the custom exporter (context quality, inference time, cache efficiency)",
      metricsPath: "/metrics",
      defaultPort: 9091,
      // The exporter recomputes its values every 30 s (000:1060): scraping it every 5 s (000:155) buys nothing.
      scrapeInterval: "30s",
      honorLabels: true,
    },
    chunkhound: {
      job: "chunkhound",
      description: "the chunkhound helper service",
      metricsPath: "/metrics",
      defaultPort: 8082,
    },
  },
  labels: {
    status: {
      default: "status",
      description: 'label of bge_icl_requests_total whose value "error" marks failures',
    },
    provider: { default: "provider", description: "label naming the embedding provider" },
  },
  alerts: [
    {
      alert: "BGEICLHighLatency",
      group: "bge-icl-performance",
      severity: "warning",
      for: "5m",
      threshold: { default: 10, unit: "seconds", min: 0.001, max: 600, meaning: "p95 request latency above" },
      expr: (c) =>
        `${quantile(0.95, "bge_icl_request_duration_seconds", c.job("server"), ["job"])} > ${c.threshold}`,
      summary: "The embedding server answers slowly.",
      description: () => "p95 request latency of {{ $labels.job }} is {{ $value | humanizeDuration }}.",
      runbook: {
        meaning: "The slowest 5 % of embedding requests take longer than the threshold.",
        impact: "Callers wait or time out; retrieval pipelines built on the embeddings slow down.",
        diagnosis: [
          "Embedding server dashboard: latency percentiles, batch size and queue depth together.",
          "A growing queue with a small batch size points at adaptive batching; a large batch at the model.",
        ],
        mitigation: ["Scale the server out or give it more CPU/GPU.", "Lower the maximum batch size."],
      },
      source: "000:167 BGEICLHighLatency (for 2m) / 000:1385 (for 5m)",
    },
    {
      alert: "BGEICLLowThroughput",
      group: "bge-icl-performance",
      severity: "warning",
      for: "5m",
      threshold: {
        default: 10,
        unit: "per-second",
        min: 0,
        max: 1e6,
        meaning: "embeddings per second below",
      },
      expr: (c) =>
        `sum by (job) (rate(bge_icl_embeddings_generated_total{${c.job("server")}}[5m])) < ${c.threshold}` +
        ` and sum by (job) (rate(bge_icl_requests_total{${c.job("server")}}[5m])) > 0`,
      summary: "The embedding server produces few embeddings while requests arrive.",
      description: () =>
        '{{ $labels.job }} generates {{ printf "%.2f" $value }} embeddings/s while serving requests.',
      runbook: {
        meaning: "Requests arrive but the server generates fewer embeddings per second than the threshold.",
        impact: "Embedding backlogs grow; indexing and search freshness lag.",
        diagnosis: [
          "Compare request rate and embeddings/s on the dashboard.",
          "Check errors and queue depth.",
        ],
        mitigation: ["Scale out.", "Look for a degraded provider in the error ratio by provider."],
      },
      source: "000:178 BGEICLLowThroughput",
    },
    {
      alert: "BGEICLHighErrorRate",
      group: "bge-icl-performance",
      severity: "critical",
      for: "3m",
      threshold: { default: 0.05, unit: "ratio", min: 0, max: 1, meaning: "share of failed requests above" },
      expr: (c) =>
        `${errorRatio("bge_icl_requests_total", c.job("server"), `${c.label("status")}="error"`, ["job", c.label("provider")])} > ${c.threshold}`,
      summary: "The embedding server fails many requests.",
      description: (c) =>
        `{{ $value | humanizePercentage }} of requests to {{ $labels.job }} for provider {{ $labels.${c.label("provider")} }} fail.`,
      runbook: {
        meaning: "More than the threshold share of requests ends in an error, per provider.",
        impact: "Callers get errors instead of embeddings.",
        diagnosis: [
          "Error ratio by provider on the dashboard.",
          "Server logs (bge-icl-logs-*): level ERROR.",
        ],
        mitigation: ["Fail over or disable the failing provider.", "Roll back a recent deploy."],
      },
      source: "000:188 BGEICLHighErrorRate",
    },
    {
      alert: "BGEICLLowCacheHitRate",
      group: "bge-icl-performance",
      severity: "warning",
      for: "10m",
      threshold: { default: 0.6, unit: "ratio", min: 0, max: 1, meaning: "cache hit ratio below" },
      expr: (c) => `bge_icl_cache_hit_rate{${c.job("server")}} < ${c.threshold}`,
      summary: "The embedding cache hit ratio is low.",
      description: () =>
        "The cache hit ratio of {{ $labels.instance }} is {{ $value | humanizePercentage }}.",
      runbook: {
        meaning: "Fewer requests than usual are answered from the embedding cache.",
        impact: "More model inference: higher latency and cost.",
        diagnosis: [
          "Cache hit ratio and request mix on the dashboard.",
          "Was the cache restarted or resized?",
        ],
        mitigation: ["Grow the cache.", "Warm it after restarts."],
      },
      source: "000:198 BGEICLLowCacheHitRate",
    },
    {
      alert: "BGEICLServiceDown",
      group: "bge-icl-availability",
      severity: "critical",
      for: "1m",
      expr: (c) => `up{${c.job("server")}} == 0`,
      summary: "An embedding server target is down.",
      description: () => "Prometheus cannot scrape {{ $labels.instance }} of {{ $labels.job }}.",
      runbook: {
        meaning: "A server instance does not answer Prometheus' scrape.",
        impact: "That instance serves no embeddings (or cannot be observed).",
        diagnosis: DOWN_DIAGNOSIS,
        mitigation: ["Restart the instance.", "Fix the network path."],
      },
      source: "000:210 BGEICLServiceDown",
    },
    {
      alert: "BGEICLHighMemoryUsage",
      group: "bge-icl-availability",
      severity: "warning",
      for: "5m",
      threshold: {
        default: 8 * GIB,
        unit: "bytes",
        min: 1,
        max: 1024 * GIB,
        meaning: "resident memory above",
      },
      expr: (c) => `process_resident_memory_bytes{${c.job("server")}} > ${c.threshold}`,
      summary: "The embedding server uses a lot of memory.",
      description: () => "{{ $labels.instance }} has {{ $value | humanize1024 }}B resident memory.",
      runbook: {
        meaning: "The server process' resident memory is above the configured size.",
        impact: "Risk of an out-of-memory kill and lost in-flight requests.",
        diagnosis: ["Memory panel of the dashboard.", "Container memory limit (containers dashboard)."],
        mitigation: ["Raise the memory limit and this threshold together.", "Lower the batch size."],
      },
      source: "000:220 BGEICLHighMemoryUsage (fixed: compared with a size, not the node's memory)",
    },
    {
      alert: "BGEICLHighCPUUsage",
      group: "bge-icl-availability",
      severity: "warning",
      for: "10m",
      threshold: { default: 0.8, unit: "cores", min: 0.01, max: 1024, meaning: "CPU cores used above" },
      expr: (c) => `rate(process_cpu_seconds_total{${c.job("server")}}[5m]) > ${c.threshold}`,
      summary: "The embedding server is CPU-bound.",
      description: () => '{{ $labels.instance }} uses {{ printf "%.2f" $value }} CPU cores.',
      runbook: {
        meaning: "The server process uses more CPU cores than the threshold.",
        impact: "Latency rises as requests queue for CPU.",
        diagnosis: ["CPU panel and throttling on the containers dashboard."],
        mitigation: ["Scale out or raise the CPU limit."],
      },
      source: "000:230 BGEICLHighCPUUsage",
    },
    {
      alert: "BGEICLAdaptiveBatchingStuck",
      group: "bge-icl-capacity",
      severity: "warning",
      for: "30m",
      expr: (c) =>
        `bge_icl_current_batch_size{${c.job("server")}} <= bge_icl_min_batch_size{${c.job("server")}}`,
      summary: "Adaptive batching is stuck at its minimum batch size.",
      description: () => "{{ $labels.instance }} has batched at its minimum size for 30 minutes.",
      runbook: {
        meaning: "The adaptive batcher has not grown the batch size for half an hour.",
        impact: "Throughput stays at its lowest; the queue may grow under load.",
        diagnosis: ["Batch size and queue depth panels.", "Server logs around batch adaptation."],
        mitigation: ["Restart the instance to reset the batcher.", "Check the adaptation limits."],
      },
      source: "000:242 BGEICLAdaptiveBatchingStuck",
    },
    {
      alert: "BGEICLQueueDepthHigh",
      group: "bge-icl-capacity",
      severity: "warning",
      for: "5m",
      threshold: { default: 100, unit: "count", min: 1, max: 1e9, meaning: "queued requests above" },
      expr: (c) => `bge_icl_queue_depth{${c.job("server")}} > ${c.threshold}`,
      summary: "Many requests wait in the embedding server's queue.",
      description: () => '{{ $labels.instance }} has {{ printf "%.0f" $value }} queued requests.',
      runbook: {
        meaning: "More requests are queued than the threshold.",
        impact: "Queued requests wait; latency rises.",
        diagnosis: ["Queue depth, throughput and batch size panels."],
        mitigation: ["Scale out.", "Shed or rate-limit bulk callers."],
      },
      source: "000:252 BGEICLQueueDepthHigh",
    },
  ],
};

import { fires, type RuleTestCase } from "../../rules/cases/types";

const J = 'job="bge-icl-server", instance="s1:8081"';
const L = { job: "bge-icl-server", service: "bge-icl" };
const I = { ...L, instance: "s1:8081" };

/** Latency buckets where every request takes 10-30 s (p95 = 29 s) or under 1 s (p95 = 0.95 s). */
const buckets = (slow: boolean): Record<string, string> => ({
  [`bge_icl_request_duration_seconds_bucket{${J}, le="1"}`]: slow ? "0x30" : "0+60x30",
  [`bge_icl_request_duration_seconds_bucket{${J}, le="10"}`]: slow ? "0x30" : "0+60x30",
  [`bge_icl_request_duration_seconds_bucket{${J}, le="30"}`]: "0+60x30",
  [`bge_icl_request_duration_seconds_bucket{${J}, le="+Inf"}`]: "0+60x30",
});

export const bgeIclCases: RuleTestCase[] = [
  {
    name: "p95 latency 29 s fires after 5m; under a second stays silent",
    series: buckets(true),
    alerts: [
      { at: "4m", alert: "BGEICLHighLatency", expect: [] },
      {
        at: "10m",
        alert: "BGEICLHighLatency",
        expect: [
          fires(
            { ...L, severity: "warning" },
            "The embedding server answers slowly.",
            "p95 request latency of bge-icl-server is 29s.",
          ),
        ],
      },
    ],
  },
  {
    name: "fast requests",
    series: buckets(false),
    alerts: [{ at: "20m", alert: "BGEICLHighLatency", expect: [] }],
  },
  {
    name: "1 embedding/s while requests arrive fires; an idle server stays silent",
    series: {
      [`bge_icl_embeddings_generated_total{${J}}`]: "0+60x30",
      [`bge_icl_requests_total{${J}, status="ok", provider="local"}`]: "0+60x30",
      'bge_icl_embeddings_generated_total{job="bge-icl-server", instance="s2:8081"}': "0x30",
    },
    alerts: [
      {
        at: "10m",
        alert: "BGEICLLowThroughput",
        expect: [
          fires(
            { ...L, severity: "warning" },
            "The embedding server produces few embeddings while requests arrive.",
            "bge-icl-server generates 1.00 embeddings/s while serving requests.",
          ),
        ],
      },
    ],
  },
  {
    name: "idle server: no requests, no embeddings",
    series: {
      [`bge_icl_embeddings_generated_total{${J}}`]: "0x30",
      [`bge_icl_requests_total{${J}, status="ok", provider="local"}`]: "0x30",
    },
    alerts: [{ at: "20m", alert: "BGEICLLowThroughput", expect: [] }],
  },
  {
    name: "20 % errors for provider openai fire (summed, not divided series by series); provider local stays silent",
    series: {
      [`bge_icl_requests_total{${J}, status="error", provider="openai"}`]: "0+12x30",
      [`bge_icl_requests_total{${J}, status="ok", provider="openai"}`]: "0+48x30",
      [`bge_icl_requests_total{${J}, status="error", provider="local"}`]: "0x30",
      [`bge_icl_requests_total{${J}, status="ok", provider="local"}`]: "0+60x30",
    },
    alerts: [
      { at: "2m", alert: "BGEICLHighErrorRate", expect: [] },
      {
        at: "10m",
        alert: "BGEICLHighErrorRate",
        expect: [
          fires(
            { ...L, provider: "openai", severity: "critical" },
            "The embedding server fails many requests.",
            "20% of requests to bge-icl-server for provider openai fail.",
          ),
        ],
      },
    ],
  },
  {
    name: "1 % errors stay below 5 %",
    series: {
      [`bge_icl_requests_total{${J}, status="error", provider="openai"}`]: "0+1x30",
      [`bge_icl_requests_total{${J}, status="ok", provider="openai"}`]: "0+99x30",
    },
    alerts: [{ at: "15m", alert: "BGEICLHighErrorRate", expect: [] }],
  },
  {
    name: "cache hit rate 50 % for 10m fires; 80 % stays silent",
    series: {
      [`bge_icl_cache_hit_rate{${J}}`]: "0.5x30",
      'bge_icl_cache_hit_rate{job="bge-icl-server", instance="s2:8081"}': "0.8x30",
    },
    alerts: [
      { at: "5m", alert: "BGEICLLowCacheHitRate", expect: [] },
      {
        at: "15m",
        alert: "BGEICLLowCacheHitRate",
        expect: [
          fires(
            { ...I, severity: "warning" },
            "The embedding cache hit ratio is low.",
            "The cache hit ratio of s1:8081 is 50%.",
          ),
        ],
      },
    ],
  },
  {
    name: "server target down",
    series: { [`up{${J}}`]: "0x10", 'up{job="bge-icl-server", instance="s2:8081"}': "1x10" },
    alerts: [
      {
        at: "3m",
        alert: "BGEICLServiceDown",
        expect: [
          fires(
            { ...I, severity: "critical" },
            "An embedding server target is down.",
            "Prometheus cannot scrape s1:8081 of bge-icl-server.",
          ),
        ],
      },
    ],
  },
  {
    name: "server target up",
    series: { [`up{${J}}`]: "1x10" },
    alerts: [{ at: "5m", alert: "BGEICLServiceDown", expect: [] }],
  },
  {
    name: "10 GiB resident memory fires (no node metric needed); 1 GiB stays silent",
    series: {
      [`process_resident_memory_bytes{${J}}`]: "10737418240x10",
      'process_resident_memory_bytes{job="bge-icl-server", instance="s2:8081"}': "1073741824x10",
    },
    alerts: [
      {
        at: "8m",
        alert: "BGEICLHighMemoryUsage",
        expect: [
          fires(
            { ...I, severity: "warning" },
            "The embedding server uses a lot of memory.",
            "s1:8081 has 10GiB resident memory.",
          ),
        ],
      },
    ],
  },
  {
    name: "memory well below the size",
    series: { [`process_resident_memory_bytes{${J}}`]: "1073741824x10" },
    alerts: [{ at: "8m", alert: "BGEICLHighMemoryUsage", expect: [] }],
  },
  {
    name: "one core busy for 10m fires; half a core stays silent",
    series: {
      [`process_cpu_seconds_total{${J}}`]: "0+60x30",
      'process_cpu_seconds_total{job="bge-icl-server", instance="s2:8081"}': "0+30x30",
    },
    alerts: [
      {
        at: "20m",
        alert: "BGEICLHighCPUUsage",
        expect: [
          fires(
            { ...I, severity: "warning" },
            "The embedding server is CPU-bound.",
            "s1:8081 uses 1.00 CPU cores.",
          ),
        ],
      },
    ],
  },
  {
    name: "half a core",
    series: { [`process_cpu_seconds_total{${J}}`]: "0+30x30" },
    alerts: [{ at: "20m", alert: "BGEICLHighCPUUsage", expect: [] }],
  },
  {
    name: "batch size at its minimum for 30m fires",
    series: { [`bge_icl_current_batch_size{${J}}`]: "4x40", [`bge_icl_min_batch_size{${J}}`]: "4x40" },
    alerts: [
      { at: "20m", alert: "BGEICLAdaptiveBatchingStuck", expect: [] },
      {
        at: "35m",
        alert: "BGEICLAdaptiveBatchingStuck",
        expect: [
          fires(
            { ...I, severity: "warning" },
            "Adaptive batching is stuck at its minimum batch size.",
            "s1:8081 has batched at its minimum size for 30 minutes.",
          ),
        ],
      },
    ],
  },
  {
    name: "batch size above its minimum",
    series: { [`bge_icl_current_batch_size{${J}}`]: "16x40", [`bge_icl_min_batch_size{${J}}`]: "4x40" },
    alerts: [{ at: "35m", alert: "BGEICLAdaptiveBatchingStuck", expect: [] }],
  },
  {
    name: "150 queued requests fire; 10 stay silent",
    series: {
      [`bge_icl_queue_depth{${J}}`]: "150x10",
      'bge_icl_queue_depth{job="bge-icl-server", instance="s2:8081"}': "10x10",
    },
    alerts: [
      {
        at: "8m",
        alert: "BGEICLQueueDepthHigh",
        expect: [
          fires(
            { ...I, severity: "warning" },
            "Many requests wait in the embedding server's queue.",
            "s1:8081 has 150 queued requests.",
          ),
        ],
      },
    ],
  },
  {
    name: "short queue",
    series: { [`bge_icl_queue_depth{${J}}`]: "10x10" },
    alerts: [{ at: "8m", alert: "BGEICLQueueDepthHigh", expect: [] }],
  },
];

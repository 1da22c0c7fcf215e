/**
 * Documentation system on a vector database, seed 001: the query API app (HTTP, Query API, HyDE cache,
 * DragonflyDB cache, payload indexing, collection aliases, connection pool, circuit breaker, and the
 * app-side Qdrant collector) on :8000, Qdrant's own endpoint on :6333, DragonflyDB's on :6379 and the
 * MCP server's /health/metrics on :8080.
 *
 * Fixed from the seed: the circuit-breaker gauge has no `state` label, its value is the state
 * (0 closed, 1 open, 2 half-open; 001:655 vs 001:333); `hyde_cache_requests_total`,
 * `db_connection_pool_ml_model_accuracy` and `db_connection_affinity_performance_score` are never
 * defined, so the alerts use hits + misses, `db_load_prediction_accuracy` and the affinity hit ratio.
 * VectorSearchSlow takes the threshold table's 200 ms (001:870-890) over the rule's 2 s (001:370);
 * the table's Dragonfly hit-rate alert is added. Host CPU/memory/disk alerts (001:210-235) are the
 * core node pack's (NodeCPUHighUsage, NodeMemoryHighUtilization, NodeFilesystemAlmostOutOfSpace).
 */
import { DOWN_DIAGNOSIS, errorRatio, missRatio, quantile } from "../alerts";
import type { AlertDefinition, PackDefinition } from "../model";

const GIB = 1024 ** 3;

const counterFailed = (alert: string, metric: string, what: string, source: string): AlertDefinition => ({
  alert,
  group: "vector-db-v1",
  severity: "critical",
  for: "1m",
  expr: (c) => `sum by (job, operation, error_type) (increase(${metric}{${c.job("app")}}[5m])) > 0`,
  summary: `${what} failed.`,
  description: () =>
    `${what} "{{ $labels.operation }}" failed {{ printf "%.0f" $value }} times in 5 minutes ({{ $labels.error_type }}).`,
  runbook: {
    meaning: `${what} reported errors in the last 5 minutes.`,
    impact: "Search results may be stale or incomplete for the affected collection.",
    diagnosis: [`Errors by operation and error_type (${metric}).`, "App logs with operation_type set."],
    mitigation: ["Retry the operation once the cause is fixed.", "Check Qdrant's health and disk."],
  },
  source,
});

export const vectorDbDefinition: PackDefinition = {
  key: "vectorDb",
  name: "vector-db",
  title: "Documentation system on a vector DB (Qdrant, DragonflyDB)",
  seed: "001",
  logs: true,
  jobs: {
    app: {
      job: "vector-db-app",
      description: "the query API app (HTTP, Query API, HyDE, cache, pool and Qdrant collector metrics)",
      metricsPath: "/metrics",
      defaultPort: 8000,
      scrapeInterval: "15s",
    },
    qdrant: {
      job: "qdrant",
      description: "Qdrant's own metrics",
      metricsPath: "/metrics",
      defaultPort: 6333,
      scrapeInterval: "15s",
    },
    dragonfly: {
      job: "dragonfly",
      description: "DragonflyDB's own metrics (served over HTTP on its main port)",
      metricsPath: "/metrics",
      defaultPort: 6379,
      scrapeInterval: "15s",
    },
    mcp: {
      job: "mcp-server",
      description: "the MCP server",
      metricsPath: "/health/metrics",
      defaultPort: 8080,
    },
  },
  labels: {
    status: { default: "status", description: "HTTP status label of http_requests_total" },
  },
  alerts: [
    {
      alert: "VectorDBServiceDown",
      group: "vector-db-application",
      severity: "critical",
      for: "1m",
      expr: (c) => `up{${c.jobs("app", "dragonfly", "mcp")}} == 0`,
      summary: "A documentation-system service is down.",
      description: () => "Prometheus cannot scrape {{ $labels.instance }} of {{ $labels.job }}.",
      runbook: {
        meaning: "The app, DragonflyDB or the MCP server does not answer Prometheus' scrape.",
        impact: "Queries fail or run without cache, depending on which one is down.",
        diagnosis: DOWN_DIAGNOSIS,
        mitigation: ["Restart the service.", "Fix the network path."],
      },
      source: "001:239 ServiceDown",
    },
    {
      alert: "QdrantDown",
      group: "vector-db-storage",
      severity: "critical",
      for: "1m",
      expr: (c) => `up{${c.job("qdrant")}} == 0`,
      summary: "Qdrant is down.",
      description: () => "Prometheus cannot scrape Qdrant at {{ $labels.instance }}.",
      runbook: {
        meaning: "Qdrant does not answer Prometheus' scrape.",
        impact: "Vector search and indexing fail.",
        diagnosis: [...DOWN_DIAGNOSIS, "Qdrant's /health endpoint and its disk."],
        mitigation: ["Restart Qdrant; check its storage volume."],
      },
      source: "001:361 QdrantDown",
    },
    {
      alert: "VectorDBHighLatency",
      group: "vector-db-application",
      severity: "warning",
      for: "5m",
      threshold: { default: 1, unit: "seconds", min: 0.001, max: 600, meaning: "p95 HTTP latency above" },
      expr: (c) =>
        `${quantile(0.95, "http_request_duration_seconds", c.job("app"), ["job"])} > ${c.threshold}`,
      summary: "The documentation API answers slowly.",
      description: () => "p95 HTTP latency of {{ $labels.job }} is {{ $value | humanizeDuration }}.",
      runbook: {
        meaning: "The slowest 5 % of HTTP requests take longer than the threshold.",
        impact: "Users wait for search results.",
        diagnosis: ["Query API, HyDE and vector search latency panels: which stage is slow?"],
        mitigation: ["Scale the app; check Qdrant and DragonflyDB."],
      },
      source: "001:248 HighLatency",
    },
    {
      alert: "VectorDBHighErrorRate",
      group: "vector-db-application",
      severity: "critical",
      for: "5m",
      threshold: { default: 0.1, unit: "ratio", min: 0, max: 1, meaning: "share of 5xx responses above" },
      expr: (c) =>
        `${errorRatio("http_requests_total", c.job("app"), `${c.label("status")}=~"5.."`, ["job"])} > ${c.threshold}`,
      summary: "The documentation API fails many requests.",
      description: () => "{{ $value | humanizePercentage }} of requests to {{ $labels.job }} fail with 5xx.",
      runbook: {
        meaning: "More than the threshold share of HTTP requests end with a 5xx status.",
        impact: "Users get errors.",
        diagnosis: ["Errors by endpoint on the dashboard.", "App logs tagged error."],
        mitigation: ["Roll back a recent deploy.", "Check Qdrant, DragonflyDB and the connection pool."],
      },
      source: "001:257 HighErrorRate",
    },
    {
      alert: "QueryAPISlowdown",
      group: "vector-db-v1",
      severity: "warning",
      for: "3m",
      threshold: {
        default: 0.5,
        unit: "seconds",
        min: 0.001,
        max: 600,
        meaning: "p95 Query API latency above",
      },
      expr: (c) =>
        `${quantile(0.95, "query_api_duration_seconds", c.job("app"), ["job", "operation"])} > ${c.threshold}`,
      summary: "The Query API is slow.",
      description: () =>
        'p95 latency of Query API operation "{{ $labels.operation }}" is {{ $value | humanizeDuration }}.',
      runbook: {
        meaning: "p95 latency of a Query API operation is above the threshold (target < 100 ms).",
        impact: "Searches are slow.",
        diagnosis: ["Query API latency by operation; vector search latency; HyDE generation time."],
        mitigation: ["Warm the HyDE cache.", "Check Qdrant segment count and memory."],
      },
      source: "001:268 QueryAPISlowdown",
    },
    {
      alert: "HyDECacheMissRate",
      group: "vector-db-v1",
      severity: "warning",
      for: "5m",
      threshold: { default: 0.5, unit: "ratio", min: 0, max: 1, meaning: "HyDE cache miss ratio above" },
      expr: (c) =>
        `${missRatio("hyde_cache_hits_total", "hyde_cache_misses_total", c.job("app"), ["job"])} > ${c.threshold}`,
      summary: "The HyDE cache misses often.",
      description: () => "{{ $value | humanizePercentage }} of HyDE cache lookups of {{ $labels.job }} miss.",
      runbook: {
        meaning: "More than the threshold share of HyDE cache lookups miss (target hit rate > 70 %).",
        impact: "More HyDE generations: slower queries, higher LLM cost.",
        diagnosis: [
          "HyDE hits/misses and generation time panels.",
          "Was DragonflyDB restarted or did it evict?",
        ],
        mitigation: ["Grow DragonflyDB's memory.", "Re-warm the cache."],
      },
      source: "001:277 HyDECacheMissRate (fixed: hits + misses, hyde_cache_requests_total is never defined)",
    },
    {
      alert: "DragonflyMemoryHigh",
      group: "vector-db-v1",
      severity: "warning",
      for: "5m",
      threshold: {
        default: 4 * GIB,
        unit: "bytes",
        min: 1,
        max: 4096 * GIB,
        meaning: "DragonflyDB memory above",
      },
      expr: (c) => `dragonfly_memory_usage_bytes{${c.job("app")}} > ${c.threshold}`,
      summary: "DragonflyDB uses a lot of memory.",
      description: () => "DragonflyDB memory is {{ $value | humanize1024 }}B.",
      runbook: {
        meaning: "The cache's memory as reported by the app is above the threshold.",
        impact: "Evictions start; cache hit ratios fall.",
        diagnosis: ["Dragonfly memory and evictions panels."],
        mitigation: ["Raise DragonflyDB's maxmemory and this threshold.", "Shorten cache TTLs."],
      },
      source: "001:286 DragonflyMemoryHigh",
    },
    {
      alert: "DragonflyCacheHitRateLow",
      group: "vector-db-v1",
      severity: "warning",
      for: "10m",
      threshold: { default: 0.6, unit: "ratio", min: 0, max: 1, meaning: "DragonflyDB hit ratio below" },
      expr: (c) => `dragonfly_cache_hit_rate{${c.job("app")}} < ${c.threshold}`,
      summary: "The DragonflyDB cache hit ratio is low.",
      description: () => "DragonflyDB's hit ratio is {{ $value | humanizePercentage }}.",
      runbook: {
        meaning: "Fewer cache lookups hit than the threshold (target > 80 %).",
        impact: "More work reaches Qdrant and the LLM.",
        diagnosis: ["Hit ratio and evictions panels."],
        mitigation: ["Grow the cache; check key TTLs."],
      },
      source: "001:870-890 threshold table (Dragonfly hit rate < 60 %)",
    },
    counterFailed(
      "PayloadIndexingFailed",
      "payload_indexing_errors_total",
      "Payload indexing",
      "001:295 PayloadIndexingFailed",
    ),
    counterFailed(
      "CollectionAliasOperationFailed",
      "collection_alias_errors_total",
      "A collection alias operation",
      "001:304 CollectionAliasOperationFailed",
    ),
    {
      alert: "DatabaseConnectionPoolExhausted",
      group: "vector-db-pool",
      severity: "critical",
      for: "2m",
      threshold: {
        default: 0.9,
        unit: "ratio",
        min: 0,
        max: 1,
        meaning: "share of pool connections checked out above",
      },
      expr: (c) =>
        `db_connection_pool_checked_out{${c.job("app")}} / (db_connection_pool_size{${c.job("app")}} > 0) > ${c.threshold}`,
      summary: "The database connection pool is nearly exhausted.",
      description: () =>
        "{{ $value | humanizePercentage }} of the pool of {{ $labels.instance }} is checked out.",
      runbook: {
        meaning: "Almost every pooled database connection is in use.",
        impact: "New queries wait for a connection and time out.",
        diagnosis: ["Pool utilisation, slow queries and query latency panels."],
        mitigation: [
          "Grow the pool (and the database's connection limit).",
          "Find slow queries holding connections.",
        ],
      },
      source: "001:313 DatabaseConnectionPoolExhausted",
    },
    {
      alert: "DatabaseConnectionPoolMLModelDegraded",
      group: "vector-db-pool",
      severity: "warning",
      for: "5m",
      threshold: { default: 0.7, unit: "ratio", min: 0, max: 1, meaning: "load-prediction accuracy below" },
      expr: (c) => `db_load_prediction_accuracy{${c.job("app")}} < ${c.threshold}`,
      summary: "The pool's load-prediction model is inaccurate.",
      description: () =>
        "Load-prediction accuracy of {{ $labels.instance }} is {{ $value | humanizePercentage }}.",
      runbook: {
        meaning: "The model that sizes the pool predicts load poorly.",
        impact: "The pool may be sized wrongly: waits or wasted connections.",
        diagnosis: ["Prediction accuracy and MAE panels."],
        mitigation: ["Retrain or disable adaptive sizing and pin the pool size."],
      },
      source: "001:323 DatabaseConnectionPoolMLModelDegraded (fixed: db_load_prediction_accuracy, 001:638)",
    },
    {
      alert: "DatabaseCircuitBreakerOpen",
      group: "vector-db-pool",
      severity: "critical",
      for: "1m",
      expr: (c) => `db_circuit_breaker_state{${c.job("app")}} == 1`,
      summary: "A database circuit breaker is open.",
      description: () =>
        'The circuit breaker for "{{ $labels.failure_type }}" failures on {{ $labels.instance }} is open.',
      runbook: {
        meaning: "The app stopped sending queries to the database after repeated failures of one type.",
        impact: "Queries depending on the database fail fast.",
        diagnosis: ["Circuit breaker state and failures by failure_type.", "Database health."],
        mitigation: ["Fix the database; the breaker half-opens and closes by itself."],
      },
      source: "001:332 DatabaseCircuitBreakerOpen (fixed: the gauge's value is the state, 001:655)",
    },
    {
      alert: "DatabaseConnectionAffinityDegraded",
      group: "vector-db-pool",
      severity: "warning",
      for: "10m",
      threshold: {
        default: 0.5,
        unit: "ratio",
        min: 0,
        max: 1,
        meaning: "connection-affinity hit ratio below",
      },
      expr: (c) => {
        const hits = `sum by (job) (rate(db_connection_affinity_hits_total{${c.job("app")}}[5m]))`;
        return `${hits} / (${hits} + sum by (job) (rate(db_connection_affinity_misses_total{${c.job("app")}}[5m]))) < ${c.threshold}`;
      },
      summary: "Connection affinity rarely hits.",
      description: () =>
        "The connection-affinity hit ratio of {{ $labels.job }} is {{ $value | humanizePercentage }}.",
      runbook: {
        meaning: "Queries seldom get a connection specialised for their type.",
        impact: "Queries run slower than they could.",
        diagnosis: ["Affinity hits/misses by query_type."],
        mitigation: ["Review the affinity configuration and pool size."],
      },
      source:
        "001:341 DatabaseConnectionAffinityDegraded (fixed: the score metric is never defined; hit ratio)",
    },
    {
      alert: "DatabaseQueryLatencyRegression",
      group: "vector-db-pool",
      severity: "warning",
      for: "3m",
      threshold: {
        default: 0.25,
        unit: "seconds",
        min: 0.001,
        max: 600,
        meaning: "p95 database query latency above",
      },
      expr: (c) => `${quantile(0.95, "db_query_duration_seconds", c.job("app"), ["job"])} > ${c.threshold}`,
      summary: "Database queries are slow.",
      description: () =>
        "p95 database query latency of {{ $labels.job }} is {{ $value | humanizeDuration }}.",
      runbook: {
        meaning: "The slowest 5 % of database queries take longer than the threshold.",
        impact: "API latency rises; the pool fills.",
        diagnosis: ["Query latency percentiles and slow queries by pattern."],
        mitigation: ["Add indexes for the slow patterns; check database load."],
      },
      source: "001:350 DatabaseQueryLatencyRegression",
    },
    {
      alert: "VectorSearchSlow",
      group: "vector-db-storage",
      severity: "warning",
      for: "5m",
      threshold: {
        default: 0.2,
        unit: "seconds",
        min: 0.001,
        max: 600,
        meaning: "p95 vector search latency above",
      },
      expr: (c) =>
        `${quantile(0.95, "qdrant_search_duration_seconds", c.job("app"), ["job", "collection"])} > ${c.threshold}`,
      summary: "Vector search is slow.",
      description: () =>
        'p95 vector search latency on collection "{{ $labels.collection }}" is {{ $value | humanizeDuration }}.',
      runbook: {
        meaning: "The slowest 5 % of Qdrant searches take longer than the threshold (target < 50 ms).",
        impact: "Every query waits on search.",
        diagnosis: ["Search latency by collection; Qdrant memory and segment count."],
        mitigation: ["Optimise or re-index the collection; give Qdrant more memory."],
      },
      source: "001:370 VectorSearchSlow (2 s) / 001:870-890 table (200 ms)",
    },
    {
      alert: "HighVectorDBMemory",
      group: "vector-db-storage",
      severity: "warning",
      for: "5m",
      threshold: { default: 8 * GIB, unit: "bytes", min: 1, max: 4096 * GIB, meaning: "Qdrant memory above" },
      expr: (c) => `qdrant_memory_usage_bytes{${c.job("app")}} > ${c.threshold}`,
      summary: "Qdrant uses a lot of memory.",
      description: () => "Qdrant memory is {{ $value | humanize1024 }}B.",
      runbook: {
        meaning: "Qdrant's memory as reported by the app is above the threshold.",
        impact: "Risk of an out-of-memory kill of Qdrant.",
        diagnosis: ["Qdrant memory and collection points panels."],
        mitigation: ["Move vectors on disk (mmap) or grow Qdrant's memory."],
      },
      source: "001:379 HighVectorDBMemory",
    },
  ],
};

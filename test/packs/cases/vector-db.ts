import { fires, type RuleTestCase } from "../../rules/cases/types";

const J = 'job="vector-db-app", instance="a1:8000"';
const L = { job: "vector-db-app", service: "vector-db" };
const I = { ...L, instance: "a1:8000" };

/** Histogram buckets: with `slow` every event lies between the 2nd and 3rd boundary, else under the 1st. */
function buckets(
  metric: string,
  extra: string,
  bounds: [string, string, string],
  slow: boolean,
): Record<string, string> {
  const sel = `${J}${extra ? `, ${extra}` : ""}`;
  return {
    [`${metric}_bucket{${sel}, le="${bounds[0]}"}`]: slow ? "0x30" : "0+60x30",
    [`${metric}_bucket{${sel}, le="${bounds[1]}"}`]: slow ? "0x30" : "0+60x30",
    [`${metric}_bucket{${sel}, le="${bounds[2]}"}`]: "0+60x30",
    [`${metric}_bucket{${sel}, le="+Inf"}`]: "0+60x30",
  };
}

const gauge = (
  alert: string,
  metric: string,
  bad: string,
  good: string,
  at: string,
  labels: Record<string, string>,
  summary: string,
  description: string,
): RuleTestCase[] => [
  {
    name: `${alert}: ${metric} at ${bad} fires`,
    series: { [`${metric}{${J}}`]: `${bad}x30` },
    alerts: [{ at, alert, expect: [fires(labels, summary, description)] }],
  },
  {
    name: `${alert}: ${metric} at ${good} stays silent`,
    series: { [`${metric}{${J}}`]: `${good}x30` },
    alerts: [{ at, alert, expect: [] }],
  },
];

export const vectorDbCases: RuleTestCase[] = [
  {
    name: "the app target is down",
    series: { [`up{${J}}`]: "0x10", 'up{job="qdrant", instance="q1:6333"}': "1x10" },
    alerts: [
      {
        at: "3m",
        alert: "VectorDBServiceDown",
        expect: [
          fires(
            { ...I, severity: "critical" },
            "A documentation-system service is down.",
            "Prometheus cannot scrape a1:8000 of vector-db-app.",
          ),
        ],
      },
      { at: "3m", alert: "QdrantDown", expect: [] },
    ],
  },
  {
    name: "Qdrant down: QdrantDown fires, VectorDBServiceDown stays silent",
    series: { [`up{${J}}`]: "1x10", 'up{job="qdrant", instance="q1:6333"}': "0x10" },
    alerts: [
      { at: "3m", alert: "VectorDBServiceDown", expect: [] },
      {
        at: "3m",
        alert: "QdrantDown",
        expect: [
          fires(
            { job: "qdrant", instance: "q1:6333", service: "vector-db", severity: "critical" },
            "Qdrant is down.",
            "Prometheus cannot scrape Qdrant at q1:6333.",
          ),
        ],
      },
    ],
  },
  {
    name: "HTTP p95 4.8 s",
    series: buckets("http_request_duration_seconds", "", ["0.5", "1", "5"], true),
    alerts: [
      {
        at: "10m",
        alert: "VectorDBHighLatency",
        expect: [
          fires(
            { ...L, severity: "warning" },
            "The documentation API answers slowly.",
            "p95 HTTP latency of vector-db-app is 4.8s.",
          ),
        ],
      },
    ],
  },
  {
    name: "HTTP p95 under a second",
    series: buckets("http_request_duration_seconds", "", ["0.5", "1", "5"], false),
    alerts: [{ at: "10m", alert: "VectorDBHighLatency", expect: [] }],
  },
  {
    name: "20 % 5xx",
    series: {
      [`http_requests_total{${J}, status="500"}`]: "0+12x30",
      [`http_requests_total{${J}, status="200"}`]: "0+48x30",
    },
    alerts: [
      {
        at: "10m",
        alert: "VectorDBHighErrorRate",
        expect: [
          fires(
            { ...L, severity: "critical" },
            "The documentation API fails many requests.",
            "20% of requests to vector-db-app fail with 5xx.",
          ),
        ],
      },
    ],
  },
  {
    name: "5 % 5xx and many 404s",
    series: {
      [`http_requests_total{${J}, status="500"}`]: "0+3x30",
      [`http_requests_total{${J}, status="404"}`]: "0+30x30",
      [`http_requests_total{${J}, status="200"}`]: "0+27x30",
    },
    alerts: [{ at: "10m", alert: "VectorDBHighErrorRate", expect: [] }],
  },
  {
    name: "Query API search p95 975 ms",
    series: buckets(
      "query_api_duration_seconds",
      'operation="search", collection="docs"',
      ["0.1", "0.5", "1"],
      true,
    ),
    alerts: [
      { at: "2m", alert: "QueryAPISlowdown", expect: [] },
      {
        at: "10m",
        alert: "QueryAPISlowdown",
        expect: [
          fires(
            { ...L, operation: "search", severity: "warning" },
            "The Query API is slow.",
            'p95 latency of Query API operation "search" is 975ms.',
          ),
        ],
      },
    ],
  },
  {
    name: "Query API under 100 ms",
    series: buckets(
      "query_api_duration_seconds",
      'operation="search", collection="docs"',
      ["0.1", "0.5", "1"],
      false,
    ),
    alerts: [{ at: "10m", alert: "QueryAPISlowdown", expect: [] }],
  },
  {
    name: "two thirds of HyDE lookups miss (hits + misses; no hyde_cache_requests_total)",
    series: { [`hyde_cache_hits_total{${J}}`]: "0+20x30", [`hyde_cache_misses_total{${J}}`]: "0+40x30" },
    alerts: [
      {
        at: "10m",
        alert: "HyDECacheMissRate",
        expect: [
          fires(
            { ...L, severity: "warning" },
            "The HyDE cache misses often.",
            "66.67% of HyDE cache lookups of vector-db-app miss.",
          ),
        ],
      },
    ],
  },
  {
    name: "HyDE mostly hits",
    series: { [`hyde_cache_hits_total{${J}}`]: "0+50x30", [`hyde_cache_misses_total{${J}}`]: "0+10x30" },
    alerts: [{ at: "10m", alert: "HyDECacheMissRate", expect: [] }],
  },
  ...gauge(
    "DragonflyMemoryHigh",
    "dragonfly_memory_usage_bytes",
    "5368709120",
    "1073741824",
    "10m",
    { ...I, severity: "warning" },
    "DragonflyDB uses a lot of memory.",
    "DragonflyDB memory is 5GiB.",
  ),
  ...gauge(
    "DragonflyCacheHitRateLow",
    "dragonfly_cache_hit_rate",
    "0.5",
    "0.9",
    "15m",
    { ...I, severity: "warning" },
    "The DragonflyDB cache hit ratio is low.",
    "DragonflyDB's hit ratio is 50%.",
  ),
  {
    name: "payload indexing and alias errors",
    series: {
      [`payload_indexing_errors_total{${J}, operation="create_index", error_type="timeout"}`]: "0+1x10",
      [`collection_alias_errors_total{${J}, operation="swap", error_type="not_found"}`]: "0+1x10",
    },
    alerts: [
      {
        at: "8m",
        alert: "PayloadIndexingFailed",
        expect: [
          fires(
            { ...L, operation: "create_index", error_type: "timeout", severity: "critical" },
            "Payload indexing failed.",
            'Payload indexing "create_index" failed 5 times in 5 minutes (timeout).',
          ),
        ],
      },
      {
        at: "8m",
        alert: "CollectionAliasOperationFailed",
        expect: [
          fires(
            { ...L, operation: "swap", error_type: "not_found", severity: "critical" },
            "A collection alias operation failed.",
            'A collection alias operation "swap" failed 5 times in 5 minutes (not_found).',
          ),
        ],
      },
    ],
  },
  {
    name: "error counters that do not move",
    series: {
      [`payload_indexing_errors_total{${J}, operation="create_index", error_type="timeout"}`]: "3x10",
      [`collection_alias_errors_total{${J}, operation="swap", error_type="not_found"}`]: "3x10",
    },
    alerts: [
      { at: "8m", alert: "PayloadIndexingFailed", expect: [] },
      { at: "8m", alert: "CollectionAliasOperationFailed", expect: [] },
    ],
  },
  {
    name: "19 of 20 pool connections checked out",
    series: { [`db_connection_pool_checked_out{${J}}`]: "19x10", [`db_connection_pool_size{${J}}`]: "20x10" },
    alerts: [
      {
        at: "5m",
        alert: "DatabaseConnectionPoolExhausted",
        expect: [
          fires(
            { ...I, severity: "critical" },
            "The database connection pool is nearly exhausted.",
            "95% of the pool of a1:8000 is checked out.",
          ),
        ],
      },
    ],
  },
  {
    name: "half the pool, and an empty pool (size 0) that must not divide by zero",
    series: {
      [`db_connection_pool_checked_out{${J}}`]: "10x10",
      [`db_connection_pool_size{${J}}`]: "20x10",
      'db_connection_pool_checked_out{job="vector-db-app", instance="a2:8000"}': "0x10",
      'db_connection_pool_size{job="vector-db-app", instance="a2:8000"}': "0x10",
    },
    alerts: [{ at: "5m", alert: "DatabaseConnectionPoolExhausted", expect: [] }],
  },
  ...gauge(
    "DatabaseConnectionPoolMLModelDegraded",
    "db_load_prediction_accuracy",
    "0.6",
    "0.9",
    "10m",
    { ...I, severity: "warning" },
    "The pool's load-prediction model is inaccurate.",
    "Load-prediction accuracy of a1:8000 is 60%.",
  ),
  {
    name: "open circuit breaker (the gauge's value is the state)",
    series: {
      [`db_circuit_breaker_state{${J}, failure_type="timeout"}`]: "1x10",
      [`db_circuit_breaker_state{${J}, failure_type="connection"}`]: "0x10",
    },
    alerts: [
      {
        at: "3m",
        alert: "DatabaseCircuitBreakerOpen",
        expect: [
          fires(
            { ...I, failure_type: "timeout", severity: "critical" },
            "A database circuit breaker is open.",
            'The circuit breaker for "timeout" failures on a1:8000 is open.',
          ),
        ],
      },
    ],
  },
  {
    name: "breakers closed and half-open",
    series: {
      [`db_circuit_breaker_state{${J}, failure_type="timeout"}`]: "2x10",
      [`db_circuit_breaker_state{${J}, failure_type="connection"}`]: "0x10",
    },
    alerts: [{ at: "3m", alert: "DatabaseCircuitBreakerOpen", expect: [] }],
  },
  {
    name: "affinity hits a third of the time",
    series: {
      [`db_connection_affinity_hits_total{${J}, query_type="vector"}`]: "0+20x30",
      [`db_connection_affinity_misses_total{${J}, query_type="vector"}`]: "0+40x30",
    },
    alerts: [
      { at: "8m", alert: "DatabaseConnectionAffinityDegraded", expect: [] },
      {
        at: "20m",
        alert: "DatabaseConnectionAffinityDegraded",
        expect: [
          fires(
            { ...L, severity: "warning" },
            "Connection affinity rarely hits.",
            "The connection-affinity hit ratio of vector-db-app is 33.33%.",
          ),
        ],
      },
    ],
  },
  {
    name: "affinity mostly hits",
    series: {
      [`db_connection_affinity_hits_total{${J}, query_type="vector"}`]: "0+50x30",
      [`db_connection_affinity_misses_total{${J}, query_type="vector"}`]: "0+10x30",
    },
    alerts: [{ at: "20m", alert: "DatabaseConnectionAffinityDegraded", expect: [] }],
  },
  {
    name: "database p95 962.5 ms",
    series: buckets(
      "db_query_duration_seconds",
      'query_type="select", success="true"',
      ["0.1", "0.25", "1"],
      true,
    ),
    alerts: [
      {
        at: "10m",
        alert: "DatabaseQueryLatencyRegression",
        expect: [
          fires(
            { ...L, severity: "warning" },
            "Database queries are slow.",
            "p95 database query latency of vector-db-app is 962.5ms.",
          ),
        ],
      },
    ],
  },
  {
    name: "database queries under 100 ms",
    series: buckets(
      "db_query_duration_seconds",
      'query_type="select", success="true"',
      ["0.1", "0.25", "1"],
      false,
    ),
    alerts: [{ at: "10m", alert: "DatabaseQueryLatencyRegression", expect: [] }],
  },
  {
    name: "vector search p95 960 ms on docs",
    series: buckets(
      "qdrant_search_duration_seconds",
      'collection="docs", search_type="dense"',
      ["0.05", "0.2", "1"],
      true,
    ),
    alerts: [
      {
        at: "10m",
        alert: "VectorSearchSlow",
        expect: [
          fires(
            { ...L, collection: "docs", severity: "warning" },
            "Vector search is slow.",
            'p95 vector search latency on collection "docs" is 960ms.',
          ),
        ],
      },
    ],
  },
  {
    name: "vector search under 50 ms",
    series: buckets(
      "qdrant_search_duration_seconds",
      'collection="docs", search_type="dense"',
      ["0.05", "0.2", "1"],
      false,
    ),
    alerts: [{ at: "10m", alert: "VectorSearchSlow", expect: [] }],
  },
  ...gauge(
    "HighVectorDBMemory",
    "qdrant_memory_usage_bytes",
    "10737418240",
    "1073741824",
    "10m",
    { ...I, severity: "warning" },
    "Qdrant uses a lot of memory.",
    "Qdrant memory is 10GiB.",
  ),
];

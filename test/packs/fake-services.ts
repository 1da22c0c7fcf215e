/**
 * Stand-ins for the five seed services in the live test: one plain-text HTTP endpoint per scrape job,
 * serving the metric names and labels the seeds' code defines (000:982-1010, 001:446-809, 002:149-183,
 * 003:809-860, 004:110-135), with counters that grow with time, histograms over a fixed latency
 * distribution and steady gauges, in the Prometheus text exposition format.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HOST } from "../helpers/processes";

type Labels = Record<string, string>;

/** One metric family: its lines at `t` seconds since start. */
type Family = (t: number) => string[];

const fmt = (labels: Labels) => {
  const entries = Object.entries(labels);
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${v}"`).join(",")}}` : "";
};

export function counter(name: string, perSecond: number, labels: Labels = {}): Family {
  return (t) => [`# TYPE ${name} counter`, `${name}${fmt(labels)} ${Math.floor(perSecond * t)}`];
}

export function gauge(name: string, value: number, labels: Labels = {}): Family {
  return () => [`# TYPE ${name} gauge`, `${name}${fmt(labels)} ${value}`];
}

const BOUNDS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Share of observations at or below each bound: most requests fast, a tail up to 10 s. */
const CDF = [0.2, 0.45, 0.7, 0.9, 0.96, 0.99, 0.995, 1];

export function histogram(name: string, perSecond: number, labels: Labels = {}): Family {
  return (t) => {
    const count = Math.floor(perSecond * t);
    return [
      `# TYPE ${name} histogram`,
      ...BOUNDS.map(
        (b, i) => `${name}_bucket${fmt({ ...labels, le: String(b) })} ${Math.floor(count * CDF[i])}`,
      ),
      `${name}_bucket${fmt({ ...labels, le: "+Inf" })} ${count}`,
      `${name}_sum${fmt(labels)} ${(count * 0.3).toFixed(3)}`,
      `${name}_count${fmt(labels)} ${count}`,
    ];
  };
}

/** Families of one type written together (one TYPE line per name, as the format requires). */
function merge(families: Family[]): Family {
  return (t) => {
    const byName = new Map<string, string[]>();
    for (const f of families) {
      const [type, ...rest] = f(t);
      const name = type.split(" ")[2];
      byName.set(name, [...(byName.get(name) ?? [type]), ...rest]);
    }
    return [...byName.values()].flat();
  };
}

/** Metric families per scrape job of the packs (job name -> families). */
export const SERVICES: Record<string, Family[]> = {
  "bge-icl-server": [
    counter("bge_icl_requests_total", 20, { provider: "local", language: "en", status: "ok" }),
    counter("bge_icl_requests_total", 1, { provider: "openai", language: "en", status: "error" }),
    counter("bge_icl_requests_total", 10, { provider: "openai", language: "en", status: "ok" }),
    histogram("bge_icl_request_duration_seconds", 31),
    counter("bge_icl_embeddings_generated_total", 400),
    gauge("bge_icl_cache_hit_rate", 0.82),
    gauge("bge_icl_active_connections", 12),
    gauge("bge_icl_current_batch_size", 32),
    gauge("bge_icl_min_batch_size", 4),
    gauge("bge_icl_queue_depth", 7),
    histogram("bge_icl_context_preparation_seconds", 5, { language: "en" }),
    histogram("bge_icl_context_preparation_seconds", 2, { language: "de" }),
    gauge("process_resident_memory_bytes", 2_147_483_648),
    counter("process_cpu_seconds_total", 0.6),
  ],
  "bge-icl-custom": [
    histogram("bge_icl_context_quality_score", 3, { language: "en" }),
    histogram("bge_icl_model_inference_seconds", 10, { model: "bge-in-icl", batch_size_range: "small" }),
    histogram("bge_icl_model_inference_seconds", 4, { model: "bge-in-icl", batch_size_range: "large" }),
    gauge("bge_icl_cache_efficiency_ratio", 0.7, { provider: "local" }),
    gauge("bge_icl_embedding_dimensions", 4096, { model: "bge-in-icl" }),
    gauge("bge_icl_active_requests_current", 3, { provider: "local" }),
  ],
  chunkhound: [counter("chunkhound_chunks_total", 5)],
  "vector-db-app": [
    counter("http_requests_total", 30, { method: "GET", endpoint: "/search", status: "200" }),
    counter("http_requests_total", 1, { method: "GET", endpoint: "/search", status: "500" }),
    histogram("http_request_duration_seconds", 31, { method: "GET", endpoint: "/search" }),
    gauge("active_connections", 9),
    histogram("query_api_duration_seconds", 20, { operation: "search", collection: "docs" }),
    counter("query_api_requests_total", 20, { operation: "search", collection: "docs", status: "success" }),
    counter("hyde_cache_hits_total", 14),
    counter("hyde_cache_misses_total", 6),
    histogram("hyde_generation_duration_seconds", 6),
    gauge("dragonfly_cache_hit_rate", 0.85),
    gauge("dragonfly_memory_usage_bytes", 1_073_741_824),
    counter("dragonfly_evicted_keys_total", 0.5),
    histogram("payload_indexing_duration_seconds", 2, { operation: "create_index", field_type: "keyword" }),
    counter("payload_indexing_errors_total", 0.01, { operation: "create_index", error_type: "timeout" }),
    counter("collection_alias_operations_total", 0.2, { operation: "swap", status: "success" }),
    counter("collection_alias_errors_total", 0.01, { operation: "swap", error_type: "not_found" }),
    gauge("db_connection_pool_size", 20),
    gauge("db_connection_pool_checked_out", 8),
    gauge("db_connection_pool_checked_in", 12),
    gauge("db_connection_pool_overflow", 0),
    gauge("db_connection_pool_invalidated", 0),
    histogram("db_connection_create_duration_seconds", 0.5),
    counter("db_connection_errors_total", 0.05, { error_type: "timeout" }),
    histogram("db_query_duration_seconds", 25, { query_type: "select", success: "true" }),
    counter("db_slow_queries_total", 0.1, { query_pattern: "select_by_vector" }),
    gauge("db_load_prediction_accuracy", 0.88),
    gauge("db_load_prediction_mae", 0.07),
    counter("db_adaptive_config_changes_total", 0.02, {
      config_type: "pool_size",
      adaptation_strategy: "ml",
    }),
    gauge("db_circuit_breaker_state", 0, { failure_type: "timeout" }),
    gauge("db_circuit_breaker_state", 2, { failure_type: "connection" }),
    counter("db_circuit_breaker_failures_total", 0.05, { failure_type: "timeout" }),
    counter("db_circuit_breaker_recoveries_total", 0.05, { failure_type: "timeout" }),
    counter("db_connection_affinity_hits_total", 8, { query_type: "vector" }),
    counter("db_connection_affinity_misses_total", 2, { query_type: "vector" }),
    gauge("db_connection_affinity_performance_gain_percent", 23, { query_type: "vector" }),
    histogram("qdrant_search_duration_seconds", 20, { collection: "docs", search_type: "dense" }),
    counter("qdrant_search_requests_total", 20, {
      collection: "docs",
      search_type: "dense",
      status: "success",
    }),
    counter("qdrant_index_operations_total", 0.5, {
      operation: "upsert",
      collection: "docs",
      status: "success",
    }),
    gauge("qdrant_collection_points", 125000, { collection: "docs" }),
    gauge("qdrant_collection_segments", 8, { collection: "docs" }),
    gauge("qdrant_memory_usage_bytes", 3_221_225_472),
  ],
  qdrant: [gauge("app_info", 1, { version: "1.x" })],
  dragonfly: [gauge("dragonfly_uptime_in_seconds", 100)],
  "mcp-server": [gauge("mcp_server_up", 1)],
  "ai-assistant": [
    counter("http_requests_total", 25, { method: "POST", endpoint: "/chat", status_code: "200" }),
    counter("http_requests_total", 0.5, { method: "POST", endpoint: "/chat", status_code: "500" }),
    histogram("http_request_duration_seconds", 25.5, { method: "POST", endpoint: "/chat" }),
    gauge("active_connections", 14),
    counter("tool_executions_total", 6, { tool_name: "search", status: "success" }),
    counter("tool_executions_total", 0.2, { tool_name: "search", status: "error" }),
    counter("tool_executions_total", 3, { tool_name: "calculator", status: "success" }),
    histogram("tool_execution_duration_seconds", 6, { tool_name: "search" }),
    histogram("tool_execution_duration_seconds", 3, { tool_name: "calculator" }),
    gauge("cache_hit_rate", 0.64, { cache_type: "response" }),
  ],
  "rag-pipeline-api": [
    counter("api_requests_total", 12, {
      endpoint: "/query",
      method: "POST",
      provider: "openai",
      status_code: "200",
    }),
    counter("api_requests_total", 0.3, {
      endpoint: "/query",
      method: "POST",
      provider: "openai",
      status_code: "500",
    }),
    counter("api_requests_total", 0.5, {
      endpoint: "/query",
      method: "POST",
      provider: "openai",
      status_code: "429",
    }),
    counter("api_requests_total", 6, {
      endpoint: "/query",
      method: "POST",
      provider: "anthropic",
      status_code: "200",
    }),
    histogram("api_response_time_seconds", 12, { endpoint: "/query", method: "POST", provider: "openai" }),
    histogram("api_response_time_seconds", 6, { endpoint: "/query", method: "POST", provider: "anthropic" }),
    counter("pipeline_executions_total", 2, { success: "true" }),
    counter("pipeline_executions_total", 0.1, { success: "false" }),
    histogram("pipeline_execution_time_seconds", 2.1),
    histogram("pipeline_step_execution_time_seconds", 2, { step_name: "retrieve" }),
    histogram("pipeline_step_execution_time_seconds", 2, { step_name: "generate" }),
  ],
  "rag-pipeline-system": [
    gauge("system_cpu_usage_percent", 42),
    gauge("system_memory_usage_percent", 61),
    gauge("system_disk_usage_percent", 55),
  ],
  "llm-proxy": [
    counter("http_requests_total", 15, { status: "200" }),
    counter("http_requests_total", 0.2, { status: "502" }),
    histogram("http_request_duration_seconds", 15.2),
    counter("llm_requests_total", 10, { provider: "openai" }),
    counter("llm_requests_total", 5, { provider: "anthropic" }),
    counter("llm_tokens_total", 5000),
    counter("cache_hits_total", 4),
    counter("cache_misses_total", 11),
  ],
  "context-service": [
    counter("context_condensations_total", 3),
    gauge("context_cache_size", 420),
    histogram("context_processing_time_seconds", 3),
  ],
  "health-worker": [
    counter("health_checks_total", 0.5),
    gauge("provider_status", 1, { provider: "openai" }),
    gauge("provider_status", 0, { provider: "anthropic" }),
  ],
};

/** Serves each job's families on a port of its own (any path); returns job -> host:port. */
export async function startFakeServices(): Promise<{
  addresses: Record<string, string>;
  close: () => Promise<void>;
}> {
  const started = Date.now();
  const servers: Server[] = [];
  const addresses: Record<string, string> = {};
  for (const [job, families] of Object.entries(SERVICES)) {
    const body = merge(families);
    const server = createServer((_req, res) => {
      res.setHeader("content-type", "text/plain; version=0.0.4");
      res.end(`${body((Date.now() - started) / 1000).join("\n")}\n`);
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    servers.push(server);
    addresses[job] = `${HOST}:${(server.address() as AddressInfo).port}`;
  }
  return {
    addresses,
    close: () =>
      Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(
        () => undefined,
      ),
  };
}

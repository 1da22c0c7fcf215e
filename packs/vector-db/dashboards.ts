/**
 * The documentation system's dashboards, after the seed's "AI Vector DB Monitoring" (001:120-200) and
 * its three connection-pool dashboards (001:2393-2576), folded into one pool dashboard. Panels that
 * read metrics the seed's code never defines use the defined ones (db_load_prediction_accuracy, the
 * affinity hit ratio); the pie chart becomes a bar gauge, the 5 s refresh the stack's 30 s.
 */
import {
  barGauge,
  row,
  stat,
  thresholds,
  timeseries,
  type DashboardFile,
} from "../../components/grafana/dashboards";
import type { PackSpec, SloSpec } from "../../stacks/spec";
import { BY_INSTANCE, latencyPanel, packDashboard, RATE, rateBy, ratioOf } from "../dashboards";

export function vectorDbDashboards(spec: PackSpec, slos: SloSpec[]): DashboardFile[] {
  const status = spec.labels.status;
  const overview = packDashboard({
    spec,
    slos,
    uid: "vector-db-overview",
    title: "Documentation system / Overview",
    description: "Query API, HyDE cache, DragonflyDB cache, Qdrant search, indexing and aliases.",
    keyMetric: "query_api_requests_total",
    mainJob: "app",
    tags: ["vector-db"],
    rows: [
      row("HTTP", [
        timeseries({
          title: "Requests by endpoint",
          unit: "reqps",
          width: 8,
          queries: [{ expr: rateBy("endpoint", "http_requests_total"), legend: "{{endpoint}}" }],
        }),
        timeseries({
          title: "5xx ratio",
          unit: "percentunit",
          width: 8,
          min: 0,
          queries: [{ expr: ratioOf("job", "http_requests_total", `${status}=~"5.."`), legend: "5xx" }],
        }),
        latencyPanel("HTTP latency", "http_request_duration_seconds", "", "", 1),
      ]),
      row("Query API and HyDE", [
        latencyPanel(
          "Query API latency by operation",
          "query_api_duration_seconds",
          "operation",
          "{{operation}} ",
          0.5,
        ),
        timeseries({
          title: "Query API requests by status",
          unit: "reqps",
          queries: [
            {
              expr: rateBy("operation, status", "query_api_requests_total"),
              legend: "{{operation}} {{status}}",
            },
          ],
        }),
        timeseries({
          title: "HyDE cache hits and misses",
          unit: "ops",
          queries: [
            { expr: `sum(rate(hyde_cache_hits_total{${BY_INSTANCE}}[${RATE}]))`, legend: "hits" },
            { expr: `sum(rate(hyde_cache_misses_total{${BY_INSTANCE}}[${RATE}]))`, legend: "misses" },
          ],
        }),
        latencyPanel("HyDE generation time", "hyde_generation_duration_seconds"),
      ]),
      row("DragonflyDB cache", [
        stat({
          title: "Cache hit rate",
          unit: "percentunit",
          width: 6,
          thresholds: thresholds("red", [0.6, "orange"], [0.8, "green"]),
          queries: [{ expr: `avg(dragonfly_cache_hit_rate{${BY_INSTANCE}})`, legend: "hit rate" }],
        }),
        stat({
          title: "Cache memory",
          unit: "bytes",
          width: 6,
          queries: [{ expr: `max(dragonfly_memory_usage_bytes{${BY_INSTANCE}})`, legend: "memory" }],
        }),
        timeseries({
          title: "Evictions",
          unit: "ops",
          queries: [
            {
              expr: `sum(rate(dragonfly_evicted_keys_total{${BY_INSTANCE}}[${RATE}]))`,
              legend: "evicted keys",
            },
          ],
        }),
      ]),
      row("Qdrant (app collector)", [
        latencyPanel(
          "Vector search latency by collection",
          "qdrant_search_duration_seconds",
          "collection",
          "{{collection}} ",
          0.2,
        ),
        timeseries({
          title: "Search requests by status",
          unit: "reqps",
          queries: [
            {
              expr: rateBy("collection, status", "qdrant_search_requests_total"),
              legend: "{{collection}} {{status}}",
            },
          ],
        }),
        timeseries({
          title: "Points by collection",
          unit: "short",
          queries: [
            {
              expr: `sum by (collection) (qdrant_collection_points{${BY_INSTANCE}})`,
              legend: "{{collection}}",
            },
          ],
        }),
        timeseries({
          title: "Qdrant memory",
          unit: "bytes",
          queries: [{ expr: `max(qdrant_memory_usage_bytes{${BY_INSTANCE}})`, legend: "memory" }],
        }),
      ]),
      row("Indexing and aliases", [
        latencyPanel(
          "Payload indexing time",
          "payload_indexing_duration_seconds",
          "operation",
          "{{operation}} ",
        ),
        timeseries({
          title: "Indexing and alias errors",
          unit: "ops",
          queries: [
            { expr: rateBy("operation", "payload_indexing_errors_total"), legend: "indexing {{operation}}" },
            { expr: rateBy("operation", "collection_alias_errors_total"), legend: "alias {{operation}}" },
          ],
        }),
        timeseries({
          title: "Alias operations by status",
          unit: "ops",
          queries: [
            {
              expr: rateBy("operation, status", "collection_alias_operations_total"),
              legend: "{{operation}} {{status}}",
            },
          ],
        }),
      ]),
    ],
  });

  const pool = packDashboard({
    spec,
    slos: [],
    uid: "vector-db-pool",
    title: "Documentation system / Database pool",
    description:
      "Connection pool utilisation, circuit breaker, load prediction, connection affinity and query latency.",
    keyMetric: "db_connection_pool_size",
    mainJob: "app",
    tags: ["vector-db", "database"],
    rows: [
      row("Pool", [
        stat({
          title: "Pool utilisation",
          unit: "percentunit",
          width: 6,
          thresholds: thresholds("green", [0.7, "orange"], [0.9, "red"]),
          queries: [
            {
              expr: `sum(db_connection_pool_checked_out{${BY_INSTANCE}}) / sum(db_connection_pool_size{${BY_INSTANCE}})`,
              legend: "used",
            },
          ],
        }),
        stat({
          title: "Open circuit breakers",
          description: "Breakers in state 1 (open); 2 is half-open.",
          unit: "short",
          width: 6,
          thresholds: thresholds("green", [1, "red"]),
          queries: [
            { expr: `count(db_circuit_breaker_state{${BY_INSTANCE}} == 1) or vector(0)`, legend: "open" },
          ],
        }),
        timeseries({
          title: "Connections",
          unit: "short",
          queries: [
            { expr: `sum(db_connection_pool_checked_out{${BY_INSTANCE}})`, legend: "checked out" },
            { expr: `sum(db_connection_pool_checked_in{${BY_INSTANCE}})`, legend: "checked in" },
            { expr: `sum(db_connection_pool_overflow{${BY_INSTANCE}})`, legend: "overflow" },
            { expr: `sum(db_connection_pool_size{${BY_INSTANCE}})`, legend: "size" },
          ],
        }),
        timeseries({
          title: "Circuit breaker state by failure type",
          unit: "short",
          queries: [
            {
              expr: `max by (failure_type) (db_circuit_breaker_state{${BY_INSTANCE}})`,
              legend: "{{failure_type}}",
            },
          ],
        }),
        timeseries({
          title: "Connection errors and breaker trips",
          unit: "ops",
          queries: [
            { expr: rateBy("error_type", "db_connection_errors_total"), legend: "error {{error_type}}" },
            {
              expr: rateBy("failure_type", "db_circuit_breaker_failures_total"),
              legend: "breaker failure {{failure_type}}",
            },
          ],
        }),
      ]),
      row("Load prediction and affinity", [
        timeseries({
          title: "Load-prediction accuracy and MAE",
          unit: "short",
          queries: [
            { expr: `avg(db_load_prediction_accuracy{${BY_INSTANCE}})`, legend: "accuracy" },
            { expr: `avg(db_load_prediction_mae{${BY_INSTANCE}})`, legend: "MAE" },
          ],
        }),
        timeseries({
          title: "Affinity hit ratio by query type",
          unit: "percentunit",
          min: 0,
          max: 1,
          queries: [
            {
              expr: `${rateBy("query_type", "db_connection_affinity_hits_total")} / (${rateBy("query_type", "db_connection_affinity_hits_total")} + ${rateBy("query_type", "db_connection_affinity_misses_total")})`,
              legend: "{{query_type}}",
            },
          ],
        }),
        barGauge({
          title: "Affinity performance gain",
          unit: "percent",
          min: 0,
          queries: [
            {
              expr: `max by (query_type) (db_connection_affinity_performance_gain_percent{${BY_INSTANCE}})`,
              legend: "{{query_type}}",
            },
          ],
        }),
        timeseries({
          title: "Adaptive configuration changes",
          unit: "ops",
          queries: [
            { expr: rateBy("config_type", "db_adaptive_config_changes_total"), legend: "{{config_type}}" },
          ],
        }),
      ]),
      row("Queries", [
        latencyPanel("Query latency", "db_query_duration_seconds", "", "", 0.25),
        timeseries({
          title: "Slow queries by pattern",
          unit: "ops",
          queries: [{ expr: rateBy("query_pattern", "db_slow_queries_total"), legend: "{{query_pattern}}" }],
        }),
        latencyPanel("Connection creation time", "db_connection_create_duration_seconds"),
      ]),
    ],
  });
  return [overview, pool];
}

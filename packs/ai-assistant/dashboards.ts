/**
 * The AI assistant's dashboard, after the application dashboard the seed describes in prose
 * (002:258-279: requests, p95/p99, error %, connections, tool usage, cache), plus Redis and
 * PostgreSQL rows from the exporters the pack deploys (the seed's system dashboard is the core
 * node and containers dashboards).
 */
import {
  barGauge,
  row,
  stat,
  thresholds,
  timeseries,
  type DashboardFile,
} from "../../components/grafana/dashboards";
import { BY_CLUSTER } from "../../components/grafana/dashboards/common";
import type { PackSpec, SloSpec } from "../../stacks/spec";
import { BY_INSTANCE, latencyPanel, packDashboard, RATE, rateBy, ratioOf } from "../dashboards";
import { aiAssistantDefinition as def } from "./definition";

export function aiAssistantDashboards(spec: PackSpec, slos: SloSpec[]): DashboardFile[] {
  const status = spec.labels.status;
  const tool = spec.labels.tool;
  const toolStatus = spec.labels.toolStatus;
  const redis = `${BY_CLUSTER}, job="${def.jobs.redis.job}"`;
  const pg = `${BY_CLUSTER}, job="${def.jobs.postgres.job}"`;
  const r = (m: string) => `sum(rate(${m}{${redis}}[${RATE}]))`;
  const p = (m: string, by = "") => `sum${by ? ` by (${by})` : ""} (rate(${m}{${pg}}[${RATE}]))`;
  return [
    packDashboard({
      spec,
      slos,
      uid: "ai-assistant",
      title: "AI assistant",
      description:
        "The assistant's HTTP traffic, tools and cache, with its Redis and PostgreSQL through their exporters.",
      keyMetric: "tool_executions_total",
      mainJob: "app",
      tags: ["ai-assistant"],
      rows: [
        row("Application", [
          stat({
            title: "Request rate",
            unit: "reqps",
            width: 6,
            sparkline: true,
            queries: [
              { expr: `sum(rate(http_requests_total{${BY_INSTANCE}}[${RATE}]))`, legend: "requests" },
            ],
          }),
          stat({
            title: "Error ratio (5xx)",
            unit: "percentunit",
            width: 6,
            decimals: 2,
            sparkline: true,
            thresholds: thresholds("green", [0.01, "orange"], [0.1, "red"]),
            queries: [{ expr: ratioOf("job", "http_requests_total", `${status}=~"5.."`), legend: "5xx" }],
          }),
          stat({
            title: "Active connections",
            unit: "short",
            width: 6,
            queries: [{ expr: `sum(active_connections{${BY_INSTANCE}})`, legend: "connections" }],
          }),
          stat({
            title: "Latency p95",
            unit: "s",
            width: 6,
            thresholds: thresholds("green", [1, "red"]),
            queries: [
              {
                expr: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${BY_INSTANCE}}[${RATE}])))`,
                legend: "p95",
              },
            ],
          }),
          timeseries({
            title: "Requests by endpoint and status",
            unit: "reqps",
            queries: [
              {
                expr: rateBy(`endpoint, ${status}`, "http_requests_total"),
                legend: `{{endpoint}} {{${status}}}`,
              },
            ],
          }),
          latencyPanel("Response time", "http_request_duration_seconds", "", "", 1),
        ]),
        row("Tools and cache", [
          barGauge({
            title: "Most used tools",
            unit: "ops",
            min: 0,
            width: 8,
            queries: [{ expr: `topk(10, ${rateBy(tool, "tool_executions_total")})`, legend: `{{${tool}}}` }],
          }),
          timeseries({
            title: "Tool failures",
            unit: "ops",
            width: 8,
            queries: [
              {
                expr: rateBy(tool, "tool_executions_total", `${BY_INSTANCE}, ${toolStatus}="error"`),
                legend: `{{${tool}}}`,
              },
            ],
          }),
          latencyPanel("Tool duration p95", "tool_execution_duration_seconds", tool, `{{${tool}}} `),
          timeseries({
            title: "Cache hit rate by cache",
            unit: "percentunit",
            min: 0,
            max: 1,
            queries: [
              { expr: `avg by (cache_type) (cache_hit_rate{${BY_INSTANCE}})`, legend: "{{cache_type}}" },
            ],
          }),
        ]),
        row("Redis (redis_exporter)", [
          stat({
            title: "Redis up",
            unit: "bool",
            width: 4,
            thresholds: thresholds("red", [1, "green"]),
            queries: [{ expr: `min(redis_up{${redis}})`, legend: "up" }],
          }),
          stat({
            title: "Redis clients",
            unit: "short",
            width: 4,
            queries: [{ expr: `sum(redis_connected_clients{${redis}})`, legend: "clients" }],
          }),
          stat({
            title: "Redis keys",
            unit: "short",
            width: 4,
            queries: [{ expr: `sum(redis_db_keys{${redis}})`, legend: "keys" }],
          }),
          timeseries({
            title: "Redis memory",
            unit: "bytes",
            width: 12,
            queries: [
              { expr: `sum(redis_memory_used_bytes{${redis}})`, legend: "used" },
              { expr: `sum(redis_memory_max_bytes{${redis}} > 0)`, legend: "maxmemory" },
            ],
          }),
          timeseries({
            title: "Redis commands",
            unit: "ops",
            queries: [{ expr: r("redis_commands_processed_total"), legend: "commands" }],
          }),
          timeseries({
            title: "Redis keyspace hit ratio and evictions",
            unit: "short",
            queries: [
              {
                expr: `${r("redis_keyspace_hits_total")} / (${r("redis_keyspace_hits_total")} + ${r("redis_keyspace_misses_total")})`,
                legend: "hit ratio",
              },
              { expr: r("redis_evicted_keys_total"), legend: "evictions/s" },
            ],
          }),
        ]),
        row("PostgreSQL (postgres_exporter)", [
          stat({
            title: "PostgreSQL up",
            unit: "bool",
            width: 4,
            thresholds: thresholds("red", [1, "green"]),
            queries: [{ expr: `min(pg_up{${pg}})`, legend: "up" }],
          }),
          stat({
            title: "Connections used",
            unit: "percentunit",
            width: 4,
            thresholds: thresholds("green", [0.8, "red"]),
            queries: [
              {
                expr: `sum(pg_stat_activity_count{${pg}}) / max(pg_settings_max_connections{${pg}})`,
                legend: "used",
              },
            ],
          }),
          stat({
            title: "Database size",
            unit: "bytes",
            width: 4,
            queries: [{ expr: `sum(pg_database_size_bytes{${pg}})`, legend: "size" }],
          }),
          timeseries({
            title: "Connections by state",
            unit: "short",
            width: 12,
            queries: [{ expr: `sum by (state) (pg_stat_activity_count{${pg}})`, legend: "{{state}}" }],
          }),
          timeseries({
            title: "Transactions",
            unit: "ops",
            queries: [
              { expr: p("pg_stat_database_xact_commit"), legend: "commits" },
              { expr: p("pg_stat_database_xact_rollback"), legend: "rollbacks" },
            ],
          }),
          timeseries({
            title: "Buffer cache hit ratio",
            unit: "percentunit",
            min: 0,
            max: 1,
            queries: [
              {
                expr: `${p("pg_stat_database_blks_hit")} / (${p("pg_stat_database_blks_hit")} + ${p("pg_stat_database_blks_read")})`,
                legend: "hit ratio",
              },
            ],
          }),
          timeseries({
            title: "Deadlocks and temp files",
            unit: "ops",
            queries: [
              { expr: p("pg_stat_database_deadlocks", "datname"), legend: "deadlocks {{datname}}" },
              { expr: p("pg_stat_database_temp_files", "datname"), legend: "temp files {{datname}}" },
            ],
          }),
        ]),
      ],
    }),
  ];
}

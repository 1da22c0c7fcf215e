/**
 * AI assistant, seed 002: the app on :8000 (HTTP, tool executions, cache) with its Redis and
 * PostgreSQL. The seed scraped Redis :6379 and PostgreSQL :5432 directly (002:37-43), which serve no
 * Prometheus metrics: the pack deploys redis_exporter and postgres_exporter, given the databases'
 * addresses and credentials, and scrapes those.
 *
 * Consolidated: HighErrorRate uses the app's `status_code` label (the seed's own code, 002:152),
 * summed before dividing; the host memory and disk alerts (002:309-325) are the core node pack's
 * (NodeMemoryHighUtilization, NodeFilesystemAlmostOutOfSpace). The Redis and PostgreSQL alerts are
 * new: the seed had the jobs but nothing that could alert on them.
 */
import { DOWN_DIAGNOSIS, errorRatio, quantile } from "../alerts";
import type { PackDefinition } from "../model";

export const aiAssistantDefinition: PackDefinition = {
  key: "aiAssistant",
  name: "ai-assistant",
  title: "AI assistant (app, Redis, PostgreSQL)",
  seed: "002",
  logs: true,
  jobs: {
    app: {
      job: "ai-assistant",
      description: "the assistant app (HTTP, tools, cache)",
      metricsPath: "/metrics",
      defaultPort: 8000,
      scrapeInterval: "15s",
    },
    redis: {
      job: "ai-assistant-redis",
      description: "redis_exporter in front of the assistant's Redis (deployed by the pack)",
      metricsPath: "/metrics",
      defaultPort: 6379,
      exporter: "redis",
    },
    postgres: {
      job: "ai-assistant-postgres",
      description: "postgres_exporter in front of the assistant's PostgreSQL (deployed by the pack)",
      metricsPath: "/metrics",
      defaultPort: 5432,
      exporter: "postgres",
    },
  },
  labels: {
    status: { default: "status_code", description: "HTTP status label of http_requests_total" },
    tool: { default: "tool_name", description: "tool label of tool_executions_total" },
    toolStatus: {
      default: "status",
      description: 'label of tool_executions_total whose value "error" marks a failed execution',
    },
  },
  alerts: [
    {
      alert: "AIAssistantHighErrorRate",
      group: "ai-assistant",
      severity: "critical",
      for: "5m",
      threshold: { default: 0.1, unit: "ratio", min: 0, max: 1, meaning: "share of 5xx responses above" },
      expr: (c) =>
        `${errorRatio("http_requests_total", c.job("app"), `${c.label("status")}=~"5.."`, ["job"])} > ${c.threshold}`,
      summary: "The assistant fails many requests.",
      description: () => "{{ $value | humanizePercentage }} of requests to {{ $labels.job }} fail with 5xx.",
      runbook: {
        meaning: "More than the threshold share of HTTP requests end with a 5xx status.",
        impact: "Users get errors from the assistant.",
        diagnosis: ["Error ratio by endpoint; Redis and PostgreSQL panels.", "App logs at level error."],
        mitigation: ["Roll back a recent deploy.", "Check Redis and PostgreSQL."],
      },
      source: "002:291 HighErrorRate",
    },
    {
      alert: "AIAssistantHighResponseTime",
      group: "ai-assistant",
      severity: "warning",
      for: "5m",
      threshold: { default: 1, unit: "seconds", min: 0.001, max: 600, meaning: "p95 HTTP latency above" },
      expr: (c) =>
        `${quantile(0.95, "http_request_duration_seconds", c.job("app"), ["job"])} > ${c.threshold}`,
      summary: "The assistant answers slowly.",
      description: () => "p95 HTTP latency of {{ $labels.job }} is {{ $value | humanizeDuration }}.",
      runbook: {
        meaning: "The slowest 5 % of requests take longer than the threshold.",
        impact: "Users wait for answers.",
        diagnosis: ["Latency by endpoint; tool execution durations; PostgreSQL connections."],
        mitigation: ["Scale the app; find the slow tool."],
      },
      source: "002:300 HighResponseTime",
    },
    {
      alert: "ToolExecutionFailure",
      group: "ai-assistant",
      severity: "warning",
      for: "2m",
      threshold: {
        default: 0.1,
        unit: "per-second",
        min: 0,
        max: 1e6,
        meaning: "failed tool executions per second above",
      },
      expr: (c) =>
        `sum by (job, ${c.label("tool")}) (rate(tool_executions_total{${c.job("app")}, ${c.label("toolStatus")}="error"}[5m])) > ${c.threshold}`,
      summary: "A tool fails often.",
      description: (c) =>
        `Tool {{ $labels.${c.label("tool")} }} fails {{ printf "%.2f" $value }} times per second.`,
      runbook: {
        meaning: "Executions of one tool fail faster than the threshold.",
        impact: "Answers that need the tool fail or degrade.",
        diagnosis: ["Tool executions by status and duration on the dashboard.", "App logs for the tool."],
        mitigation: ["Disable the tool or fix its upstream."],
      },
      source: "002:327 ToolExecutionFailure",
    },
    {
      alert: "RedisDown",
      group: "ai-assistant-redis",
      severity: "critical",
      for: "1m",
      expr: (c) => `redis_up{${c.job("redis")}} == 0 or up{${c.job("redis")}} == 0`,
      summary: "The assistant's Redis is down or cannot be observed.",
      description: () =>
        "redis_exporter {{ $labels.instance }} cannot reach Redis, or Prometheus cannot reach it.",
      runbook: {
        meaning: "redis_exporter reports redis_up 0, or the exporter itself is not scraped.",
        impact: "Sessions and caches of the assistant are unavailable.",
        diagnosis: [...DOWN_DIAGNOSIS, "The exporter's log names the connection error (auth, DNS, refused)."],
        mitigation: ["Restart Redis; check the exporter's address and password secret."],
      },
      source: "002:37 redis job (new alert on redis_exporter)",
    },
    {
      alert: "RedisMemoryNearLimit",
      group: "ai-assistant-redis",
      severity: "warning",
      for: "5m",
      threshold: { default: 0.9, unit: "ratio", min: 0, max: 1, meaning: "share of maxmemory used above" },
      expr: (c) =>
        `redis_memory_used_bytes{${c.job("redis")}} / (redis_memory_max_bytes{${c.job("redis")}} > 0) > ${c.threshold}`,
      summary: "Redis is close to its maxmemory.",
      description: () =>
        "Redis behind {{ $labels.instance }} uses {{ $value | humanizePercentage }} of maxmemory.",
      runbook: {
        meaning: "Redis' used memory is close to its configured maxmemory (alerts only when one is set).",
        impact: "Evictions or refused writes, depending on the eviction policy.",
        diagnosis: ["Redis memory and evicted keys panels."],
        mitigation: ["Raise maxmemory; shorten TTLs."],
      },
      source: "new (redis_exporter)",
    },
    {
      alert: "RedisRejectedConnections",
      group: "ai-assistant-redis",
      severity: "warning",
      for: "1m",
      expr: (c) => `increase(redis_rejected_connections_total{${c.job("redis")}}[5m]) > 0`,
      summary: "Redis rejects connections.",
      description: () =>
        'Redis behind {{ $labels.instance }} rejected {{ printf "%.0f" $value }} connections in 5 minutes (maxclients).',
      runbook: {
        meaning: "Redis refused new connections because it reached maxclients.",
        impact: "Requests that need Redis fail.",
        diagnosis: ["Connected clients panel; client connection pools of the app."],
        mitigation: ["Raise maxclients; fix connection leaks."],
      },
      source: "new (redis_exporter)",
    },
    {
      alert: "PostgresDown",
      group: "ai-assistant-postgres",
      severity: "critical",
      for: "1m",
      expr: (c) => `pg_up{${c.job("postgres")}} == 0 or up{${c.job("postgres")}} == 0`,
      summary: "The assistant's PostgreSQL is down or cannot be observed.",
      description: () =>
        "postgres_exporter {{ $labels.instance }} cannot reach PostgreSQL, or Prometheus cannot reach it.",
      runbook: {
        meaning: "postgres_exporter reports pg_up 0, or the exporter itself is not scraped.",
        impact: "The assistant loses its database.",
        diagnosis: [...DOWN_DIAGNOSIS, "The exporter's log names the connection error (auth, TLS, refused)."],
        mitigation: ["Restart PostgreSQL; check the exporter's DSN and password secret."],
      },
      source: "002:41 postgres job (new alert on postgres_exporter)",
    },
    {
      alert: "PostgresTooManyConnections",
      group: "ai-assistant-postgres",
      severity: "warning",
      for: "5m",
      threshold: {
        default: 0.8,
        unit: "ratio",
        min: 0,
        max: 1,
        meaning: "share of max_connections in use above",
      },
      expr: (c) =>
        `sum by (job, instance) (pg_stat_activity_count{${c.job("postgres")}}) / max by (job, instance) (pg_settings_max_connections{${c.job("postgres")}}) > ${c.threshold}`,
      summary: "PostgreSQL is running out of connections.",
      description: () =>
        "PostgreSQL behind {{ $labels.instance }} uses {{ $value | humanizePercentage }} of max_connections.",
      runbook: {
        meaning: "Most of max_connections are taken.",
        impact: "New connections will be refused.",
        diagnosis: ["Connections by state and database panels."],
        mitigation: ["Put a pooler in front; raise max_connections; fix leaks."],
      },
      source: "new (postgres_exporter)",
    },
    {
      alert: "PostgresDeadlocks",
      group: "ai-assistant-postgres",
      severity: "warning",
      for: "1m",
      threshold: { default: 0, unit: "count", min: 0, max: 1e9, meaning: "deadlocks in 5 minutes above" },
      expr: (c) =>
        `sum by (job, instance, datname) (increase(pg_stat_database_deadlocks{${c.job("postgres")}}[5m])) > ${c.threshold}`,
      summary: "PostgreSQL detects deadlocks.",
      description: () =>
        'Database {{ $labels.datname }} had {{ printf "%.0f" $value }} deadlocks in 5 minutes.',
      runbook: {
        meaning: "Transactions deadlocked and PostgreSQL aborted one of each pair.",
        impact: "The aborted transactions fail.",
        diagnosis: ["PostgreSQL logs name the statements (log_lock_waits)."],
        mitigation: ["Take locks in a consistent order in the app."],
      },
      source: "new (postgres_exporter)",
    },
  ],
};

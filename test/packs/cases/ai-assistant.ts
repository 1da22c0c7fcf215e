import { fires, type RuleTestCase } from "../../rules/cases/types";

const J = 'job="ai-assistant", instance="a1:8000"';
const L = { job: "ai-assistant", service: "ai-assistant" };
const R = 'job="ai-assistant-redis", instance="ai-assistant-redis-exporter:9121"';
const RL = {
  job: "ai-assistant-redis",
  instance: "ai-assistant-redis-exporter:9121",
  service: "ai-assistant",
};
const P = 'job="ai-assistant-postgres", instance="ai-assistant-postgres-exporter:9187"';
const PL = {
  job: "ai-assistant-postgres",
  instance: "ai-assistant-postgres-exporter:9187",
  service: "ai-assistant",
};

const latency = (slow: boolean): Record<string, string> => ({
  [`http_request_duration_seconds_bucket{${J}, le="0.5"}`]: slow ? "0x30" : "0+60x30",
  [`http_request_duration_seconds_bucket{${J}, le="1"}`]: slow ? "0x30" : "0+60x30",
  [`http_request_duration_seconds_bucket{${J}, le="5"}`]: "0+60x30",
  [`http_request_duration_seconds_bucket{${J}, le="+Inf"}`]: "0+60x30",
});

export const aiAssistantCases: RuleTestCase[] = [
  {
    name: "20 % 5xx on status_code",
    series: {
      [`http_requests_total{${J}, status_code="500"}`]: "0+12x30",
      [`http_requests_total{${J}, status_code="200"}`]: "0+48x30",
    },
    alerts: [
      { at: "3m", alert: "AIAssistantHighErrorRate", expect: [] },
      {
        at: "10m",
        alert: "AIAssistantHighErrorRate",
        expect: [
          fires(
            { ...L, severity: "critical" },
            "The assistant fails many requests.",
            "20% of requests to ai-assistant fail with 5xx.",
          ),
        ],
      },
    ],
  },
  {
    name: "5 % 5xx",
    series: {
      [`http_requests_total{${J}, status_code="500"}`]: "0+3x30",
      [`http_requests_total{${J}, status_code="200"}`]: "0+57x30",
    },
    alerts: [{ at: "10m", alert: "AIAssistantHighErrorRate", expect: [] }],
  },
  {
    name: "p95 4.8 s",
    series: latency(true),
    alerts: [
      {
        at: "10m",
        alert: "AIAssistantHighResponseTime",
        expect: [
          fires(
            { ...L, severity: "warning" },
            "The assistant answers slowly.",
            "p95 HTTP latency of ai-assistant is 4.8s.",
          ),
        ],
      },
    ],
  },
  {
    name: "p95 under a second",
    series: latency(false),
    alerts: [{ at: "10m", alert: "AIAssistantHighResponseTime", expect: [] }],
  },
  {
    name: "the search tool fails 0.2/s; the weather tool 0.05/s",
    series: {
      [`tool_executions_total{${J}, tool_name="search", status="error"}`]: "0+12x30",
      [`tool_executions_total{${J}, tool_name="search", status="success"}`]: "0+60x30",
      [`tool_executions_total{${J}, tool_name="weather", status="error"}`]: "0+3x30",
    },
    alerts: [
      {
        at: "10m",
        alert: "ToolExecutionFailure",
        expect: [
          fires(
            { ...L, tool_name: "search", severity: "warning" },
            "A tool fails often.",
            "Tool search fails 0.20 times per second.",
          ),
        ],
      },
    ],
  },
  {
    name: "tools rarely fail",
    series: { [`tool_executions_total{${J}, tool_name="weather", status="error"}`]: "0+3x30" },
    alerts: [{ at: "10m", alert: "ToolExecutionFailure", expect: [] }],
  },
  {
    name: "Redis unreachable from the exporter (redis_up 0)",
    series: { [`redis_up{${R}}`]: "0x10", [`up{${R}}`]: "1x10" },
    alerts: [
      {
        at: "3m",
        alert: "RedisDown",
        expect: [
          fires(
            { ...RL, severity: "critical" },
            "The assistant's Redis is down or cannot be observed.",
            "redis_exporter ai-assistant-redis-exporter:9121 cannot reach Redis, or Prometheus cannot reach it.",
          ),
        ],
      },
    ],
  },
  {
    name: "the exporter itself is down (no redis_up at all)",
    series: { [`up{${R}}`]: "0x10" },
    alerts: [
      {
        at: "3m",
        alert: "RedisDown",
        expect: [
          fires(
            { ...RL, severity: "critical" },
            "The assistant's Redis is down or cannot be observed.",
            "redis_exporter ai-assistant-redis-exporter:9121 cannot reach Redis, or Prometheus cannot reach it.",
          ),
        ],
      },
    ],
  },
  {
    name: "Redis up",
    series: { [`redis_up{${R}}`]: "1x10", [`up{${R}}`]: "1x10" },
    alerts: [{ at: "3m", alert: "RedisDown", expect: [] }],
  },
  {
    name: "Redis at 95 % of maxmemory",
    series: { [`redis_memory_used_bytes{${R}}`]: "950x10", [`redis_memory_max_bytes{${R}}`]: "1000x10" },
    alerts: [
      {
        at: "8m",
        alert: "RedisMemoryNearLimit",
        expect: [
          fires(
            { ...RL, severity: "warning" },
            "Redis is close to its maxmemory.",
            "Redis behind ai-assistant-redis-exporter:9121 uses 95% of maxmemory.",
          ),
        ],
      },
    ],
  },
  {
    name: "Redis without maxmemory (0) is never near it",
    series: { [`redis_memory_used_bytes{${R}}`]: "950x10", [`redis_memory_max_bytes{${R}}`]: "0x10" },
    alerts: [{ at: "8m", alert: "RedisMemoryNearLimit", expect: [] }],
  },
  {
    name: "Redis rejects connections",
    series: { [`redis_rejected_connections_total{${R}}`]: "0+2x10" },
    alerts: [
      {
        at: "8m",
        alert: "RedisRejectedConnections",
        expect: [
          fires(
            { ...RL, severity: "warning" },
            "Redis rejects connections.",
            "Redis behind ai-assistant-redis-exporter:9121 rejected 10 connections in 5 minutes (maxclients).",
          ),
        ],
      },
    ],
  },
  {
    name: "Redis rejected some long ago",
    series: { [`redis_rejected_connections_total{${R}}`]: "7x10" },
    alerts: [{ at: "8m", alert: "RedisRejectedConnections", expect: [] }],
  },
  {
    name: "PostgreSQL unreachable from the exporter (pg_up 0)",
    series: { [`pg_up{${P}}`]: "0x10", [`up{${P}}`]: "1x10" },
    alerts: [
      {
        at: "3m",
        alert: "PostgresDown",
        expect: [
          fires(
            { ...PL, severity: "critical" },
            "The assistant's PostgreSQL is down or cannot be observed.",
            "postgres_exporter ai-assistant-postgres-exporter:9187 cannot reach PostgreSQL, or Prometheus cannot reach it.",
          ),
        ],
      },
    ],
  },
  {
    name: "PostgreSQL up",
    series: { [`pg_up{${P}}`]: "1x10", [`up{${P}}`]: "1x10" },
    alerts: [{ at: "3m", alert: "PostgresDown", expect: [] }],
  },
  {
    name: "85 of 100 connections in use",
    series: {
      [`pg_stat_activity_count{${P}, datname="assistant", state="active"}`]: "70x10",
      [`pg_stat_activity_count{${P}, datname="assistant", state="idle"}`]: "15x10",
      [`pg_settings_max_connections{${P}}`]: "100x10",
    },
    alerts: [
      {
        at: "8m",
        alert: "PostgresTooManyConnections",
        expect: [
          fires(
            { ...PL, severity: "warning" },
            "PostgreSQL is running out of connections.",
            "PostgreSQL behind ai-assistant-postgres-exporter:9187 uses 85% of max_connections.",
          ),
        ],
      },
    ],
  },
  {
    name: "20 of 100 connections",
    series: {
      [`pg_stat_activity_count{${P}, datname="assistant", state="active"}`]: "20x10",
      [`pg_settings_max_connections{${P}}`]: "100x10",
    },
    alerts: [{ at: "8m", alert: "PostgresTooManyConnections", expect: [] }],
  },
  {
    name: "deadlocks",
    series: { [`pg_stat_database_deadlocks{${P}, datname="assistant"}`]: "0+1x10" },
    alerts: [
      {
        at: "8m",
        alert: "PostgresDeadlocks",
        expect: [
          fires(
            { ...PL, datname: "assistant", severity: "warning" },
            "PostgreSQL detects deadlocks.",
            "Database assistant had 5 deadlocks in 5 minutes.",
          ),
        ],
      },
    ],
  },
  {
    name: "no new deadlocks",
    series: { [`pg_stat_database_deadlocks{${P}, datname="assistant"}`]: "2x10" },
    alerts: [{ at: "8m", alert: "PostgresDeadlocks", expect: [] }],
  },
];

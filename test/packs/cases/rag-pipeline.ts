import { fires, type RuleTestCase } from "../../rules/cases/types";

const J = 'job="rag-pipeline-api", instance="r1:8000"';
const L = { job: "rag-pipeline-api", service: "rag-pipeline" };
const S = 'job="rag-pipeline-system", instance="r1:8001"';
const SL = { job: "rag-pipeline-system", instance: "r1:8001", service: "rag-pipeline", severity: "warning" };

const latency = (slow: boolean): Record<string, string> => {
  const sel = `${J}, provider="openai", endpoint="/query", method="POST"`;
  return {
    [`api_response_time_seconds_bucket{${sel}, le="0.5"}`]: slow ? "0x30" : "0+60x30",
    [`api_response_time_seconds_bucket{${sel}, le="2"}`]: slow ? "0x30" : "0+60x30",
    [`api_response_time_seconds_bucket{${sel}, le="5"}`]: "0+60x30",
    [`api_response_time_seconds_bucket{${sel}, le="+Inf"}`]: "0+60x30",
  };
};

const system = (alert: string, metric: string, what: string): RuleTestCase[] => [
  {
    name: `${metric} at 96 %`,
    series: { [`${metric}{${S}}`]: "96x30" },
    alerts: [
      { at: "5m", alert, expect: [] },
      {
        at: "15m",
        alert,
        expect: [
          fires(
            SL,
            `The RAG pipeline host's ${what} usage is high.`,
            `${what} usage reported by r1:8001 is 96%.`,
          ),
        ],
      },
    ],
  },
  {
    name: `${metric} at 50 %`,
    series: { [`${metric}{${S}}`]: "50x30" },
    alerts: [{ at: "15m", alert, expect: [] }],
  },
];

export const ragPipelineCases: RuleTestCase[] = [
  {
    name: "20 % 5xx through openai, none through anthropic",
    series: {
      [`api_requests_total{${J}, provider="openai", status_code="500", endpoint="/query", method="POST"}`]:
        "0+12x30",
      [`api_requests_total{${J}, provider="openai", status_code="200", endpoint="/query", method="POST"}`]:
        "0+48x30",
      [`api_requests_total{${J}, provider="anthropic", status_code="200", endpoint="/query", method="POST"}`]:
        "0+60x30",
    },
    alerts: [
      {
        at: "10m",
        alert: "RAGPipelineHighErrorRate",
        expect: [
          fires(
            { ...L, provider: "openai", severity: "critical" },
            "The RAG API fails many requests.",
            "20% of requests through provider openai fail with 5xx.",
          ),
        ],
      },
    ],
  },
  {
    name: "2 % 5xx",
    series: {
      [`api_requests_total{${J}, provider="openai", status_code="500", endpoint="/query", method="POST"}`]:
        "0+1x30",
      [`api_requests_total{${J}, provider="openai", status_code="200", endpoint="/query", method="POST"}`]:
        "0+49x30",
    },
    alerts: [{ at: "10m", alert: "RAGPipelineHighErrorRate", expect: [] }],
  },
  {
    name: "p95 4.85 s through openai",
    series: latency(true),
    alerts: [
      {
        at: "10m",
        alert: "RAGPipelineSlowResponseTime",
        expect: [
          fires(
            { ...L, provider: "openai", severity: "warning" },
            "The RAG API answers slowly.",
            "p95 latency through provider openai is 4.85s.",
          ),
        ],
      },
    ],
  },
  {
    name: "fast answers",
    series: latency(false),
    alerts: [{ at: "10m", alert: "RAGPipelineSlowResponseTime", expect: [] }],
  },
  {
    name: "a fifth of pipeline runs fail",
    series: {
      [`pipeline_executions_total{${J}, success="false"}`]: "0+12x30",
      [`pipeline_executions_total{${J}, success="true"}`]: "0+48x30",
    },
    alerts: [
      {
        at: "10m",
        alert: "PipelineExecutionFailure",
        expect: [
          fires(
            { ...L, severity: "critical" },
            "Many pipeline runs fail.",
            "20% of pipeline runs of rag-pipeline-api fail.",
          ),
        ],
      },
    ],
  },
  {
    name: "5 % of pipeline runs fail",
    series: {
      [`pipeline_executions_total{${J}, success="false"}`]: "0+3x30",
      [`pipeline_executions_total{${J}, success="true"}`]: "0+57x30",
    },
    alerts: [{ at: "10m", alert: "PipelineExecutionFailure", expect: [] }],
  },
  ...system("RAGPipelineHighCPUUsage", "system_cpu_usage_percent", "CPU"),
  ...system("RAGPipelineHighMemoryUsage", "system_memory_usage_percent", "memory"),
  ...system("RAGPipelineHighDiskUsage", "system_disk_usage_percent", "disk"),
];

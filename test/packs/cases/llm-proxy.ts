import { fires, type RuleTestCase } from "../../rules/cases/types";

const host = "llm1:8000";
const P = `job="llm-proxy", instance="${host}"`;
const L = { job: "llm-proxy", service: "llm-proxy" };

const down = (
  alert: string,
  job: string,
  instance: string,
  what: string,
  severity: string,
): RuleTestCase[] => [
  {
    name: `${job} down for 5m`,
    series: { [`up{job="${job}", instance="${instance}"}`]: "0x15" },
    alerts: [
      { at: "4m", alert, expect: [] },
      {
        at: "10m",
        alert,
        expect: [
          fires(
            { job, instance, service: "llm-proxy", severity },
            `The ${what} is down.`,
            `Prometheus cannot scrape the ${what} at ${instance}.`,
          ),
        ],
      },
    ],
  },
  {
    name: `${job} up`,
    series: { [`up{job="${job}", instance="${instance}"}`]: "1x15" },
    alerts: [{ at: "10m", alert, expect: [] }],
  },
];

const latency = (slow: boolean): Record<string, string> => ({
  [`http_request_duration_seconds_bucket{${P}, le="1"}`]: slow ? "0x30" : "0+60x30",
  [`http_request_duration_seconds_bucket{${P}, le="10"}`]: slow ? "0x30" : "0+60x30",
  [`http_request_duration_seconds_bucket{${P}, le="30"}`]: "0+60x30",
  [`http_request_duration_seconds_bucket{${P}, le="+Inf"}`]: "0+60x30",
});

export const llmProxyCases: RuleTestCase[] = [
  ...down("LLMProxyDown", "llm-proxy", host, "LLM proxy", "critical"),
  ...down("ContextServiceDown", "context-service", "llm1:8001", "context service", "warning"),
  ...down("HealthWorkerDown", "health-worker", "llm1:8002", "health worker", "warning"),
  {
    name: "10 % 5xx",
    series: {
      [`http_requests_total{${P}, status="502"}`]: "0+6x30",
      [`http_requests_total{${P}, status="200"}`]: "0+54x30",
    },
    alerts: [
      {
        at: "10m",
        alert: "LLMProxyHighErrorRate",
        expect: [
          fires(
            { ...L, severity: "critical" },
            "The LLM proxy fails many requests.",
            "10% of requests to llm-proxy fail with 5xx.",
          ),
        ],
      },
    ],
  },
  {
    name: "1 % 5xx",
    series: {
      [`http_requests_total{${P}, status="502"}`]: "0+1x30",
      [`http_requests_total{${P}, status="200"}`]: "0+99x30",
    },
    alerts: [{ at: "10m", alert: "LLMProxyHighErrorRate", expect: [] }],
  },
  {
    name: "p95 29 s",
    series: latency(true),
    alerts: [
      {
        at: "10m",
        alert: "LLMProxyHighLatency",
        expect: [
          fires(
            { ...L, severity: "warning" },
            "The LLM proxy answers slowly.",
            "p95 latency of llm-proxy is 29s.",
          ),
        ],
      },
    ],
  },
  {
    name: "fast proxy",
    series: latency(false),
    alerts: [{ at: "10m", alert: "LLMProxyHighLatency", expect: [] }],
  },
  {
    name: "provider openai unhealthy, anthropic healthy",
    series: {
      'provider_status{job="health-worker", instance="llm1:8002", provider="openai"}': "0x15",
      'provider_status{job="health-worker", instance="llm1:8002", provider="anthropic"}': "1x15",
    },
    alerts: [
      {
        at: "10m",
        alert: "LLMProviderUnhealthy",
        expect: [
          fires(
            {
              job: "health-worker",
              instance: "llm1:8002",
              provider: "openai",
              service: "llm-proxy",
              severity: "warning",
            },
            "An LLM provider fails its health checks.",
            "Provider openai is reported unhealthy by the health worker.",
          ),
        ],
      },
    ],
  },
  {
    name: "providers healthy",
    series: { 'provider_status{job="health-worker", instance="llm1:8002", provider="openai"}': "1x15" },
    alerts: [{ at: "10m", alert: "LLMProviderUnhealthy", expect: [] }],
  },
];

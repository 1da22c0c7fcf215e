/**
 * LLM proxy microservices, seed 004: the proxy (HTTP, LLM calls, tokens, cache), the context service
 * (condensations, cache size, processing time) and the health worker (provider status). The seed
 * names no ports; the defaults here are examples only, every stack gives its targets.
 *
 * Consolidated: the host memory alert (004:162) is the core node pack's NodeMemoryHighUtilization.
 * Added beyond the seed's three: the proxy's error ratio and latency from the metrics it lists, the
 * health worker's own `up`, and provider health from `provider_status`, which the worker exists to
 * report and nothing alerted on.
 */
import { DOWN_DIAGNOSIS, errorRatio, quantile } from "../alerts";
import type { AlertDefinition, PackDefinition } from "../model";

const down = (
  alert: string,
  jobKey: string,
  what: string,
  severity: "critical" | "warning",
  source: string,
): AlertDefinition => ({
  alert,
  group: "llm-proxy-availability",
  severity,
  for: "5m",
  expr: (c) => `up{${c.job(jobKey)}} == 0`,
  summary: `The ${what} is down.`,
  description: () => `Prometheus cannot scrape the ${what} at {{ $labels.instance }}.`,
  runbook: {
    meaning: `The ${what} does not answer Prometheus' scrape.`,
    impact:
      jobKey === "proxy"
        ? "Clients cannot reach any LLM through the proxy."
        : jobKey === "context"
          ? "Requests go out without context condensation: larger prompts, higher cost."
          : "Provider health is no longer checked: the proxy may route to a dead provider.",
    diagnosis: [
      ...DOWN_DIAGNOSIS,
      `journalctl -u ${jobKey === "proxy" ? "llm-proxy" : jobKey === "context" ? "context-service" : "health-worker"}`,
    ],
    mitigation: ["Restart the service (systemctl restart); check its configuration."],
  },
  source,
});

export const llmProxyDefinition: PackDefinition = {
  key: "llmProxy",
  name: "llm-proxy",
  title: "LLM proxy (proxy, context service, health worker)",
  seed: "004",
  logs: true,
  jobs: {
    proxy: { job: "llm-proxy", description: "the LLM proxy", metricsPath: "/metrics", defaultPort: 8000 },
    context: {
      job: "context-service",
      description: "the context service",
      metricsPath: "/metrics",
      defaultPort: 8001,
    },
    health: {
      job: "health-worker",
      description: "the provider health worker",
      metricsPath: "/metrics",
      defaultPort: 8002,
    },
  },
  labels: {
    status: { default: "status", description: "HTTP status label of http_requests_total" },
    provider: {
      default: "provider",
      description: "provider label of provider_status and llm_requests_total",
    },
  },
  alerts: [
    down("LLMProxyDown", "proxy", "LLM proxy", "critical", "004:144 LLMProxyDown"),
    down("ContextServiceDown", "context", "context service", "warning", "004:153 ContextServiceDown"),
    down("HealthWorkerDown", "health", "health worker", "warning", "new (004 health-worker)"),
    {
      alert: "LLMProxyHighErrorRate",
      group: "llm-proxy-performance",
      severity: "critical",
      for: "5m",
      threshold: { default: 0.05, unit: "ratio", min: 0, max: 1, meaning: "share of 5xx responses above" },
      expr: (c) =>
        `${errorRatio("http_requests_total", c.job("proxy"), `${c.label("status")}=~"5.."`, ["job"])} > ${c.threshold}`,
      summary: "The LLM proxy fails many requests.",
      description: () => "{{ $value | humanizePercentage }} of requests to {{ $labels.job }} fail with 5xx.",
      runbook: {
        meaning: "More than the threshold share of proxied requests end with a 5xx status.",
        impact: "Clients get errors instead of completions.",
        diagnosis: ["Errors and provider status panels; journalctl -u llm-proxy."],
        mitigation: ["Route away from unhealthy providers; roll back a recent change."],
      },
      source: "new (004 metric catalogue: http_requests_total)",
    },
    {
      alert: "LLMProxyHighLatency",
      group: "llm-proxy-performance",
      severity: "warning",
      for: "5m",
      threshold: { default: 10, unit: "seconds", min: 0.001, max: 600, meaning: "p95 proxy latency above" },
      expr: (c) =>
        `${quantile(0.95, "http_request_duration_seconds", c.job("proxy"), ["job"])} > ${c.threshold}`,
      summary: "The LLM proxy answers slowly.",
      description: () => "p95 latency of {{ $labels.job }} is {{ $value | humanizeDuration }}.",
      runbook: {
        meaning: "The slowest 5 % of proxied requests take longer than the threshold.",
        impact: "Clients wait; some time out.",
        diagnosis: ["Latency, tokens per second and context processing time panels."],
        mitigation: ["Prefer faster providers; condense context more aggressively."],
      },
      source: "new (004 metric catalogue: http_request_duration_seconds)",
    },
    {
      alert: "LLMProviderUnhealthy",
      group: "llm-proxy-availability",
      severity: "warning",
      for: "5m",
      expr: (c) => `provider_status{${c.job("health")}} == 0`,
      summary: "An LLM provider fails its health checks.",
      description: (c) =>
        `Provider {{ $labels.${c.label("provider")} }} is reported unhealthy by the health worker.`,
      runbook: {
        meaning: "The health worker marks a provider unhealthy (provider_status 0).",
        impact: "Requests routed to it fail unless the proxy routes around it.",
        diagnosis: ["Provider status panel; the provider's status page; API key and quota."],
        mitigation: ["Take the provider out of rotation until it recovers."],
      },
      source: "new (004 metric catalogue: provider_status)",
    },
  ],
};

/**
 * The LLM proxy's dashboard: the `grafana-dashboard.json` the seed asks to import is not provided
 * (004:107), so this is built from its metric catalogue (004:110-135): proxy traffic, LLM calls and
 * tokens, cache, the context service and the health worker's provider status.
 */
import { row, stat, thresholds, timeseries, type DashboardFile } from "../../components/grafana/dashboards";
import { BY_CLUSTER } from "../../components/grafana/dashboards/common";
import type { PackSpec, SloSpec } from "../../stacks/spec";
import { BY_INSTANCE, latencyPanel, packDashboard, percentiles, RATE, rateBy, ratioOf } from "../dashboards";
import { llmProxyDefinition as def } from "./definition";

export function llmProxyDashboards(spec: PackSpec, slos: SloSpec[]): DashboardFile[] {
  const status = spec.labels.status;
  const provider = spec.labels.provider;
  const context = `${BY_CLUSTER}, job="${def.jobs.context.job}"`;
  const health = `${BY_CLUSTER}, job="${def.jobs.health.job}"`;
  return [
    packDashboard({
      spec,
      slos,
      uid: "llm-proxy",
      title: "LLM proxy",
      description: "Proxy traffic, LLM calls and tokens, cache, context condensation and provider health.",
      keyMetric: "llm_requests_total",
      mainJob: "proxy",
      tags: ["llm"],
      rows: [
        row("Proxy", [
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
            title: "5xx ratio",
            unit: "percentunit",
            width: 6,
            decimals: 2,
            sparkline: true,
            thresholds: thresholds("green", [0.01, "orange"], [0.05, "red"]),
            queries: [{ expr: ratioOf("job", "http_requests_total", `${status}=~"5.."`), legend: "5xx" }],
          }),
          stat({
            title: "Cache hit ratio",
            unit: "percentunit",
            width: 6,
            queries: [
              {
                expr: `sum(rate(cache_hits_total{${BY_INSTANCE}}[${RATE}])) / (sum(rate(cache_hits_total{${BY_INSTANCE}}[${RATE}])) + sum(rate(cache_misses_total{${BY_INSTANCE}}[${RATE}])))`,
                legend: "hit ratio",
              },
            ],
          }),
          stat({
            title: "Unhealthy providers",
            unit: "short",
            width: 6,
            thresholds: thresholds("green", [1, "red"]),
            queries: [{ expr: `count(provider_status{${health}} == 0) or vector(0)`, legend: "unhealthy" }],
          }),
          timeseries({
            title: "Requests by status",
            unit: "reqps",
            queries: [{ expr: rateBy(status, "http_requests_total"), legend: `{{${status}}}` }],
          }),
          latencyPanel("Proxy latency", "http_request_duration_seconds", "", "", 10),
        ]),
        row("LLM calls", [
          timeseries({
            title: "LLM calls by provider",
            unit: "ops",
            queries: [{ expr: rateBy(provider, "llm_requests_total"), legend: `{{${provider}}}` }],
          }),
          timeseries({
            title: "Tokens per second",
            unit: "short",
            queries: [{ expr: `sum(rate(llm_tokens_total{${BY_INSTANCE}}[${RATE}]))`, legend: "tokens/s" }],
          }),
          timeseries({
            title: "Cache hits and misses",
            unit: "ops",
            queries: [
              { expr: `sum(rate(cache_hits_total{${BY_INSTANCE}}[${RATE}]))`, legend: "hits" },
              { expr: `sum(rate(cache_misses_total{${BY_INSTANCE}}[${RATE}]))`, legend: "misses" },
            ],
          }),
        ]),
        row("Context service and health worker", [
          timeseries({
            title: "Condensations",
            unit: "ops",
            width: 8,
            queries: [
              {
                expr: `sum(rate(context_condensations_total{${context}}[${RATE}]))`,
                legend: "condensations/s",
              },
            ],
          }),
          timeseries({
            title: "Context cache size",
            unit: "short",
            width: 8,
            queries: [{ expr: `sum(context_cache_size{${context}})`, legend: "entries" }],
          }),
          timeseries({
            title: "Context processing time",
            unit: "s",
            width: 8,
            queries: percentiles("context_processing_time_seconds", "", "", context),
          }),
          timeseries({
            title: "Provider status",
            description: "1 healthy, 0 unhealthy, as the health worker last saw it.",
            unit: "short",
            min: 0,
            max: 1,
            queries: [
              { expr: `max by (${provider}) (provider_status{${health}})`, legend: `{{${provider}}}` },
            ],
          }),
          timeseries({
            title: "Health checks",
            unit: "ops",
            queries: [{ expr: `sum(rate(health_checks_total{${health}}[${RATE}]))`, legend: "checks/s" }],
          }),
        ]),
      ],
    }),
  ];
}

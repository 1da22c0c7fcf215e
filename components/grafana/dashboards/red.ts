/**
 * A generic "RED" dashboard (Rate, Errors, Duration) for request-serving services, parameterised by the
 * metric and label names the services use, so monitoring packs can stamp one out per convention:
 *
 *   redDashboard({ uid: "grpc-red", title: "gRPC services", requestsTotalMetric: "grpc_server_handled_total",
 *                  durationHistogramMetric: "grpc_server_handling_seconds", statusLabel: "grpc_code",
 *                  serviceLabel: "grpc_service", errorRegex: "Unknown|Internal|Unavailable|DataLoss" })
 *
 * Percentiles come from histogram_quantile over the `_bucket` series of the duration histogram.
 */
import {
  dashboard,
  datasourceVariable,
  heatmap,
  queryVariable,
  row,
  stat,
  table,
  text,
  thresholds,
  timeseries,
  type DashboardModel,
} from "./builder";
import {
  RATE,
  STACK_TAG,
  assertLabelName,
  assertMetricName,
  clusterVariable,
  promString,
  stackLinks,
} from "./common";

export interface RedDashboardOptions {
  uid: string;
  title: string;
  /** Counter of requests, labelled with status and service. */
  requestsTotalMetric?: string;
  /** Histogram of request durations in seconds (base name, without `_bucket`). */
  durationHistogramMetric?: string;
  /** Label carrying the response status (HTTP code, gRPC code...). */
  statusLabel?: string;
  /** Label naming the service. */
  serviceLabel?: string;
  /** Regex (RE2, fully anchored by Prometheus) of the status values that count as errors. */
  errorRegex?: string;
  /** Extra tags (the stack tag and "services" are always there). */
  tags?: string[];
  /** Error ratio above which panels turn orange / red (default 1 % / 5 %). */
  errorRatioThresholds?: [number, number];
  /** p99 latency in seconds above which panels turn orange / red (default 0.5 s / 1 s). */
  latencyThresholds?: [number, number];
}

export function redDashboard(opts: RedDashboardOptions): DashboardModel {
  const requests = opts.requestsTotalMetric ?? "http_requests_total";
  const duration = opts.durationHistogramMetric ?? "http_request_duration_seconds";
  const status = opts.statusLabel ?? "status";
  const service = opts.serviceLabel ?? "service";
  const errorRegex = opts.errorRegex ?? "5..";
  assertMetricName(requests, "requestsTotalMetric");
  assertMetricName(duration, "durationHistogramMetric");
  assertLabelName(status, "statusLabel");
  assertLabelName(service, "serviceLabel");
  try {
    new RegExp(errorRegex);
  } catch (e) {
    throw new Error(`errorRegex: ${String(e)}`);
  }
  if (errorRegex === "") throw new Error("errorRegex must not be empty");
  const [errWarn, errCrit] = opts.errorRatioThresholds ?? [0.01, 0.05];
  const [latWarn, latCrit] = opts.latencyThresholds ?? [0.5, 1];
  const errorThresholds = thresholds("green", [errWarn, "orange"], [errCrit, "red"]);
  const latencyThresholds = thresholds("green", [latWarn, "orange"], [latCrit, "red"]);

  const sel = `cluster=~"$cluster", ${service}=~"$service", instance=~"$instance"`;
  const errSel = `${sel}, ${status}=~${promString(errorRegex)}`;
  const rate = (by: string, s: string) => `sum by (${by}) (rate(${requests}{${s}}[${RATE}]))`;
  const total = (s: string) => `sum(rate(${requests}{${s}}[${RATE}]))`;
  /** Errors over all requests, 0 (not "no data") for services that had no errors. */
  const errorRatio = (by: string) => `(${rate(by, errSel)} or ${rate(by, sel)} * 0) / ${rate(by, sel)}`;
  const quantile = (q: number, by: string) =>
    `histogram_quantile(${q}, sum by (${by ? `${by}, ` : ""}le) (rate(${duration}_bucket{${sel}}[${RATE}])))`;

  return dashboard({
    uid: opts.uid,
    title: opts.title,
    description: `Rate, errors and duration from ${requests} and ${duration}, by ${service}.`,
    tags: [STACK_TAG, "services", ...(opts.tags ?? [])],
    links: stackLinks(),
    variables: [
      datasourceVariable(),
      clusterVariable(),
      queryVariable({
        name: "service",
        label: "Service",
        query: `label_values(${requests}{cluster=~"$cluster"}, ${service})`,
        multi: true,
        includeAll: true,
        allValue: ".*",
      }),
      queryVariable({
        name: "instance",
        label: "Instance",
        query: `label_values(${requests}{cluster=~"$cluster", ${service}=~"$service"}, instance)`,
        multi: true,
        includeAll: true,
        allValue: ".*",
      }),
    ],
    rows: [
      row("Summary", [
        text({
          title: "About",
          width: 24,
          height: 2,
          markdown:
            `Requests: \`${requests}\` · duration histogram: \`${duration}_bucket\` · ` +
            `errors: \`${status}=~"${errorRegex}"\` · services by \`${service}\`.`,
        }),
        stat({
          title: "Request rate",
          unit: "reqps",
          sparkline: true,
          width: 6,
          queries: [{ expr: total(sel), legend: "requests" }],
        }),
        stat({
          title: "Error ratio",
          unit: "percentunit",
          decimals: 2,
          sparkline: true,
          width: 6,
          thresholds: errorThresholds,
          queries: [{ expr: `(${total(errSel)} or vector(0)) / ${total(sel)}`, legend: "errors" }],
        }),
        stat({
          title: "Latency p50",
          unit: "s",
          sparkline: true,
          width: 6,
          thresholds: latencyThresholds,
          queries: [{ expr: quantile(0.5, ""), legend: "p50" }],
        }),
        stat({
          title: "Latency p99",
          unit: "s",
          sparkline: true,
          width: 6,
          thresholds: latencyThresholds,
          queries: [{ expr: quantile(0.99, ""), legend: "p99" }],
        }),
      ]),
      row("Rate", [
        timeseries({
          title: "Requests by service",
          unit: "reqps",
          queries: [{ expr: rate(service, sel), legend: `{{${service}}}` }],
        }),
        timeseries({
          title: "Requests by status",
          unit: "reqps",
          queries: [{ expr: rate(status, sel), legend: `{{${status}}}` }],
        }),
      ]),
      row("Errors", [
        timeseries({
          title: "Errors by service",
          unit: "reqps",
          queries: [{ expr: rate(`${service}, ${status}`, errSel), legend: `{{${service}}} {{${status}}}` }],
        }),
        timeseries({
          title: "Error ratio by service",
          unit: "percentunit",
          min: 0,
          thresholds: errorThresholds,
          showThresholds: "dashed",
          queries: [{ expr: errorRatio(service), legend: `{{${service}}}` }],
        }),
      ]),
      row("Duration", [
        timeseries({
          title: "Latency percentiles by service",
          unit: "s",
          thresholds: latencyThresholds,
          showThresholds: "dashed",
          queries: [
            { expr: quantile(0.5, service), legend: `{{${service}}} p50` },
            { expr: quantile(0.9, service), legend: `{{${service}}} p90` },
            { expr: quantile(0.99, service), legend: `{{${service}}} p99` },
          ],
        }),
        heatmap({
          title: "Latency distribution",
          unit: "reqps",
          yUnit: "s",
          queries: [{ expr: `sum by (le) (rate(${duration}_bucket{${sel}}[${RATE}]))` }],
        }),
        timeseries({
          title: "Average latency by service",
          unit: "s",
          queries: [
            {
              expr: `sum by (${service}) (rate(${duration}_sum{${sel}}[${RATE}])) / sum by (${service}) (rate(${duration}_count{${sel}}[${RATE}]))`,
              legend: `{{${service}}}`,
            },
          ],
        }),
        table({
          title: "Services",
          unit: "short",
          width: 12,
          columns: {
            "Value #A": { unit: "reqps", displayName: "Requests" },
            "Value #B": {
              unit: "percentunit",
              displayName: "Error ratio",
              decimals: 2,
              thresholds: errorThresholds,
            },
            "Value #C": { unit: "s", displayName: "p99", thresholds: latencyThresholds },
          },
          queries: [
            { expr: rate(service, sel) },
            { expr: errorRatio(service) },
            { expr: quantile(0.99, service) },
          ],
        }),
      ]),
    ],
  });
}

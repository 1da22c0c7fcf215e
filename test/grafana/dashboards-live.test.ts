/**
 * The dashboards against real data: Prometheus 3.5, node-exporter and one Alertmanager on 127.0.0.1,
 * Prometheus scraping all three every second (job names from JOBS) with a rule group and an always-firing
 * "Watchdog" alert routed through Alertmanager to a webhook in this process, so rule, notification and
 * gossip metrics exist as they would in the stack. Every panel query of the node, Prometheus and
 * Alertmanager dashboards then runs against /api/v1/query with the variables filled in as Grafana would.
 *
 * A panel "has data" when at least one of its queries returns a non-empty result. Some panels are empty
 * for good reasons here (remote write is not configured), hence the 90 % bar per dashboard; the figures
 * and the empty panels are printed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  alertmanagerDashboard,
  nodeOverviewDashboard,
  prometheusDashboard,
} from "../../components/grafana/dashboards";
import { JOBS } from "../../lib/jobs";
import { alertmanagerCommand, freePorts, HOST, httpOk, ProcessGroup, sleep } from "../helpers/processes";
import { toolPath } from "../helpers/tools";
import {
  BUILTIN_VALUES,
  allPanels,
  substitute,
  variableSelectors,
  type DashboardJson,
} from "./dashboard-helpers";

const STARTUP_TIMEOUT_MS = 30_000;
/** Scrape for at least this long so 1m rate windows hold plenty of samples... */
const MIN_SCRAPE_MS = 30_000;
/** ...and at most this long waiting for targets up and a notification delivered. */
const DATA_TIMEOUT_MS = 90_000;

let group: ProcessGroup;
let workDir = "";
let webhook: Server | undefined;
let webhookHits = 0;

// ---------------------------------------------------------------------------------------------------------
// Prometheus API

interface QueryResponse {
  status: string;
  error?: string;
  data?: {
    resultType: string;
    result: Array<{ metric: Record<string, string>; value?: [number, string] }> | [number, string];
  };
}

let promUrl = "";

async function query(expr: string): Promise<QueryResponse> {
  const r = await fetch(`${promUrl}/api/v1/query`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ query: expr }),
    signal: AbortSignal.timeout(10_000),
  });
  return (await r.json()) as QueryResponse;
}

/** Number of series (vector/matrix) or 1 for a scalar; throws on a query error. */
async function resultSize(expr: string): Promise<{ series: number; allNaN: boolean }> {
  const r = await query(expr);
  if (r.status !== "success" || !r.data) throw new Error(`query failed: ${r.error ?? r.status}: ${expr}`);
  const result = r.data.result;
  if (r.data.resultType === "scalar" || r.data.resultType === "string") return { series: 1, allNaN: false };
  const vec = result as Array<{ value?: [number, string] }>;
  return { series: vec.length, allNaN: vec.length > 0 && vec.every((s) => s.value?.[1] === "NaN") };
}

/** Values of `label` on the series `selector` matches (what Grafana's label_values() lists). */
async function labelValues(label: string, selector: string): Promise<string[]> {
  const url = `${promUrl}/api/v1/label/${encodeURIComponent(label)}/values?${new URLSearchParams({ "match[]": selector })}`;
  const r = (await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json()) as {
    status: string;
    data?: string[];
  };
  if (r.status !== "success" || !r.data) throw new Error(`label values of ${label} for ${selector} failed`);
  return r.data;
}

/** The label a `label_values(selector, label)` variable lists. */
function labelOf(d: DashboardJson, variable: string): string {
  const v = d.templating?.list?.find((x) => x.name === variable);
  const q = typeof v?.query === "string" ? v.query : (v?.query?.query ?? "");
  const m = /,\s*([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(q);
  if (!m) throw new Error(`no label in ${q}`);
  return m[1];
}

// ---------------------------------------------------------------------------------------------------------
// Setup

const instances: Record<string, string> = {};

beforeAll(
  async () => {
    workDir = mkdtempSync(path.join(tmpdir(), "dashboards-live-"));
    group = new ProcessGroup(workDir);
    const [promPort, amPort, amClusterPort, nodePort] = await freePorts(4);
    promUrl = `http://${HOST}:${promPort}`;
    instances[JOBS.prometheus] = `${HOST}:${promPort}`;
    instances[JOBS.alertmanager] = `${HOST}:${amPort}`;
    instances[JOBS.nodeExporter] = `${HOST}:${nodePort}`;

    webhook = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        webhookHits++;
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => webhook!.listen(0, HOST, resolve));
    const webhookUrl = `http://${HOST}:${(webhook.address() as AddressInfo).port}/alerts`;

    writeFileSync(
      path.join(workDir, "alertmanager.yml"),
      stringify({
        route: {
          receiver: "webhook",
          group_by: ["alertname"],
          group_wait: "1s",
          group_interval: "5s",
          repeat_interval: "1m",
        },
        receivers: [{ name: "webhook", webhook_configs: [{ url: webhookUrl, send_resolved: true }] }],
      }),
    );
    writeFileSync(
      path.join(workDir, "rules.yml"),
      stringify({
        groups: [
          {
            name: "live-test",
            interval: "1s",
            rules: [
              { record: "job:up:sum", expr: "sum by (job) (up)" },
              { alert: "Watchdog", expr: "vector(1)", labels: { severity: "none" } },
            ],
          },
        ],
      }),
    );
    const job = (name: string) => ({ job_name: name, static_configs: [{ targets: [instances[name]] }] });
    writeFileSync(
      path.join(workDir, "prometheus.yml"),
      stringify({
        global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
        rule_files: [path.join(workDir, "rules.yml")],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [instances[JOBS.alertmanager]] }] }] },
        scrape_configs: [job(JOBS.prometheus), job(JOBS.alertmanager), job(JOBS.nodeExporter)],
      }),
    );
    mkdirSync(path.join(workDir, "prometheus-data"));
    mkdirSync(path.join(workDir, "alertmanager-data"));

    group.start("node-exporter", toolPath("prometheus-node-exporter"), [
      `--web.listen-address=${instances[JOBS.nodeExporter]}`,
    ]);
    const am = alertmanagerCommand([
      `--config.file=${path.join(workDir, "alertmanager.yml")}`,
      `--storage.path=${path.join(workDir, "alertmanager-data")}`,
      `--web.listen-address=${instances[JOBS.alertmanager]}`,
      `--cluster.listen-address=${HOST}:${amClusterPort}`,
      `--cluster.advertise-address=${HOST}:${amClusterPort}`,
    ]);
    group.start("alertmanager", am.command, am.args);
    group.start("prometheus", toolPath("prometheus"), [
      `--config.file=${path.join(workDir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(workDir, "prometheus-data")}`,
      `--web.listen-address=${instances[JOBS.prometheus]}`,
      "--rules.alert.resend-delay=1s",
    ]);
    const started = Date.now();

    await group.waitFor("node-exporter", STARTUP_TIMEOUT_MS, () =>
      httpOk(`http://${instances[JOBS.nodeExporter]}/metrics`),
    );
    await group.waitFor("alertmanager", STARTUP_TIMEOUT_MS, () =>
      httpOk(`http://${instances[JOBS.alertmanager]}/-/ready`),
    );
    await group.waitFor("prometheus", STARTUP_TIMEOUT_MS, () => httpOk(`${promUrl}/-/ready`));

    await group.waitFor("all three targets up", DATA_TIMEOUT_MS, async () => {
      const r = await resultSize("up == 1");
      return r.series === 3 ? true : undefined;
    });
    await group.waitFor("a notification delivered to the webhook", DATA_TIMEOUT_MS, async () =>
      webhookHits > 0 ? true : undefined,
    );
    await group.waitFor("Prometheus to scrape the notification counters", DATA_TIMEOUT_MS, async () => {
      const sent = await resultSize("prometheus_notifications_sent_total > 0");
      const delivered = await resultSize("alertmanager_notifications_total > 0");
      return sent.series > 0 && delivered.series > 0 ? true : undefined;
    });
    const rest = MIN_SCRAPE_MS - (Date.now() - started);
    if (rest > 0) await sleep(rest);
    group.assertRunning();
  },
  STARTUP_TIMEOUT_MS * 3 + DATA_TIMEOUT_MS * 3 + MIN_SCRAPE_MS,
);

afterAll(async () => {
  await group?.stopAll();
  await new Promise<void>((resolve) => (webhook ? webhook.close(() => resolve()) : resolve()));
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}, 30_000);

// ---------------------------------------------------------------------------------------------------------
// The check

/** Grafana's regex escaping of a selected value (what it writes for a multi-value variable). */
const grafanaRegexEscape = (v: string) => v.replace(/[$^*{}[\]'+?.()|\\]/g, (c) => `\\\\${c}`);

interface PanelResult {
  title: string;
  hasData: boolean;
  nanOnly: boolean;
  emptyQueries: string[];
}

async function runDashboard(d: DashboardJson, job: string): Promise<PanelResult[]> {
  const values = {
    ...BUILTIN_VALUES,
    __rate_interval: "1m",
    cluster: ".*",
    job: grafanaRegexEscape(job),
    instance: grafanaRegexEscape(instances[job]),
  };
  const out: PanelResult[] = [];
  for (const p of allPanels(d)) {
    if (!p.targets || p.targets.length === 0) continue;
    let hasData = false;
    let nanOnly = true;
    const emptyQueries: string[] = [];
    for (const t of p.targets) {
      const expr = substitute(t.expr ?? "", values);
      const r = await resultSize(expr);
      if (r.series > 0) {
        hasData = true;
        if (!r.allNaN) nanOnly = false;
      } else {
        emptyQueries.push(`${t.refId}: ${expr}`);
      }
    }
    out.push({ title: p.title ?? "?", hasData, nanOnly: hasData && nanOnly, emptyQueries });
  }
  return out;
}

describe("dashboards return data from a live Prometheus", () => {
  const cases: Record<string, { dashboard: () => DashboardJson; job: string }> = {
    "node overview": { dashboard: nodeOverviewDashboard, job: JOBS.nodeExporter },
    Prometheus: { dashboard: prometheusDashboard, job: JOBS.prometheus },
    Alertmanager: { dashboard: alertmanagerDashboard, job: JOBS.alertmanager },
  };

  it.each(Object.keys(cases))(
    "%s: at least 90 percent of panels have data",
    async (name) => {
      const results = await runDashboard(cases[name].dashboard(), cases[name].job);
      const withData = results.filter((r) => r.hasData);
      const share = withData.length / results.length;
      console.log(
        `[live] ${name}: ${withData.length}/${results.length} panels with data (${(share * 100).toFixed(1)} %)` +
          `\n  empty panels: ${JSON.stringify(results.filter((r) => !r.hasData).map((r) => r.title))}` +
          `\n  panels whose data is only NaN: ${JSON.stringify(results.filter((r) => r.nanOnly).map((r) => r.title))}` +
          `\n  empty queries in panels with data: ${JSON.stringify(results.filter((r) => r.hasData && r.emptyQueries.length > 0).map((r) => `${r.title} ${r.emptyQueries.map((q) => q.split(":")[0]).join(",")}`))}`,
      );
      expect(results.length).toBeGreaterThan(10);
      expect(
        share,
        JSON.stringify(
          results.filter((r) => !r.hasData),
          null,
          2,
        ),
      ).toBeGreaterThanOrEqual(0.9);
    },
    60_000,
  );

  it.each(Object.keys(cases))(
    "%s: the job and instance variables list the live job and instance",
    async (name) => {
      const d = cases[name].dashboard();
      const job = cases[name].job;
      const values = { ...BUILTIN_VALUES, cluster: ".*", job: grafanaRegexEscape(job) };
      const listed: Record<string, string[]> = {};
      for (const v of variableSelectors(d)) {
        const label = labelOf(d, v.variable);
        listed[v.variable] = await labelValues(label, substitute(v.expr, values));
      }
      expect(listed.job).toContain(job);
      expect(listed.instance).toEqual([instances[job]]);
      // Locally queried series carry no external labels: the cluster list is empty, and the panels above
      // still have data because "All" is ".*", which matches series without the label.
      expect(listed.cluster).toEqual([]);
    },
  );

  it("an expression for a metric nobody exposes comes back empty (the measure can fail)", async () => {
    const r = await resultSize(
      `rate(node_made_up_metric_total{job=~"${grafanaRegexEscape(JOBS.nodeExporter)}"}[1m])`,
    );
    expect(r.series).toBe(0);
    const ok = await resultSize(
      `node_boot_time_seconds{instance=~"${grafanaRegexEscape(instances[JOBS.nodeExporter])}"}`,
    );
    expect(ok.series).toBe(1);
  });
});

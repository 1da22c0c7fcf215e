/**
 * The HA pair and the Alertmanager cluster, live on 127.0.0.1 with the real binaries:
 * two Prometheus replicas (rendered global/alerting config, rendered core rule packs, real command line)
 * and node-exporter; three clustered Alertmanagers with the shipped prod route tree, each receiver
 * pointed at a webhook in this process that records every notification.
 *
 * A tiny "switch" exporter in this process lets the test raise alerts on demand. It shows:
 * all targets up; Watchdog delivered about once per its interval (not once per Prometheus replica or
 * per Alertmanager peer) with the replica label dropped; a critical alert inhibits its warning twin;
 * exactly one notification per new alert with one Alertmanager peer killed, then also with one
 * Prometheus replica killed. Only the process flags that set test speed differ from production
 * (scrape/evaluation every second, shorter waits, peer timeout 2 s); the figures are printed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { clusterArgs } from "../../components/alertmanager";
import { renderAlertmanagerConfig } from "../../components/alertmanager/render";
import { JOBS } from "../../lib/jobs";
import { prometheusArgs, renderPrometheusConfig, REPLICA_ENV } from "../../components/prometheus/render";
import { ruleFiles } from "../../components/rules/render";
import { resolveRouting } from "../../stacks/sections/routing";
import type { routingSchema } from "../../stacks/sections/routing";
import { alertmanagerCommand, freePorts, HOST, httpOk, ProcessGroup, sleep } from "../helpers/processes";
import { toolPath } from "../helpers/tools";
import type { z } from "zod";

const STARTUP_MS = 30_000;
const SETTLE_MS = 60_000;
/** Watchdog interval used here (prod: 1m). Long enough that the 2 s peer timeout never races it. */
const WATCHDOG_INTERVAL_S = 10;
/** Window over which Watchdog deliveries are counted. */
const WATCHDOG_WINDOW_MS = 45_000;
/** After the first notification of an alert, wait this long for a (wrong) second one. */
const DUPLICATE_WINDOW_MS = 12_000;

interface Notification {
  receiver: string;
  at: number;
  status: string;
  alerts: { status: string; labels: Record<string, string> }[];
}

let group: ProcessGroup;
let workDir = "";
let webhook: Server | undefined;
let switchServer: Server | undefined;
const notifications: Notification[] = [];
const switches: Record<string, number> = { twin: 0, warningOnly: 0, amDown: 0, promDown: 0 };
const ports: Record<string, number> = {};
const am = [0, 1, 2];
const prom = [0, 1];
const figures: Record<string, number | string> = {};

const LIVE_RULES = {
  groups: [
    {
      name: "live-test",
      rules: [
        {
          alert: "LiveTestTwin",
          expr: 'live_test_switch{name="twin"} == 1',
          labels: { severity: "warning" },
          annotations: { summary: "twin (warning)" },
        },
        {
          alert: "LiveTestTwin",
          expr: 'live_test_switch{name="twin"} == 1',
          labels: { severity: "critical" },
          annotations: { summary: "twin (critical)" },
        },
        {
          alert: "LiveTestWarningOnly",
          expr: 'live_test_switch{name="warningOnly"} == 1',
          labels: { severity: "warning" },
          annotations: { summary: "warning without a critical twin" },
        },
        {
          alert: "LiveTestAfterAlertmanagerKilled",
          expr: 'live_test_switch{name="amDown"} == 1',
          labels: { severity: "critical" },
          annotations: { summary: "raised with one Alertmanager peer down" },
        },
        {
          alert: "LiveTestAfterPrometheusKilled",
          expr: 'live_test_switch{name="promDown"} == 1',
          labels: { severity: "critical" },
          annotations: { summary: "raised with one Prometheus replica down" },
        },
      ],
    },
  ],
};

/** The shipped prod routing with every integration swapped for a webhook to this process. */
function liveRouting(webhookBase: string, secretsDir: string) {
  const prodFile = parse(readFileSync(path.resolve(__dirname, "../../Pulumi.prod.yaml"), "utf8")) as {
    config: Record<string, { routing?: z.infer<typeof routingSchema> }>;
  };
  const shipped = prodFile.config["monitoring:alertmanager"]?.routing;
  if (!shipped?.receivers) throw new Error("Pulumi.prod.yaml has no alertmanager routing");
  const receivers = Object.fromEntries(
    Object.keys(shipped.receivers).map((name) => [
      name,
      { webhook: [{ urlSecret: `url_${name.replace(/-/g, "_")}`, sendResolved: false }] },
    ]),
  );
  const secretKeys = new Set(Object.keys(receivers).map((n) => `url_${n.replace(/-/g, "_")}`));
  const problems: { path: string; message: string }[] = [];
  const routing = resolveRouting(
    {
      ...shipped,
      receivers,
      groupWait: "1s",
      groupInterval: "5s",
      watchdog: { receiver: shipped.watchdog?.receiver ?? "watchdog", interval: `${WATCHDOG_INTERVAL_S}s` },
    },
    "monitoring:alertmanager.routing",
    secretKeys,
    problems,
  );
  expect(problems).toEqual([]);
  const rendered = renderAlertmanagerConfig(routing, {
    templatesDir: path.join(workDir, "am-templates"),
    secretsDir,
  });
  for (const f of rendered.secretFiles) {
    const receiver = f.path.slice(secretsDir.length + 1).replace(/-webhook-\d+$/, "");
    writeFileSync(f.path, `${webhookBase}/${receiver}`);
  }
  return { routing, rendered, shipped };
}

function byAlert(alertname: string, receiver?: string): Notification[] {
  return notifications.filter(
    (n) =>
      (receiver === undefined || n.receiver === receiver) &&
      n.alerts.some((a) => a.labels.alertname === alertname),
  );
}

async function query(
  port: number,
  expr: string,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const r = await fetch(`http://${HOST}:${port}/api/v1/query?${new URLSearchParams({ query: expr })}`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await r.json()) as {
    status: string;
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== "success") throw new Error(`query ${expr} failed`);
  return body.data.result;
}

let shippedRouting: ReturnType<typeof liveRouting>["shipped"];

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "ha-live-"));
  group = new ProcessGroup(workDir);
  const secretsDir = path.join(workDir, "am-secrets");
  const rulesDir = path.join(workDir, "rules");
  for (const d of ["am-templates", "am-secrets", "rules"]) mkdirSync(path.join(workDir, d));

  const free = await freePorts(9);
  [ports.node, ports.switches, ports.prom0, ports.prom1, ports.am0, ports.am1, ports.am2] = free;
  const amClusterPorts = free.slice(7).concat(await freePorts(1));

  webhook = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const parsed = JSON.parse(body) as Omit<Notification, "receiver" | "at">;
      notifications.push({ ...parsed, receiver: (req.url ?? "/").slice(1), at: Date.now() });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => webhook!.listen(0, HOST, resolve));
  const webhookBase = `http://${HOST}:${(webhook.address() as AddressInfo).port}`;

  switchServer = createServer((_req, res) => {
    res.setHeader("content-type", "text/plain; version=0.0.4");
    res.end(
      [
        "# TYPE live_test_switch gauge",
        ...Object.entries(switches).map(([n, v]) => `live_test_switch{name="${n}"} ${v}`),
      ].join("\n") + "\n",
    );
  });
  await new Promise<void>((resolve) => switchServer!.listen(ports.switches, HOST, resolve));

  // Alertmanager: rendered config and templates, real cluster flags.
  const { rendered, shipped } = liveRouting(webhookBase, secretsDir);
  shippedRouting = shipped;
  writeFileSync(path.join(workDir, "alertmanager.yml"), rendered.config);
  for (const [file, text] of Object.entries(rendered.templates))
    writeFileSync(path.join(workDir, "am-templates", file), text);
  const peers = am.map((i) => `${HOST}:${amClusterPorts[i]}`);
  for (const i of am) {
    mkdirSync(path.join(workDir, `am${i}-data`));
    const cmd = alertmanagerCommand([
      `--config.file=${path.join(workDir, "alertmanager.yml")}`,
      `--storage.path=${path.join(workDir, `am${i}-data`)}`,
      `--web.listen-address=${HOST}:${ports[`am${i}`]}`,
      ...clusterArgs(peers, peers[i], peers[i]),
      "--cluster.peer-timeout=2s",
    ]);
    group.start(`alertmanager-${i}`, cmd.command, cmd.args);
  }

  // Prometheus: rendered rule packs plus the live-test rules, rendered global/alerting settings.
  for (const f of ruleFiles({
    runbookBaseUrl: "https://runbooks.example.com",
    kubernetes: false,
    containers: false,
  })) {
    writeFileSync(path.join(rulesDir, f.path), f.content);
  }
  writeFileSync(path.join(rulesDir, "live-test.rules.yaml"), stringify(LIVE_RULES));
  const staticJob = (job: string, targets: string[]) => ({ job_name: job, static_configs: [{ targets }] });
  const config = renderPrometheusConfig({
    cluster: "live",
    environment: "test",
    scrapeInterval: "1s",
    evaluationInterval: "1s",
    alertmanagers: am.map((i) => `${HOST}:${ports[`am${i}`]}`),
    ruleFiles: [path.join(rulesDir, "*.rules.yaml")],
    scrapeConfigs: [
      staticJob(
        JOBS.prometheus,
        prom.map((i) => `${HOST}:${ports[`prom${i}`]}`),
      ),
      staticJob(
        JOBS.alertmanager,
        am.map((i) => `${HOST}:${ports[`am${i}`]}`),
      ),
      staticJob(JOBS.nodeExporter, [`${HOST}:${ports.node}`]),
      staticJob("live-test-switches", [`${HOST}:${ports.switches}`]),
    ],
  });
  writeFileSync(path.join(workDir, "prometheus.yml"), config);
  group.start("node-exporter", toolPath("prometheus-node-exporter"), [
    `--web.listen-address=${HOST}:${ports.node}`,
  ]);
  for (const i of prom) {
    group.start(
      `prometheus-${i}`,
      toolPath("prometheus"),
      [
        ...prometheusArgs({
          retentionTime: "1d",
          retentionSize: "1GB",
          configFile: path.join(workDir, "prometheus.yml"),
          dataDir: path.join(workDir, `prom${i}-data`),
          listenAddress: `${HOST}:${ports[`prom${i}`]}`,
        }),
        "--rules.alert.resend-delay=1s",
      ],
      { [REPLICA_ENV]: `prometheus-${i}` },
    );
  }

  for (const i of am)
    await group.waitFor(`alertmanager-${i}`, STARTUP_MS, () =>
      httpOk(`http://${HOST}:${ports[`am${i}`]}/-/ready`),
    );
  for (const i of prom)
    await group.waitFor(`prometheus-${i}`, STARTUP_MS, () =>
      httpOk(`http://${HOST}:${ports[`prom${i}`]}/-/ready`),
    );
}, STARTUP_MS * 6);

afterAll(async () => {
  await group?.stopAll();
  for (const s of [webhook, switchServer])
    await new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()));
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  console.log("HA live test figures:", JSON.stringify(figures));
}, 30_000);

describe("HA pair and Alertmanager cluster, live", () => {
  it(
    "every target is up on both replicas and the three peers form one cluster",
    async () => {
      for (const i of prom) {
        const port = ports[`prom${i}`];
        await group.waitFor(`all 7 targets up on prometheus-${i}`, SETTLE_MS, async () => {
          const up = await query(port, "up == 1");
          return up.length === 7 ? up : undefined;
        });
        const down = await query(port, "up == 0");
        expect(down).toEqual([]);
      }
      const members = await group.waitFor("cluster of 3", SETTLE_MS, async () => {
        const r = await query(ports.prom0, "alertmanager_cluster_members");
        return r.length === 3 && r.every((s) => s.value[1] === "3") ? r : undefined;
      });
      figures.clusterMembers = members.map((m) => m.value[1]).join(",");
      // Both replicas are connected to all three Alertmanagers, each by its own address.
      for (const i of prom) {
        const r = await query(ports[`prom${i}`], "prometheus_notifications_alertmanagers_discovered");
        // One series per scraped replica (each replica scrapes both): every one reports 3.
        expect(r.map((s) => s.value[1])).toEqual(["3", "3"]);
      }
    },
    SETTLE_MS * 4,
  );

  it(
    "Watchdog reaches the dead man's switch once per interval, deduplicated across replicas and peers",
    async () => {
      const receiver = shippedRouting.watchdog?.receiver ?? "watchdog";
      await group.waitFor("first Watchdog", SETTLE_MS, async () =>
        byAlert("Watchdog", receiver).length > 0 ? true : undefined,
      );
      const from = Date.now();
      await sleep(WATCHDOG_WINDOW_MS);
      const inWindow = byAlert("Watchdog", receiver).filter(
        (n) => n.at >= from && n.at < from + WATCHDOG_WINDOW_MS,
      );
      figures.watchdogInWindow = `${inWindow.length} in ${WATCHDOG_WINDOW_MS / 1000}s (interval ${WATCHDOG_INTERVAL_S}s)`;
      const expected = WATCHDOG_WINDOW_MS / 1000 / WATCHDOG_INTERVAL_S;
      // Once per interval (give or take one at the window's edges); a replica or peer duplicate would double it.
      expect(inWindow.length).toBeGreaterThanOrEqual(Math.floor(expected) - 1);
      expect(inWindow.length).toBeLessThanOrEqual(Math.ceil(expected) + 1);
      // One Watchdog per notification, without the replica label: the two replicas' alerts merged.
      for (const n of byAlert("Watchdog")) {
        expect(n.alerts).toHaveLength(1);
        expect(n.alerts[0].labels).not.toHaveProperty("prometheus_replica");
        expect(n.alerts[0].labels.cluster).toBe("live");
      }
      // Watchdog goes to the dead man's switch only.
      expect(
        notifications.filter(
          (n) => n.receiver !== receiver && n.alerts.some((a) => a.labels.alertname === "Watchdog"),
        ),
      ).toEqual([]);
    },
    SETTLE_MS + WATCHDOG_WINDOW_MS + 10_000,
  );

  it(
    "a critical alert inhibits its warning twin; a lone warning is delivered",
    async () => {
      switches.twin = 1;
      switches.warningOnly = 1;
      const critical = shippedRouting.severityRoutes?.critical ?? [];
      const warning = shippedRouting.severityRoutes?.warning ?? [];
      await group.waitFor("critical twin at every critical receiver", SETTLE_MS, async () =>
        critical.every((r) => byAlert("LiveTestTwin", r).length > 0) ? true : undefined,
      );
      await group.waitFor("lone warning delivered", SETTLE_MS, async () =>
        warning.every((r) => byAlert("LiveTestWarningOnly", r).length > 0) ? true : undefined,
      );
      await sleep(DUPLICATE_WINDOW_MS);
      const twinAlerts = byAlert("LiveTestTwin").flatMap((n) =>
        n.alerts.filter((a) => a.labels.alertname === "LiveTestTwin"),
      );
      figures.twinNotifications = byAlert("LiveTestTwin").length;
      expect(twinAlerts.every((a) => a.labels.severity === "critical")).toBe(true);
      // Exactly one notification per critical receiver (pagerduty and slack), never the warning.
      for (const r of critical) expect(byAlert("LiveTestTwin", r)).toHaveLength(1);
      for (const r of warning) expect(byAlert("LiveTestWarningOnly", r)).toHaveLength(1);
    },
    SETTLE_MS * 2 + DUPLICATE_WINDOW_MS + 5_000,
  );

  it(
    "still exactly one notification with one Alertmanager peer killed",
    async () => {
      await group.stop(group.procs.find((p) => p.name === "alertmanager-0")!);
      switches.amDown = 1;
      const critical = shippedRouting.severityRoutes?.critical ?? [];
      await group.waitFor("alert delivered with a peer down", SETTLE_MS, async () =>
        critical.every((r) => byAlert("LiveTestAfterAlertmanagerKilled", r).length > 0) ? true : undefined,
      );
      await sleep(DUPLICATE_WINDOW_MS);
      for (const r of critical) expect(byAlert("LiveTestAfterAlertmanagerKilled", r)).toHaveLength(1);
      figures.afterAlertmanagerKilled = byAlert("LiveTestAfterAlertmanagerKilled").length;
    },
    SETTLE_MS + DUPLICATE_WINDOW_MS + 15_000,
  );

  it(
    "still exactly one notification with one Prometheus replica killed as well",
    async () => {
      await group.stop(group.procs.find((p) => p.name === "prometheus-0")!);
      switches.promDown = 1;
      const critical = shippedRouting.severityRoutes?.critical ?? [];
      await group.waitFor("alert delivered with a replica down", SETTLE_MS, async () =>
        critical.every((r) => byAlert("LiveTestAfterPrometheusKilled", r).length > 0) ? true : undefined,
      );
      await sleep(DUPLICATE_WINDOW_MS);
      for (const r of critical) expect(byAlert("LiveTestAfterPrometheusKilled", r)).toHaveLength(1);
      figures.afterPrometheusKilled = byAlert("LiveTestAfterPrometheusKilled").length;
      // The dead man's switch keeps hearing from the surviving replica and peers.
      const since = Date.now();
      await group.waitFor("Watchdog after the kills", WATCHDOG_INTERVAL_S * 3000, async () =>
        byAlert("Watchdog").some((n) => n.at >= since) ? true : undefined,
      );
    },
    SETTLE_MS + DUPLICATE_WINDOW_MS + WATCHDOG_INTERVAL_S * 3000 + 15_000,
  );
});

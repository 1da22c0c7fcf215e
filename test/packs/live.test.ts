/**
 * The packs on real binaries, all on 127.0.0.1: redis-server (with a password) and PostgreSQL (initdb
 * into a temp dir, run as a non-root user since PostgreSQL refuses root) with redis_exporter and
 * postgres_exporter started with exactly the environment the pack's exporter workloads carry; plain
 * HTTP stand-ins serving the five services' metric names; and Prometheus 3.5 with the rendered pack
 * scrape jobs and rule files (every pack, the SLOs). Then:
 *
 * - every pack dashboard's panels are queried as Grafana would (variables filled in) and counted with
 *   data, the AI assistant's Redis and PostgreSQL panels from the real exporters;
 * - every AI-assistant rule evaluates without error, the two with thresholds overridden low fire, the
 *   down alerts stay inactive, and RedisDown fires once redis-server is stopped.
 *
 * Waits are bounded; the SLO budget group's 5m interval is shortened to 1s here, the only change to
 * the rendered rules, so its panels have data within the test.
 */
import { secretLookup } from "../../stacks/errors";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { DashboardFile } from "../../components/grafana/dashboards";
import { renderRuleFile } from "../../components/rules/render";
import { packDashboards, packExporters, type PackExporter } from "../../packs";
import { PACK_DEFINITIONS, PACK_KEYS } from "../../packs/catalog";
import { POSTGRES_EXPORTER_PORT, REDIS_EXPORTER_PORT } from "../../packs/exporters";
import { packRulePack, packScrapeJobs } from "../../packs/render";
import { sloRulePack } from "../../packs/slo";
import type { PackSpec, SloSpec } from "../../stacks/spec";
import { BUILTIN_VALUES, allPanels, substitute, type DashboardJson } from "../grafana/dashboard-helpers";
import { freePorts, HOST, httpOk, ProcessGroup, sleep, type Proc } from "../helpers/processes";
import { toolPath, toolsDir } from "../helpers/tools";
import { startFakeServices } from "./fake-services";
import { resolvePacks } from "./helpers";

const STARTUP_TIMEOUT_MS = 30_000;
/** Scrape at least this long so the 1m rate windows hold plenty of samples... */
const MIN_SCRAPE_MS = 25_000;
/** ...and wait at most this long for targets up, rules evaluated or an alert to fire. */
const DATA_TIMEOUT_MS = 90_000;

const toolsLib = path.join(toolsDir, "usr", "lib", "x86_64-linux-gnu");

/** The newest PostgreSQL server: the system's, else the one the tools script unpacked. */
function postgresBinDir(): string {
  for (const base of ["/usr/lib/postgresql", path.join(toolsDir, "usr", "lib", "postgresql")]) {
    if (!existsSync(base)) continue;
    const versions = readdirSync(base).filter((v) => existsSync(path.join(base, v, "bin", "postgres")));
    versions.sort((a, b) => Number(b) - Number(a));
    if (versions.length) return path.join(base, versions[0], "bin");
  }
  throw new Error(
    "no PostgreSQL server found: 'npm test' installs it (scripts/install-pack-tools.sh, vitest globalSetup)",
  );
}

/** PostgreSQL refuses to run as root: its own system user when there is one, else nobody. */
function postgresUser(): { name: string; uid: number; gid: number } {
  const passwd = readFileSync("/etc/passwd", "utf8").split("\n");
  for (const name of ["postgres", "nobody"]) {
    const line = passwd.find((l) => l.startsWith(`${name}:`));
    if (line) {
      const [, , uid, gid] = line.split(":");
      return { name, uid: Number(uid), gid: Number(gid) };
    }
  }
  throw new Error("neither a postgres nor a nobody user to run PostgreSQL as");
}

let group: ProcessGroup;
let workDir = "";
let promUrl = "";
let closeFakes: (() => Promise<void>) | undefined;
let redisProc: Proc;
const instances: Record<string, string> = {};
const specs: PackSpec[] = [];

const slos: SloSpec[] = [
  {
    name: "assistant-availability",
    service: "ai-assistant",
    objective: 99.9,
    window: "30d",
    sli: {
      kind: "availability",
      total: 'http_requests_total{job="ai-assistant"}',
      errors: 'http_requests_total{job="ai-assistant", status_code=~"5.."}',
    },
  },
  {
    name: "assistant-latency",
    service: "ai-assistant",
    objective: 95,
    window: "30d",
    sli: {
      kind: "latency",
      histogram: "http_request_duration_seconds",
      selector: 'job="ai-assistant"',
      threshold: 0.5,
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Prometheus API

interface Sample {
  metric: Record<string, string>;
  value?: [number, string];
}

async function api<T>(pathAndQuery: string, form?: Record<string, string>): Promise<T> {
  const r = await fetch(`${promUrl}${pathAndQuery}`, {
    method: form ? "POST" : "GET",
    ...(form
      ? { headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form) }
      : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await r.json()) as { status: string; error?: string; data: T };
  if (body.status !== "success") throw new Error(`${pathAndQuery}: ${body.error ?? body.status}`);
  return body.data;
}

async function query(expr: string): Promise<Sample[]> {
  const data = await api<{ resultType: string; result: Sample[] | [number, string] }>("/api/v1/query", {
    query: expr,
  });
  return data.resultType === "scalar"
    ? [{ metric: {}, value: data.result as [number, string] }]
    : (data.result as Sample[]);
}

interface RuleState {
  name: string;
  type: "alerting" | "recording";
  health: string;
  lastError?: string;
  state?: string;
  lastEvaluation: string;
}
async function rules(file: string): Promise<RuleState[]> {
  const data = await api<{ groups: { file: string; rules: RuleState[] }[] }>("/api/v1/rules");
  return data.groups.filter((g) => g.file.endsWith(file)).flatMap((g) => g.rules);
}

// ---------------------------------------------------------------------------------------------------------
// Setup

beforeAll(
  async () => {
    workDir = mkdtempSync(path.join(tmpdir(), "packs-live-"));
    chmodSync(workDir, 0o755); // the PostgreSQL user must reach its data directory below
    group = new ProcessGroup(workDir);
    const [promPort, redisPort, redisExporterPort, pgPort, pgExporterPort] = await freePorts(5);
    promUrl = `http://${HOST}:${promPort}`;
    const password = randomBytes(12).toString("hex");

    // The five services' stand-ins; every pack with static targets on them, scraped every second.
    const fakes = await startFakeServices();
    closeFakes = fakes.close;
    Object.assign(instances, fakes.addresses);
    for (const key of PACK_KEYS) {
      const def = PACK_DEFINITIONS[key];
      const targets = Object.fromEntries(
        Object.entries(def.jobs)
          .filter(([, j]) => !j.exporter)
          .map(([k, j]) => [k, { static: [fakes.addresses[j.job]], scrapeInterval: "1s" }]),
      );
      const raw: Record<string, unknown> = { targets };
      if (key === "aiAssistant") {
        raw.exporters = {
          redis: { address: `${HOST}:${redisPort}`, passwordSecret: "redisPassword" },
          postgres: { address: `${HOST}:${pgPort}`, user: "postgres", passwordSecret: "pgPassword" },
        };
        // Thresholds overridden low so these fire on an idle database; RedisDown without a `for`.
        raw.alerts = {
          RedisMemoryNearLimit: { threshold: 0.001, for: "0s" },
          PostgresTooManyConnections: { threshold: 0.001, for: "0s" },
          RedisDown: { for: "0s" },
        };
      }
      specs.push(
        resolvePacks({ [key]: raw }, { secretKeys: secretLookup(new Set(["redisPassword", "pgPassword"])) })
          .packs[0],
      );
    }
    const assistant = specs.find((s) => s.key === "aiAssistant")!;
    const exporters = packExporters(assistant, () => password);
    const exporter = (kind: string): PackExporter => exporters.find((e) => e.workload.name.includes(kind))!;

    // Redis with a password, as a Redis the exporter must authenticate to.
    redisProc = group.start(
      "redis-server",
      toolPath("redis-server"),
      [
        "--port",
        String(redisPort),
        "--bind",
        HOST,
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        workDir,
        "--maxmemory",
        "64mb",
        "--requirepass",
        password,
      ],
      { LD_LIBRARY_PATH: toolsLib },
    );

    // PostgreSQL in a temp dir, password auth, as a non-root user (setpriv execs, so signals reach it).
    const pgBin = postgresBinDir();
    const user = postgresUser();
    const pgDir = path.join(workDir, "pg");
    mkdirSync(pgDir);
    writeFileSync(path.join(pgDir, "pwfile"), `${password}\n`);
    for (const p of [pgDir, path.join(pgDir, "pwfile")]) chownSync(p, user.uid, user.gid);
    const asUser = ["setpriv", `--reuid=${user.uid}`, `--regid=${user.gid}`, "--clear-groups"];
    const init = spawnSync(
      asUser[0],
      [
        ...asUser.slice(1),
        path.join(pgBin, "initdb"),
        "-D",
        path.join(pgDir, "data"),
        "-U",
        "postgres",
        "--auth=scram-sha-256",
        `--pwfile=${path.join(pgDir, "pwfile")}`,
        "--no-sync",
      ],
      { encoding: "utf8", timeout: 60_000 },
    );
    if (init.status !== 0) throw new Error(`initdb failed: ${init.stdout}${init.stderr}`);
    group.start("postgres", asUser[0], [
      ...asUser.slice(1),
      path.join(pgBin, "postgres"),
      "-D",
      path.join(pgDir, "data"),
      "-h",
      HOST,
      "-p",
      String(pgPort),
      "-k",
      pgDir,
      "-c",
      "fsync=off",
    ]);

    // The exporters with the workloads' own environment (plain and secret), on free ports.
    const envOf = (e: PackExporter) => {
      const c = e.workload.containers[0];
      return { ...(c.env as Record<string, string>), ...(c.secretEnv as Record<string, string>) };
    };
    const redisArgs = exporter("redis").workload.containers[0].args;
    const pgArgs = exporter("postgres").workload.containers[0].args;
    expect(redisArgs).toEqual([`--web.listen-address=:${REDIS_EXPORTER_PORT}`]);
    expect(pgArgs).toEqual([`--web.listen-address=:${POSTGRES_EXPORTER_PORT}`]);
    group.start(
      "redis-exporter",
      toolPath("prometheus-redis-exporter"),
      [`--web.listen-address=${HOST}:${redisExporterPort}`],
      envOf(exporter("redis")),
    );
    group.start(
      "postgres-exporter",
      toolPath("prometheus-postgres-exporter"),
      [`--web.listen-address=${HOST}:${pgExporterPort}`],
      envOf(exporter("postgres")),
    );
    instances[exporter("redis").job] = `${HOST}:${redisExporterPort}`;
    instances[exporter("postgres").job] = `${HOST}:${pgExporterPort}`;

    // Prometheus with the rendered pack jobs and rule files.
    const ruleFiles: string[] = [];
    const runbookBaseUrl = "https://runbooks.example.com/services";
    for (const pack of [...specs.map((s) => packRulePack(s)), sloRulePack(slos)]) {
      const file = path.join(workDir, `${pack.name}.rules.yaml`);
      let text = renderRuleFile(pack, { runbookBaseUrl });
      if (pack.name === "slo") text = text.replace(/interval: 5m/g, "interval: 1s");
      writeFileSync(file, text);
      ruleFiles.push(file);
    }
    const jobs = [
      ...specs.flatMap(packScrapeJobs),
      ...exporters.map((e) => ({
        job_name: e.job,
        scrape_interval: "1s",
        static_configs: [{ targets: [instances[e.job]] }],
      })),
    ];
    writeFileSync(
      path.join(workDir, "prometheus.yml"),
      stringify({
        global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
        rule_files: ruleFiles,
        scrape_configs: jobs,
      }),
    );
    mkdirSync(path.join(workDir, "prometheus-data"));
    group.start("prometheus", toolPath("prometheus"), [
      `--config.file=${path.join(workDir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(workDir, "prometheus-data")}`,
      `--web.listen-address=${HOST}:${promPort}`,
    ]);
    const started = Date.now();

    await group.waitFor("redis_exporter", STARTUP_TIMEOUT_MS, () =>
      httpOk(`http://${HOST}:${redisExporterPort}/health`),
    );
    await group.waitFor("postgres_exporter", STARTUP_TIMEOUT_MS, () =>
      httpOk(`http://${HOST}:${pgExporterPort}/`),
    );
    await group.waitFor("prometheus", STARTUP_TIMEOUT_MS, () => httpOk(`${promUrl}/-/ready`));
    await group.waitFor(`all ${jobs.length} jobs up`, DATA_TIMEOUT_MS, async () => {
      const up = await query("count(up == 1)");
      return Number(up[0]?.value?.[1] ?? 0) === jobs.length ? true : undefined;
    });
    await group.waitFor("Redis and PostgreSQL seen by their exporters", DATA_TIMEOUT_MS, async () => {
      const r = await query("redis_up == 1");
      const p = await query("pg_up == 1");
      return r.length === 1 && p.length === 1 ? true : undefined;
    });
    const rest = MIN_SCRAPE_MS - (Date.now() - started);
    if (rest > 0) await sleep(rest);
    group.assertRunning();
  },
  STARTUP_TIMEOUT_MS * 4 + DATA_TIMEOUT_MS * 2 + MIN_SCRAPE_MS + 60_000,
);

afterAll(async () => {
  await group?.stopAll();
  await closeFakes?.();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}, 30_000);

// ---------------------------------------------------------------------------------------------------------
// Dashboards

const grafanaRegexEscape = (v: string) => v.replace(/[$^*{}[\]'+?.()|\\]/g, (c) => `\\\\${c}`);

interface PanelResult {
  title: string;
  hasData: boolean;
}

async function measure(d: DashboardJson, job: string): Promise<PanelResult[]> {
  const values = {
    ...BUILTIN_VALUES,
    __rate_interval: "1m",
    cluster: ".*",
    job: grafanaRegexEscape(job),
    instance: grafanaRegexEscape(instances[job]),
  };
  const out: PanelResult[] = [];
  for (const p of allPanels(d)) {
    if (!p.targets?.length) continue;
    let hasData = false;
    for (const t of p.targets) if ((await query(substitute(t.expr ?? "", values))).length > 0) hasData = true;
    out.push({ title: p.title ?? "?", hasData });
  }
  return out;
}

const dashboards = (): { file: DashboardFile; job: string }[] =>
  specs.flatMap((s) => {
    const def = PACK_DEFINITIONS[s.key];
    const main = Object.values(def.jobs).find((j) => !j.exporter)!.job;
    return packDashboards(s, slos).map((file) => ({ file, job: main }));
  });

describe("pack dashboards on live data", () => {
  it("every pack dashboard: at least 90 percent of panels have data", async () => {
    const summary: string[] = [];
    for (const { file, job } of dashboards()) {
      const results = await measure(file.json as DashboardJson, job);
      const withData = results.filter((r) => r.hasData).length;
      summary.push(
        `${file.fileName}: ${withData}/${results.length} panels with data` +
          (withData < results.length
            ? ` (empty: ${JSON.stringify(results.filter((r) => !r.hasData).map((r) => r.title))})`
            : ""),
      );
      expect(results.length, file.fileName).toBeGreaterThanOrEqual(10);
      expect(
        withData / results.length,
        `${file.fileName}: ${JSON.stringify(results.filter((r) => !r.hasData))}`,
      ).toBeGreaterThanOrEqual(0.9);
    }
    console.log(`[live packs]\n  ${summary.join("\n  ")}`);
    expect(summary).toHaveLength(7);
  }, 120_000);

  it("the AI assistant's Redis and PostgreSQL panels all return data from the real exporters", async () => {
    const file = dashboards().find((d) => d.file.fileName === "ai-assistant.json")!;
    const d = file.file.json as DashboardJson;
    const panels = allPanels(d);
    const rowOf = new Map<string, string>();
    let row = "";
    for (const p of panels) {
      if (p.type === "row") row = p.title ?? "";
      else rowOf.set(p.title ?? "", row);
    }
    const results = await measure(d, file.job);
    const db = results.filter((r) => /Redis|PostgreSQL/.test(rowOf.get(r.title) ?? ""));
    console.log(
      `[live packs] AI assistant database panels: ${db.filter((r) => r.hasData).length}/${db.length} with data`,
    );
    expect(db.length).toBeGreaterThanOrEqual(12);
    expect(db.filter((r) => !r.hasData)).toEqual([]);
  }, 60_000);

  it("the SLO error-budget panels of the assistant have data", async () => {
    const remaining = await query('slo:error_budget_remaining:ratio{slo="assistant-availability"}');
    expect(remaining).toHaveLength(1);
    // 0.5/s of 25.5/s requests fail: 2 % errors against a 0.1 % budget, so the budget is overspent.
    expect(Number(remaining[0].value![1])).toBeLessThan(0);
  });

  it("a query for a metric nobody exposes comes back empty (the measure can fail)", async () => {
    expect(await query('rate(redis_made_up_total{job="ai-assistant-redis"}[1m])')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Alerts

describe("AI-assistant alerts on live data", () => {
  it("every rule of the pack evaluates without error", async () => {
    let states: RuleState[] = [];
    await group.waitFor("every AI-assistant rule evaluated", DATA_TIMEOUT_MS, async () => {
      states = await rules("ai-assistant.rules.yaml");
      return states.length > 0 && states.every((r) => !r.lastEvaluation.startsWith("0001"))
        ? true
        : undefined;
    });
    expect(states.map((r) => r.name).sort()).toEqual(
      PACK_DEFINITIONS.aiAssistant.alerts.map((a) => a.alert).sort(),
    );
    expect(states.filter((r) => r.health !== "ok")).toEqual([]);
  });

  it("the overridden thresholds fire on the real Redis and PostgreSQL; the down alerts stay inactive", async () => {
    await group.waitFor(
      "RedisMemoryNearLimit and PostgresTooManyConnections firing",
      DATA_TIMEOUT_MS,
      async () => {
        const s = await rules("ai-assistant.rules.yaml");
        const state = (n: string) => s.find((r) => r.name === n)?.state;
        return state("RedisMemoryNearLimit") === "firing" && state("PostgresTooManyConnections") === "firing"
          ? true
          : undefined;
      },
    );
    const s = await rules("ai-assistant.rules.yaml");
    expect(s.find((r) => r.name === "RedisDown")?.state).toBe("inactive");
    expect(s.find((r) => r.name === "PostgresDown")?.state).toBe("inactive");
  });

  it("every other pack's rules and the SLO rules evaluate without error", async () => {
    for (const file of ["bge-icl", "vector-db", "rag-pipeline", "llm-proxy", "slo"]) {
      const states = await rules(`${file}.rules.yaml`);
      expect(states.length, file).toBeGreaterThan(0);
      expect(
        states.filter((r) => r.health !== "ok"),
        file,
      ).toEqual([]);
    }
  });

  it(
    "RedisDown fires once redis-server stops",
    async () => {
      await group.stop(redisProc);
      await group.waitFor("RedisDown firing", DATA_TIMEOUT_MS, async () => {
        const s = await rules("ai-assistant.rules.yaml");
        return s.find((r) => r.name === "RedisDown")?.state === "firing" ? true : undefined;
      });
      const alerts = await api<{ alerts: { labels: Record<string, string>; state: string }[] }>(
        "/api/v1/alerts",
      );
      expect(alerts.alerts.find((a) => a.labels.alertname === "RedisDown")?.labels).toMatchObject({
        job: "ai-assistant-redis",
        service: "ai-assistant",
        severity: "critical",
      });
    },
    DATA_TIMEOUT_MS + 10_000,
  );
});

/**
 * The Kubernetes pack against a real Prometheus: a small HTTP server in this process serves what
 * kube-state-metrics, its telemetry and a kubelet expose (their metric names and labels) for a cluster
 * where every problem the pack knows is present beside healthy objects; Prometheus scrapes it under the
 * stack's job names (the kubelet job with its real keep-list) and evaluates the rendered rule files.
 *
 * - every kubernetes alert and ContainerOOMKilled becomes active (pending or firing) for exactly the
 *   broken objects, never for the healthy ones: the expressions select what the exporters really expose;
 * - every panel of the Kubernetes / Workloads dashboard returns data.
 *
 * The exposition is hand-written from kube-state-metrics' docs/metrics tables (v2.20) and the kubelet's
 * volume stats, not scraped from a cluster (none is reachable here).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { kubernetesDashboard } from "../../components/grafana/dashboards";
import { scrapeConfigs } from "../../components/prometheus/scrape";
import { alertRules } from "../../components/rules/model";
import { kubernetesPack } from "../../components/rules/packs/kubernetes";
import { ruleFiles } from "../../components/rules/render";
import { JOBS } from "../../lib/jobs";
import { freePorts, HOST, httpOk, ProcessGroup } from "../helpers/processes";
import { toolPath } from "../helpers/tools";
import { BUILTIN_VALUES, allPanels, substitute, type DashboardJson } from "./dashboard-helpers";

const STARTUP_TIMEOUT_MS = 30_000;
const DATA_TIMEOUT_MS = 60_000;
const KSM_POD = "kube-state-metrics-7d9f-x2k4";

let group: ProcessGroup;
let workDir = "";
let server: Server | undefined;
let promUrl = "";
const startedAt = Date.now();

// ---------------------------------------------------------------------------------------------------------
// The exposition

type Labels = Record<string, string>;

class Exposition {
  private readonly families = new Map<string, { type: string; lines: string[] }>();
  add(name: string, type: "gauge" | "counter", labels: Labels, value: number): this {
    const f = this.families.get(name) ?? { type, lines: [] };
    const body = Object.entries(labels)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(",");
    f.lines.push(`${name}{${body}} ${value}`);
    this.families.set(name, f);
    return this;
  }
  text(): string {
    return (
      [...this.families].map(([n, f]) => [`# TYPE ${n} ${f.type}`, ...f.lines].join("\n")).join("\n") + "\n"
    );
  }
}

const PHASES = ["Pending", "Running", "Succeeded", "Failed", "Unknown"];

function ksm(elapsed: number): string {
  const e = new Exposition();
  const pod = (
    namespace: string,
    name: string,
    phase: string,
    owner: string,
    ready: boolean,
    containers: string[],
  ) => {
    const p = { namespace, pod: name, uid: `u-${name}` };
    for (const ph of PHASES)
      e.add("kube_pod_status_phase", "gauge", { ...p, phase: ph }, ph === phase ? 1 : 0);
    e.add(
      "kube_pod_owner",
      "gauge",
      { ...p, owner_kind: owner, owner_name: `${name}-owner`, owner_is_controller: "true" },
      1,
    );
    for (const condition of ["true", "false", "unknown"])
      e.add("kube_pod_status_ready", "gauge", { ...p, condition }, condition === String(ready) ? 1 : 0);
    for (const c of containers)
      e.add("kube_pod_container_status_restarts_total", "counter", { ...p, container: c }, 0);
  };
  pod("shop", "web-1", "Pending", "ReplicaSet", false, ["web"]);
  pod("shop", "web-2", "Running", "ReplicaSet", false, ["web"]);
  pod("shop", "web-3", "Running", "ReplicaSet", true, ["web"]);
  pod("shop", "migrate-1", "Pending", "Job", false, ["migrate"]);
  pod("shop", "api-7", "Pending", "ReplicaSet", false, ["api"]);
  pod("rag", "rag-0", "Running", "StatefulSet", true, []);
  const rag = { namespace: "rag", pod: "rag-0", uid: "u-rag-0", container: "rag" };
  // rag crash-loops: killed for memory every 5 s.
  e.add("kube_pod_container_status_restarts_total", "counter", rag, 3 + Math.floor(elapsed / 5));
  e.add("kube_pod_container_status_last_terminated_reason", "gauge", { ...rag, reason: "OOMKilled" }, 1);
  e.add("kube_pod_container_status_waiting_reason", "gauge", { ...rag, reason: "CrashLoopBackOff" }, 1);
  const api7 = { namespace: "shop", pod: "api-7", uid: "u-api-7", container: "api" };
  e.add("kube_pod_container_status_waiting_reason", "gauge", { ...api7, reason: "ImagePullBackOff" }, 1);
  // web-3 restarted long ago after an error: not an OOM kill.
  e.add(
    "kube_pod_container_status_last_terminated_reason",
    "gauge",
    { namespace: "shop", pod: "web-3", uid: "u-web-3", container: "web", reason: "Error" },
    1,
  );

  const deployment = (
    name: string,
    spec: number,
    available: number,
    generation: [number, number],
    progressing: boolean,
  ) => {
    const d = { namespace: "shop", deployment: name };
    e.add("kube_deployment_spec_replicas", "gauge", d, spec);
    e.add("kube_deployment_status_replicas_available", "gauge", d, available);
    e.add("kube_deployment_status_replicas_updated", "gauge", d, spec);
    e.add("kube_deployment_status_observed_generation", "gauge", d, generation[0]);
    e.add("kube_deployment_metadata_generation", "gauge", d, generation[1]);
    const reason = progressing ? "NewReplicaSetAvailable" : "ProgressDeadlineExceeded";
    for (const status of ["true", "false", "unknown"])
      e.add(
        "kube_deployment_status_condition",
        "gauge",
        { ...d, condition: "Progressing", status, reason },
        status === String(progressing) ? 1 : 0,
      );
  };
  deployment("api", 3, 2, [3, 4], false);
  deployment("cart", 3, 3, [7, 7], true);

  const statefulset = (
    name: string,
    replicas: number,
    ready: number,
    revisions: [string, string],
    generation: [number, number],
  ) => {
    const s = { namespace: "db", statefulset: name };
    e.add("kube_statefulset_replicas", "gauge", s, replicas);
    e.add("kube_statefulset_status_replicas_ready", "gauge", s, ready);
    e.add("kube_statefulset_status_replicas_updated", "gauge", s, ready);
    e.add("kube_statefulset_status_current_revision", "gauge", { ...s, revision: revisions[0] }, 1);
    e.add("kube_statefulset_status_update_revision", "gauge", { ...s, revision: revisions[1] }, 1);
    e.add("kube_statefulset_status_observed_generation", "gauge", s, generation[0]);
    e.add("kube_statefulset_metadata_generation", "gauge", s, generation[1]);
  };
  statefulset("postgres", 3, 1, ["postgres-6d", "postgres-7f"], [5, 6]);
  statefulset("redis", 3, 3, ["redis-9a", "redis-9a"], [2, 2]);

  const daemonset = (name: string, desired: number, current: number, misscheduled: number) => {
    const d = { namespace: "kube-system", daemonset: name };
    e.add("kube_daemonset_status_desired_number_scheduled", "gauge", d, desired);
    e.add("kube_daemonset_status_current_number_scheduled", "gauge", d, current);
    e.add("kube_daemonset_status_number_misscheduled", "gauge", d, misscheduled);
    e.add("kube_daemonset_status_updated_number_scheduled", "gauge", d, current);
    e.add("kube_daemonset_status_number_available", "gauge", d, current);
  };
  daemonset("fluent-bit", 3, 2, 1);
  daemonset("kube-proxy", 3, 3, 0);

  const now = Math.floor(Date.now() / 1000);
  const job = (name: string, startedHoursAgo: number, active: number, succeeded: number, failed: boolean) => {
    const j = { namespace: "shop", job_name: name };
    e.add("kube_job_status_start_time", "gauge", j, now - startedHoursAgo * 3600);
    e.add("kube_job_status_active", "gauge", j, active);
    e.add("kube_job_status_succeeded", "gauge", j, succeeded);
    if (failed)
      for (const condition of ["true", "false", "unknown"])
        e.add("kube_job_failed", "gauge", { ...j, condition }, condition === "true" ? 1 : 0);
  };
  job("backfill", 13, 1, 0, false);
  job("nightly", 1, 0, 1, false);
  job("migrate", 2, 0, 0, true);

  const hpa = (name: string, desired: number, current: number, min: number, max: number) => {
    const h = { namespace: "shop", horizontalpodautoscaler: name };
    e.add("kube_horizontalpodautoscaler_status_desired_replicas", "gauge", h, desired);
    e.add("kube_horizontalpodautoscaler_status_current_replicas", "gauge", h, current);
    e.add("kube_horizontalpodautoscaler_spec_min_replicas", "gauge", h, min);
    e.add("kube_horizontalpodautoscaler_spec_max_replicas", "gauge", h, max);
  };
  hpa("api", 5, 3, 2, 10);
  hpa("search", 10, 10, 2, 10);
  hpa("cart", 4, 4, 2, 10);

  for (const [name, desired, current] of [
    ["api", 2, 1],
    ["cart", 2, 3],
  ] as const) {
    const b = { namespace: "shop", poddisruptionbudget: name };
    e.add("kube_poddisruptionbudget_status_desired_healthy", "gauge", b, desired);
    e.add("kube_poddisruptionbudget_status_current_healthy", "gauge", b, current);
  }
  for (const [pv, phase] of [
    ["pv-1", "Failed"],
    ["pv-2", "Bound"],
  ])
    for (const ph of ["Pending", "Available", "Bound", "Released", "Failed"])
      e.add(
        "kube_persistentvolume_status_phase",
        "gauge",
        { persistentvolume: pv, phase: ph },
        ph === phase ? 1 : 0,
      );
  for (const [claim, mode] of [
    ["data-db-0", "ReadWriteOnce"],
    ["data-db-1", "ReadWriteOnce"],
    ["shared-ro", "ReadOnlyMany"],
    ["scratch", "ReadWriteOnce"],
  ])
    e.add(
      "kube_persistentvolumeclaim_access_mode",
      "gauge",
      { namespace: "db", persistentvolumeclaim: claim, access_mode: mode },
      1,
    );
  for (const claim of ["data-db-0", "data-db-1", "shared-ro"])
    e.add("kube_persistentvolumeclaim_labels", "gauge", { namespace: "db", persistentvolumeclaim: claim }, 1);
  e.add(
    "kube_persistentvolumeclaim_labels",
    "gauge",
    { namespace: "db", persistentvolumeclaim: "scratch", label_excluded_from_alerts: "true" },
    1,
  );
  return e.text();
}

function telemetry(elapsed: number): string {
  const e = new Exposition();
  for (const metric of ["kube_state_metrics_list_total", "kube_state_metrics_watch_total"]) {
    // Pods are forbidden (a missing RBAC rule), deployments work.
    e.add(metric, "counter", { resource: "*v1.Pod", result: "error" }, elapsed);
    e.add(metric, "counter", { resource: "*v1.Pod", result: "success" }, 1);
    e.add(metric, "counter", { resource: "*v1.Deployment", result: "error" }, 0);
    e.add(metric, "counter", { resource: "*v1.Deployment", result: "success" }, 1 + elapsed);
  }
  return e.text();
}

function kubelet(elapsed: number): string {
  const e = new Exposition();
  // Free bytes (and inodes) of 1000: data-db-0 nearly full, data-db-1 at 14 % and falling fast, the
  // read-only-many and the opted-out claims as full as data-db-0.
  const free: Record<string, number> = {
    "data-db-0": 20,
    "data-db-1": 140 - elapsed,
    "shared-ro": 10,
    scratch: 10,
  };
  for (const [claim, available] of Object.entries(free)) {
    const c = { namespace: "db", persistentvolumeclaim: claim };
    e.add("kubelet_volume_stats_capacity_bytes", "gauge", c, 1000);
    e.add("kubelet_volume_stats_available_bytes", "gauge", c, available);
    e.add("kubelet_volume_stats_used_bytes", "gauge", c, 1000 - available);
    e.add("kubelet_volume_stats_inodes", "gauge", c, 1000);
    e.add("kubelet_volume_stats_inodes_free", "gauge", c, available);
    e.add("kubelet_volume_stats_inodes_used", "gauge", c, 1000 - available);
  }
  e.add("kubelet_running_pods", "gauge", {}, 12);
  e.add("kubelet_running_containers", "gauge", { container_state: "running" }, 20);
  // What the job's keep-list drops.
  e.add("rest_client_requests_total", "counter", { code: "200", host: "api", method: "GET" }, 5 + elapsed);
  return e.text();
}

// ---------------------------------------------------------------------------------------------------------
// Prometheus API

async function query(expr: string): Promise<Array<{ metric: Labels }>> {
  const r = await fetch(`${promUrl}/api/v1/query`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ query: expr }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await r.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: unknown };
  };
  if (body.status !== "success" || !body.data) throw new Error(`query failed: ${body.error}: ${expr}`);
  if (body.data.resultType !== "vector") return [{ metric: {} }];
  return body.data.result as Array<{ metric: Labels }>;
}

/** What the alerts name: the object labels of each active instance. */
const OBJECT_LABELS = [
  "namespace",
  "pod",
  "deployment",
  "statefulset",
  "daemonset",
  "job_name",
  "horizontalpodautoscaler",
  "poddisruptionbudget",
  "persistentvolumeclaim",
  "persistentvolume",
  "resource",
];
const objectOf = (m: Labels) =>
  OBJECT_LABELS.filter((l) => m[l])
    .map((l) => m[l])
    .join("/");

/** The kubernetes-pack alerts that must be active, by alert and severity, and for which objects. */
const EXPECTED: Record<string, string[]> = {
  "KubePodCrashLooping warning": ["rag/rag-0"],
  "KubePodNotReady warning": ["shop/api-7", "shop/web-1", "shop/web-2"],
  "KubeDeploymentGenerationMismatch warning": ["shop/api"],
  "KubeDeploymentReplicasMismatch warning": ["shop/api"],
  "KubeDeploymentRolloutStuck warning": ["shop/api"],
  "KubeStatefulSetReplicasMismatch warning": ["db/postgres"],
  "KubeStatefulSetGenerationMismatch warning": ["db/postgres"],
  "KubeStatefulSetUpdateNotRolledOut warning": ["db/postgres"],
  "KubeDaemonSetRolloutStuck warning": ["kube-system/fluent-bit"],
  "KubeContainerWaiting warning": ["shop/api-7"],
  "KubeDaemonSetNotScheduled warning": ["kube-system/fluent-bit"],
  "KubeDaemonSetMisScheduled warning": ["kube-system/fluent-bit"],
  "KubeJobNotCompleted warning": ["shop/backfill"],
  "KubeJobFailed warning": ["shop/migrate"],
  "KubeHpaReplicasMismatch warning": ["shop/api"],
  "KubeHpaMaxedOut warning": ["shop/search"],
  "KubePdbNotEnoughHealthyPods warning": ["shop/api"],
  "KubePersistentVolumeFillingUp critical": ["db/data-db-0"],
  "KubePersistentVolumeFillingUp warning": ["db/data-db-1"],
  "KubePersistentVolumeInodesFillingUp critical": ["db/data-db-0"],
  "KubePersistentVolumeInodesFillingUp warning": ["db/data-db-1"],
  "KubePersistentVolumeErrors critical": ["pv-1"],
  "KubeStateMetricsListErrors critical": ["*v1.Pod"],
  "KubeStateMetricsWatchErrors critical": ["*v1.Pod"],
  "ContainerOOMKilled warning": ["rag/rag-0"],
};

async function activeAlerts(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const { metric } of await query("ALERTS")) {
    const key = `${metric.alertname} ${metric.severity}`;
    if (!(key in EXPECTED)) continue;
    out[key] = [...(out[key] ?? []), objectOf(metric)].sort();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Setup

beforeAll(
  async () => {
    workDir = mkdtempSync(path.join(tmpdir(), "kubernetes-live-"));
    group = new ProcessGroup(workDir);
    const [promPort] = await freePorts(1);
    promUrl = `http://${HOST}:${promPort}`;
    server = createServer((req, res) => {
      const elapsed = Math.floor((Date.now() - startedAt) / 1000);
      const body =
        req.url === "/ksm"
          ? ksm(elapsed)
          : req.url === "/telemetry"
            ? telemetry(elapsed)
            : req.url === "/kubelet"
              ? kubelet(elapsed)
              : undefined;
      res.writeHead(body === undefined ? 404 : 200, { "content-type": "text/plain; version=0.0.4" });
      res.end(body ?? "");
    });
    await new Promise<void>((resolve) => server!.listen(0, HOST, resolve));
    const exporter = `${HOST}:${(server.address() as AddressInfo).port}`;

    const rulesDir = path.join(workDir, "rules");
    mkdirSync(rulesDir);
    for (const f of ruleFiles({
      runbookBaseUrl: "https://runbooks.example.com",
      kubernetes: true,
      kubernetesPack: true,
    }))
      writeFileSync(path.join(rulesDir, f.path), f.content);
    // The stack's kubelet job with its keep-list; discovery and TLS stand replaced by a static target.
    const [kubeletJob] = scrapeConfigs({
      platform: "kubernetes",
      instance: "x",
      targets: [],
      kubeletJob: JOBS.kubelet,
      annotationDiscovery: false,
      extraJobs: [],
    });
    const staticJob = (
      job: string,
      metricsPath: string,
      instance: string,
      extra: Record<string, unknown> = {},
    ) => ({
      job_name: job,
      metrics_path: metricsPath,
      static_configs: [{ targets: [exporter] }],
      relabel_configs: [{ target_label: "instance", replacement: instance }],
      ...extra,
    });
    writeFileSync(
      path.join(workDir, "prometheus.yml"),
      stringify({
        global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
        rule_files: [path.join(rulesDir, "*.rules.yaml")],
        scrape_configs: [
          staticJob(JOBS.kubeStateMetrics, "/ksm", KSM_POD),
          staticJob(JOBS.kubeStateMetricsTelemetry, "/telemetry", `${exporter}`),
          staticJob(JOBS.kubelet, "/kubelet", "node-a", {
            metric_relabel_configs: kubeletJob.metric_relabel_configs,
          }),
        ],
      }),
    );
    mkdirSync(path.join(workDir, "data"));
    group.start("prometheus", toolPath("prometheus"), [
      `--config.file=${path.join(workDir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(workDir, "data")}`,
      `--web.listen-address=${HOST}:${promPort}`,
    ]);
    await group.waitFor("prometheus", STARTUP_TIMEOUT_MS, () => httpOk(`${promUrl}/-/ready`));
    await group.waitFor("every expected alert active", DATA_TIMEOUT_MS, async () => {
      const active = await activeAlerts();
      return Object.keys(EXPECTED).every((k) => active[k]) ? true : undefined;
    });
    group.assertRunning();
  },
  STARTUP_TIMEOUT_MS + DATA_TIMEOUT_MS + 10_000,
);

afterAll(async () => {
  await group?.stopAll();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}, 30_000);

// ---------------------------------------------------------------------------------------------------------
// The checks

describe("the kubernetes rules on a live Prometheus", () => {
  it("every rule evaluates without error", async () => {
    const r = (await (await fetch(`${promUrl}/api/v1/rules`)).json()) as {
      data: {
        groups: Array<{ name: string; rules: Array<{ name: string; health: string; lastError?: string }> }>;
      };
    };
    const rules = r.data.groups.flatMap((g) => g.rules.map((x) => ({ group: g.name, ...x })));
    expect(rules.length).toBeGreaterThan(alertRules(kubernetesPack()).length);
    expect(rules.filter((x) => x.health !== "ok").map((x) => `${x.group}/${x.name}: ${x.lastError}`)).toEqual(
      [],
    );
  });

  it("each alert is active for exactly the broken objects, and every kubernetes alert is covered", async () => {
    expect(await activeAlerts()).toEqual(EXPECTED);
    const covered = new Set(Object.keys(EXPECTED));
    for (const a of alertRules(kubernetesPack()))
      expect(covered.has(`${a.alert} ${a.severity}`), a.alert).toBe(true);
  });

  it("the kubelet job keeps the volume stats and drops the rest", async () => {
    expect(await query(`kubelet_volume_stats_available_bytes{job="${JOBS.kubelet}"}`)).toHaveLength(4);
    expect(await query(`rest_client_requests_total{job="${JOBS.kubelet}"}`)).toHaveLength(0);
  });
});

describe("Kubernetes / Workloads on a live Prometheus", () => {
  it("every panel returns data", async () => {
    const d = kubernetesDashboard() as DashboardJson;
    const values = {
      ...BUILTIN_VALUES,
      __rate_interval: "1m",
      cluster: ".*",
      job: JOBS.kubeStateMetrics,
      namespace: ".*",
    };
    const empty: string[] = [];
    let panels = 0;
    for (const p of allPanels(d)) {
      if (!p.targets?.length) continue;
      panels++;
      const sizes = await Promise.all(
        p.targets.map(async (t) => (await query(substitute(t.expr ?? "", values))).length),
      );
      if (sizes.every((n) => n === 0)) empty.push(p.title ?? "?");
    }
    console.log(`[live] Kubernetes / Workloads: ${panels - empty.length}/${panels} panels with data`);
    expect(panels).toBeGreaterThan(20);
    expect(empty).toEqual([]);
  });

  it("a namespace filter narrows the panels (the measure can fail)", async () => {
    const r = await query(
      `sum(kube_pod_status_phase{job="${JOBS.kubeStateMetrics}", namespace=~"no-such-namespace"})`,
    );
    expect(r).toHaveLength(0);
  });
});

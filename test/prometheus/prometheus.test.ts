/**
 * Prometheus as both shipped stacks plan it: the real promtool accepts the rendered config with the
 * rendered rule files; the command line keeps both retention limits, reloads by itself and leaves the
 * admin API and lifecycle endpoint off; alerts go to every Alertmanager peer with the replica label
 * dropped; discovery RBAC is read-only.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderPrometheusConfig } from "../../components/prometheus/render";
import { discoveryRbac, scrapeConfigs } from "../../components/prometheus/scrape";
import { fileEndingWith, runPlan, type PlanRun } from "../helpers/plan";
import { promtoolCheckPlannedConfig, toolPath } from "../helpers/tools";
import { scratchDir } from "../helpers/scratch";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- manifest JSON

const runs: Record<string, PlanRun> = {};
beforeAll(() => {
  for (const stack of ["dev", "prod"]) runs[stack] = runPlan(stack);
}, 240_000);

function prometheusArgsOf(run: PlanRun): string[] {
  const sts = run.resources.find(
    (r) => r.type === "kubernetes:apps/v1:StatefulSet" && (r.inputs as Obj).metadata.name === "prometheus",
  );
  if (sts) return (sts.inputs as Obj).spec.template.spec.containers[0].args as string[];
  const containers = run.resources.filter(
    (r) =>
      r.type === "docker:index/container:Container" && String((r.inputs as Obj).name).includes("prometheus"),
  );
  expect(containers.length).toBeGreaterThan(0);
  return (containers[0].inputs as Obj).command as string[];
}

describe.each(["dev", "prod"])("Prometheus in the %s plan", (stack) => {
  it("promtool check config accepts prometheus.yml with the rendered rule files", () => {
    const run = runs[stack];
    expect(run.status, run.stderr).toBe(0);
    const config = fileEndingWith(run, "prometheus.yml");
    const rulesDir = path.dirname(fileEndingWith(run, "node.rules.yaml").path);
    const r = promtoolCheckPlannedConfig(config.content, rulesDir, scratchDir("promtool-"));
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const checked = (r.stdout.match(/SUCCESS: \d+ rules found/g) ?? []).length;
    expect(checked).toBe([...run.files.keys()].filter((f) => f.endsWith(".rules.yaml")).length);
    expect(checked).toBeGreaterThanOrEqual(4);
  });

  it("sends alerts to every Alertmanager peer individually, without the replica label", () => {
    const run = runs[stack];
    const config = parse(fileEndingWith(run, "prometheus.yml").content) as Obj;
    const targets = config.alerting.alertmanagers[0].static_configs[0].targets as string[];
    const replicas = stack === "prod" ? 3 : 1;
    expect(targets).toHaveLength(replicas);
    expect(new Set(targets).size).toBe(replicas);
    // Per-replica addresses, never the load-balanced client Service.
    for (const t of targets) expect(t).toMatch(/^alertmanager-\d+[.:]/);
    expect(config.alerting.alert_relabel_configs).toEqual([
      { action: "labeldrop", regex: "prometheus_replica" },
    ]);
    expect(config.global.external_labels).toEqual({
      cluster: stack === "prod" ? "prod-us-west-2" : "dev-local",
      environment: stack,
      prometheus_replica: "${PROMETHEUS_REPLICA}",
    });
  });

  it("scrapes itself, Alertmanager, node-exporter, cAdvisor and Grafana", () => {
    const config = parse(fileEndingWith(runs[stack], "prometheus.yml").content) as Obj;
    const jobs = (config.scrape_configs as Obj[]).map((j) => j.job_name as string);
    expect(jobs).toEqual(
      expect.arrayContaining(["prometheus", "alertmanager", "node-exporter", "cadvisor", "grafana"]),
    );
    if (stack === "prod")
      expect(jobs).toEqual(expect.arrayContaining(["kubernetes-pods", "kubernetes-services"]));
  });

  it("keeps retention by time and size, reloads by itself, and exposes no admin or lifecycle API", () => {
    const args = prometheusArgsOf(runs[stack]);
    expect(args.filter((a) => a.startsWith("--storage.tsdb.retention.time="))).toHaveLength(1);
    expect(args.filter((a) => a.startsWith("--storage.tsdb.retention.size="))).toHaveLength(1);
    expect(args).toContain("--enable-feature=auto-reload-config");
    expect(args.some((a) => a.startsWith("--web.enable-admin-api"))).toBe(false);
    expect(args.some((a) => a.startsWith("--web.enable-lifecycle"))).toBe(false);
  });
});

describe("Prometheus on Kubernetes (prod plan)", () => {
  it("runs two replicas with their own volumes, spread apart and covered by a PDB", () => {
    const run = runs.prod;
    const sts = run.resources.find(
      (r) => r.type === "kubernetes:apps/v1:StatefulSet" && (r.inputs as Obj).metadata.name === "prometheus",
    );
    const spec = (sts!.inputs as Obj).spec;
    expect(spec.replicas).toBe(2);
    expect(spec.volumeClaimTemplates[0].spec.resources.requests.storage).toMatch(/^\d+Gi$/);
    expect(spec.template.spec.affinity.podAntiAffinity).toBeDefined();
    const pdb = run.resources.find(
      (r) =>
        r.type === "kubernetes:policy/v1:PodDisruptionBudget" &&
        (r.inputs as Obj).metadata.name === "prometheus",
    );
    expect(pdb).toBeDefined();
  });

  it("discovers targets with read-only RBAC limited to what the jobs use", () => {
    const role = runs.prod.resources.find(
      (r) =>
        r.type === "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole" &&
        (r.inputs as Obj).metadata.name === "monitoring-prod-prometheus",
    );
    const rules = (role!.inputs as Obj).rules as Obj[];
    for (const rule of rules) {
      expect(rule.verbs.every((v: string) => ["get", "list", "watch"].includes(v))).toBe(true);
      expect(rule.resources).not.toContain("secrets");
      expect(rule.resources).not.toContain("*");
    }
    // Nodes and their metrics subresource for the kubelets' /metrics job (the Kubernetes pack).
    expect(rules.flatMap((r) => r.resources as string[]).sort()).toEqual([
      "endpointslices",
      "nodes",
      "nodes/metrics",
      "pods",
      "services",
    ]);
  });
});

describe("render", () => {
  it("adds kubelet cAdvisor scraping and the node RBAC it needs only for source kubelet", () => {
    const base = {
      platform: "kubernetes" as const,
      instance: "x",
      targets: [],
      annotationDiscovery: false,
      extraJobs: [],
    };
    expect(scrapeConfigs(base).map((j) => j.job_name)).toEqual([]);
    const kubelet = scrapeConfigs({ ...base, kubeletCadvisorJob: "cadvisor" });
    expect(kubelet[0]).toMatchObject({
      job_name: "cadvisor",
      scheme: "https",
      metrics_path: "/metrics/cadvisor",
    });
    expect(discoveryRbac({ kubeletCadvisorJob: "cadvisor", annotationDiscovery: false })).toEqual([
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["nodes/metrics"], verbs: ["get"] },
    ]);
  });

  it("accepts remote write with SigV4 and promtool agrees", () => {
    const text = renderPrometheusConfig({
      cluster: "c",
      environment: "prod",
      scrapeInterval: "30s",
      evaluationInterval: "30s",
      alertmanagers: ["a-0:9093"],
      ruleFiles: [],
      scrapeConfigs: [],
      remoteWrite: {
        url: "https://aps-workspaces.us-west-2.amazonaws.com/workspaces/ws-1/api/v1/remote_write",
        sigv4Region: "us-west-2",
      },
    });
    const dir = scratchDir("promtool-rw-");
    writeFileSync(path.join(dir, "p.yml"), text);
    const r = spawnSync(toolPath("promtool"), ["check", "config", path.join(dir, "p.yml")], {
      encoding: "utf8",
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect((parse(text) as Obj).remote_write[0].sigv4).toEqual({ region: "us-west-2" });
  });
});

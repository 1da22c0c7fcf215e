/**
 * The Kubernetes pack: `kubeStateMetrics` on by default on Kubernetes and refused on Docker; the
 * kube-state-metrics workload (pinned image, non-root, read-only root, list/watch on exactly the resources
 * it reports); its scrape jobs (object series keep their own namespace/pod labels) and the kubelets'
 * /metrics job with the node RBAC it needs; and both shipped plans: prod runs the pack, dev none of it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  KSM_RESOURCES,
  kubeStateMetricsRbac,
  kubeStateMetricsWorkload,
} from "../../components/kube-state-metrics";
import { discoveryRbac, KUBELET_METRICS_KEPT, scrapeConfigs } from "../../components/prometheus/scrape";
import { kubernetesPack } from "../../components/rules/packs/kubernetes";
import { alertRules } from "../../components/rules/model";
import { ConfigError } from "../../stacks/errors";
import { resolveStackSpec } from "../../stacks/resolve";
import { IMAGES } from "../../stacks/profiles";
import { fileEndingWith, runPlan, type PlanRun } from "../helpers/plan";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- manifest JSON

const resolve = (stack: string, values: Record<string, unknown>) =>
  resolveStackSpec(values, { stack, secretKeys: new Set() });
const kubernetes = { platform: "kubernetes", environment: "dev" };

describe("monitoring:kubeStateMetrics", () => {
  it("is on by default on Kubernetes and off on Docker", () => {
    expect(resolve("k", kubernetes).kubeStateMetrics).toMatchObject({
      enabled: true,
      image: IMAGES.kubeStateMetrics,
    });
    expect(resolve("dev", {}).kubeStateMetrics.enabled).toBe(false);
    expect(
      resolve("k", { ...kubernetes, kubeStateMetrics: { enabled: false } }).kubeStateMetrics.enabled,
    ).toBe(false);
  });

  it("is refused on Docker, naming the key", () => {
    let error: unknown;
    try {
      resolve("dev", { kubeStateMetrics: { enabled: true } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(
      /monitoring:kubeStateMetrics\.enabled: is true, which needs platform "kubernetes"/,
    );
  });

  it("pins a current registry.k8s.io release and checks its resources", () => {
    expect(IMAGES.kubeStateMetrics).toMatch(
      /^registry\.k8s\.io\/kube-state-metrics\/kube-state-metrics:v2\.\d+\.\d+$/,
    );
    expect(() => resolve("k", { ...kubernetes, kubeStateMetrics: { image: "x/ksm:latest" } })).toThrow(
      /kubeStateMetrics\.image/,
    );
    expect(() =>
      resolve("k", {
        ...kubernetes,
        kubeStateMetrics: { resources: { requests: { memory: "1Gi" }, limits: { memory: "512Mi" } } },
      }),
    ).toThrow(/kubeStateMetrics\.resources/);
  });
});

describe("the kube-state-metrics workload", () => {
  const spec = resolve("k", kubernetes).kubeStateMetrics;
  const w = kubeStateMetricsWorkload(spec);
  const main = w.containers[0];

  it("reports exactly the resources its RBAC lets it list and watch, and nothing else", () => {
    const arg = main.args.find((a) => a.startsWith("--resources="))!;
    const reported = arg.slice("--resources=".length).split(",").sort();
    expect(reported).toEqual(Object.keys(KSM_RESOURCES).sort());
    const granted = w.clusterRbac!.flatMap((r) => r.resources).sort();
    expect(granted).toEqual(reported);
    for (const rule of w.clusterRbac!) expect(rule.verbs).toEqual(["list", "watch"]);
    expect(granted).not.toEqual(expect.arrayContaining(["secrets"]));
    expect(granted).not.toEqual(expect.arrayContaining(["configmaps"]));
    expect(kubeStateMetricsRbac()).toEqual([
      {
        apiGroups: [""],
        resources: ["persistentvolumeclaims", "persistentvolumes", "pods"],
        verbs: ["list", "watch"],
      },
      {
        apiGroups: ["apps"],
        resources: ["daemonsets", "deployments", "statefulsets"],
        verbs: ["list", "watch"],
      },
      { apiGroups: ["batch"], resources: ["jobs"], verbs: ["list", "watch"] },
      { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: ["list", "watch"] },
      { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["list", "watch"] },
    ]);
  });

  it("covers every kube_* metric family the kubernetes rules read", () => {
    // Metric family prefix -> the resource kube-state-metrics needs for it (its docs/metrics layout).
    const familyResource: Record<string, string> = {
      kube_pod_: "pods",
      kube_deployment_: "deployments",
      kube_statefulset_: "statefulsets",
      kube_daemonset_: "daemonsets",
      kube_job_: "jobs",
      kube_horizontalpodautoscaler_: "horizontalpodautoscalers",
      kube_poddisruptionbudget_: "poddisruptionbudgets",
      kube_persistentvolumeclaim_: "persistentvolumeclaims",
      kube_persistentvolume_: "persistentvolumes",
    };
    const metrics = new Set(
      alertRules(kubernetesPack()).flatMap((a) =>
        [...a.expr.matchAll(/\b(kube_[a-z_]+)\{/g)].map((m) => m[1]),
      ),
    );
    expect(metrics.size).toBeGreaterThan(30);
    for (const m of metrics) {
      if (m.startsWith("kube_state_metrics_")) continue; // its own telemetry
      const prefix = Object.keys(familyResource)
        .filter((p) => m.startsWith(p))
        .sort((a, b) => b.length - a.length)[0];
      expect(prefix, m).toBeDefined();
      expect(Object.keys(KSM_RESOURCES), m).toContain(familyResource[prefix]);
    }
  });

  it("runs as an unprivileged, restricted, single-replica Deployment with its upstream probes", () => {
    expect(w).toMatchObject({
      kind: "stateless",
      namespace: "restricted",
      replicas: 1,
      user: { uid: 65534 },
    });
    expect(main.privileges).toBeUndefined();
    expect(w.hostAccess).toBeUndefined();
    expect(main.probes?.liveness).toMatchObject({ kind: "http", path: "/livez", port: "http-metrics" });
    expect(main.probes?.readiness).toMatchObject({ kind: "http", path: "/readyz", port: "telemetry" });
    expect(main.args).toContain("--metric-labels-allowlist=persistentvolumeclaims=[excluded_from_alerts]");
    expect(w.ingressFrom).toEqual(["prometheus"]);
  });
});

describe("scrape jobs", () => {
  const base = {
    platform: "kubernetes" as const,
    instance: "mon",
    annotationDiscovery: false,
    extraJobs: [],
  };
  const target = {
    job: "kube-state-metrics",
    workload: "kube-state-metrics",
    replicas: 1,
    port: 8080,
    portName: "http-metrics",
    path: "/metrics",
    namespace: "mon",
    perNode: false,
  };

  it("leaves kube-state-metrics' own namespace/pod labels alone (no exported_* renames)", () => {
    const [objects] = scrapeConfigs({ ...base, targets: [{ ...target, objectMetrics: true }] });
    const targetLabels = (objects.relabel_configs as Obj[]).map((r) => r.target_label).filter(Boolean);
    expect(targetLabels).toEqual(["instance"]);
    const [plain] = scrapeConfigs({ ...base, targets: [target] });
    expect((plain.relabel_configs as Obj[]).map((r) => r.target_label).filter(Boolean)).toEqual([
      "namespace",
      "pod",
      "node",
    ]);
  });

  it("scrapes every kubelet's /metrics, keeping the volume stats, with node discovery and nodes/metrics", () => {
    const [kubelet] = scrapeConfigs({ ...base, targets: [], kubeletJob: "kubelet" });
    expect(kubelet).toMatchObject({
      job_name: "kubelet",
      scheme: "https",
      metrics_path: "/metrics",
      kubernetes_sd_configs: [{ role: "node" }],
      metric_relabel_configs: [{ source_labels: ["__name__"], regex: KUBELET_METRICS_KEPT, action: "keep" }],
    });
    const kept = new RegExp(`^(?:${KUBELET_METRICS_KEPT})$`);
    for (const m of [
      "kubelet_volume_stats_available_bytes",
      "kubelet_volume_stats_inodes_free",
      "kubelet_running_pods",
    ])
      expect(m).toMatch(kept);
    expect("rest_client_request_duration_seconds_bucket").not.toMatch(kept);
    expect(discoveryRbac({ kubeletJob: "kubelet", annotationDiscovery: false })).toEqual([
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["nodes/metrics"], verbs: ["get"] },
    ]);
    expect(discoveryRbac({ annotationDiscovery: false }).flatMap((r) => r.resources)).toEqual(["pods"]);
  });
});

describe("the shipped plans", () => {
  const runs: Record<string, PlanRun> = {};
  beforeAll(() => {
    for (const stack of ["dev", "prod"]) runs[stack] = runPlan(stack);
  }, 240_000);

  const ofType = (run: PlanRun, type: string) =>
    run.resources.filter((r) => r.type === type).map((r) => r.inputs as Obj);

  it("prod runs kube-state-metrics non-root with a read-only root and a ClusterRole of list/watch only", () => {
    const run = runs.prod;
    expect(run.status, run.stderr).toBe(0);
    const deployment = ofType(run, "kubernetes:apps/v1:Deployment").find(
      (d) => d.metadata.name === "kube-state-metrics",
    );
    const pod = deployment!.spec.template.spec;
    expect(pod.containers[0].image).toBe(IMAGES.kubeStateMetrics);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65534 });
    expect(pod.containers[0].securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    expect(pod.automountServiceAccountToken).toBe(true);
    const role = ofType(run, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").find(
      (r) => r.metadata.name === "monitoring-prod-kube-state-metrics",
    );
    expect(role!.rules).toEqual(kubeStateMetricsRbac());
  });

  it("prod scrapes kube-state-metrics, its telemetry and the kubelets, and loads the kubernetes rules", () => {
    const run = runs.prod;
    const config = parse(fileEndingWith(run, "prometheus.yml").content) as Obj;
    const jobs = (config.scrape_configs as Obj[]).map((j) => j.job_name);
    expect(jobs).toEqual(
      expect.arrayContaining(["kube-state-metrics", "kube-state-metrics-telemetry", "kubelet"]),
    );
    const rules = parse(fileEndingWith(run, "kubernetes.rules.yaml").content) as Obj;
    expect((rules.groups as Obj[]).map((g) => g.name)).toEqual([
      "kubernetes-apps",
      "kubernetes-storage",
      "kube-state-metrics",
    ]);
    const prometheusRole = ofType(run, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").find(
      (r) => r.metadata.name === "monitoring-prod-prometheus",
    );
    expect(prometheusRole!.rules).toEqual(
      expect.arrayContaining([{ apiGroups: [""], resources: ["nodes/metrics"], verbs: ["get"] }]),
    );
  });

  it("dev (Docker) has none of it", () => {
    const run = runs.dev;
    expect(run.status, run.stderr).toBe(0);
    const containers = ofType(run, "docker:index/container:Container").map((c) => String(c.name));
    expect(containers.length).toBeGreaterThan(3);
    expect(containers.some((n) => n.includes("kube-state-metrics"))).toBe(false);
    expect([...run.files.keys()].some((f) => f.endsWith("kubernetes.rules.yaml"))).toBe(false);
    const config = parse(fileEndingWith(run, "prometheus.yml").content) as Obj;
    expect((config.scrape_configs as Obj[]).map((j) => j.job_name)).not.toContain("kubelet");
  });
});

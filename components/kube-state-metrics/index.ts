/**
 * kube-state-metrics: the state of the cluster's Kubernetes objects (pods, workloads, jobs, volumes) as
 * metrics, for the kubernetes rule pack and dashboard. One unsharded replica, restricted namespace,
 * non-root with a read-only root filesystem, and cluster-wide list/watch on exactly the resources it is
 * told to report (`--resources`), nothing else: no Secrets, ConfigMaps or nodes.
 *
 * Deployment facts from the project's examples/standard manifests and README (v2.20.0): the metrics port
 * (8080) serves /livez for the liveness probe, the telemetry port (8081) /readyz for readiness and its own
 * list/watch counters; the image is distroless and runs as 65534.
 */
import * as pulumi from "@pulumi/pulumi";
import { JOBS } from "../../lib/jobs";
import type { KubeStateMetricsSpec } from "../../stacks/spec";
import { contribution, scrapeTargetOf, type Contribution } from "../contribution";
import { DASHBOARD_FILES } from "../grafana/dashboards";
import type { Platform } from "../platform/platform";
import type { RbacRule, Workload } from "../platform/workload";
import type { ScrapeTarget } from "../prometheus/scrape";
import { kubernetesPack, PVC_EXCLUDED_LABEL } from "../rules/packs/kubernetes";

export const KSM_METRICS_PORT = 8080;
export const KSM_TELEMETRY_PORT = 8081;

/**
 * The resources kube-state-metrics reports, each with its API group: what the kubernetes rules and the
 * dashboard read, and all the RBAC the service account gets (list and watch; kube-state-metrics' reflectors
 * need nothing more).
 */
export const KSM_RESOURCES: Readonly<Record<string, string>> = {
  pods: "",
  persistentvolumes: "",
  persistentvolumeclaims: "",
  deployments: "apps",
  statefulsets: "apps",
  daemonsets: "apps",
  jobs: "batch",
  horizontalpodautoscalers: "autoscaling",
  poddisruptionbudgets: "policy",
};

/** One list/watch rule per API group, over the resources of that group. */
export function kubeStateMetricsRbac(): RbacRule[] {
  const byGroup = new Map<string, string[]>();
  for (const [resource, group] of Object.entries(KSM_RESOURCES))
    byGroup.set(group, [...(byGroup.get(group) ?? []), resource]);
  return [...byGroup].map(([group, resources]) => ({
    apiGroups: [group],
    resources: resources.sort(),
    verbs: ["list", "watch"],
  }));
}

export function kubeStateMetricsWorkload(spec: KubeStateMetricsSpec): Workload {
  return {
    name: JOBS.kubeStateMetrics,
    component: "exporter",
    kind: "stateless",
    namespace: "restricted",
    // Two replicas would report every object twice; a restart leaves a gap of a scrape or two, which the
    // alerts' `for` durations absorb.
    replicas: 1,
    containers: [
      {
        name: JOBS.kubeStateMetrics,
        image: spec.image,
        // Distroless: no shell or HTTP client for a Docker healthcheck (it never runs on Docker anyway).
        tools: "none",
        args: [
          `--port=${KSM_METRICS_PORT}`,
          `--telemetry-port=${KSM_TELEMETRY_PORT}`,
          `--resources=${Object.keys(KSM_RESOURCES).sort().join(",")}`,
          // The kubernetes-mixin's opt-out: claims labelled excluded_from_alerts=true raise no volume alerts.
          `--metric-labels-allowlist=persistentvolumeclaims=[${PVC_EXCLUDED_LABEL}]`,
        ],
        ports: [
          { name: "http-metrics", port: KSM_METRICS_PORT },
          { name: "telemetry", port: KSM_TELEMETRY_PORT },
        ],
        probes: {
          readiness: { kind: "http", path: "/readyz", port: "telemetry", initialDelaySeconds: 5 },
          liveness: { kind: "http", path: "/livez", port: "http-metrics", initialDelaySeconds: 5 },
        },
        resources: spec.resources,
      },
    ],
    user: { uid: 65534, gid: 65534 },
    metrics: { port: "http-metrics", path: "/metrics" },
    ingressFrom: ["prometheus"],
    clusterRbac: kubeStateMetricsRbac(),
  };
}

/** The two scrape targets: the object metrics (labelled by the objects) and kube-state-metrics' own telemetry. */
export function kubeStateMetricsTargets(w: Workload, platform: Platform): ScrapeTarget[] {
  const objects = scrapeTargetOf(w, platform);
  return [
    { ...objects, objectMetrics: true },
    {
      ...objects,
      job: JOBS.kubeStateMetricsTelemetry,
      port: KSM_TELEMETRY_PORT,
      portName: "telemetry",
    },
  ];
}

export interface KubeStateMetricsArgs {
  /** Resolved kube-state-metrics settings (image, resources). */
  spec: KubeStateMetricsSpec;
  /** Platform it runs on; Kubernetes only (the config refuses it on Docker). */
  platform: Platform;
}

/**
 * kube-state-metrics and what the Kubernetes pack brings with it: the kubernetes rules and dashboard. The
 * kubelets' /metrics job beside it is Prometheus' own (its discovery RBAC covers the nodes).
 */
export class KubeStateMetrics extends pulumi.ComponentResource {
  readonly workload: Workload;
  readonly contribution: Contribution;

  constructor(name: string, args: KubeStateMetricsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:metrics:KubeStateMetrics", name, {}, opts);
    if (args.platform.name !== "kubernetes")
      throw new Error("kube-state-metrics runs on Kubernetes only (the config refuses it elsewhere)");
    this.workload = kubeStateMetricsWorkload(args.spec);
    args.platform.deploy(name, this.workload, this);
    this.contribution = contribution({
      workloads: [this.workload],
      scrapeTargets: kubeStateMetricsTargets(this.workload, args.platform),
      rulePacks: [kubernetesPack()],
      dashboards: [DASHBOARD_FILES.kubernetes()],
    });
    this.registerOutputs({});
  }
}

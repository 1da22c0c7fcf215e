/**
 * Scrape jobs per platform. Pure: no Pulumi.
 *
 * - Docker (dev): every service is a container on the stack network, scraped by its network alias.
 * - Kubernetes (prod): the stack's own workloads through pod discovery limited to their namespace
 *   and instance label (one target per pod, labelled with namespace/pod/node); the kubelet's built-in
 *   cAdvisor when `cadvisor.source` is "kubelet"; the kubelets' own /metrics (volume stats) with the
 *   Kubernetes pack; and any pod or service elsewhere that opts in with `prometheus.io/scrape: "true"`
 *   (port, path and scheme from `prometheus.io/port|path|scheme`).
 * - Docker targets other than the stack's own containers come from `extraScrapeJobs`: Docker service
 *   discovery would need the engine's socket inside Prometheus, which is root on the host.
 */
import type { ScrapeConfig } from "./render";

/** A service of the stack that exposes metrics. */
export interface ScrapeTarget {
  /** Job label (rules and dashboards select on it). */
  job: string;
  /** Workload name (container alias / app.kubernetes.io/name). */
  workload: string;
  replicas: number;
  port: number;
  /** Container port name (Kubernetes pod discovery keeps only this port). */
  portName: string;
  path: string;
  /** Kubernetes namespace the workload runs in. */
  namespace: string;
  /** Label the target by node (per-node exporters): `instance` becomes the node name. */
  perNode: boolean;
  /**
   * The target reports on other objects and labels its series with their `namespace`, `pod` and
   * `container` (kube-state-metrics): the job adds no namespace/pod/node labels of its own, which would
   * rename the reported ones to `exported_*`, and `instance` is the pod name.
   */
  objectMetrics?: boolean;
}

export interface ScrapeInput {
  platform: "docker" | "kubernetes";
  /** Value of app.kubernetes.io/instance on the stack's pods (keeps two stacks apart in one cluster). */
  instance: string;
  targets: ScrapeTarget[];
  /** Kubernetes: scrape the kubelet's /metrics/cadvisor on every node as job `cadvisorJob`. */
  kubeletCadvisorJob?: string;
  /** Kubernetes: scrape the kubelet's own /metrics (volume stats) on every node as this job. */
  kubeletJob?: string;
  /** Kubernetes: scrape pods and services that opt in through prometheus.io/* annotations. */
  annotationDiscovery: boolean;
  extraJobs: { name: string; targets: string[]; metricsPath: string; scrapeInterval?: string }[];
}

const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
const label = (name: string) => name.replace(/[^a-zA-Z0-9_]/g, "_");

function dockerJob(t: ScrapeTarget): ScrapeConfig {
  const targets =
    t.replicas === 1
      ? [`${t.workload}:${t.port}`]
      : Array.from({ length: t.replicas }, (_, i) => `${t.workload}-${i}:${t.port}`);
  return { job_name: t.job, metrics_path: t.path, static_configs: [{ targets }] };
}

function podJob(t: ScrapeTarget, instance: string): ScrapeConfig {
  return {
    job_name: t.job,
    metrics_path: t.path,
    kubernetes_sd_configs: [{ role: "pod", namespaces: { names: [t.namespace] } }],
    relabel_configs: [
      {
        source_labels: [
          `__meta_kubernetes_pod_label_${label("app.kubernetes.io/name")}`,
          `__meta_kubernetes_pod_label_${label("app.kubernetes.io/instance")}`,
          "__meta_kubernetes_pod_container_port_name",
        ],
        regex: `${t.workload};${instance};${t.portName}`,
        action: "keep",
      },
      ...(t.objectMetrics
        ? [{ source_labels: ["__meta_kubernetes_pod_name"], target_label: "instance" }]
        : [
            { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
            { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
            { source_labels: ["__meta_kubernetes_pod_node_name"], target_label: "node" },
            ...(t.perNode
              ? [{ source_labels: ["__meta_kubernetes_pod_node_name"], target_label: "instance" }]
              : []),
          ]),
    ],
  };
}

/**
 * What the kubelet job keeps of the kubelet's own /metrics: what the kubernetes rules and dashboard read.
 * The endpoint also carries thousands of series per node (API client, runtime and storage operation
 * histograms) that nothing in the stack reads.
 */
export const KUBELET_METRICS_KEPT =
  "kubelet_volume_stats_.+|kubelet_running_(pods|containers)|kubelet_node_name";

/** A job over every node's kubelet (port 10250, from node discovery), authenticated with the service account. */
function kubeletNodeJob(job: string, metricsPath: string): ScrapeConfig {
  return {
    job_name: job,
    scheme: "https",
    metrics_path: metricsPath,
    authorization: { credentials_file: `${SA_DIR}/token` },
    // Kubelet serving certificates are commonly self-signed per node, so they cannot be verified
    // against the cluster CA; the bearer token still authenticates Prometheus to the kubelet.
    tls_config: { ca_file: `${SA_DIR}/ca.crt`, insecure_skip_verify: true },
    kubernetes_sd_configs: [{ role: "node" }],
    relabel_configs: [
      { source_labels: ["__meta_kubernetes_node_name"], target_label: "node" },
      { source_labels: ["__meta_kubernetes_node_name"], target_label: "instance" },
    ],
  };
}

function kubeletMetricsJob(job: string): ScrapeConfig {
  return {
    ...kubeletNodeJob(job, "/metrics"),
    metric_relabel_configs: [{ source_labels: ["__name__"], regex: KUBELET_METRICS_KEPT, action: "keep" }],
  };
}

/** Relabelling shared by the annotation jobs: opt-in, port and path from annotations, skip our own pods. */
function annotationRelabels(kind: "pod" | "service", instance: string): Record<string, unknown>[] {
  const meta = `__meta_kubernetes_${kind}_annotation_prometheus_io`;
  return [
    { source_labels: [`${meta}_scrape`], regex: "true", action: "keep" },
    // The stack's own workloads already have dedicated jobs.
    {
      source_labels: [`__meta_kubernetes_pod_label_${label("app.kubernetes.io/instance")}`],
      regex: instance,
      action: "drop",
    },
    { source_labels: [`${meta}_path`], regex: "(.+)", target_label: "__metrics_path__" },
    { source_labels: [`${meta}_scheme`], regex: "(https?)", target_label: "__scheme__" },
    {
      source_labels: ["__address__", `${meta}_port`],
      regex: "(.+?)(?::\\d+)?;(\\d+)",
      replacement: "$1:$2",
      target_label: "__address__",
    },
    { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
    { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
    ...(kind === "service"
      ? [{ source_labels: ["__meta_kubernetes_service_name"], target_label: "service" }]
      : []),
  ];
}

export function scrapeConfigs(input: ScrapeInput): ScrapeConfig[] {
  const jobs: ScrapeConfig[] = input.targets.map((t) =>
    input.platform === "docker" ? dockerJob(t) : podJob(t, input.instance),
  );
  if (input.platform === "kubernetes") {
    if (input.kubeletCadvisorJob) jobs.push(kubeletNodeJob(input.kubeletCadvisorJob, "/metrics/cadvisor"));
    if (input.kubeletJob) jobs.push(kubeletMetricsJob(input.kubeletJob));
    if (input.annotationDiscovery) {
      jobs.push({
        job_name: "kubernetes-pods",
        kubernetes_sd_configs: [{ role: "pod" }],
        relabel_configs: [
          // Pods that are not running have nothing to scrape.
          {
            source_labels: ["__meta_kubernetes_pod_phase"],
            regex: "Pending|Succeeded|Failed",
            action: "drop",
          },
          ...annotationRelabels("pod", input.instance),
        ],
      });
      jobs.push({
        job_name: "kubernetes-services",
        kubernetes_sd_configs: [{ role: "endpointslice" }],
        relabel_configs: annotationRelabels("service", input.instance),
      });
    }
  }
  for (const extra of input.extraJobs) {
    jobs.push({
      job_name: extra.name,
      metrics_path: extra.metricsPath,
      ...(extra.scrapeInterval ? { scrape_interval: extra.scrapeInterval } : {}),
      static_configs: [{ targets: extra.targets }],
    });
  }
  return jobs;
}

/** Least-privilege discovery RBAC for what `scrapeConfigs` uses on Kubernetes. */
export function discoveryRbac(
  input: Pick<ScrapeInput, "kubeletCadvisorJob" | "kubeletJob" | "annotationDiscovery">,
) {
  const rules: { apiGroups: string[]; resources: string[]; verbs: ("get" | "list" | "watch")[] }[] = [
    { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
  ];
  if (input.annotationDiscovery) {
    rules.push({ apiGroups: [""], resources: ["services"], verbs: ["get", "list", "watch"] });
    rules.push({
      apiGroups: ["discovery.k8s.io"],
      resources: ["endpointslices"],
      verbs: ["get", "list", "watch"],
    });
  }
  // Node discovery, and the kubelet's authorizer maps both /metrics and /metrics/cadvisor to the
  // nodes/metrics subresource (Kubernetes docs, "Kubelet authentication/authorization").
  if (input.kubeletCadvisorJob || input.kubeletJob) {
    rules.push({ apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch"] });
    rules.push({ apiGroups: [""], resources: ["nodes/metrics"], verbs: ["get"] });
  }
  return rules;
}

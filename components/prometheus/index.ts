/**
 * Prometheus: an HA pair (prod) of stateful replicas, each with its own volume, retention by time and
 * size, rules and config reloaded automatically when their files change, admin API off.
 */
import * as pulumi from "@pulumi/pulumi";
import { JOBS } from "../../lib/jobs";
import type { StackSpec } from "../../stacks/spec";
import { contribution, scrapeTargetOf, type Contribution } from "../contribution";
import { DASHBOARD_FILES } from "../grafana/dashboards";
import type { Platform, WorkloadRef } from "../platform/platform";
import type { FileSpec, Workload } from "../platform/workload";
import { renderRuleFile, RULE_FILE_SUFFIX } from "../rules/render";
import { prometheusPack } from "../rules/packs/prometheus";
import {
  PROMETHEUS_PATHS,
  PROMETHEUS_PORT,
  prometheusArgs,
  renderPrometheusConfig,
  REPLICA_ENV,
  type RemoteWriteInput,
  type ScrapeConfig,
} from "./render";
import { irsaAnnotations } from "../aws/irsa";
import { discoveryRbac, scrapeConfigs } from "./scrape";

export const PROMETHEUS_NAME = "prometheus";
/** How other workloads address Prometheus. */
export const PROMETHEUS_REF: WorkloadRef = { name: PROMETHEUS_NAME, namespace: "restricted" };

export interface PrometheusArgs {
  /** The resolved stack spec (Prometheus settings, cluster and environment labels). */
  stack: StackSpec;
  /** Platform Prometheus runs on. */
  platform: Platform;
  /**
   * What every other service brings (targets, scrape jobs, rule packs); Prometheus adds its own
   * target. Its own rule pack and dashboard come from `prometheusContribution`.
   */
  contributions: Contribution;
  /** host:port of every Alertmanager peer; alerts go to each one. */
  alertmanagers: string[];
  /**
   * Remote write to the stack's Amazon Managed Service for Prometheus workspace (monitoring:aws), with
   * the pod's own IAM role (IRSA); both known only at deploy time.
   */
  amp?: { region: string; roleArn: pulumi.Input<string>; remoteWriteUrl: pulumi.Input<string> };
}

/** What Prometheus brings about itself besides its own target: its rule pack and dashboard. */
export function prometheusContribution(stack: StackSpec): Contribution {
  return contribution({
    rulePacks: [
      prometheusPack({ kubernetes: stack.platform === "kubernetes" && stack.prometheus.kubernetesDiscovery }),
    ],
    dashboards: [DASHBOARD_FILES.prometheus()],
  });
}

export function prometheusWorkload(args: PrometheusArgs): Workload {
  const { stack, platform } = args;
  const p = stack.prometheus;
  const onKubernetes = platform.name === "kubernetes";
  const kubeletCadvisorJob =
    onKubernetes && stack.cadvisor.enabled && stack.cadvisor.source === "kubelet" ? "cadvisor" : undefined;
  const annotationDiscovery = onKubernetes && p.kubernetesDiscovery;
  // The Kubernetes pack reads the kubelets' volume stats beside kube-state-metrics.
  const kubeletJob = onKubernetes && stack.kubeStateMetrics.enabled ? JOBS.kubelet : undefined;

  const workload: Workload = {
    name: PROMETHEUS_NAME,
    component: "metrics",
    kind: "stateful",
    namespace: PROMETHEUS_REF.namespace,
    replicas: p.replicas,
    containers: [
      {
        name: PROMETHEUS_NAME,
        image: p.image,
        // The upstream image is busybox-based: wget is there for the Docker healthcheck.
        tools: "wget",
        args: prometheusArgs({ retentionTime: p.retentionTime, retentionSize: p.retentionSize }),
        fieldEnv: { [REPLICA_ENV]: "pod-name" },
        ports: [{ name: "web", port: PROMETHEUS_PORT, hostPort: onKubernetes ? undefined : PROMETHEUS_PORT }],
        // Replaying a large WAL can take minutes: the startup probe holds liveness off until it is done.
        probes: {
          readiness: { kind: "http", path: "/-/ready", port: "web", periodSeconds: 5, failureThreshold: 3 },
          liveness: { kind: "http", path: "/-/healthy", port: "web", periodSeconds: 15, failureThreshold: 6 },
          startup: { kind: "http", path: "/-/ready", port: "web", periodSeconds: 10, failureThreshold: 60 },
        },
        resources: p.resources,
        volumeMounts: [{ volume: "data", mountPath: PROMETHEUS_PATHS.data }],
      },
    ],
    volumes: [
      {
        name: "data",
        sizeGi: p.volume.sizeGi,
        storageClass: p.volume.storageClass,
        configKey: "monitoring:prometheus.volume.size",
      },
    ],
    user: { uid: 65534, gid: 65534 },
    metrics: { port: "web", path: "/metrics" },
    // Grafana queries one replica per client so panels do not flicker between the pair's data.
    stickyClients: true,
    ingressFrom: ["grafana"],
    clusterRbac: onKubernetes
      ? discoveryRbac({ kubeletCadvisorJob, kubeletJob, annotationDiscovery })
      : undefined,
    serviceAccountAnnotations: args.amp ? irsaAnnotations(args.amp.roleArn) : undefined,
  };

  const jobs: ScrapeConfig[] = [
    ...scrapeConfigs({
      platform: platform.name,
      instance: stack.namePrefix,
      targets: [scrapeTargetOf(workload, platform), ...args.contributions.scrapeTargets],
      kubeletCadvisorJob,
      kubeletJob,
      annotationDiscovery,
      extraJobs: p.extraScrapeJobs,
    }),
    ...args.contributions.scrapeJobs,
  ];
  const render = (remoteWrite?: RemoteWriteInput) =>
    renderPrometheusConfig({
      cluster: stack.cluster,
      environment: stack.environment,
      scrapeInterval: p.scrapeInterval,
      evaluationInterval: p.evaluationInterval,
      alertmanagers: args.alertmanagers,
      ruleFiles: [`${PROMETHEUS_PATHS.rulesDir}/*${RULE_FILE_SUFFIX}`],
      scrapeConfigs: jobs,
      remoteWrite,
    });
  const rw = p.remoteWrite;
  if (rw?.amp && !args.amp)
    throw new Error("prometheus.remoteWrite.amp is on but no AMP workspace was handed to Prometheus");
  // The workspace URL exists only once AWS has created it: the file is rendered when it is known.
  const config: pulumi.Input<string> =
    rw?.amp && args.amp
      ? pulumi
          .output(args.amp.remoteWriteUrl)
          .apply((url) =>
            render({ url, sigv4Region: args.amp!.region, queue: rw.queue, ampDeduplication: true }),
          )
      : render(rw?.url ? { url: rw.url, sigv4Region: rw.sigv4Region, queue: rw.queue } : undefined);
  // Prometheus notices changed files itself (auto-reload), so they must not roll the pods.
  const files: FileSpec[] = [
    { path: PROMETHEUS_PATHS.config, content: config, reloadable: true },
    ...args.contributions.rulePacks.map((pack) => ({
      path: `${PROMETHEUS_PATHS.rulesDir}/${pack.name}${RULE_FILE_SUFFIX}`,
      content: renderRuleFile(pack, { runbookBaseUrl: stack.rules.runbookBaseUrl }),
      reloadable: true,
    })),
  ];
  return { ...workload, containers: [{ ...workload.containers[0], files }] };
}

export class Prometheus extends pulumi.ComponentResource {
  readonly workload: Workload;

  constructor(name: string, args: PrometheusArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:metrics:Prometheus", name, {}, opts);
    this.workload = prometheusWorkload(args);
    args.platform.deploy(name, this.workload, this);
    this.registerOutputs({});
  }
}

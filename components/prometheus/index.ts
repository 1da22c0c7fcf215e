/**
 * Prometheus: an HA pair (prod) of stateful replicas, each with its own volume, retention by time and
 * size, rules and config reloaded automatically when their files change, admin API off.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackSpec } from "../../stacks/spec";
import type { Platform } from "../platform/platform";
import { RULE_FILE_SUFFIX } from "../rules/render";
import type { FileSpec, Workload } from "../platform/workload";
import {
  PROMETHEUS_PATHS,
  PROMETHEUS_PORT,
  prometheusArgs,
  renderPrometheusConfig,
  REPLICA_ENV,
} from "./render";
import { discoveryRbac, scrapeConfigs, type ScrapeTarget } from "./scrape";

export const PROMETHEUS_NAME = "prometheus";

export interface PrometheusArgs {
  /** The resolved stack spec (Prometheus settings, cluster and environment labels). */
  stack: StackSpec;
  /** Platform Prometheus runs on. */
  platform: Platform;
  /** Services of the stack to scrape (Prometheus itself is added here). */
  targets: ScrapeTarget[];
  /** host:port of every Alertmanager peer; alerts go to each one. */
  alertmanagers: string[];
  /** Rule files (file name -> YAML text) mounted in the rules directory. */
  ruleFiles: Record<string, string>;
}

/** Metrics target description of a workload, for the scrape config. */
export function scrapeTargetOf(workload: Workload, platform: Platform): ScrapeTarget {
  if (!workload.metrics) throw new Error(`workload ${workload.name} exposes no metrics`);
  const portName = workload.metrics.port;
  const port = workload.ports.find((p) => p.name === portName);
  if (!port) throw new Error(`workload ${workload.name} has no port named ${portName}`);
  return {
    job: workload.name,
    workload: workload.name,
    replicas: workload.replicas,
    port: port.port,
    portName,
    path: workload.metrics.path,
    namespace: platform.namespaceOf(workload),
    perNode: workload.kind === "per-node",
  };
}

export function prometheusWorkload(args: PrometheusArgs): Workload {
  const { stack, platform } = args;
  const p = stack.prometheus;
  const onKubernetes = platform.name === "kubernetes";
  const kubeletCadvisorJob =
    onKubernetes && stack.cadvisor.enabled && stack.cadvisor.source === "kubelet" ? "cadvisor" : undefined;
  const annotationDiscovery = onKubernetes && p.kubernetesDiscovery;

  const workload: Workload = {
    name: PROMETHEUS_NAME,
    component: "metrics",
    kind: "stateful",
    image: p.image,
    replicas: p.replicas,
    args: prometheusArgs({ retentionTime: p.retentionTime, retentionSize: p.retentionSize }),
    env: {},
    secretEnv: {},
    replicaNameEnv: REPLICA_ENV,
    files: [],
    secretFiles: [],
    ports: [{ name: "web", port: PROMETHEUS_PORT, hostPort: onKubernetes ? undefined : PROMETHEUS_PORT }],
    volumes: [
      {
        name: "data",
        mountPath: PROMETHEUS_PATHS.data,
        sizeGi: p.volume.sizeGi,
        storageClass: p.volume.storageClass,
      },
    ],
    scratchDirs: [],
    resources: p.resources,
    // Replaying a large WAL can take minutes: readiness gates traffic, liveness waits for startup.
    readiness: { path: "/-/ready", port: "web", periodSeconds: 5, failureThreshold: 3 },
    liveness: {
      path: "/-/healthy",
      port: "web",
      initialDelaySeconds: 300,
      periodSeconds: 15,
      failureThreshold: 6,
    },
    user: { uid: 65534, gid: 65534 },
    metrics: { port: "web", path: "/metrics" },
    // Grafana queries one replica per client so panels do not flicker between the pair's data.
    stickyClients: true,
    ingressFrom: ["grafana"],
    clusterRbac: onKubernetes ? discoveryRbac({ kubeletCadvisorJob, annotationDiscovery }) : undefined,
  };

  const config = renderPrometheusConfig({
    cluster: stack.cluster,
    environment: stack.environment,
    scrapeInterval: p.scrapeInterval,
    evaluationInterval: p.evaluationInterval,
    alertmanagers: args.alertmanagers,
    ruleFiles: [`${PROMETHEUS_PATHS.rulesDir}/*${RULE_FILE_SUFFIX}`],
    scrapeConfigs: scrapeConfigs({
      platform: platform.name,
      instance: stack.namePrefix,
      targets: [scrapeTargetOf(workload, platform), ...args.targets],
      kubeletCadvisorJob,
      annotationDiscovery,
      extraJobs: p.extraScrapeJobs,
    }),
    remoteWrite: p.remoteWrite,
  });
  // Prometheus notices changed files itself (auto-reload), so they must not roll the pods.
  const files: FileSpec[] = [
    { path: PROMETHEUS_PATHS.config, content: config, reloadable: true },
    ...Object.entries(args.ruleFiles).map(([file, content]) => ({
      path: `${PROMETHEUS_PATHS.rulesDir}/${file}`,
      content,
      reloadable: true,
    })),
  ];
  return { ...workload, files };
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

/**
 * Alertmanager: a gossip cluster (prod: 3 peers on 9094 TCP+UDP through the headless Service) with
 * persistent silences and notification log. Credentials arrive as secret files; the rendered
 * alertmanager.yml only names those files.
 */
import * as pulumi from "@pulumi/pulumi";
import { secretConfig } from "../../stacks";
import type { StackSpec } from "../../stacks/spec";
import { contribution, scrapeTargetOf, type Contribution } from "../contribution";
import { DASHBOARD_FILES } from "../grafana/dashboards";
import type { Platform, WorkloadRef } from "../platform/platform";
import type { Workload } from "../platform/workload";
import { alertmanagerPack } from "../rules/packs/alertmanager";
import { ALERTMANAGER_PATHS, renderAlertmanagerConfig } from "./render";

export const ALERTMANAGER_NAME = "alertmanager";
export const ALERTMANAGER_PORT = 9093;
export const ALERTMANAGER_CLUSTER_PORT = 9094;
/** How other workloads address Alertmanager. */
export const ALERTMANAGER_REF: WorkloadRef = { name: ALERTMANAGER_NAME, namespace: "restricted" };
const POD_IP_ENV = "POD_IP";

export interface AlertmanagerArgs {
  /** The resolved stack spec (Alertmanager settings and routing). */
  stack: StackSpec;
  /** Platform Alertmanager runs on. */
  platform: Platform;
}

/**
 * Cluster flags: every peer by its stable address, gossip on 9094. `advertise` is the address peers
 * reach this one at; a single replica runs without clustering.
 */
export function clusterArgs(peers: string[], listen: string, advertise?: string): string[] {
  if (peers.length <= 1) return ["--cluster.listen-address="];
  return [
    `--cluster.listen-address=${listen}`,
    ...(advertise ? [`--cluster.advertise-address=${advertise}`] : []),
    ...peers.map((peer) => `--cluster.peer=${peer}`),
  ];
}

export function alertmanagerWorkload(stack: StackSpec, platform: Platform): Workload {
  const am = stack.alertmanager;
  const rendered = renderAlertmanagerConfig(am.routing);
  const onKubernetes = platform.name === "kubernetes";
  return {
    name: ALERTMANAGER_NAME,
    component: "alerting",
    kind: "stateful",
    namespace: ALERTMANAGER_REF.namespace,
    replicas: am.replicas,
    containers: [
      {
        name: ALERTMANAGER_NAME,
        image: am.image,
        // The upstream image is busybox-based: wget is there for the Docker healthcheck.
        tools: "wget",
        args: [
          `--config.file=${ALERTMANAGER_PATHS.config}`,
          `--storage.path=${ALERTMANAGER_PATHS.data}`,
          `--web.listen-address=:${ALERTMANAGER_PORT}`,
          ...clusterArgs(
            platform.replicaAddresses(ALERTMANAGER_REF, am.replicas, ALERTMANAGER_CLUSTER_PORT),
            `0.0.0.0:${ALERTMANAGER_CLUSTER_PORT}`,
            // Pod IPs are not known in advance; Kubernetes expands $(POD_IP) from the container's env.
            // On Docker, Alertmanager finds its own address on the stack network.
            onKubernetes ? `$(${POD_IP_ENV}):${ALERTMANAGER_CLUSTER_PORT}` : undefined,
          ),
        ],
        fieldEnv: onKubernetes ? { [POD_IP_ENV]: "pod-ip" } : undefined,
        // Alertmanager does not watch its files, so a config change rolls the peers one at a time (PDB).
        files: [
          { path: ALERTMANAGER_PATHS.config, content: rendered.config },
          ...Object.entries(rendered.templates).map(([file, content]) => ({
            path: `${ALERTMANAGER_PATHS.templatesDir}/${file}`,
            content,
          })),
        ],
        secretFiles: rendered.secretFiles.map((f) => ({ path: f.path, content: secretConfig(f.configKey) })),
        ports: [
          { name: "web", port: ALERTMANAGER_PORT, hostPort: onKubernetes ? undefined : ALERTMANAGER_PORT },
          { name: "mesh-tcp", port: ALERTMANAGER_CLUSTER_PORT, protocol: "TCP", peer: true },
          { name: "mesh-udp", port: ALERTMANAGER_CLUSTER_PORT, protocol: "UDP", peer: true },
        ],
        probes: {
          readiness: { kind: "http", path: "/-/ready", port: "web", periodSeconds: 5 },
          liveness: { kind: "http", path: "/-/healthy", port: "web", periodSeconds: 15, failureThreshold: 4 },
        },
        resources: am.resources,
        volumeMounts: [{ volume: "data", mountPath: ALERTMANAGER_PATHS.data }],
      },
    ],
    volumes: [
      {
        name: "data",
        sizeGi: am.volume.sizeGi,
        storageClass: am.volume.storageClass,
        configKey: "monitoring:alertmanager.volume.size",
      },
    ],
    user: { uid: 65534, gid: 65534 },
    metrics: { port: "web", path: "/metrics" },
    ingressFrom: ["prometheus", "grafana"],
  };
}

export class Alertmanager extends pulumi.ComponentResource {
  readonly workload: Workload;
  /** host:port of every peer, for Prometheus' alerting config. */
  readonly peerAddresses: string[];
  /** Its scrape target, the alertmanager rule pack and dashboard. */
  readonly contribution: Contribution;

  constructor(name: string, args: AlertmanagerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:alerting:Alertmanager", name, {}, opts);
    this.workload = alertmanagerWorkload(args.stack, args.platform);
    this.peerAddresses = args.platform.replicaAddresses(
      ALERTMANAGER_REF,
      args.stack.alertmanager.replicas,
      ALERTMANAGER_PORT,
    );
    args.platform.deploy(name, this.workload, this);
    this.contribution = contribution({
      workloads: [this.workload],
      scrapeTargets: [scrapeTargetOf(this.workload, args.platform)],
      rulePacks: [alertmanagerPack()],
      dashboards: [DASHBOARD_FILES.alertmanager()],
    });
    this.registerOutputs({ peerAddresses: this.peerAddresses });
  }
}

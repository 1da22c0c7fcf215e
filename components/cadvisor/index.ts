/**
 * cAdvisor: per-container metrics. Either its own per-node workload (root, read-only host mounts, a named
 * security exemption) or, on Kubernetes with source "kubelet", nothing at all: Prometheus then scrapes
 * the kubelet's built-in cAdvisor endpoint.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CadvisorSpec } from "../../stacks/spec";
import { JOBS } from "../../lib/jobs";
import type { Platform } from "../platform/platform";
import type { Workload } from "../platform/workload";

export const CADVISOR_PORT = 8080;

export interface CadvisorArgs {
  /** Resolved cAdvisor settings; only source "container" deploys anything. */
  spec: CadvisorSpec;
  /** Platform cAdvisor runs on. */
  platform: Platform;
}

export function cadvisorWorkload(spec: CadvisorSpec): Workload {
  return {
    name: JOBS.cadvisor,
    component: "exporter",
    kind: "per-node",
    image: spec.image,
    replicas: 1,
    args: [
      `--port=${CADVISOR_PORT}`,
      "--housekeeping_interval=30s",
      "--store_container_labels=false",
      "--whitelisted_container_labels=io.kubernetes.container.name,io.kubernetes.pod.name,io.kubernetes.pod.namespace,com.docker.compose.service",
      // Per-CPU, per-process and network-protocol series multiply cardinality for little operational value.
      "--disable_metrics=advtcp,cpu_topology,cpuset,hugetlb,memory_numa,percpu,process,referenced_memory,resctrl,sched,tcp,udp",
    ],
    env: {},
    secretEnv: {},
    files: [],
    secretFiles: [],
    ports: [{ name: "http", port: CADVISOR_PORT }],
    volumes: [],
    scratchDirs: [],
    resources: spec.resources,
    readiness: { path: "/healthz", port: "http" },
    liveness: { path: "/healthz", port: "http", periodSeconds: 30 },
    user: { uid: 65534, gid: 65534 },
    hostAccess: {
      reason: "cAdvisor reads every container's cgroups and the runtime's state, which only root can",
      runAsRoot: true,
      mounts: [
        { name: "rootfs", hostPath: "/", mountPath: "/rootfs", readOnly: true },
        { name: "var-run", hostPath: "/var/run", mountPath: "/var/run", readOnly: true },
        { name: "sys", hostPath: "/sys", mountPath: "/sys", readOnly: true },
        { name: "docker", hostPath: "/var/lib/docker", mountPath: "/var/lib/docker", readOnly: true },
        { name: "disk", hostPath: "/dev/disk", mountPath: "/dev/disk", readOnly: true },
      ],
    },
    metrics: { port: "http", path: "/metrics" },
    ingressFrom: ["prometheus"],
  };
}

export class Cadvisor extends pulumi.ComponentResource {
  readonly workload?: Workload;

  constructor(name: string, args: CadvisorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:metrics:Cadvisor", name, {}, opts);
    if (args.spec.source === "container") {
      this.workload = cadvisorWorkload(args.spec);
      args.platform.deploy(name, this.workload, this);
    }
    this.registerOutputs({});
  }
}

/**
 * cAdvisor: per-container metrics. Either its own per-node workload (root, read-only host mounts, a named
 * security exemption) or, on Kubernetes with source "kubelet", nothing at all: Prometheus then scrapes
 * the kubelet's built-in cAdvisor endpoint.
 *
 * OOM kills: cAdvisor counts them (container_oom_events_total) from the kernel log, /dev/kmsg, which it
 * cannot open without the device (google/cadvisor cmd/internal/api/oom.go: it then logs "Could not
 * configure a source for OOM detection" and the counter stays at zero). On Docker it gets the device,
 * read-only, and CAP_SYSLOG, which the kernel asks of a /dev/kmsg reader whenever kernel.dmesg_restrict is
 * 1 (Debian's and Ubuntu's default; kernel/printk: devkmsg_open -> check_syslog_permissions). On
 * Kubernetes only a privileged container may open a host device, so there the containers pack reads
 * the kubelet's OOMKilled termination reason from kube-state-metrics instead.
 */
import * as pulumi from "@pulumi/pulumi";
import type { CadvisorSpec, PlatformName } from "../../stacks/spec";
import { JOBS } from "../../lib/jobs";
import { contribution, scrapeTargetOf, type Contribution } from "../contribution";
import { DASHBOARD_FILES } from "../grafana/dashboards";
import type { Platform } from "../platform/platform";
import type { Workload } from "../platform/workload";
import { containersPack } from "../rules/packs/containers";

export const CADVISOR_PORT = 8080;

export interface CadvisorArgs {
  /** Resolved cAdvisor settings; only source "container" deploys anything. */
  spec: CadvisorSpec;
  /** Platform cAdvisor runs on. */
  platform: Platform;
}

/** The kernel log, where cAdvisor's OOM watcher reads the kills. */
export const KMSG = "/dev/kmsg";

export function cadvisorWorkload(spec: CadvisorSpec, platform: PlatformName): Workload {
  const readsKernelLog = platform === "docker";
  return {
    name: JOBS.cadvisor,
    component: "exporter",
    kind: "per-node",
    namespace: "privileged",
    replicas: 1,
    containers: [
      {
        name: JOBS.cadvisor,
        image: spec.image,
        // Alpine-based image: busybox wget is there.
        tools: "wget",
        args: [
          `--port=${CADVISOR_PORT}`,
          "--housekeeping_interval=30s",
          "--store_container_labels=false",
          "--whitelisted_container_labels=io.kubernetes.container.name,io.kubernetes.pod.name,io.kubernetes.pod.namespace,com.docker.compose.service",
          // Per-CPU, per-process and network-protocol series multiply cardinality for little operational value.
          "--disable_metrics=advtcp,cpu_topology,cpuset,hugetlb,memory_numa,percpu,process,referenced_memory,resctrl,sched,tcp,udp",
        ],
        ports: [{ name: "http", port: CADVISOR_PORT }],
        probes: {
          readiness: { kind: "http", path: "/healthz", port: "http" },
          liveness: { kind: "http", path: "/healthz", port: "http", periodSeconds: 30 },
        },
        resources: spec.resources,
        hostMounts: ["rootfs", "var-run", "sys", "docker", "disk"],
        privileges: readsKernelLog
          ? {
              reason:
                "cAdvisor reads every container's cgroups and the runtime's state, which only root can, and the kernel log's OOM kills, which needs CAP_SYSLOG under kernel.dmesg_restrict",
              runAsRoot: true,
              addCapabilities: ["SYSLOG"],
            }
          : {
              reason: "cAdvisor reads every container's cgroups and the runtime's state, which only root can",
              runAsRoot: true,
            },
      },
    ],
    user: { uid: 65534, gid: 65534 },
    hostAccess: {
      reason: readsKernelLog
        ? "cAdvisor reads every container's cgroups and the runtime's state from read-only host paths, and OOM kills from the kernel log (/dev/kmsg, read-only)"
        : "cAdvisor reads every container's cgroups and the runtime's state from read-only host paths",
      container: JOBS.cadvisor,
      devices: readsKernelLog ? [KMSG] : undefined,
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
  /** Its scrape target (none with source "kubelet": Prometheus scrapes the kubelets), rules and dashboard. */
  readonly contribution: Contribution;

  constructor(name: string, args: CadvisorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:metrics:Cadvisor", name, {}, opts);
    if (args.spec.source === "container") {
      this.workload = cadvisorWorkload(args.spec, args.platform.name);
      args.platform.deploy(name, this.workload, this);
    }
    this.contribution = contribution({
      workloads: this.workload ? [this.workload] : [],
      scrapeTargets: this.workload ? [scrapeTargetOf(this.workload, args.platform)] : [],
      rulePacks: [containersPack()],
      dashboards: [DASHBOARD_FILES.containers()],
    });
    this.registerOutputs({});
  }
}

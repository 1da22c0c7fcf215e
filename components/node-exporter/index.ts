/** node-exporter: host metrics, one per node, with read-only host mounts as a named security exemption. */
import * as pulumi from "@pulumi/pulumi";
import type { NodeExporterSpec, PlatformName } from "../../stacks/spec";
import { JOBS } from "../../lib/jobs";
import { contribution, scrapeTargetOf, type Contribution } from "../contribution";
import { DASHBOARD_FILES } from "../grafana/dashboards";
import type { Platform } from "../platform/platform";
import type { Workload } from "../platform/workload";
import { nodePack } from "../rules/packs/node";

export interface NodeExporterArgs {
  /** Resolved node-exporter settings (image, resources, filesystem excludes). */
  spec: NodeExporterSpec;
  /** Platform the exporter runs on. */
  platform: Platform;
}

/** The node-exporter workload; on Kubernetes it shares the host's PID and network namespaces. */
export function nodeExporterWorkload(spec: NodeExporterSpec, platform: PlatformName): Workload {
  const onKubernetes = platform === "kubernetes";
  return {
    name: JOBS.nodeExporter,
    component: "exporter",
    kind: "per-node",
    // Host namespaces and host paths are only admitted in the privileged namespace.
    namespace: "privileged",
    replicas: 1,
    containers: [
      {
        name: JOBS.nodeExporter,
        image: spec.image,
        // The upstream image is busybox-based: wget is there for the Docker healthcheck.
        tools: "wget",
        args: [
          "--path.procfs=/host/proc",
          "--path.sysfs=/host/sys",
          "--path.rootfs=/host/root",
          `--web.listen-address=:${spec.port}`,
          `--collector.filesystem.mount-points-exclude=${spec.mountPointsExclude}`,
          `--collector.filesystem.fs-types-exclude=${spec.fsTypesExclude}`,
          // Collectors with no meaning in a container or that are costly on large hosts.
          "--no-collector.wifi",
          "--no-collector.hwmon",
        ],
        ports: [{ name: "metrics", port: spec.port }],
        probes: {
          readiness: { kind: "http", path: "/", port: "metrics" },
          liveness: { kind: "http", path: "/", port: "metrics", periodSeconds: 30 },
        },
        resources: spec.resources,
        hostMounts: ["proc", "sys", "root"],
      },
    ],
    user: { uid: 65534, gid: 65534 },
    hostAccess: {
      reason: "node-exporter reports the host's processes, network interfaces and filesystems",
      container: JOBS.nodeExporter,
      hostPid: true,
      // On Docker the exporter stays on the stack network so Prometheus reaches it by name.
      hostNetwork: onKubernetes,
      mounts: [
        { name: "proc", hostPath: "/proc", mountPath: "/host/proc", readOnly: true },
        { name: "sys", hostPath: "/sys", mountPath: "/host/sys", readOnly: true },
        { name: "root", hostPath: "/", mountPath: "/host/root", readOnly: true },
      ],
    },
    metrics: { port: "metrics", path: "/metrics" },
    ingressFrom: ["prometheus"],
  };
}

export class NodeExporter extends pulumi.ComponentResource {
  readonly workload: Workload;
  /** Its scrape target, the node rule pack and the node dashboard. */
  readonly contribution: Contribution;

  constructor(name: string, args: NodeExporterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:metrics:NodeExporter", name, {}, opts);
    this.workload = nodeExporterWorkload(args.spec, args.platform.name);
    args.platform.deploy(name, this.workload, this);
    this.contribution = contribution({
      workloads: [this.workload],
      scrapeTargets: [scrapeTargetOf(this.workload, args.platform)],
      rulePacks: [nodePack()],
      dashboards: [DASHBOARD_FILES.node()],
    });
    this.registerOutputs({});
  }
}

/** node-exporter: host metrics, one per node, with read-only host mounts as a named security exemption. */
import * as pulumi from "@pulumi/pulumi";
import type { NodeExporterSpec, PlatformName } from "../../stacks/spec";
import { JOBS } from "../../lib/jobs";
import type { Platform } from "../platform/platform";
import type { Workload } from "../platform/workload";

export const NODE_EXPORTER_PORT = 9100;

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
    image: spec.image,
    replicas: 1,
    args: [
      "--path.procfs=/host/proc",
      "--path.sysfs=/host/sys",
      "--path.rootfs=/host/root",
      `--web.listen-address=:${NODE_EXPORTER_PORT}`,
      `--collector.filesystem.mount-points-exclude=${spec.mountPointsExclude}`,
      `--collector.filesystem.fs-types-exclude=${spec.fsTypesExclude}`,
      // Collectors with no meaning in a container or that are costly on large hosts.
      "--no-collector.wifi",
      "--no-collector.hwmon",
    ],
    env: {},
    secretEnv: {},
    files: [],
    secretFiles: [],
    ports: [{ name: "metrics", port: NODE_EXPORTER_PORT }],
    volumes: [],
    scratchDirs: [],
    resources: spec.resources,
    readiness: { path: "/", port: "metrics" },
    liveness: { path: "/", port: "metrics", periodSeconds: 30 },
    user: { uid: 65534, gid: 65534 },
    hostAccess: {
      reason: "node-exporter reports the host's processes, network interfaces and filesystems",
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

  constructor(name: string, args: NodeExporterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:metrics:NodeExporter", name, {}, opts);
    this.workload = nodeExporterWorkload(args.spec, args.platform.name);
    args.platform.deploy(name, this.workload, this);
    this.registerOutputs({});
  }
}

/**
 * Which pack rules each declared exemption name waives, per platform. A rule's scope says how its pack
 * exemption is written: "container" rules report per container, so the exemption names the container;
 * "pod" rules report about the whole pod (host namespaces, hostPath volumes), so the exemption is
 * workload-wide. Every Docker rule is per container: a Docker container resource is one container.
 */
import type { ExemptionName, Platform } from "./declarations";

export type RuleScope = "pod" | "container";

export interface WaivedRule {
  /** Pack directory under policies/ ("security" or "cost"). */
  pack: string;
  rule: string;
  scope: RuleScope;
}

const security = (rule: string, scope: RuleScope): WaivedRule => ({ pack: "security", rule, scope });

export const EXEMPTION_RULES: Record<Platform, Record<ExemptionName, WaivedRule[]>> = {
  kubernetes: {
    "host-pid": [security("k8s-no-host-pid", "pod")],
    // Kubernetes defaults every hostPort to its containerPort under hostNetwork, so the ports are host ports.
    "host-network": [security("k8s-no-host-network", "pod"), security("k8s-no-host-ports", "container")],
    "host-port": [security("k8s-no-host-ports", "container")],
    "host-path": [security("k8s-no-host-path-volumes", "pod")],
    "run-as-root": [security("k8s-run-as-non-root", "container")],
    // Kubernetes rejects privileged: true with allowPrivilegeEscalation: false.
    privileged: [
      security("k8s-no-privileged-containers", "container"),
      security("k8s-no-privilege-escalation", "container"),
    ],
    "writable-root-filesystem": [security("k8s-read-only-root-filesystem", "container")],
    "added-capabilities": [security("k8s-no-added-capabilities", "container")],
    // No rule checks sysctls yet.
    sysctls: [],
  },
  docker: {
    "host-pid": [security("docker-no-host-namespaces", "container")],
    "host-network": [security("docker-no-host-namespaces", "container")],
    // Every published Docker port is a host port; the rule keeps them on loopback.
    "host-port": [security("docker-ports-loopback-only", "container")],
    "host-path": [security("docker-no-host-bind-mounts", "container")],
    "run-as-root": [security("docker-run-as-non-root", "container")],
    privileged: [security("docker-no-privileged", "container")],
    // No Docker rule requires a read-only root filesystem (uploads need a writable one).
    "writable-root-filesystem": [],
    "added-capabilities": [security("docker-capabilities-drop-all", "container")],
    sysctls: [],
  },
};

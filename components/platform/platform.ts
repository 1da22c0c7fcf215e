/** What every platform offers the components: stable addresses and turning a Workload into resources. */
import type * as pulumi from "@pulumi/pulumi";
import type { PlatformName } from "../../stacks/spec";
import { allContainers, type NamespaceTier, type Workload } from "./workload";

export interface DeployedWorkload {
  /** Resources other resources should wait for (the StatefulSet, the containers, the Job...). */
  readonly resources: pulumi.Resource[];
}

/** A workload as other workloads address it. */
export interface WorkloadRef {
  name: string;
  namespace: NamespaceTier;
}

export interface Platform {
  readonly name: PlatformName;
  /** Address clients use to reach any replica of a workload (host:port). */
  serviceAddress(ref: WorkloadRef, port: number): string;
  /** Stable per-replica addresses of a stateful workload (cluster peers, every Alertmanager for Prometheus). */
  replicaAddresses(ref: WorkloadRef, replicas: number, port: number): string[];
  /** Kubernetes namespace of a tier; "" on Docker. */
  namespaceName(tier: NamespaceTier): string;
  /** Renders a workload into provider resources, children of `parent`, named `${name}-x`. */
  deploy(name: string, workload: Workload, parent: pulumi.Resource): DeployedWorkload;
}

/** Label and annotation keys the platform layer writes. */
export const LABELS = {
  name: "app.kubernetes.io/name",
  instance: "app.kubernetes.io/instance",
  component: "app.kubernetes.io/component",
  partOf: "app.kubernetes.io/part-of",
  managedBy: "app.kubernetes.io/managed-by",
  version: "app.kubernetes.io/version",
  stack: "monitoring.pulumi.io/stack",
  /** Docker: which container of the workload's pod a container is (Kubernetes has the container name). */
  container: "monitoring.pulumi.io/container",
} as const;

export const ANNOTATIONS = {
  configHash: "monitoring.pulumi.io/config-hash",
  securityExemptions: "monitoring.pulumi.io/security-exemptions",
} as const;

/** The version part of a pinned image reference ("quay.io/prometheus/prometheus:v3.5.3" -> "v3.5.3"). */
export function imageVersion(image: string): string {
  const at = image.indexOf("@");
  if (at >= 0) return image.slice(at + 1, at + 20);
  return image.slice(image.lastIndexOf(":") + 1);
}

/** The security defaults a container may opt out of, by the names the policy packs' exemptions use. */
export type ExemptionName =
  | "host-pid"
  | "host-network"
  | "host-port"
  | "host-path"
  | "run-as-root"
  | "privileged"
  | "writable-root-filesystem"
  | "added-capabilities"
  | "sysctls";

/** One entry of the security-exemptions annotation (Kubernetes) or label (Docker). */
export interface DeclaredExemption {
  container: string;
  exemptions: ExemptionName[];
  reason: string;
  /** "path:ro" / "path:rw" of each host path, with host-path. */
  hostPaths?: string[];
}

/**
 * Everything a workload opts out of, per container, with the reasons the component gave. Written on
 * the pod template (and Docker container labels) so the packs' exemptions can be checked against it.
 * `hostPorts`: the platform publishes ports on the node (Kubernetes host network).
 */
export function declaredExemptions(w: Workload, opts: { hostPorts: boolean }): DeclaredExemption[] {
  const out: DeclaredExemption[] = [];
  const h = w.hostAccess;
  if (h) {
    const names: ExemptionName[] = [];
    if (h.hostPid) names.push("host-pid");
    if (h.hostNetwork) names.push("host-network");
    if (h.hostNetwork && opts.hostPorts) names.push("host-port");
    // A host device is host state reached through a path, declared (read-only) with the mounts.
    const devices = h.devices ?? [];
    if (h.mounts.length > 0 || devices.length > 0) names.push("host-path");
    const entry: DeclaredExemption = { container: h.container, exemptions: names, reason: h.reason };
    if (h.mounts.length > 0 || devices.length > 0)
      entry.hostPaths = [
        ...h.mounts.map((m) => `${m.hostPath}:${m.readOnly ? "ro" : "rw"}`),
        ...devices.map((d) => `${d}:ro`),
      ];
    if (names.length > 0) out.push(entry);
  }
  if (w.sysctls && Object.keys(w.sysctls).length > 0) {
    out.push({
      container: w.containers[0].name,
      exemptions: ["sysctls"],
      reason: `namespaced kernel settings ${Object.keys(w.sysctls).join(", ")}`,
    });
  }
  for (const c of allContainers(w)) {
    const p = c.privileges;
    if (!p) continue;
    const names: ExemptionName[] = [];
    if (p.runAsRoot) names.push("run-as-root");
    if (p.privileged) names.push("privileged");
    if (p.writableRootFilesystem) names.push("writable-root-filesystem");
    if (p.addCapabilities?.length) names.push("added-capabilities");
    if (names.length > 0) out.push({ container: c.name, exemptions: names, reason: p.reason });
  }
  // One entry per container: host access and privileges of the same container are listed together.
  const merged = new Map<string, DeclaredExemption>();
  for (const e of out) {
    const seen = merged.get(e.container);
    if (!seen) merged.set(e.container, { ...e });
    else {
      seen.exemptions = [...seen.exemptions, ...e.exemptions];
      seen.reason = `${seen.reason}; ${e.reason}`;
      if (e.hostPaths) seen.hostPaths = [...(seen.hostPaths ?? []), ...e.hostPaths];
    }
  }
  return [...merged.values()];
}

/** The annotation/label value: JSON, or undefined when the workload opts out of nothing. */
export function securityExemptionsValue(exemptions: DeclaredExemption[]): string | undefined {
  return exemptions.length > 0 ? JSON.stringify(exemptions) : undefined;
}

/** Groups file-like things by their directory. */
export function byDirectory<T extends { path: string }>(files: T[]): Map<string, T[]> {
  const dirs = new Map<string, T[]>();
  for (const f of files) {
    const dir = f.path.slice(0, f.path.lastIndexOf("/")) || "/";
    dirs.set(dir, [...(dirs.get(dir) ?? []), f]);
  }
  return dirs;
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** A short, stable, DNS-safe slug for a directory path ("/etc/prometheus/rules" -> "rules"). */
export function dirSlug(dir: string, all: string[]): string {
  const parts = dir.split("/").filter(Boolean);
  for (let n = 1; n <= parts.length; n++) {
    const slug = parts
      .slice(-n)
      .join("-")
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, "-");
    const clash = all.some(
      (other) =>
        other !== dir && other.split("/").filter(Boolean).slice(-n).join("-") === parts.slice(-n).join("-"),
    );
    if (!clash) return slug;
  }
  return parts.join("-");
}

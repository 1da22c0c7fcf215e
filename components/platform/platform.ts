/** What every platform offers the components: stable addresses and turning a Workload into resources. */
import type * as pulumi from "@pulumi/pulumi";
import type { PlatformName } from "../../stacks/spec";
import type { Workload } from "./workload";

export interface DeployedWorkload {
  /** Address clients use for the workload as a whole (host:port). */
  address(port: number): string;
  /** Resources other resources should wait for (the StatefulSet, the containers...). */
  readonly resources: pulumi.Resource[];
}

export interface Platform {
  readonly name: PlatformName;
  /** Address clients use to reach any replica of a workload. */
  serviceAddress(workloadName: string, port: number): string;
  /** Stable per-replica addresses of a stateful workload (cluster peers, every Alertmanager for Prometheus). */
  replicaAddresses(workloadName: string, replicas: number, port: number): string[];
  /** Kubernetes namespace a workload runs in (host-access workloads have their own); "" on Docker. */
  namespaceOf(workload: Workload): string;
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

/** Names of the security defaults a host-access workload opts out of, with the reason. */
export function securityExemptions(workload: Workload): string | undefined {
  const h = workload.hostAccess;
  if (!h) return undefined;
  const names = [
    h.hostPid && "host-pid",
    h.hostNetwork && "host-network",
    h.runAsRoot && "run-as-root",
    h.privileged && "privileged",
    h.writableRootFilesystem && "writable-root-filesystem",
    h.mounts.length > 0 &&
      `host-path(${h.mounts.map((m) => `${m.hostPath}${m.readOnly ? ":ro" : ":rw"}`).join(",")})`,
  ].filter((x): x is string => typeof x === "string");
  return `${names.join(", ")}: ${h.reason}`;
}

/** Groups file-like things by their directory (each directory becomes one mount). */
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

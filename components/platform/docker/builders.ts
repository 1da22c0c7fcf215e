/**
 * Pure builders from a Workload to Docker container arguments. Docker has no pod: each container of
 * the pod becomes a container on the stack network (sidecars get the alias `${workload}-${container}`),
 * init containers and jobs become one-shot containers the others wait for, and config files reach the
 * containers through a volume that a one-shot loader fills, so every service keeps a read-only root
 * filesystem (Docker can only copy uploads into a writable one).
 */
import type * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import { requireCpuCores, requireQuantityBytes } from "../../../lib/units";
import {
  ANNOTATIONS,
  LABELS,
  byDirectory,
  declaredExemptions,
  imageVersion,
  securityExemptionsValue,
  type DeclaredExemption,
} from "../platform";
import { allContainers, mainContainer, type ContainerSpec, type Probe, type Workload } from "../workload";

/** Image of the one-shot config loader (busybox: a shell, cp, chown), pinned. */
export const CONFIG_LOADER_IMAGE = "docker.io/library/busybox:1.37.0";
export const CONFIG_LOADER = "config-loader";
/** Where the loader sees the uploads and the config volume. */
const STAGING = "/staging";
const CONFIG_MOUNT = "/config";

export interface DockerBuildContext {
  /** Prefix of every physical name on the engine (keeps stacks apart). */
  namePrefix: string;
  stack: string;
  /** Address published ports bind to. */
  publishAddress: string;
  /** Ephemeral stacks publish on ports the engine picks, so two stacks on one engine never clash. */
  enginePicksHostPorts: boolean;
}

type Label = docker.types.input.ContainerLabel;

export function dockerLabels(ctx: DockerBuildContext, extra: Record<string, string>): Label[] {
  return Object.entries({ [LABELS.stack]: ctx.stack, [LABELS.managedBy]: "pulumi", ...extra }).map(
    ([label, value]) => ({ label, value }),
  );
}

/** Number of containers per pod container: per-node workloads run once on the one engine. */
export function replicaCount(w: Workload): number {
  return w.kind === "per-node" || w.kind === "job" ? 1 : w.replicas;
}

/** Physical and logical name suffix of replica i: none when there is only one. */
export function replicaSuffix(w: Workload, i: number): string {
  return replicaCount(w) === 1 && w.kind !== "stateful" ? "" : `-${i}`;
}

/** Physical container name of one container of one replica. */
export function containerName(w: Workload, c: ContainerSpec, i: number, ctx: DockerBuildContext): string {
  const own = c === mainContainer(w) ? "" : `-${c.name}`;
  return `${ctx.namePrefix}-${w.name}${own}${replicaSuffix(w, i)}`;
}

/** Where a container's file lands in the config volume. */
function volumePath(c: ContainerSpec, path: string): string {
  return `${c.name}${path}`;
}

/** The loader's uploads: every file of every container, staged under /staging/<container>/<path>. */
export function loaderUploads(w: Workload): docker.types.input.ContainerUpload[] {
  return allContainers(w).flatMap((c) => [
    ...(c.files ?? []).map((f) => ({ file: `${STAGING}/${volumePath(c, f.path)}`, content: f.content })),
    ...(c.secretFiles ?? []).map((f) => ({
      file: `${STAGING}/${volumePath(c, f.path)}`,
      content: f.content,
      permissions: "0400",
    })),
  ]);
}

export function hasFiles(w: Workload): boolean {
  return allContainers(w).some((c) => (c.files?.length ?? 0) + (c.secretFiles?.length ?? 0) > 0);
}

/**
 * The loader's script. Files are rewritten in place (same inode), so per-file mounts see new content
 * and whole-directory mounts of reloadable files see it at once; files no longer staged are removed.
 * Everything ends up root-owned, group `gid`, readable by the group only.
 */
export function loaderScript(gid: number): string {
  return [
    "set -eu",
    `cd ${STAGING}`,
    `find . -type d | while read -r d; do mkdir -p "${CONFIG_MOUNT}/$d"; done`,
    `find . -type f | while read -r f; do cat "$f" > "${CONFIG_MOUNT}/$f"; done`,
    `cd ${CONFIG_MOUNT}`,
    `find . -type f | while read -r f; do [ -e "${STAGING}/$f" ] || rm -f "$f"; done`,
    `chown -R 0:${gid} ${CONFIG_MOUNT}`,
    `find ${CONFIG_MOUNT} -type d -exec chmod 0750 {} +`,
    `find ${CONFIG_MOUNT} -type f -exec chmod 0440 {} +`,
  ].join("\n");
}

/** The loader's workload name on labels: `${workload}-config-loader`. */
export function loaderWorkloadName(w: Workload): string {
  return `${w.name}-${CONFIG_LOADER}`;
}

/** The loader's own exemption: short-lived, it holds the uploads only to copy them into the volume. */
export function loaderExemption(): DeclaredExemption {
  return {
    container: CONFIG_LOADER,
    exemptions: ["run-as-root", "writable-root-filesystem", "added-capabilities"],
    reason:
      "one-shot config loader: Docker copies uploaded files only into a writable root filesystem, and handing them to the service's group needs root with CHOWN; it exits after copying, so the services keep read-only root filesystems",
  };
}

/** Mounts of a container's config files from the config volume: per file, or per directory when reloadable. */
export function configMounts(
  c: ContainerSpec,
  volumeName: pulumi.Input<string>,
): docker.types.input.ContainerMount[] {
  const mounts: docker.types.input.ContainerMount[] = [];
  const files = [...(c.files ?? []), ...(c.secretFiles ?? [])];
  const reloadableDirs = new Set(
    [...byDirectory(c.files ?? [])].filter(([, fs]) => fs.some((f) => f.reloadable)).map(([dir]) => dir),
  );
  for (const dir of reloadableDirs)
    mounts.push({
      type: "volume",
      source: volumeName,
      target: dir,
      readOnly: true,
      volumeOptions: { subpath: volumePath(c, dir) },
    });
  for (const f of files) {
    const dir = f.path.slice(0, f.path.lastIndexOf("/")) || "/";
    if (reloadableDirs.has(dir)) continue;
    mounts.push({
      type: "volume",
      source: volumeName,
      target: f.path,
      readOnly: true,
      volumeOptions: { subpath: volumePath(c, f.path) },
    });
  }
  return mounts;
}

/**
 * The Docker healthcheck for a probe, run inside the container with what its image has. Returns
 * undefined (no healthcheck, rather than one that always fails) when the image lacks the tool.
 */
export function healthcheckOf(
  probe: Probe | undefined,
  c: ContainerSpec,
): docker.types.input.ContainerHealthcheck | undefined {
  if (!probe) return undefined;
  const portOf = (name: string) => c.ports?.find((p) => p.name === name)?.port;
  let tests: string[] | undefined;
  if (probe.kind === "exec") tests = ["CMD", ...probe.command];
  else if (probe.kind === "http") {
    const port = portOf(probe.port);
    const url = `${(probe.scheme ?? "HTTP").toLowerCase()}://127.0.0.1:${port}${probe.path}`;
    const headers = Object.entries(probe.headers ?? {});
    if (port === undefined) tests = undefined;
    else if (c.tools === "wget")
      tests = [
        "CMD",
        "wget",
        "-q",
        "-O",
        "/dev/null",
        ...(probe.scheme === "HTTPS" ? ["--no-check-certificate"] : []),
        ...headers.flatMap(([k, v]) => ["--header", `${k}: ${v}`]),
        url,
      ];
    else if (c.tools === "curl")
      tests = [
        "CMD",
        "curl",
        "-fsS",
        "-o",
        "/dev/null",
        ...(probe.scheme === "HTTPS" ? ["-k"] : []),
        ...headers.flatMap(([k, v]) => ["-H", `${k}: ${v}`]),
        url,
      ];
  } else {
    const port = portOf(probe.port);
    // bash's /dev/tcp is not in busybox sh; busybox images have nc.
    if (port !== undefined && (c.tools === "shell" || c.tools === "wget"))
      tests = ["CMD", "nc", "-z", "127.0.0.1", String(port)];
  }
  if (!tests) return undefined;
  return {
    tests,
    interval: `${probe.periodSeconds ?? 15}s`,
    timeout: `${probe.timeoutSeconds ?? 5}s`,
    retries: probe.failureThreshold ?? 3,
    startPeriod: `${Math.max(30, probe.initialDelaySeconds ?? 0)}s`,
  };
}

/** Labels of one container: the workload's, which container it is, and the declared exemptions. */
export function containerLabels(
  w: Workload,
  c: ContainerSpec | { name: string; image: string },
  ctx: DockerBuildContext,
  exemptions: DeclaredExemption[],
  hash?: string,
): Record<string, string> {
  const mine = exemptions.filter((e) => e.container === c.name);
  // The config loader counts as a workload of its own for the policies (its own replicas, exemptions).
  const labels: Record<string, string> = {
    [LABELS.name]: c.name === CONFIG_LOADER ? loaderWorkloadName(w) : w.name,
    [LABELS.instance]: ctx.namePrefix,
    [LABELS.component]: w.component,
    [LABELS.partOf]: "monitoring",
    [LABELS.version]: imageVersion(c.image),
    [LABELS.container]: c.name,
  };
  const value = securityExemptionsValue(mine);
  if (value) labels[ANNOTATIONS.securityExemptions] = value;
  if (hash) labels[ANNOTATIONS.configHash] = hash;
  return labels;
}

/** Exemptions of a workload on Docker (no host ports: the engine publishes on the publish address). */
export function dockerExemptions(w: Workload): DeclaredExemption[] {
  return [...declaredExemptions(w, { hostPorts: false }), ...(hasFiles(w) ? [loaderExemption()] : [])];
}

/** Memory limit in MB and CPUs, from the container's limits. */
export function limitsOf(c: ContainerSpec): { memory: number; cpus?: string } {
  return {
    memory: Math.ceil(requireQuantityBytes(c.resources.limits.memory) / 2 ** 20),
    cpus: c.resources.limits.cpu ? String(requireCpuCores(c.resources.limits.cpu)) : undefined,
  };
}

/** Ports published on the engine host: on the publish address, replica i at hostPort + i. */
export function publishedPorts(
  c: ContainerSpec,
  i: number,
  ctx: DockerBuildContext,
): docker.types.input.ContainerPort[] {
  return (c.ports ?? [])
    .filter((p) => p.hostPort !== undefined)
    .map((p) => ({
      internal: p.port,
      external: ctx.enginePicksHostPorts ? undefined : p.hostPort! + i,
      ip: ctx.publishAddress,
      protocol: (p.protocol ?? "TCP").toLowerCase(),
    }));
}

/**
 * The platform-neutral pod model. Components say *what* runs (containers, init steps, jobs, files,
 * ports, volumes, peers, host access with its reason); the platform renderers (kubernetes/, docker/)
 * say *how*, and are the only place that knows StatefulSets or Docker containers, so the security
 * defaults (non-root, read-only root filesystem, no capabilities, seccomp, limits) live there once.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ResourcesSpec } from "../../stacks/spec";

/**
 * - stateful: stable identities and one volume set per replica (StatefulSet / numbered containers)
 * - stateless: interchangeable replicas (Deployment / numbered containers)
 * - per-node: one per node (DaemonSet / one container on the engine)
 * - job: runs to completion once per change (Kubernetes Job / a one-shot container); see JobSpec
 */
export type WorkloadKind = "stateful" | "stateless" | "per-node" | "job";

/**
 * Which of the stack's namespaces a workload runs in. "restricted" enforces the restricted Pod
 * Security Standard; "privileged" is the separate namespace for workloads that need host access or a
 * privileged init step. Chosen explicitly by the component: addresses follow it.
 */
export type NamespaceTier = "restricted" | "privileged";

export interface PortSpec {
  /** IANA-style port name (<= 15 chars), used by probes and Services. */
  name: string;
  port: number;
  protocol?: "TCP" | "UDP";
  /** Cluster gossip port: on the headless peer Service only, never on the client Service. */
  peer?: boolean;
  /**
   * Docker only: publish on the engine host (bound to the stack's publish address); replica i gets
   * hostPort + i. Ephemeral stacks let the engine choose free ports so two stacks never clash.
   */
  hostPort?: number;
}

export interface FileSpec {
  /** Absolute path inside the container. */
  path: string;
  /** Usually known when the program runs; a deploy-time output where the file names a created resource (an AMP endpoint). */
  content: pulumi.Input<string>;
  /**
   * The service re-reads this file by itself (e.g. Prometheus' auto-reload), so a change must not roll
   * the pods: it is left out of the config hash, and its directory is mounted whole (a per-file
   * subPath mount would never see updates). Keep reloadable files in a directory of their own.
   */
  reloadable?: boolean;
}

export interface SecretFileSpec {
  /** Absolute path inside the container. */
  path: string;
  /** Secret content: never placed in a ConfigMap, a label or a plain output. */
  content: pulumi.Input<string>;
}

/** A persistent volume, one per replica of a stateful workload. */
export interface VolumeSpec {
  name: string;
  sizeGi: number;
  /** Storage class; undefined means the cluster default. */
  storageClass?: string;
  /** The config key the size comes from, named when a change cannot be applied (a shrink). */
  configKey?: string;
}

/** Where a container mounts one of the pod's persistent volumes. */
export interface VolumeMountSpec {
  /** Name of a volume in `Workload.volumes`. */
  volume: string;
  mountPath: string;
  readOnly?: boolean;
}

interface ProbeTiming {
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

export type Probe = ProbeTiming &
  (
    | {
        kind: "http";
        path: string;
        /** Name of a port of the container. */
        port: string;
        scheme?: "HTTP" | "HTTPS";
        headers?: Record<string, string>;
      }
    | { kind: "tcp"; port: string }
    | { kind: "exec"; command: string[] }
  );

export interface Probes {
  /** Gates traffic (Service endpoints, Docker health). */
  readiness?: Probe;
  /** Restarts a hung process. */
  liveness?: Probe;
  /** Holds liveness off until the process has started (slow WAL replays, cluster joins). */
  startup?: Probe;
}

/** Pod field a container may read into an environment variable. */
export type FieldRef = "pod-name" | "pod-ip" | "node-name" | "namespace";

/**
 * A named, explained opt-out of one container's security defaults. Listed (with the reason) in the
 * workload's security-exemptions annotation, which the policy packs' exemptions must match.
 */
export interface ContainerPrivileges {
  /** Why the container needs it; shown next to the exemption. */
  reason: string;
  /** Runs as uid 0 (e.g. to read other containers' files, or to write a kernel setting). */
  runAsRoot?: boolean;
  privileged?: boolean;
  /** Devices / kernel interfaces a container runtime exposes only to a writable root fs. */
  writableRootFilesystem?: boolean;
  /** Linux capabilities added back after dropping all. */
  addCapabilities?: string[];
}

/** What an image offers for a Docker healthcheck (Docker runs the check inside the container). */
export type ImageTools = "wget" | "curl" | "shell" | "none";

export interface ContainerSpec {
  /** Container name, unique in the pod; the main container usually carries the workload's name. */
  name: string;
  /** Image pinned to a version tag or digest. */
  image: string;
  /**
   * Tools inside the image a Docker healthcheck may use: "wget"/"curl" for HTTP probes (busybox
   * images have wget), "shell" for exec/TCP through `sh`. With "none" (distroless images) an HTTP or
   * TCP probe gets no Docker healthcheck rather than a broken one; exec probes still run.
   */
  tools: ImageTools;
  command?: string[];
  args: string[];
  /** Plain environment variables; values may be deploy-time outputs such as an RDS endpoint. */
  env?: Record<string, pulumi.Input<string>>;
  /** Environment variables whose values are secrets (a Kubernetes Secret / a secret container env). */
  secretEnv?: Record<string, pulumi.Input<string>>;
  /** Environment variables set from the pod: its name, IP, node or namespace. */
  fieldEnv?: Record<string, FieldRef>;
  ports?: PortSpec[];
  probes?: Probes;
  resources: ResourcesSpec;
  /** Config files mounted one by one (or their directory, when reloadable). */
  files?: FileSpec[];
  secretFiles?: SecretFileSpec[];
  /** Mounts of the workload's persistent volumes. */
  volumeMounts?: VolumeMountSpec[];
  /** Writable scratch directories (the root filesystem is read-only), not shared between containers. */
  scratchDirs?: string[];
  /** Mounts of the workload's host paths (see HostAccess.mounts), by name. */
  hostMounts?: string[];
  /** Kubernetes only: a short-lived token of the pod's service account for a cloud identity (see ServiceAccountTokenSpec). */
  serviceAccountToken?: ServiceAccountTokenSpec;
  privileges?: ContainerPrivileges;
}

/**
 * A projected service account token with its own audience (e.g. `sts.amazonaws.com` for an IAM role
 * through the cluster's OIDC provider), written to `path`. Its directory is mounted whole so the
 * kubelet's rotations (at 80 % of the lifetime) reach the file; nothing else may live there. The token
 * cannot call the Kubernetes API (wrong audience), so the pod's API token stays unmounted.
 */
export interface ServiceAccountTokenSpec {
  path: string;
  audience: string;
  /** Lifetime; Kubernetes accepts 600 s and more. */
  expirationSeconds: number;
}

export interface HostMount {
  name: string;
  hostPath: string;
  mountPath: string;
  /** Read-write host mounts are an explicit choice. */
  readOnly: boolean;
}

/**
 * Pod-level host access: an explicit, named opt-out of the platform's security defaults, listed with
 * its reason on the container that needs it (`container`).
 */
export interface HostAccess {
  /** Why the workload needs it; shown next to the exemption. */
  reason: string;
  /** The container that uses the host access (listed against it in the exemptions). */
  container: string;
  hostPid?: boolean;
  hostNetwork?: boolean;
  mounts: HostMount[];
  /**
   * Host character devices (e.g. /dev/kmsg) given to `container`, read-only, at the same path. Docker
   * grants them through the container's device cgroup; Kubernetes has no such field for an ordinary
   * container (a hostPath device node stays closed to it), so it admits devices only to a privileged one.
   */
  devices?: string[];
}

/** Kubernetes RBAC rule for the workload's service account (cluster-wide, read-only discovery). */
export interface RbacRule {
  apiGroups: string[];
  resources: string[];
  verbs: ("get" | "list" | "watch")[];
  nonResourceURLs?: never;
}

export interface IngressSpec {
  host: string;
  /** Name of a port of the main container. */
  port: string;
  /** Secret holding the TLS certificate; required: ingress is TLS-only. */
  tlsSecretName: string;
  className?: string;
  /** e.g. cert-manager's cluster-issuer annotation. */
  annotations?: Record<string, string>;
}

/**
 * A run-to-completion step. It must be idempotent (it may run again at any time, e.g. after a
 * restore). It re-runs when its spec changes: the Kubernetes Job's name carries a hash of its pod
 * template (a Job's template is immutable, so a change is a new Job, created before the old one is
 * deleted), and on Docker any change to the one-shot container replaces it, which runs it again.
 */
export interface JobSpec {
  /** Retries before the step counts as failed. */
  backoffLimit: number;
  /** Longest run, in seconds, before it is stopped and counted as failed. */
  activeDeadlineSeconds: number;
}

export interface Workload {
  /** Short service name, e.g. "prometheus"; becomes app.kubernetes.io/name. */
  name: string;
  /** app.kubernetes.io/component, e.g. "metrics", "alerting". */
  component: string;
  kind: WorkloadKind;
  namespace: NamespaceTier;
  replicas: number;
  /** The main container first, then sidecars. */
  containers: ContainerSpec[];
  /** Steps that run to completion, in order, before the containers start. */
  initContainers?: ContainerSpec[];
  /** Persistent volumes, one set per replica (stateful only). */
  volumes?: VolumeSpec[];
  /** Non-root user and group the processes run as (unless a container's privileges say otherwise). */
  user: { uid: number; gid: number };
  hostAccess?: HostAccess;
  /** Namespaced kernel settings for the pod (Kubernetes securityContext.sysctls / Docker sysctls). */
  sysctls?: Record<string, string>;
  /** Docker only: resource limits of the process (e.g. nofile, memlock); Kubernetes takes the node's. */
  ulimits?: { name: string; soft: number; hard: number }[];
  /** Annotations on the workload's ServiceAccount (IRSA role ARN, ...). */
  serviceAccountAnnotations?: Record<string, pulumi.Input<string>>;
  /** Port name (of the main container) and path Prometheus scrapes. */
  metrics?: { port: string; path: string };
  /** Kubernetes: the client Service pins each client to one replica (consistent reads from an HA pair). */
  stickyClients?: boolean;
  /** Workloads (by name) allowed to connect; the workload's own replicas are always allowed. */
  ingressFrom: string[];
  /** HTTP ingress (Kubernetes Ingress with TLS); on Docker the port is published on the publish address instead. */
  ingress?: IngressSpec;
  /** Whole namespaces (by name) allowed to connect, e.g. an ingress controller's. */
  ingressFromNamespaces?: string[];
  /** Cluster-wide read-only RBAC for the workload's service account (e.g. service discovery). */
  clusterRbac?: RbacRule[];
  /** kind "job" only. */
  job?: JobSpec;
  /** Workloads (by name) that must be up (or, for jobs, completed) before this one starts (Docker ordering). */
  after?: string[];
}

/** The main container: the first one. */
export function mainContainer(w: Workload): ContainerSpec {
  const main = w.containers[0];
  if (!main) throw new Error(`workload ${w.name} has no container`);
  return main;
}

/** Every container of the pod, init containers first. */
export function allContainers(w: Workload): ContainerSpec[] {
  return [...(w.initContainers ?? []), ...w.containers];
}

/** The port named `name` of the main container; throws when there is none (a component bug). */
export function portNamed(w: Workload, name: string): PortSpec {
  const port = mainContainer(w).ports?.find((p) => p.name === name);
  if (!port) throw new Error(`workload ${w.name} has no port named ${name}`);
  return port;
}

/**
 * The platform-neutral workload description. Components say *what* runs (image, args, files, ports,
 * volumes, peers); the platform renderers (kubernetes.ts, docker.ts) say *how*, and are the only
 * place that knows StatefulSets or containers, so security defaults live there once.
 */
import type * as pulumi from "@pulumi/pulumi";

/**
 * - stateful: stable identities and one volume per replica (StatefulSet / numbered containers)
 * - stateless: interchangeable replicas (Deployment)
 * - per-node: one per node (DaemonSet / one container on the engine)
 */
export type WorkloadKind = "stateful" | "stateless" | "per-node";

export interface PortSpec {
  /** IANA-style port name (<= 15 chars), used by probes and Services. */
  name: string;
  port: number;
  protocol?: "TCP" | "UDP";
  /** Cluster gossip port: on the headless peer Service only, never on the client Service. */
  peer?: boolean;
  /** Docker only: publish on the engine host (bound to the stack's publish address); replica i gets hostPort + i. */
  hostPort?: number;
}

export interface FileSpec {
  /** Absolute path inside the container. Files in one directory are mounted together. */
  path: string;
  content: string;
  /**
   * The service re-reads this file by itself (e.g. Prometheus' auto-reload), so a change must not roll
   * the pods: it is left out of the config-hash annotation.
   */
  reloadable?: boolean;
}

export interface SecretFileSpec {
  /** Absolute path inside the container. */
  path: string;
  /** Secret content: never placed in a ConfigMap, a label or a plain output. */
  content: pulumi.Input<string>;
}

export interface VolumeSpec {
  name: string;
  mountPath: string;
  sizeGi: number;
  /** Storage class; undefined means the cluster default. */
  storageClass?: string;
}

export interface HttpProbe {
  path: string;
  /** Name of a port in `ports`. */
  port: string;
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
}

export interface HostMount {
  name: string;
  hostPath: string;
  mountPath: string;
  /** Read-write host mounts are an explicit choice. */
  readOnly: boolean;
}

/**
 * Host access: an explicit, named opt-out of the platform's security defaults. Each field that is set
 * is listed (with the reason) in the workload's `monitoring.pulumi.io/security-exemptions` annotation.
 */
export interface HostAccess {
  /** Why the workload needs it; shown next to the exemption. */
  reason: string;
  hostPid?: boolean;
  hostNetwork?: boolean;
  /** Runs as uid 0 (e.g. to read other containers' files). */
  runAsRoot?: boolean;
  privileged?: boolean;
  /** Devices / kernel interfaces a container runtime exposes only to a writable root fs. */
  writableRootFilesystem?: boolean;
  mounts: HostMount[];
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
  /** Name of a port in `ports`. */
  port: string;
  /** Secret holding the TLS certificate; required: ingress is TLS-only. */
  tlsSecretName: string;
  className?: string;
  /** e.g. cert-manager's cluster-issuer annotation. */
  annotations?: Record<string, string>;
}

export interface Workload {
  /** Short service name, e.g. "prometheus"; becomes app.kubernetes.io/name. */
  name: string;
  /** app.kubernetes.io/component, e.g. "metrics", "alerting". */
  component: string;
  kind: WorkloadKind;
  /** Image pinned to a version tag or digest. */
  image: string;
  replicas: number;
  args: string[];
  command?: string[];
  /** Plain (non-secret) environment variables; values may be deploy-time outputs such as an RDS endpoint. */
  env: Record<string, pulumi.Input<string>>;
  /** Environment variables whose values are secrets. */
  secretEnv: Record<string, pulumi.Input<string>>;
  /** Environment variable set to the replica's stable name (pod name / container name). */
  replicaNameEnv?: string;
  /** Environment variable set to the replica's own IP address (Kubernetes pod IP). */
  podIpEnv?: string;
  files: FileSpec[];
  secretFiles: SecretFileSpec[];
  ports: PortSpec[];
  /** Persistent volumes, one set per replica. */
  volumes: VolumeSpec[];
  /** Writable scratch directories (the root filesystem is read-only). */
  scratchDirs: string[];
  resources: import("../../stacks/spec").ResourcesSpec;
  readiness?: HttpProbe;
  liveness?: HttpProbe;
  /** Non-root user and group the processes run as. */
  user: { uid: number; gid: number };
  hostAccess?: HostAccess;
  /** Port name and path Prometheus scrapes (prometheus.io/* annotations). */
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
}

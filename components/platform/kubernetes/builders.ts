/**
 * Pure builders from a Workload to Kubernetes objects: the pod spec with the restricted security
 * context, config volumes, the controller (StatefulSet / Deployment / DaemonSet / Job), Services, PDB
 * and NetworkPolicy. No resources are created here, so tests call them directly; index.ts turns them
 * into provider resources.
 */
import { createHash } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import {
  ANNOTATIONS,
  LABELS,
  baseName,
  byDirectory,
  declaredExemptions,
  dirSlug,
  imageVersion,
  securityExemptionsValue,
} from "../platform";
import {
  allContainers,
  mainContainer,
  type ContainerSpec,
  type FieldRef,
  type Probe,
  type Workload,
} from "../workload";

/** What the builders need to know about the stack. */
export interface BuildContext {
  /** Pulumi stack name (label on every object, namespace selector of network policies). */
  stack: string;
  /** app.kubernetes.io/instance of the stack's objects. */
  instance: string;
  /** Namespace the workload runs in. */
  namespace: string;
  /** PVCs of stateful sets are deleted with them (review and dev stacks) or kept (prod). */
  deleteClaimsWithSet: boolean;
}

export function selectorOf(w: Workload, ctx: BuildContext): Record<string, string> {
  return { [LABELS.name]: w.name, [LABELS.instance]: ctx.instance };
}

export function labelsOf(w: Workload, ctx: BuildContext): Record<string, string> {
  return {
    ...selectorOf(w, ctx),
    [LABELS.component]: w.component,
    [LABELS.partOf]: "monitoring",
    [LABELS.managedBy]: "pulumi",
    [LABELS.version]: imageVersion(mainContainer(w).image).slice(0, 63),
    [LABELS.stack]: ctx.stack,
  };
}

export function metadataOf(w: Workload, ctx: BuildContext, name = w.name) {
  return { name, namespace: ctx.namespace, labels: labelsOf(w, ctx) };
}

/** Object-name prefix of a container's ConfigMaps and Secrets: the main container's is the workload's. */
function containerPrefix(w: Workload, c: ContainerSpec): string {
  return c === mainContainer(w) ? w.name : `${w.name}-${c.name}`;
}

/** The ConfigMap / Secret of one directory of one container's files. */
export interface ConfigObject {
  kind: "ConfigMap" | "Secret";
  /** Logical-name suffix for the resource (`${name}-${key}-configmap`). */
  key: string;
  /** Object name. */
  name: string;
  /** File name -> content. */
  data: Record<string, pulumi.Input<string>>;
}

interface DirectoryPlan {
  dir: string;
  volumeName: string;
  /** Whole-directory mount (reloadable files: updates reach the pod) or one subPath mount per file. */
  whole: boolean;
  plain?: ConfigObject;
  secret?: ConfigObject;
  files: string[];
}

/** Each container's config directories: one projected volume per directory (plain and secret files together). */
function directoryPlans(w: Workload): Map<ContainerSpec, DirectoryPlan[]> {
  const out = new Map<ContainerSpec, DirectoryPlan[]>();
  const main = mainContainer(w);
  for (const c of allContainers(w)) {
    const plainDirs = byDirectory(c.files ?? []);
    const secretDirs = byDirectory(c.secretFiles ?? []);
    const dirs = [...new Set([...plainDirs.keys(), ...secretDirs.keys()])];
    const prefix = containerPrefix(w, c);
    const plans = dirs.map((dir): DirectoryPlan => {
      const slug = dirSlug(dir, dirs);
      const key = c === main ? slug : `${c.name}-${slug}`;
      const plain = plainDirs.get(dir) ?? [];
      const secret = secretDirs.get(dir) ?? [];
      return {
        dir,
        volumeName: `cfg-${key}`.slice(0, 63),
        whole: plain.some((f) => f.reloadable),
        plain:
          plain.length > 0
            ? {
                kind: "ConfigMap",
                key,
                name: `${prefix}-${slug}`,
                data: Object.fromEntries(plain.map((f) => [baseName(f.path), f.content])),
              }
            : undefined,
        secret:
          secret.length > 0
            ? {
                kind: "Secret",
                key,
                // A directory with plain files too keeps its ConfigMap name for the ConfigMap.
                name: plain.length > 0 ? `${prefix}-${slug}-secret` : `${prefix}-${slug}`,
                data: Object.fromEntries(secret.map((f) => [baseName(f.path), f.content])),
              }
            : undefined,
        files: [...plain, ...secret].map((f) => baseName(f.path)),
      };
    });
    out.set(c, plans);
  }
  return out;
}

/** Every ConfigMap and Secret the workload's files need (secret env is separate: envSecrets). */
export function configObjects(w: Workload): ConfigObject[] {
  return [...directoryPlans(w).values()].flat().flatMap((d) => [d.plain, d.secret].filter((o) => !!o));
}

/** The Secret holding a container's secret environment, if it has any. */
export function envSecrets(w: Workload): { container: ContainerSpec; name: string; key: string }[] {
  return allContainers(w)
    .filter((c) => Object.keys(c.secretEnv ?? {}).length > 0)
    .map((c) => ({
      container: c,
      name: `${containerPrefix(w, c)}-env`,
      key: c === mainContainer(w) ? "env" : `${c.name}-env`,
    }));
}

const FIELD_PATHS: Record<FieldRef, string> = {
  "pod-name": "metadata.name",
  "pod-ip": "status.podIP",
  "node-name": "spec.nodeName",
  namespace: "metadata.namespace",
};

export function probeOf(p: Probe | undefined): k8s.types.input.core.v1.Probe | undefined {
  if (!p) return undefined;
  const timing = {
    initialDelaySeconds: p.initialDelaySeconds,
    periodSeconds: p.periodSeconds ?? 10,
    timeoutSeconds: p.timeoutSeconds ?? 5,
    failureThreshold: p.failureThreshold ?? 3,
  };
  switch (p.kind) {
    case "http":
      return {
        ...timing,
        httpGet: {
          path: p.path,
          port: p.port,
          scheme: p.scheme,
          httpHeaders: p.headers && Object.entries(p.headers).map(([name, value]) => ({ name, value })),
        },
      };
    case "tcp":
      return { ...timing, tcpSocket: { port: p.port } };
    case "exec":
      return { ...timing, exec: { command: p.command } };
  }
}

function containerOf(
  w: Workload,
  c: ContainerSpec,
  dirs: DirectoryPlan[],
  envSecret: string | undefined,
  scratchIndex: { next: number },
  volumes: k8s.types.input.core.v1.Volume[],
): k8s.types.input.core.v1.Container {
  const h = w.hostAccess;
  const p = c.privileges;
  const env: k8s.types.input.core.v1.EnvVar[] = Object.entries(c.env ?? {}).map(([name, value]) => ({
    name,
    value,
  }));
  for (const [name, field] of Object.entries(c.fieldEnv ?? {}))
    env.push({ name, valueFrom: { fieldRef: { fieldPath: FIELD_PATHS[field] } } });
  for (const name of Object.keys(c.secretEnv ?? {}))
    env.push({ name, valueFrom: { secretKeyRef: { name: envSecret!, key: name } } });

  const mounts: k8s.types.input.core.v1.VolumeMount[] = [];
  for (const d of dirs) {
    if (d.whole) mounts.push({ name: d.volumeName, mountPath: d.dir, readOnly: true });
    else
      for (const file of d.files)
        mounts.push({ name: d.volumeName, mountPath: `${d.dir}/${file}`, subPath: file, readOnly: true });
  }
  for (const dir of c.scratchDirs ?? []) {
    const name = `scratch-${scratchIndex.next++}`;
    volumes.push({ name, emptyDir: {} });
    mounts.push({ name, mountPath: dir });
  }
  for (const hostMount of c.hostMounts ?? []) {
    const m = h?.mounts.find((x) => x.name === hostMount);
    if (!m) throw new Error(`${w.name}/${c.name}: host mount ${hostMount} is not declared in hostAccess`);
    mounts.push({
      name: m.name,
      mountPath: m.mountPath,
      readOnly: m.readOnly,
      mountPropagation: m.readOnly ? "HostToContainer" : undefined,
    });
  }
  for (const v of c.volumeMounts ?? [])
    mounts.push({ name: v.volume, mountPath: v.mountPath, readOnly: v.readOnly });
  if (c.serviceAccountToken) {
    const t = c.serviceAccountToken;
    const slash = t.path.lastIndexOf("/");
    const name = `${c.name}-sa-token`;
    volumes.push({
      name,
      projected: {
        sources: [
          {
            serviceAccountToken: {
              audience: t.audience,
              expirationSeconds: t.expirationSeconds,
              path: t.path.slice(slash + 1),
            },
          },
        ],
      },
    });
    mounts.push({ name, mountPath: t.path.slice(0, slash), readOnly: true });
  }
  if (h && h.container === c.name)
    for (const [i, device] of (h.devices ?? []).entries())
      mounts.push({ name: deviceVolumeName(i), mountPath: device, readOnly: true });

  const root = p?.runAsRoot ?? false;
  return {
    name: c.name,
    image: c.image,
    command: c.command,
    args: c.args,
    env: env.length > 0 ? env : undefined,
    ports: c.ports?.map((port) => ({
      name: port.name,
      containerPort: port.port,
      protocol: port.protocol ?? "TCP",
      hostPort: h?.hostNetwork ? port.port : undefined,
    })),
    volumeMounts: mounts,
    resources: c.resources,
    readinessProbe: probeOf(c.probes?.readiness),
    livenessProbe: probeOf(c.probes?.liveness),
    startupProbe: probeOf(c.probes?.startup),
    securityContext: {
      // Only the container that needs root gets it; the pod and every other container stay non-root.
      runAsNonRoot: root ? false : undefined,
      runAsUser: root ? 0 : undefined,
      runAsGroup: root ? 0 : undefined,
      allowPrivilegeEscalation: p?.privileged ? true : false,
      privileged: p?.privileged || undefined,
      readOnlyRootFilesystem: !p?.writableRootFilesystem,
      capabilities: { drop: ["ALL"], add: p?.addCapabilities?.length ? p.addCapabilities : undefined },
      seccompProfile: { type: "RuntimeDefault" },
    },
  };
}

const deviceVolumeName = (i: number) => `host-device-${i}`;

/**
 * A host device reaches a container only through its device cgroup, which Kubernetes opens for privileged
 * containers alone (an ordinary one sees the hostPath node but may not open it): anything else is a
 * component bug, refused here rather than deployed broken.
 */
function checkDevices(w: Workload): void {
  const h = w.hostAccess;
  if (!h?.devices?.length) return;
  const c = allContainers(w).find((x) => x.name === h.container);
  if (!c?.privileges?.privileged)
    throw new Error(
      `${w.name}/${h.container}: host devices (${h.devices.join(", ")}) need a privileged container on Kubernetes`,
    );
}

/** The pod template: labels, config-hash and exemption annotations, and the pod spec. */
export function podTemplate(
  w: Workload,
  ctx: BuildContext,
  configHash: pulumi.Input<string>,
): k8s.types.input.core.v1.PodTemplateSpec {
  const h = w.hostAccess;
  const selector = selectorOf(w, ctx);
  const dirs = directoryPlans(w);
  const envSecretNames = new Map(envSecrets(w).map((e) => [e.container, e.name]));
  const volumes: k8s.types.input.core.v1.Volume[] = [];
  for (const d of [...dirs.values()].flat()) {
    volumes.push({
      name: d.volumeName,
      projected: {
        sources: [
          ...(d.plain ? [{ configMap: { name: d.plain.name } }] : []),
          ...(d.secret
            ? [
                {
                  secret: {
                    name: d.secret.name,
                    items: Object.keys(d.secret.data).map((key) => ({ key, path: key, mode: 0o440 })),
                  },
                },
              ]
            : []),
        ],
      },
    });
  }
  for (const m of h?.mounts ?? []) volumes.push({ name: m.name, hostPath: { path: m.hostPath } });
  checkDevices(w);
  for (const [i, device] of (h?.devices ?? []).entries())
    volumes.push({ name: deviceVolumeName(i), hostPath: { path: device, type: "CharDevice" } });
  const scratch = { next: 0 };
  const build = (c: ContainerSpec) =>
    containerOf(w, c, dirs.get(c) ?? [], envSecretNames.get(c), scratch, volumes);
  const containers = w.containers.map(build);
  const initContainers = (w.initContainers ?? []).map(build);

  const annotations: Record<string, pulumi.Input<string>> = { [ANNOTATIONS.configHash]: configHash };
  const exemptions = securityExemptionsValue(declaredExemptions(w, { hostPorts: true }));
  if (exemptions) annotations[ANNOTATIONS.securityExemptions] = exemptions;

  const needsApi = (w.clusterRbac?.length ?? 0) > 0;
  const spread = w.replicas > 1 && w.kind !== "per-node" && w.kind !== "job";
  return {
    metadata: { labels: labelsOf(w, ctx), annotations },
    spec: {
      serviceAccountName: w.name,
      automountServiceAccountToken: needsApi,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: w.user.uid,
        runAsGroup: w.user.gid,
        fsGroup: w.user.gid,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
        sysctls: w.sysctls && Object.entries(w.sysctls).map(([name, value]) => ({ name, value })),
      },
      hostPID: h?.hostPid || undefined,
      hostNetwork: h?.hostNetwork || undefined,
      dnsPolicy: h?.hostNetwork ? "ClusterFirstWithHostNet" : undefined,
      affinity: spread
        ? {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    labelSelector: { matchLabels: selector },
                    topologyKey: "kubernetes.io/hostname",
                  },
                },
                {
                  weight: 50,
                  podAffinityTerm: {
                    labelSelector: { matchLabels: selector },
                    topologyKey: "topology.kubernetes.io/zone",
                  },
                },
              ],
            },
          }
        : undefined,
      tolerations: w.kind === "per-node" ? [{ operator: "Exists" }] : undefined,
      terminationGracePeriodSeconds: w.kind === "stateful" ? 120 : 30,
      restartPolicy: w.kind === "job" ? "OnFailure" : undefined,
      initContainers: initContainers.length > 0 ? initContainers : undefined,
      containers,
      volumes,
    },
  };
}

/** Volume claim templates of a stateful set (the storage size is only the initial one: see index.ts). */
export function claimTemplates(
  w: Workload,
  ctx: BuildContext,
): k8s.types.input.core.v1.PersistentVolumeClaim[] {
  return (w.volumes ?? []).map((v) => ({
    metadata: { name: v.name, labels: selectorOf(w, ctx) },
    spec: {
      accessModes: ["ReadWriteOnce"],
      storageClassName: v.storageClass,
      resources: { requests: { storage: `${v.sizeGi}Gi` } },
    },
  }));
}

export function statefulSetSpec(
  w: Workload,
  ctx: BuildContext,
  template: k8s.types.input.core.v1.PodTemplateSpec,
): k8s.types.input.apps.v1.StatefulSetSpec {
  return {
    serviceName: `${w.name}-headless`,
    replicas: w.replicas,
    // Peers must start together to form a cluster; ordered start would deadlock on quorum waits.
    podManagementPolicy: "Parallel",
    updateStrategy: { type: "RollingUpdate" },
    persistentVolumeClaimRetentionPolicy: {
      whenDeleted: ctx.deleteClaimsWithSet ? "Delete" : "Retain",
      whenScaled: "Retain",
    },
    selector: { matchLabels: selectorOf(w, ctx) },
    template,
    volumeClaimTemplates: claimTemplates(w, ctx),
  };
}

export function deploymentSpec(
  w: Workload,
  ctx: BuildContext,
  template: k8s.types.input.core.v1.PodTemplateSpec,
): k8s.types.input.apps.v1.DeploymentSpec {
  return {
    replicas: w.replicas,
    selector: { matchLabels: selectorOf(w, ctx) },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    template,
  };
}

export function daemonSetSpec(
  w: Workload,
  ctx: BuildContext,
  template: k8s.types.input.core.v1.PodTemplateSpec,
): k8s.types.input.apps.v1.DaemonSetSpec {
  return {
    selector: { matchLabels: selectorOf(w, ctx) },
    updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
    template,
  };
}

/**
 * A Job's name carries a hash of what it runs (its containers and files), because a Job's pod template
 * is immutable: a change is a new Job, which runs the (idempotent) step again.
 */
export function jobName(w: Workload): string {
  if (allContainers(w).some((c) => (c.files ?? []).some((f) => typeof f.content !== "string")))
    throw new Error(`${w.name}: a job's files must be known when the program runs (its name hashes them)`);
  const digest = createHash("sha256")
    .update(
      JSON.stringify(
        allContainers(w).map((c) => [
          c.image,
          c.command,
          c.args,
          c.env,
          (c.files ?? []).map((f) => [f.path, f.content]),
        ]),
      ),
    )
    .digest("hex")
    .slice(0, 8);
  return `${w.name}-${digest}`;
}

export function jobSpec(
  w: Workload,
  template: k8s.types.input.core.v1.PodTemplateSpec,
): k8s.types.input.batch.v1.JobSpec {
  if (!w.job) throw new Error(`${w.name}: kind "job" needs job settings`);
  return {
    backoffLimit: w.job.backoffLimit,
    activeDeadlineSeconds: w.job.activeDeadlineSeconds,
    // Finished Jobs stay (Pulumi owns them); a TTL would delete them behind Pulumi's back.
    template,
  };
}

/** Ports of the main container on a Service: peers (gossip) only on the headless one. */
function servicePorts(w: Workload, peer: boolean): k8s.types.input.core.v1.ServicePort[] {
  return (mainContainer(w).ports ?? [])
    .filter((p) => peer || !p.peer)
    .map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: p.protocol ?? "TCP" }));
}

/** The headless Service (stable per-replica DNS, peers) when the workload needs one. */
export function headlessServiceSpec(
  w: Workload,
  ctx: BuildContext,
): k8s.types.input.core.v1.ServiceSpec | undefined {
  const ports = mainContainer(w).ports ?? [];
  // Stateful sets need a governing Service; any clustered workload needs per-pod DNS for its peers.
  if (w.kind !== "stateful" && !ports.some((p) => p.peer)) return undefined;
  return {
    clusterIP: "None",
    publishNotReadyAddresses: true,
    selector: selectorOf(w, ctx),
    ports: servicePorts(w, true),
  };
}

/** The client Service (no peer ports), when there is a port to serve. */
export function clientServiceSpec(
  w: Workload,
  ctx: BuildContext,
): k8s.types.input.core.v1.ServiceSpec | undefined {
  if (w.kind === "job") return undefined;
  const ports = servicePorts(w, false);
  if (ports.length === 0) return undefined;
  return {
    type: "ClusterIP",
    selector: selectorOf(w, ctx),
    ports,
    sessionAffinity: w.stickyClients ? "ClientIP" : undefined,
  };
}

/** At most one replica down at a time for replicated long-running workloads. */
export function pdbSpec(
  w: Workload,
  ctx: BuildContext,
): k8s.types.input.policy.v1.PodDisruptionBudgetSpec | undefined {
  if (w.replicas <= 1 || w.kind === "per-node" || w.kind === "job") return undefined;
  return { maxUnavailable: 1, selector: { matchLabels: selectorOf(w, ctx) } };
}

/** Ingress only from the named workloads of this stack (any of its namespaces) and the workload's own peers. */
export function networkPolicySpec(
  w: Workload,
  ctx: BuildContext,
): k8s.types.input.networking.v1.NetworkPolicySpec {
  const allowed = [...new Set([w.name, ...w.ingressFrom])].sort();
  const from: k8s.types.input.networking.v1.NetworkPolicyPeer[] = [
    {
      namespaceSelector: { matchLabels: { [LABELS.stack]: ctx.stack } },
      podSelector: { matchExpressions: [{ key: LABELS.name, operator: "In", values: allowed }] },
    },
  ];
  for (const n of w.ingressFromNamespaces ?? [])
    from.push({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": n } } });
  const ports = mainContainer(w).ports ?? [];
  return {
    podSelector: { matchLabels: selectorOf(w, ctx) },
    policyTypes: ["Ingress"],
    // A workload that serves nothing (a job) admits nothing.
    ingress:
      ports.length > 0
        ? [{ from, ports: ports.map((p) => ({ port: p.port, protocol: p.protocol ?? "TCP" })) }]
        : [],
  };
}

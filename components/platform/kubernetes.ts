/**
 * Kubernetes renderer: Namespace per stack, StatefulSet/Deployment/DaemonSet, governing headless and
 * client Services, ConfigMaps for files, Secrets for secret env/files, ServiceAccount, PDB, soft
 * anti-affinity, NetworkPolicy and the restricted security context, with host access as a named opt-out.
 */
import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackSpec } from "../../stacks/spec";
import {
  ANNOTATIONS,
  LABELS,
  baseName,
  byDirectory,
  dirSlug,
  imageVersion,
  securityExemptions,
  type DeployedWorkload,
  type Platform,
} from "./platform";
import type { HttpProbe, Workload } from "./workload";

type Inputs = pulumi.Input<string>;

export interface KubernetesPlatformArgs {
  /** The resolved stack spec (namespace, kubeconfig, stack name, protection). */
  spec: StackSpec;
}

const POD_SECURITY_LABELS = (level: "restricted" | "privileged") => ({
  "pod-security.kubernetes.io/enforce": level,
  "pod-security.kubernetes.io/enforce-version": "latest",
  "pod-security.kubernetes.io/warn": "restricted",
  "pod-security.kubernetes.io/audit": "restricted",
});

export class KubernetesPlatform extends pulumi.ComponentResource implements Platform {
  readonly name = "kubernetes" as const;
  readonly provider: k8s.Provider;
  /** Namespace for ordinary workloads, enforcing the restricted Pod Security Standard. */
  readonly namespace: k8s.core.v1.Namespace;
  readonly namespaceName: string;
  /** Namespace for host-access workloads (node-exporter, cAdvisor): the only place `privileged` PSS applies. */
  readonly nodeNamespaceName: string;
  private nodeNamespace?: k8s.core.v1.Namespace;
  private readonly spec: StackSpec;
  private readonly baseName: string;

  constructor(name: string, args: KubernetesPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:platform:Kubernetes", name, {}, opts);
    this.spec = args.spec;
    this.baseName = name;
    const k = args.spec.kubernetes;
    this.provider = new k8s.Provider(
      `${name}-provider`,
      { kubeconfig: k.kubeconfig, context: k.context, enableServerSideApply: true },
      { parent: this },
    );
    this.namespaceName = k.namespace;
    this.nodeNamespaceName = `${k.namespace}-node`;
    this.namespace = this.createNamespace(`${name}-namespace`, this.namespaceName, "restricted");
    this.registerOutputs({ namespace: this.namespaceName });
  }

  private get stateful(): pulumi.CustomResourceOptions {
    // Deleting a namespace deletes its volumes: in prod the namespaces are protected and retained.
    const keep = this.spec.environment === "prod" && !this.spec.ephemeral;
    return { protect: keep, retainOnDelete: keep };
  }

  private createNamespace(logical: string, nsName: string, level: "restricted" | "privileged") {
    return new k8s.core.v1.Namespace(
      logical,
      {
        metadata: {
          name: nsName,
          labels: {
            ...POD_SECURITY_LABELS(level),
            [LABELS.stack]: this.spec.stack,
            [LABELS.partOf]: "monitoring",
          },
        },
      },
      { parent: this, provider: this.provider, ...this.stateful },
    );
  }

  private namespaceFor(workload: Workload): k8s.core.v1.Namespace {
    if (!workload.hostAccess) return this.namespace;
    this.nodeNamespace ??= this.createNamespace(
      `${this.baseName}-node-namespace`,
      this.nodeNamespaceName,
      "privileged",
    );
    return this.nodeNamespace;
  }

  serviceAddress(workloadName: string, port: number): string {
    return `${workloadName}.${this.namespaceName}.svc:${port}`;
  }

  replicaAddresses(workloadName: string, replicas: number, port: number): string[] {
    return Array.from(
      { length: replicas },
      (_, i) => `${workloadName}-${i}.${workloadName}-headless.${this.namespaceName}.svc:${port}`,
    );
  }

  namespaceOf(w: Workload): string {
    return w.hostAccess ? this.nodeNamespaceName : this.namespaceName;
  }

  deploy(name: string, w: Workload, parent: pulumi.Resource): DeployedWorkload {
    const ns = this.namespaceFor(w);
    const nsName = this.namespaceOf(w);
    const opts: pulumi.CustomResourceOptions = { parent, provider: this.provider, dependsOn: [ns] };
    const selector = { [LABELS.name]: w.name, [LABELS.instance]: this.spec.namePrefix };
    const labels = {
      ...selector,
      [LABELS.component]: w.component,
      [LABELS.partOf]: "monitoring",
      [LABELS.managedBy]: "pulumi",
      [LABELS.version]: imageVersion(w.image).slice(0, 63),
      [LABELS.stack]: this.spec.stack,
    };
    const meta = (metaName: string) => ({ name: metaName, namespace: nsName, labels });

    // Service account; the API token is mounted only for workloads that talk to the API server.
    const needsApi = (w.clusterRbac?.length ?? 0) > 0;
    const sa = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      { metadata: meta(w.name), automountServiceAccountToken: needsApi },
      opts,
    );
    if (needsApi) {
      const roleName = `${this.spec.namePrefix}-${w.name}`;
      const role = new k8s.rbac.v1.ClusterRole(
        `${name}-clusterrole`,
        { metadata: { name: roleName, labels }, rules: w.clusterRbac },
        opts,
      );
      new k8s.rbac.v1.ClusterRoleBinding(
        `${name}-clusterrolebinding`,
        {
          metadata: { name: roleName, labels },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName },
          subjects: [{ kind: "ServiceAccount", name: w.name, namespace: nsName }],
        },
        { ...opts, dependsOn: [role, sa] },
      );
    }

    // Files: one ConfigMap per directory; secret files one Secret per directory; secret env one Secret.
    const volumes: k8s.types.input.core.v1.Volume[] = [];
    const mounts: k8s.types.input.core.v1.VolumeMount[] = [];
    const fileDirs = byDirectory(w.files);
    const secretDirs = byDirectory(w.secretFiles);
    const allDirs = [...fileDirs.keys(), ...secretDirs.keys()];
    const dependsOn: pulumi.Resource[] = [ns, sa];
    for (const [dir, files] of fileDirs) {
      const slug = dirSlug(dir, allDirs);
      const cmName = `${w.name}-${slug}`;
      dependsOn.push(
        new k8s.core.v1.ConfigMap(
          `${name}-${slug}-configmap`,
          {
            metadata: meta(cmName),
            data: Object.fromEntries(files.map((f) => [baseName(f.path), f.content])),
          },
          opts,
        ),
      );
      volumes.push({ name: `cfg-${slug}`.slice(0, 63), configMap: { name: cmName } });
      mounts.push({ name: `cfg-${slug}`.slice(0, 63), mountPath: dir, readOnly: true });
    }
    for (const [dir, files] of secretDirs) {
      const slug = dirSlug(dir, allDirs);
      const secretName = `${w.name}-${slug}`;
      dependsOn.push(
        new k8s.core.v1.Secret(
          `${name}-${slug}-secret`,
          {
            metadata: meta(secretName),
            type: "Opaque",
            stringData: Object.fromEntries(files.map((f) => [baseName(f.path), pulumi.secret(f.content)])),
          },
          opts,
        ),
      );
      volumes.push({ name: `sec-${slug}`.slice(0, 63), secret: { secretName, defaultMode: 0o440 } });
      mounts.push({ name: `sec-${slug}`.slice(0, 63), mountPath: dir, readOnly: true });
    }
    const env: k8s.types.input.core.v1.EnvVar[] = Object.entries(w.env).map(([n, value]) => ({
      name: n,
      value,
    }));
    if (w.replicaNameEnv)
      env.push({ name: w.replicaNameEnv, valueFrom: { fieldRef: { fieldPath: "metadata.name" } } });
    if (w.podIpEnv) env.push({ name: w.podIpEnv, valueFrom: { fieldRef: { fieldPath: "status.podIP" } } });
    const secretEnvNames = Object.keys(w.secretEnv);
    if (secretEnvNames.length > 0) {
      const envSecretName = `${w.name}-env`;
      dependsOn.push(
        new k8s.core.v1.Secret(
          `${name}-env-secret`,
          {
            metadata: meta(envSecretName),
            type: "Opaque",
            stringData: Object.fromEntries(
              Object.entries(w.secretEnv).map(([n, v]) => [n, pulumi.secret(v)]),
            ),
          },
          opts,
        ),
      );
      for (const n of secretEnvNames)
        env.push({ name: n, valueFrom: { secretKeyRef: { name: envSecretName, key: n } } });
    }
    w.scratchDirs.forEach((dir, i) => {
      volumes.push({ name: `scratch-${i}`, emptyDir: {} });
      mounts.push({ name: `scratch-${i}`, mountPath: dir });
    });
    for (const m of w.hostAccess?.mounts ?? []) {
      volumes.push({ name: m.name, hostPath: { path: m.hostPath } });
      mounts.push({
        name: m.name,
        mountPath: m.mountPath,
        readOnly: m.readOnly,
        mountPropagation: m.readOnly ? "HostToContainer" : undefined,
      });
    }
    for (const v of w.volumes) mounts.push({ name: v.name, mountPath: v.mountPath });
    if (w.kind !== "stateful") {
      // Non-stateful workloads with volumes would need a shared claim; components never ask for that.
      if (w.volumes.length > 0) throw new Error(`${w.name}: persistent volumes need kind "stateful"`);
    }

    const annotations: Record<string, Inputs> = { [ANNOTATIONS.configHash]: configHash(w) };
    const exemptions = securityExemptions(w);
    if (exemptions) annotations[ANNOTATIONS.securityExemptions] = exemptions;

    const h = w.hostAccess;
    const probe = (p: HttpProbe | undefined): k8s.types.input.core.v1.Probe | undefined =>
      p && {
        httpGet: { path: p.path, port: p.port },
        initialDelaySeconds: p.initialDelaySeconds,
        periodSeconds: p.periodSeconds ?? 10,
        timeoutSeconds: p.timeoutSeconds ?? 5,
        failureThreshold: p.failureThreshold ?? 3,
      };
    const antiAffinity: k8s.types.input.core.v1.Affinity | undefined =
      w.replicas > 1
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
        : undefined;

    const podSpec: k8s.types.input.core.v1.PodSpec = {
      serviceAccountName: w.name,
      automountServiceAccountToken: needsApi,
      securityContext: {
        runAsNonRoot: !h?.runAsRoot,
        runAsUser: h?.runAsRoot ? 0 : w.user.uid,
        runAsGroup: h?.runAsRoot ? 0 : w.user.gid,
        fsGroup: w.user.gid,
        fsGroupChangePolicy: "OnRootMismatch",
        seccompProfile: { type: "RuntimeDefault" },
      },
      hostPID: h?.hostPid || undefined,
      hostNetwork: h?.hostNetwork || undefined,
      dnsPolicy: h?.hostNetwork ? "ClusterFirstWithHostNet" : undefined,
      affinity: antiAffinity,
      tolerations: w.kind === "per-node" ? [{ operator: "Exists" }] : undefined,
      terminationGracePeriodSeconds: w.kind === "stateful" ? 120 : 30,
      containers: [
        {
          name: w.name,
          image: w.image,
          command: w.command,
          args: w.args,
          env,
          ports: w.ports.map((p) => ({
            name: p.name,
            containerPort: p.port,
            protocol: p.protocol ?? "TCP",
            hostPort: h?.hostNetwork ? p.port : undefined,
          })),
          volumeMounts: mounts,
          resources: w.resources,
          readinessProbe: probe(w.readiness),
          livenessProbe: probe(w.liveness),
          securityContext: {
            allowPrivilegeEscalation: h?.privileged ? true : false,
            privileged: h?.privileged || undefined,
            readOnlyRootFilesystem: !h?.writableRootFilesystem,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
          },
        },
      ],
      volumes,
    };
    const template = { metadata: { labels, annotations }, spec: podSpec };
    const depOpts: pulumi.CustomResourceOptions = { ...opts, dependsOn };

    // Services: headless (stable per-replica DNS, peers) and client (no peer ports).
    const servicePorts = (peer: boolean) =>
      w.ports
        .filter((p) => peer || !p.peer)
        .map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: p.protocol ?? "TCP" }));
    const services: pulumi.Resource[] = [];
    // Stateful sets need a governing Service; any clustered workload needs per-pod DNS for its peers.
    if (w.kind === "stateful" || w.ports.some((p) => p.peer)) {
      services.push(
        new k8s.core.v1.Service(
          `${name}-headless-service`,
          {
            metadata: meta(`${w.name}-headless`),
            spec: { clusterIP: "None", publishNotReadyAddresses: true, selector, ports: servicePorts(true) },
          },
          opts,
        ),
      );
    }
    const clientPorts = servicePorts(false);
    if (clientPorts.length > 0) {
      services.push(
        new k8s.core.v1.Service(
          `${name}-service`,
          {
            metadata: meta(w.name),
            spec: {
              type: "ClusterIP",
              selector,
              ports: clientPorts,
              sessionAffinity: w.stickyClients ? "ClientIP" : undefined,
            },
          },
          opts,
        ),
      );
    }

    if (w.ingress) {
      const ing = w.ingress;
      const port = w.ports.find((p) => p.name === ing.port);
      if (!port) throw new Error(`${w.name}: ingress port ${ing.port} is not one of its ports`);
      new k8s.networking.v1.Ingress(
        `${name}-ingress`,
        {
          metadata: { ...meta(w.name), annotations: ing.annotations },
          spec: {
            ingressClassName: ing.className,
            tls: [{ hosts: [ing.host], secretName: ing.tlsSecretName }],
            rules: [
              {
                host: ing.host,
                http: {
                  paths: [
                    {
                      path: "/",
                      pathType: "Prefix",
                      backend: { service: { name: w.name, port: { name: ing.port } } },
                    },
                  ],
                },
              },
            ],
          },
        },
        opts,
      );
    }

    let workload: pulumi.Resource;
    if (w.kind === "stateful") {
      const ephemeral = this.spec.ephemeral || this.spec.environment !== "prod";
      workload = new k8s.apps.v1.StatefulSet(
        `${name}-statefulset`,
        {
          metadata: meta(w.name),
          spec: {
            serviceName: `${w.name}-headless`,
            replicas: w.replicas,
            // Peers must start together to form a cluster; ordered start would deadlock on quorum waits.
            podManagementPolicy: "Parallel",
            updateStrategy: { type: "RollingUpdate" },
            persistentVolumeClaimRetentionPolicy: {
              whenDeleted: ephemeral ? "Delete" : "Retain",
              whenScaled: "Retain",
            },
            selector: { matchLabels: selector },
            template,
            volumeClaimTemplates: w.volumes.map((v) => ({
              metadata: { name: v.name, labels: selector },
              spec: {
                accessModes: ["ReadWriteOnce"],
                storageClassName: v.storageClass,
                resources: { requests: { storage: `${v.sizeGi}Gi` } },
              },
            })),
          },
        },
        { ...depOpts, customTimeouts: { create: "10m", update: "10m" } },
      );
    } else if (w.kind === "stateless") {
      workload = new k8s.apps.v1.Deployment(
        `${name}-deployment`,
        {
          metadata: meta(w.name),
          spec: {
            replicas: w.replicas,
            selector: { matchLabels: selector },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
            template,
          },
        },
        depOpts,
      );
    } else {
      workload = new k8s.apps.v1.DaemonSet(
        `${name}-daemonset`,
        {
          metadata: meta(w.name),
          spec: {
            selector: { matchLabels: selector },
            updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } },
            template,
          },
        },
        depOpts,
      );
    }

    if (w.replicas > 1 && w.kind !== "per-node") {
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-pdb`,
        { metadata: meta(w.name), spec: { maxUnavailable: 1, selector: { matchLabels: selector } } },
        opts,
      );
    }

    // Ingress only from the named workloads of this stack (both namespaces) and the workload's own peers.
    const allowed = [...new Set([w.name, ...w.ingressFrom])].sort();
    const from: k8s.types.input.networking.v1.NetworkPolicyPeer[] = [
      {
        namespaceSelector: { matchLabels: { [LABELS.stack]: this.spec.stack } },
        podSelector: { matchExpressions: [{ key: LABELS.name, operator: "In", values: allowed }] },
      },
    ];
    for (const n of w.ingressFromNamespaces ?? []) {
      from.push({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": n } } });
    }
    new k8s.networking.v1.NetworkPolicy(
      `${name}-networkpolicy`,
      {
        metadata: meta(w.name),
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from,
              ports: w.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? "TCP" })),
            },
          ],
        },
      },
      opts,
    );

    return {
      address: (port: number) => `${w.name}.${nsName}.svc:${port}`,
      resources: [workload, ...services],
    };
  }
}

/**
 * Hash of everything a running pod reads only at start: a change rolls the pods (a rolling update)
 * instead of leaving them on stale config. Files the service reloads by itself are left out.
 */
export function configHash(w: Workload): pulumi.Output<string> {
  const staticPart = JSON.stringify(w.files.filter((f) => !f.reloadable).map((f) => [f.path, f.content]));
  const secretParts = [
    ...w.secretFiles.map((f) => pulumi.output(f.content).apply((c) => `${f.path}=${c}`)),
    ...Object.entries(w.secretEnv).map(([n, v]) => pulumi.output(v).apply((c) => `${n}=${c}`)),
  ];
  // A digest of secret material is not the secret; unsecret keeps the annotation readable in diffs.
  return pulumi.unsecret(
    pulumi
      .all(secretParts)
      .apply((parts) =>
        createHash("sha256").update(staticPart).update(parts.join("\n")).digest("hex").slice(0, 32),
      ),
  );
}

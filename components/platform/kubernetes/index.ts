/**
 * Kubernetes platform: a namespace per stack (and a privileged one for workloads with host access or
 * privileged init steps), and for each workload its ServiceAccount, ConfigMaps/Secrets, controller,
 * Services, PDB and NetworkPolicy, built by the pure functions in builders.ts.
 *
 * Day-2 behaviour, from pulumi-kubernetes' own rules (provider/pkg/provider/provider.go and
 * pkg/provider/diff.go, read for this):
 * - ConfigMaps and Secrets are immutable to the provider unless `enableConfigMapMutable` /
 *   `enableSecretMutable` is set; with fixed names a change would otherwise delete then recreate them.
 * - A change to a StatefulSet's `volumeClaimTemplates` replaces it. Storage growth therefore never
 *   touches the template (its size is ignored after creation); each replica's claim grows through a
 *   PersistentVolumeClaimPatch instead, which needs a storage class with `allowVolumeExpansion`.
 * - Where the template must change anyway, the StatefulSet is replaced with orphan deletion
 *   propagation (`pulumi.com/deletionPropagationPolicy: orphan`): its pods keep running and the new
 *   object adopts them through the unchanged selector.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { StackSpec } from "../../../stacks/spec";
import { configHash } from "../config-hash";
import { LABELS, type DeployedWorkload, type Platform, type WorkloadRef } from "../platform";
import { portNamed, type NamespaceTier, type Workload } from "../workload";
import {
  clientServiceSpec,
  configObjects,
  daemonSetSpec,
  deploymentSpec,
  envSecrets,
  headlessServiceSpec,
  jobName,
  jobSpec,
  labelsOf,
  metadataOf,
  networkPolicySpec,
  pdbSpec,
  podTemplate,
  statefulSetSpec,
  type BuildContext,
} from "./builders";

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

/** The config key a claim's size comes from (the plan diff names it when a change would shrink the claim). */
export const CONFIG_KEY_ANNOTATION = "monitoring.pulumi.io/config-key";

/** Annotation pulumi-kubernetes reads to delete an object without its dependents (await/deletion.go). */
export const DELETION_PROPAGATION = "pulumi.com/deletionPropagationPolicy";

export class KubernetesPlatform extends pulumi.ComponentResource implements Platform {
  readonly name = "kubernetes" as const;
  readonly provider: k8s.Provider;
  /** Namespace for ordinary workloads, enforcing the restricted Pod Security Standard. */
  readonly namespace: k8s.core.v1.Namespace;
  private privilegedNamespace?: k8s.core.v1.Namespace;
  private readonly spec: StackSpec;
  private readonly baseName: string;

  constructor(name: string, args: KubernetesPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:platform:Kubernetes", name, {}, opts);
    this.spec = args.spec;
    this.baseName = name;
    const k = args.spec.kubernetes;
    this.provider = new k8s.Provider(
      `${name}-provider`,
      {
        kubeconfig: k.kubeconfig,
        context: k.context,
        enableServerSideApply: true,
        enableConfigMapMutable: true,
        enableSecretMutable: true,
      },
      { parent: this },
    );
    this.namespace = this.createNamespace(`${name}-namespace`, "restricted");
    this.registerOutputs({ namespace: this.namespaceName("restricted") });
  }

  /** Prod keeps what holds data; review and dev stacks are freely destroyable. */
  private get keepData(): boolean {
    return this.spec.environment === "prod" && !this.spec.ephemeral;
  }

  namespaceName(tier: NamespaceTier): string {
    return tier === "privileged" ? `${this.spec.kubernetes.namespace}-node` : this.spec.kubernetes.namespace;
  }

  private createNamespace(logical: string, tier: NamespaceTier) {
    // Deleting a namespace deletes its volumes: in prod the namespaces are protected and retained.
    return new k8s.core.v1.Namespace(
      logical,
      {
        metadata: {
          name: this.namespaceName(tier),
          labels: {
            ...POD_SECURITY_LABELS(tier),
            [LABELS.stack]: this.spec.stack,
            [LABELS.partOf]: "monitoring",
          },
        },
      },
      { parent: this, provider: this.provider, protect: this.keepData, retainOnDelete: this.keepData },
    );
  }

  private namespaceFor(tier: NamespaceTier): k8s.core.v1.Namespace {
    if (tier === "restricted") return this.namespace;
    this.privilegedNamespace ??= this.createNamespace(`${this.baseName}-node-namespace`, "privileged");
    return this.privilegedNamespace;
  }

  serviceAddress(ref: WorkloadRef, port: number): string {
    return `${ref.name}.${this.namespaceName(ref.namespace)}.svc:${port}`;
  }

  replicaAddresses(ref: WorkloadRef, replicas: number, port: number): string[] {
    const ns = this.namespaceName(ref.namespace);
    return Array.from(
      { length: replicas },
      (_, i) => `${ref.name}-${i}.${ref.name}-headless.${ns}.svc:${port}`,
    );
  }

  deploy(name: string, w: Workload, parent: pulumi.Resource): DeployedWorkload {
    const ns = this.namespaceFor(w.namespace);
    const ctx: BuildContext = {
      stack: this.spec.stack,
      instance: this.spec.namePrefix,
      namespace: this.namespaceName(w.namespace),
      deleteClaimsWithSet: !this.keepData,
    };
    const opts: pulumi.CustomResourceOptions = { parent, provider: this.provider, dependsOn: [ns] };
    const meta = (objectName?: string) => metadataOf(w, ctx, objectName);
    if (w.kind !== "stateful" && (w.volumes?.length ?? 0) > 0)
      throw new Error(`${w.name}: persistent volumes need kind "stateful"`);

    // Service account; the API token is mounted only for workloads that talk to the API server.
    const needsApi = (w.clusterRbac?.length ?? 0) > 0;
    const sa = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      {
        metadata: { ...meta(), annotations: w.serviceAccountAnnotations },
        automountServiceAccountToken: needsApi,
      },
      opts,
    );
    if (needsApi) {
      const roleName = `${this.spec.namePrefix}-${w.name}`;
      const role = new k8s.rbac.v1.ClusterRole(
        `${name}-clusterrole`,
        { metadata: { name: roleName, labels: labelsOf(w, ctx) }, rules: w.clusterRbac },
        opts,
      );
      new k8s.rbac.v1.ClusterRoleBinding(
        `${name}-clusterrolebinding`,
        {
          metadata: { name: roleName, labels: labelsOf(w, ctx) },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName },
          subjects: [{ kind: "ServiceAccount", name: w.name, namespace: ctx.namespace }],
        },
        { ...opts, dependsOn: [role, sa] },
      );
    }

    const dependsOn: pulumi.Resource[] = [ns, sa];
    for (const o of configObjects(w)) {
      dependsOn.push(
        o.kind === "ConfigMap"
          ? new k8s.core.v1.ConfigMap(
              `${name}-${o.key}-configmap`,
              { metadata: meta(o.name), data: o.data },
              opts,
            )
          : new k8s.core.v1.Secret(
              `${name}-${o.key}-secret`,
              {
                metadata: meta(o.name),
                type: "Opaque",
                stringData: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, pulumi.secret(v)])),
              },
              opts,
            ),
      );
    }
    for (const e of envSecrets(w)) {
      dependsOn.push(
        new k8s.core.v1.Secret(
          `${name}-${e.key}-secret`,
          {
            metadata: meta(e.name),
            type: "Opaque",
            stringData: Object.fromEntries(
              Object.entries(e.container.secretEnv ?? {}).map(([k, v]) => [k, pulumi.secret(v)]),
            ),
          },
          opts,
        ),
      );
    }

    const template = podTemplate(w, ctx, configHash(w));
    const depOpts: pulumi.CustomResourceOptions = { ...opts, dependsOn };

    const services: pulumi.Resource[] = [];
    const headless = headlessServiceSpec(w, ctx);
    if (headless)
      services.push(
        new k8s.core.v1.Service(
          `${name}-headless-service`,
          { metadata: meta(`${w.name}-headless`), spec: headless },
          opts,
        ),
      );
    const client = clientServiceSpec(w, ctx);
    if (client)
      services.push(new k8s.core.v1.Service(`${name}-service`, { metadata: meta(), spec: client }, opts));

    if (w.ingress) {
      const ing = w.ingress;
      portNamed(w, ing.port);
      new k8s.networking.v1.Ingress(
        `${name}-ingress`,
        {
          metadata: { ...meta(), annotations: ing.annotations },
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

    let controller: pulumi.Resource;
    switch (w.kind) {
      case "stateful": {
        const set = new k8s.apps.v1.StatefulSet(
          `${name}-statefulset`,
          {
            metadata: { ...meta(), annotations: { [DELETION_PROPAGATION]: "orphan" } },
            spec: statefulSetSpec(w, ctx, template),
          },
          {
            ...depOpts,
            customTimeouts: { create: "10m", update: "10m" },
            // The claim template's size is the initial one; growth goes through the claim patches below.
            ignoreChanges: ["spec.volumeClaimTemplates[*].spec.resources"],
          },
        );
        controller = set;
        for (const v of w.volumes ?? []) {
          for (let i = 0; i < w.replicas; i++) {
            new k8s.core.v1.PersistentVolumeClaimPatch(
              `${name}-${v.name}-${i}-claim`,
              {
                metadata: {
                  name: `${v.name}-${w.name}-${i}`,
                  namespace: ctx.namespace,
                  annotations: v.configKey ? { [CONFIG_KEY_ANNOTATION]: v.configKey } : undefined,
                },
                spec: { resources: { requests: { storage: `${v.sizeGi}Gi` } } },
              },
              { ...opts, dependsOn: [set] },
            );
          }
        }
        break;
      }
      case "stateless":
        controller = new k8s.apps.v1.Deployment(
          `${name}-deployment`,
          { metadata: meta(), spec: deploymentSpec(w, ctx, template) },
          depOpts,
        );
        break;
      case "per-node":
        controller = new k8s.apps.v1.DaemonSet(
          `${name}-daemonset`,
          { metadata: meta(), spec: daemonSetSpec(w, ctx, template) },
          depOpts,
        );
        break;
      case "job":
        controller = new k8s.batch.v1.Job(
          `${name}-job`,
          { metadata: meta(jobName(w)), spec: jobSpec(w, template) },
          {
            ...depOpts,
            customTimeouts: { create: `${Math.ceil((w.job?.activeDeadlineSeconds ?? 600) / 60) + 1}m` },
          },
        );
        break;
    }

    const pdb = pdbSpec(w, ctx);
    if (pdb) new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, { metadata: meta(), spec: pdb }, opts);
    new k8s.networking.v1.NetworkPolicy(
      `${name}-networkpolicy`,
      { metadata: meta(), spec: networkPolicySpec(w, ctx) },
      opts,
    );

    return { resources: [controller, ...services] };
  }
}

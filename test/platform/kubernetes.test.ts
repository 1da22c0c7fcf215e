import { beforeAll, describe, expect, it } from "vitest";
import { mockStack, type MockStack } from "../helpers/mocks";

// Mocks first, then the modules that create resources.
const mock: MockStack = mockStack("prod", { environment: "prod" });

import * as pulumi from "@pulumi/pulumi";
import { ANNOTATIONS } from "../../components/platform/platform";
import { configHash } from "../../components/platform/config-hash";
import { KubernetesPlatform } from "../../components/platform/kubernetes";
import type { Workload } from "../../components/platform/workload";
import { searchWorkload, setupJob, webWorkload } from "./fixtures";
import { resolveStackSpec } from "../../stacks/resolve";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- manifest JSON

class Holder extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Holder", name, {});
  }
}

let byKind: (kind: string, name: string) => Obj;

beforeAll(async () => {
  const spec = resolveStackSpec(
    { environment: "prod", grafana: { database: { type: "sqlite" }, replicas: 1 } },
    { stack: "prod", secretKeys: new Set() },
  );
  const platform = new KubernetesPlatform("platform", { spec });
  const holder = new Holder("holder");
  platform.deploy(
    "db",
    { ...searchWorkload(), name: "db", namespace: "restricted", initContainers: [], sysctls: undefined },
    holder,
  );
  platform.deploy("web", { ...webWorkload(), replicas: 1 }, holder);
  platform.deploy("setup", setupJob(), holder);
  const agent: Workload = {
    ...webWorkload(),
    name: "agent",
    kind: "per-node",
    namespace: "privileged",
    replicas: 1,
    hostAccess: {
      reason: "reads host metrics",
      container: "web",
      hostPid: true,
      mounts: [{ name: "proc", hostPath: "/proc", mountPath: "/host/proc", readOnly: true }],
    },
  };
  agent.containers = [{ ...agent.containers[0], hostMounts: ["proc"] }];
  platform.deploy("agent", agent, holder);
  await mock.settle();
  byKind = (kind, name) => {
    const found = mock
      .resources()
      .find((r) => r.inputs.kind === kind && (r.inputs.metadata as Obj)?.name === name);
    if (!found) throw new Error(`no ${kind} ${name}`);
    return found.inputs as Obj;
  };
});

describe("kubernetes renderer", () => {
  it("stateful: StatefulSet with per-replica volumes, headless governing Service and parallel start", () => {
    const sts = byKind("StatefulSet", "db");
    expect(sts.spec.serviceName).toBe("db-headless");
    expect(sts.spec.podManagementPolicy).toBe("Parallel");
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({
      storageClassName: "gp3",
      resources: { requests: { storage: "10Gi" } },
    });
    expect(sts.spec.persistentVolumeClaimRetentionPolicy.whenDeleted).toBe("Retain");
    const headless = byKind("Service", "db-headless");
    expect(headless.spec.clusterIP).toBe("None");
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(headless.spec.ports.map((p: Obj) => p.name)).toEqual(["http", "transport"]);
    // The client Service never carries the gossip port.
    expect(byKind("Service", "db").spec.ports.map((p: Obj) => p.name)).toEqual(["http"]);
  });

  it("PDB and soft anti-affinity only when there is more than one replica", () => {
    expect(byKind("PodDisruptionBudget", "db").spec.maxUnavailable).toBe(1);
    expect(() => byKind("PodDisruptionBudget", "web")).toThrow();
    const affinity = byKind("StatefulSet", "db").spec.template.spec.affinity.podAntiAffinity;
    expect(affinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey).toBe(
      "kubernetes.io/hostname",
    );
    expect(affinity.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
  });

  it("restricted security context on ordinary workloads", () => {
    for (const [kind, name] of [
      ["StatefulSet", "db"],
      ["Deployment", "web"],
    ]) {
      const pod = byKind(kind, name).spec.template.spec;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000,
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(pod.hostNetwork).toBeUndefined();
      expect(pod.containers[0].securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
      });
      expect(pod.hostPID).toBeUndefined();
      expect(pod.automountServiceAccountToken).toBe(false);
    }
  });

  it("host access is a named exemption in its own privileged namespace", () => {
    const ds = byKind("DaemonSet", "agent");
    expect(ds.metadata.namespace).toBe("monitoring-prod-node");
    expect(ds.spec.template.spec.hostPID).toBe(true);
    expect(JSON.parse(ds.spec.template.metadata.annotations[ANNOTATIONS.securityExemptions])).toEqual([
      {
        container: "web",
        exemptions: ["host-pid", "host-path"],
        reason: "reads host metrics",
        hostPaths: ["/proc:ro"],
      },
    ]);
    // Opting out of one default keeps the others.
    expect(ds.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    const ns = byKind("Namespace", "monitoring-prod-node");
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(byKind("Namespace", "monitoring-prod").metadata.labels["pod-security.kubernetes.io/enforce"]).toBe(
      "restricted",
    );
  });

  it("config hash annotation on every workload's pods", () => {
    for (const [kind, name] of [
      ["StatefulSet", "db"],
      ["Deployment", "web"],
      ["DaemonSet", "agent"],
    ]) {
      expect(byKind(kind, name).spec.template.metadata.annotations[ANNOTATIONS.configHash]).toMatch(
        /^[0-9a-f]{32}$/,
      );
    }
  });

  it("files go to ConfigMaps per directory, secrets only to Secrets", () => {
    expect(byKind("ConfigMap", "db-config").data).toEqual({ "search.yml": "a: 1\n" });
    expect(byKind("ConfigMap", "db-rules").data).toEqual({ "r.yml": "groups: []\n" });
    // Secret maps are recorded redacted, with a keyed digest per key (so the plan diff sees changes).
    const secretOf = (name: string) =>
      mock.resources().find((r) => r.inputs.kind === "Secret" && (r.inputs.metadata as Obj).name === name)!;
    expect(secretOf("db-secrets").inputs.stringData).toBe("[secret]");
    expect(Object.keys(secretOf("db-secrets").secretDigests ?? {})).toEqual(["stringData.webhook"]);
    expect(Object.keys(secretOf("db-env").secretDigests ?? {})).toEqual(["stringData.API_TOKEN"]);
    const all = JSON.stringify(mock.resources());
    expect(all).not.toContain("s3cr3t");
    const env = byKind("StatefulSet", "db").spec.template.spec.containers[0].env;
    expect(env).toContainEqual({
      name: "API_TOKEN",
      valueFrom: { secretKeyRef: { name: "db-env", key: "API_TOKEN" } },
    });
  });

  it("NetworkPolicy admits only named peers of this stack", () => {
    const np = byKind("NetworkPolicy", "db");
    expect(np.spec.policyTypes).toEqual(["Ingress"]);
    const from = np.spec.ingress[0].from[0];
    expect(from.namespaceSelector.matchLabels).toEqual({ "monitoring.pulumi.io/stack": "prod" });
    expect(from.podSelector.matchExpressions[0].values).toEqual(["db", "grafana"]);
  });

  it("prod namespaces are protected and retained so volumes survive", () => {
    const ns = mock.ofType("kubernetes:core/v1:Namespace");
    expect(ns.length).toBe(2);
    for (const n of ns) expect([n.protect, n.retainOnDelete]).toEqual([true, true]);
  });

  it("a reloadable file change keeps the hash; a static file change moves it", async () => {
    const hash = (w: Workload) => new Promise<string>((resolve) => configHash(w).apply(resolve));
    const w: Workload = { ...searchWorkload(), initContainers: [] };
    w.containers = [{ ...w.containers[0], secretEnv: {}, secretFiles: [] }];
    const files = w.containers[0].files!;
    const withFiles = (f: typeof files): Workload => ({
      ...w,
      containers: [{ ...w.containers[0], files: f }],
    });
    const h0 = await hash(w);
    expect(await hash(withFiles([files[0], { ...files[1], content: "groups: [x]\n" }]))).toBe(h0);
    expect(await hash(withFiles([{ ...files[0], content: "a: 2\n" }, files[1]]))).not.toBe(h0);
  });

  it("storage grows through one claim patch per replica; the set is orphan-deleted if it must be replaced", () => {
    const patches = mock.ofType("kubernetes:core/v1:PersistentVolumeClaimPatch").map((r) => r.inputs as Obj);
    expect(patches.map((p) => p.metadata.name).sort()).toEqual(["data-db-0", "data-db-1", "data-db-2"]);
    for (const p of patches) expect(p.spec.resources.requests.storage).toBe("10Gi");
    expect(byKind("StatefulSet", "db").metadata.annotations["pulumi.com/deletionPropagationPolicy"]).toBe(
      "orphan",
    );
  });

  it("ConfigMaps and Secrets are updated in place, not replaced", () => {
    const provider = mock.ofType("pulumi:providers:kubernetes")[0].inputs as Obj;
    expect(provider).toMatchObject({ enableConfigMapMutable: "true", enableSecretMutable: "true" });
  });

  it("a job runs once per change, after what it waits for, and serves nothing", () => {
    const job = mock.resources().find((r) => r.type === "kubernetes:batch/v1:Job")!.inputs as Obj;
    expect(job.metadata.name).toMatch(/^search-setup-[0-9a-f]{8}$/);
    expect(job.spec.template.spec.restartPolicy).toBe("OnFailure");
    expect(() => byKind("Service", "search-setup")).toThrow();
  });

  it("service account annotations (IRSA) reach the ServiceAccount", () => {
    expect(byKind("ServiceAccount", "db").metadata.annotations).toEqual({
      "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/search",
    });
  });
});

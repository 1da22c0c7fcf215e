import { beforeAll, describe, expect, it } from "vitest";
import { mockStack, type MockStack } from "../helpers/mocks";

// Mocks first, then the modules that create resources.
const mock: MockStack = mockStack("prod", { environment: "prod" });

import * as pulumi from "@pulumi/pulumi";
import { ANNOTATIONS } from "../../components/platform/platform";
import { KubernetesPlatform } from "../../components/platform/kubernetes";
import type { Workload } from "../../components/platform/workload";
import { resolveStackSpec } from "../../stacks/resolve";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- manifest JSON

const base: Omit<Workload, "name" | "kind" | "replicas"> = {
  component: "test",
  image: "example.org/app:1.2.3",
  args: ["--flag"],
  env: { PLAIN: "value" },
  secretEnv: { API_TOKEN: pulumi.secret("s3cr3t-token") },
  files: [
    { path: "/etc/app/app.yml", content: "a: 1\n" },
    { path: "/etc/app/rules/r.yml", content: "groups: []\n", reloadable: true },
  ],
  secretFiles: [{ path: "/etc/app/secrets/webhook", content: pulumi.secret("https://hooks.example/s3cr3t") }],
  ports: [
    { name: "http", port: 8080 },
    { name: "cluster", port: 9094, peer: true },
  ],
  volumes: [],
  scratchDirs: ["/tmp"],
  resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } },
  readiness: { path: "/ready", port: "http" },
  liveness: { path: "/live", port: "http" },
  user: { uid: 1000, gid: 1000 },
  ingressFrom: ["prometheus"],
};

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
    {
      ...base,
      name: "db",
      kind: "stateful",
      replicas: 3,
      volumes: [{ name: "data", mountPath: "/data", sizeGi: 10, storageClass: "gp3" }],
    },
    holder,
  );
  platform.deploy("web", { ...base, name: "web", kind: "stateless", replicas: 1 }, holder);
  platform.deploy(
    "agent",
    {
      ...base,
      name: "agent",
      kind: "per-node",
      replicas: 1,
      hostAccess: {
        reason: "reads host metrics",
        hostPid: true,
        mounts: [{ name: "proc", hostPath: "/proc", mountPath: "/host/proc", readOnly: true }],
      },
    },
    holder,
  );
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
    expect(headless.spec.ports.map((p: Obj) => p.name)).toEqual(["http", "cluster"]);
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
    expect(ds.spec.template.metadata.annotations[ANNOTATIONS.securityExemptions]).toBe(
      "host-pid, host-path(/proc:ro): reads host metrics",
    );
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
    expect(byKind("ConfigMap", "db-app").data).toEqual({ "app.yml": "a: 1\n" });
    expect(byKind("ConfigMap", "db-rules").data).toEqual({ "r.yml": "groups: []\n" });
    expect(byKind("Secret", "db-secrets").stringData).toBe("[secret]");
    expect(byKind("Secret", "db-env").stringData).toBe("[secret]");
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
    expect(from.podSelector.matchExpressions[0].values).toEqual(["db", "prometheus"]);
  });

  it("prod namespaces are protected and retained so volumes survive", () => {
    const ns = mock.ofType("kubernetes:core/v1:Namespace");
    expect(ns.length).toBe(2);
    for (const n of ns) expect([n.protect, n.retainOnDelete]).toEqual([true, true]);
  });

  it("a reloadable file change keeps the hash; a static file change moves it", async () => {
    const { configHash } = await import("../../components/platform/kubernetes");
    const hash = (w: Workload) => new Promise<string>((resolve) => configHash(w).apply(resolve));
    const w = {
      ...base,
      name: "x",
      kind: "stateless",
      replicas: 1,
      secretEnv: {},
      secretFiles: [],
    } as Workload;
    const h0 = await hash(w);
    const reloadChanged = { ...w, files: [w.files[0], { ...w.files[1], content: "groups: [x]\n" }] };
    const staticChanged = { ...w, files: [{ ...w.files[0], content: "a: 2\n" }, w.files[1]] };
    expect(await hash(reloadChanged)).toBe(h0);
    expect(await hash(staticChanged)).not.toBe(h0);
  });
});

/**
 * The Kubernetes builders without any Pulumi runtime: a pod with an init container, a sidecar, per-file
 * mounts, probes of every kind and per-container exemptions; a job; services, PDB and network policy.
 */
import { describe, expect, it } from "vitest";
import {
  clientServiceSpec,
  configObjects,
  envSecrets,
  headlessServiceSpec,
  jobName,
  jobSpec,
  networkPolicySpec,
  pdbSpec,
  podTemplate,
  probeOf,
  statefulSetSpec,
  type BuildContext,
} from "../../components/platform/kubernetes/builders";
import { ANNOTATIONS, type DeclaredExemption } from "../../components/platform/platform";
import { searchWorkload, setupJob, webWorkload } from "./fixtures";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- manifest JSON

const ctx: BuildContext = {
  stack: "prod",
  instance: "monitoring-prod",
  namespace: "monitoring-prod-node",
  deleteClaimsWithSet: false,
};
const pod = (w = searchWorkload()) => podTemplate(w, ctx, "hash") as Obj;

describe("pod spec", () => {
  it("renders the init container, the main container and the sidecar in order", () => {
    const spec = pod().spec;
    expect(spec.initContainers.map((c: Obj) => c.name)).toEqual(["sysctl"]);
    expect(spec.containers.map((c: Obj) => c.name)).toEqual(["search", "exporter"]);
    expect(spec.containers[1].image).toBe("example.org/search-exporter:1.9.0");
  });

  it("exempts only the privileged init container; the others keep every default", () => {
    const spec = pod().spec;
    expect(spec.initContainers[0].securityContext).toMatchObject({
      privileged: true,
      allowPrivilegeEscalation: true,
      runAsUser: 0,
      runAsNonRoot: false,
    });
    for (const c of spec.containers) {
      expect(c.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(c.securityContext.privileged).toBeUndefined();
      expect(c.securityContext.runAsUser).toBeUndefined();
    }
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000 });
    const declared = JSON.parse(
      pod().metadata.annotations[ANNOTATIONS.securityExemptions],
    ) as DeclaredExemption[];
    expect(declared).toEqual([
      {
        container: "search",
        exemptions: ["sysctls"],
        reason: expect.stringContaining("net.ipv4.ip_local_port_range"),
      },
      {
        container: "sysctl",
        exemptions: ["run-as-root", "privileged"],
        reason: expect.stringContaining("vm.max_map_count"),
      },
    ]);
  });

  it("plain, secret and field environment", () => {
    const env = pod().spec.containers[0].env as Obj[];
    expect(env).toContainEqual({ name: "PLAIN", value: "value" });
    expect(env).toContainEqual({ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } });
    expect(env).toContainEqual({ name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } });
    expect(env).toContainEqual({
      name: "NODE_NAME",
      valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } },
    });
    expect(env).toContainEqual({
      name: "API_TOKEN",
      valueFrom: { secretKeyRef: { name: "search-env", key: "API_TOKEN" } },
    });
    expect(envSecrets(searchWorkload()).map((e) => e.name)).toEqual(["search-env"]);
  });

  it("probes: HTTP with scheme and headers, TCP, exec as a startup probe", () => {
    const main = pod().spec.containers[0];
    expect(main.readinessProbe.httpGet).toEqual({
      path: "/_cluster/health",
      port: "http",
      scheme: "HTTPS",
      httpHeaders: [{ name: "Authorization", value: "Basic x" }],
    });
    expect(main.livenessProbe.tcpSocket).toEqual({ port: "http" });
    expect(main.startupProbe.exec).toEqual({ command: ["/bin/true"] });
    expect(probeOf(undefined)).toBeUndefined();
  });

  it("mounts config files one by one, so the image's own files in that directory stay visible", () => {
    const mounts = pod().spec.containers[0].volumeMounts as Obj[];
    const config = mounts.filter((m) => m.mountPath.startsWith("/usr/share/search/config"));
    expect(config).toEqual([
      {
        name: "cfg-config",
        mountPath: "/usr/share/search/config/search.yml",
        subPath: "search.yml",
        readOnly: true,
      },
      { name: "cfg-config", mountPath: "/usr/share/search/config/users", subPath: "users", readOnly: true },
    ]);
    // A plain and a secret file share one directory through one projected volume.
    const volume = (pod().spec.volumes as Obj[]).find((v) => v.name === "cfg-config")!;
    expect(volume.projected.sources).toEqual([
      { configMap: { name: "search-config" } },
      { secret: { name: "search-config-secret", items: [{ key: "users", path: "users", mode: 0o440 }] } },
    ]);
    // Reloadable files: the whole directory, so updates reach the running pod.
    expect(mounts).toContainEqual({ name: "cfg-rules", mountPath: "/etc/search/rules", readOnly: true });
    expect(mounts).toContainEqual({ name: "data", mountPath: "/usr/share/search/data", readOnly: undefined });
  });

  it("ConfigMaps hold only plain files, Secrets only secret ones", () => {
    const objects = configObjects(searchWorkload()).map((o) => [o.kind, o.name, Object.keys(o.data)]);
    expect(objects).toEqual([
      ["ConfigMap", "search-config", ["search.yml"]],
      ["Secret", "search-config-secret", ["users"]],
      ["ConfigMap", "search-rules", ["r.yml"]],
      ["Secret", "search-secrets", ["webhook"]],
    ]);
  });

  it("a cloud identity token: projected with its audience, its directory mounted whole, the API token still off", () => {
    const w = searchWorkload();
    w.containers[0].serviceAccountToken = {
      path: "/etc/search/aws/token",
      audience: "sts.amazonaws.com",
      expirationSeconds: 3600,
    };
    const spec = pod(w).spec;
    expect(spec.volumes).toContainEqual({
      name: "search-sa-token",
      projected: {
        sources: [
          { serviceAccountToken: { audience: "sts.amazonaws.com", expirationSeconds: 3600, path: "token" } },
        ],
      },
    });
    expect(spec.containers[0].volumeMounts).toContainEqual({
      name: "search-sa-token",
      mountPath: "/etc/search/aws",
      readOnly: true,
    });
    expect(spec.containers[1].volumeMounts.map((m: Obj) => m.name)).not.toContain("search-sa-token");
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  it("namespaced sysctls on the pod", () => {
    expect(pod().spec.securityContext.sysctls).toEqual([
      { name: "net.ipv4.ip_local_port_range", value: "1024 65000" },
    ]);
  });
});

describe("controllers and services", () => {
  it("stateful set: governing headless service, parallel start, claims kept in prod", () => {
    const w = searchWorkload();
    const spec = statefulSetSpec(w, ctx, podTemplate(w, ctx, "h")) as Obj;
    expect(spec).toMatchObject({
      serviceName: "search-headless",
      podManagementPolicy: "Parallel",
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
    });
    expect(spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("10Gi");
    expect(headlessServiceSpec(w, ctx)!.ports!).toHaveLength(2);
    expect((clientServiceSpec(w, ctx) as Obj).ports.map((p: Obj) => p.name)).toEqual(["http"]);
    expect(pdbSpec(w, ctx)).toEqual({
      maxUnavailable: 1,
      selector: {
        matchLabels: { "app.kubernetes.io/name": "search", "app.kubernetes.io/instance": "monitoring-prod" },
      },
    });
  });

  it("a job: restart on failure, no service, no PDB, a name that changes with what it runs", () => {
    const job = setupJob();
    const template = podTemplate(job, ctx, "h") as Obj;
    expect(template.spec.restartPolicy).toBe("OnFailure");
    expect(jobSpec(job, template)).toMatchObject({ backoffLimit: 6, activeDeadlineSeconds: 600 });
    expect(clientServiceSpec(job, ctx)).toBeUndefined();
    expect(headlessServiceSpec(job, ctx)).toBeUndefined();
    expect(pdbSpec(job, ctx)).toBeUndefined();
    expect(networkPolicySpec(job, ctx).ingress).toEqual([]);
    const changed = setupJob();
    changed.containers[0].files = [{ path: "/setup/run.sh", content: "curl -X PUT other\n" }];
    expect(jobName(job)).toMatch(/^search-setup-[0-9a-f]{8}$/);
    expect(jobName(changed)).not.toBe(jobName(job));
    expect(jobName(setupJob())).toBe(jobName(job));
  });

  it("stateless: no PDB for one replica, one for two", () => {
    const web = webWorkload();
    expect(pdbSpec(web, ctx)).toBeDefined();
    expect(pdbSpec({ ...web, replicas: 1 }, ctx)).toBeUndefined();
    const np = networkPolicySpec(web, ctx) as Obj;
    expect(np.ingress[0].from[0].podSelector.matchExpressions[0].values).toEqual(["prometheus", "web"]);
  });
});

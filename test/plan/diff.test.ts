/**
 * The plan diff as pure functions: small before/after resource arrays for each rule family (engine,
 * Kubernetes, Kubernetes provider, Docker, AWS, Random, Grafana, unknown types), then one end-to-end
 * run that plans dev twice with a different retention and reads diff.json.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { changedPaths, diffPlans, formatDiffSummary, type DiffEntry } from "../../scripts/plan/diff";
import { formatPath, parsePath } from "../../scripts/plan/paths";
import { kubernetesForceNew } from "../../scripts/plan/replacement-rules";
import { secretDigest } from "../../scripts/plan/runtime";
import type { PlannedResource } from "../../scripts/plan/types";
import { K8S_PROVIDER, plannedResource as res, repoRoot, runPlan } from "../helpers/plan";
import { scratchDir } from "../helpers/scratch";

function k8sProvider(inputs: Record<string, unknown> = { enableServerSideApply: "true" }): PlannedResource {
  return { ...res("pulumi:providers:kubernetes", "k8s", inputs), urn: K8S_PROVIDER, provider: null };
}

/** Diffs one resource changed by `change` (inputs deep-copied first), with the Kubernetes provider present. */
function diffOne(
  before: PlannedResource,
  change: (inputs: Record<string, unknown>) => void,
  providerInputs?: Record<string, unknown>,
): DiffEntry {
  const after = structuredClone(before);
  change(after.inputs);
  const prov = k8sProvider(providerInputs);
  const entries = diffPlans([prov, before], [prov, after]);
  return entries.find((e) => e.urn === before.urn)!;
}

const meta = (name: string, namespace = "monitoring") => ({ name, namespace });

function statefulSet(): PlannedResource {
  return res("kubernetes:apps/v1:StatefulSet", "prom", {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: meta("prometheus"),
    spec: {
      replicas: 2,
      serviceName: "prometheus",
      selector: { matchLabels: { app: "prometheus" } },
      template: { spec: { containers: [{ name: "prometheus", image: "prom/prometheus:v3.5.0" }] } },
      volumeClaimTemplates: [
        { metadata: { name: "data" }, spec: { resources: { requests: { storage: "20Gi" } } } },
      ],
    },
  });
}

describe("changed paths", () => {
  it("descends objects and arrays and prints Pulumi property paths", () => {
    const before = { spec: { containers: [{ image: "a" }], labels: { "app.kubernetes.io/name": "x" } } };
    const after = {
      spec: { containers: [{ image: "b" }, { image: "c" }], labels: { "app.kubernetes.io/name": "y" } },
    };
    const paths = changedPaths(before, after, { before: {}, after: {} }).map(formatPath);
    expect(paths).toEqual([
      "spec.containers[0].image",
      "spec.containers[1]",
      'spec.labels["app.kubernetes.io/name"]',
    ]);
    expect(parsePath('spec.labels["app.kubernetes.io/name"]')).toEqual([
      "spec",
      "labels",
      "app.kubernetes.io/name",
    ]);
  });

  it("a secret shows as changed through its digest, never its value; equal digests are no change", () => {
    const inputs = { stringData: "[secret]" };
    const d = (v: string) => ({ "stringData.key": secretDigest(v) });
    expect(changedPaths(inputs, inputs, { before: d("a"), after: d("a") })).toEqual([]);
    expect(changedPaths(inputs, inputs, { before: d("a"), after: d("b") }).map(formatPath)).toEqual([
      "stringData.key",
    ]);
    // A digest made with another key cannot be compared: it counts as a change.
    const other = { "stringData.key": `kdeadbeef:${secretDigest("a").split(":")[1]}` };
    expect(changedPaths(inputs, inputs, { before: d("a"), after: other })).toHaveLength(1);
  });
});

describe("engine rules (pulumi/pulumi step_generator.go, step.go)", () => {
  it("create, delete, same; a delete of a retained resource is noted", () => {
    const a = res("x:index:T", "a", { v: 1 });
    const b = res("x:index:T", "b", { v: 1 }, { retainOnDelete: true });
    const c = res("x:index:T", "c", { v: 1 });
    const entries = diffPlans([a, b], [a, c]);
    expect(entries.map((e) => [e.urn.split("::").pop(), e.op])).toEqual([
      ["a", "same"],
      ["b", "delete"],
      ["c", "create"],
    ]);
    expect(entries[1].notes[0]).toMatch(/retainOnDelete/);
  });

  it("ignoreChanges drops a change; replaceOnChanges forces a replacement", () => {
    const base = res("x:index:T", "a", { spec: { size: 1, mode: "a" } });
    const ignored = diffPlans(
      [base],
      [{ ...structuredClone(base), inputs: { spec: { size: 2, mode: "a" } }, ignoreChanges: ["spec.size"] }],
    );
    expect(ignored[0].op).toBe("same");
    const roc = diffPlans(
      [base],
      [
        {
          ...structuredClone(base),
          inputs: { spec: { size: 1, mode: "b" } },
          replaceOnChanges: ["spec.mode"],
        },
      ],
    );
    expect(roc[0]).toMatchObject({ op: "replace", replaceBecause: ["spec.mode"] });
  });

  it("the deleteBeforeReplace option is honoured", () => {
    const before = res("random:index/randomPassword:RandomPassword", "pw", { length: 16 });
    const after = { ...structuredClone(before), inputs: { length: 24 }, deleteBeforeReplace: true };
    expect(diffPlans([before], [after])[0]).toMatchObject({ op: "replace", deleteBeforeReplace: true });
  });

  it("replacing a resource protected in both plans, or deleting a protected one, is refused in the engine's words", () => {
    const before = res("random:index/randomPassword:RandomPassword", "pw", { length: 16 }, { protect: true });
    const after = { ...structuredClone(before), inputs: { length: 24 } };
    const [replaced] = diffPlans([before], [after]);
    expect(replaced.errors[0]).toMatch(
      /^unable to replace resource ".*::pw"\nas it is currently marked for protection/,
    );
    const [deleted] = diffPlans([before], []);
    expect(deleted.errors[0]).toMatch(/^resource ".*::pw" cannot be deleted\nbecause it is protected/);
    // Unprotecting in the same change is allowed (only new.Protect && old.Protect refuses).
    expect(diffPlans([before], [{ ...after, protect: false }])[0].errors).toEqual([]);
  });

  it("a component's changed inputs are an update, never a replacement", () => {
    const before = res("monitoring:metrics:Prometheus", "prom", { a: 1 }, { custom: false });
    expect(diffPlans([before], [{ ...before, inputs: { a: 2 } }])[0]).toMatchObject({
      op: "update",
      notes: [],
    });
  });

  it("moving a resource to another provider replaces it", () => {
    const before = res("aws:sns/topic:Topic", "t", { name: "t" });
    const after = { ...before, provider: "urn:pulumi:s::p::pulumi:providers:aws::eu" };
    expect(diffPlans([before], [after])[0]).toMatchObject({ op: "replace", replaceBecause: ["provider"] });
  });
});

describe("an earlier plan written before resources.json recorded providers and digests", () => {
  it("is not read as every resource moving provider, and says secret changes cannot be seen", () => {
    const now = res("kubernetes:core/v1:Secret", "s", {
      apiVersion: "v1",
      kind: "Secret",
      metadata: meta("s"),
      stringData: "[secret]",
    });
    const legacy: PlannedResource = {
      urn: now.urn,
      type: now.type,
      name: now.name,
      parent: null,
      dependencies: [],
      protect: false,
      retainOnDelete: false,
      inputs: structuredClone(now.inputs),
    };
    const [e] = diffPlans([legacy], [now]);
    expect(e).toMatchObject({
      op: "same",
      notes: ["the earlier plan recorded no secret digests: changes to secret inputs cannot be seen"],
    });
  });
});

describe("Kubernetes (pulumi-kubernetes provider/pkg/provider/diff.go)", () => {
  it("StatefulSet: volumeClaimTemplates replace, delete first because the name is kept; replicas and image update", () => {
    const vct = diffOne(statefulSet(), (i) => {
      (
        i.spec as { volumeClaimTemplates: { spec: { resources: { requests: { storage: string } } } }[] }
      ).volumeClaimTemplates[0].spec.resources.requests.storage = "50Gi";
    });
    expect(vct).toMatchObject({
      op: "replace",
      paths: ["spec.volumeClaimTemplates[0].spec.resources.requests.storage"],
      deleteBeforeReplace: true,
    });
    expect(vct.notes.join()).toMatch(/metadata.name "prometheus" is fixed/);
    expect(diffOne(statefulSet(), (i) => ((i.spec as { replicas: number }).replicas = 3)).op).toBe("update");
    const image = diffOne(statefulSet(), (i) => {
      (
        i.spec as { template: { spec: { containers: { image: string }[] } } }
      ).template.spec.containers[0].image = "prom/prometheus:v3.6.0";
    });
    expect(image).toMatchObject({ op: "update", paths: ["spec.template.spec.containers[0].image"] });
    expect(diffOne(statefulSet(), (i) => ((i.spec as { serviceName: string }).serviceName = "p")).op).toBe(
      "replace",
    );
  });

  it("metadata.name replaces without deleting first (the new object has another name); namespace too", () => {
    const renamed = diffOne(statefulSet(), (i) => ((i.metadata as { name: string }).name = "prometheus-2"));
    expect(renamed).toMatchObject({
      op: "replace",
      replaceBecause: ["metadata.name"],
      deleteBeforeReplace: false,
    });
    expect(
      diffOne(statefulSet(), (i) => ((i.metadata as { namespace: string }).namespace = "other")).op,
    ).toBe("replace");
  });

  it("Deployment/DaemonSet: selector replaces; Job: template replaces", () => {
    const dep = res("kubernetes:apps/v1:Deployment", "g", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta("grafana"),
      spec: { selector: { matchLabels: { app: "g" } }, template: { spec: { containers: [] } } },
    });
    expect(
      diffOne(dep, (i) => ((i.spec as { selector: unknown }).selector = { matchLabels: { app: "h" } })).op,
    ).toBe("replace");
    const job = res("kubernetes:batch/v1:Job", "j", {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: meta("migrate"),
      spec: { template: { spec: { restartPolicy: "Never" } } },
    });
    expect(
      diffOne(
        job,
        (i) =>
          ((i.spec as { template: { spec: { restartPolicy: string } } }).template.spec.restartPolicy =
            "OnFailure"),
      ),
    ).toMatchObject({ op: "replace", replaceBecause: ["spec.template.spec.restartPolicy"] });
  });

  it("PVC: the provider replaces on accessModes/storageClassName, resizes in place", () => {
    const pvc = res("kubernetes:core/v1:PersistentVolumeClaim", "pvc", {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: meta("data"),
      spec: {
        accessModes: ["ReadWriteOnce"],
        storageClassName: "gp3",
        resources: { requests: { storage: "20Gi" } },
      },
    });
    expect(
      diffOne(
        pvc,
        (i) =>
          ((i.spec as { resources: { requests: { storage: string } } }).resources.requests.storage = "40Gi"),
      ).op,
    ).toBe("update");
    expect(diffOne(pvc, (i) => ((i.spec as { storageClassName: string }).storageClassName = "gp2")).op).toBe(
      "replace",
    );
  });

  it("Service: clusterIP replaces, a type change updates (the provider lists only .spec.clusterIP)", () => {
    const svc = res("kubernetes:core/v1:Service", "svc", {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta("p"),
      spec: { type: "ClusterIP", clusterIP: "None" },
    });
    expect(diffOne(svc, (i) => ((i.spec as { clusterIP: string }).clusterIP = "10.0.0.1")).op).toBe(
      "replace",
    );
    expect(diffOne(svc, (i) => ((i.spec as { type: string }).type = "NodePort")).op).toBe("update");
  });

  it("ConfigMap data replaces unless the provider has enableConfigMapMutable; immutable ones always replace", () => {
    const cm = res("kubernetes:core/v1:ConfigMap", "cm", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: meta("conf"),
      data: { "a.yml": "x" },
    });
    const edit = (i: Record<string, unknown>) => ((i.data as Record<string, string>)["a.yml"] = "y");
    expect(diffOne(cm, edit)).toMatchObject({
      op: "replace",
      replaceBecause: ['data["a.yml"]'],
      deleteBeforeReplace: true,
    });
    expect(diffOne(cm, edit, { enableConfigMapMutable: "true" }).op).toBe("update");
    const immutable = { ...cm, inputs: { ...cm.inputs, immutable: true } };
    expect(diffOne(immutable, edit, { enableConfigMapMutable: "true" }).op).toBe("replace");
  });

  it("Secret: a changed secret value (seen through digests) replaces unless enableSecretMutable; type always replaces", () => {
    const secret = res(
      "kubernetes:core/v1:Secret",
      "s",
      { apiVersion: "v1", kind: "Secret", metadata: meta("creds"), type: "Opaque", stringData: "[secret]" },
      { secretDigests: { "stringData.password": secretDigest("one") } },
    );
    const rotate = (mutable?: Record<string, unknown>) => {
      const after = {
        ...structuredClone(secret),
        secretDigests: { "stringData.password": secretDigest("two") },
      };
      const prov = k8sProvider(mutable);
      return diffPlans([prov, secret], [prov, after]).find((e) => e.urn === secret.urn)!;
    };
    expect(rotate()).toMatchObject({ op: "replace", replaceBecause: ["stringData.password"] });
    expect(rotate({ enableSecretMutable: true }).op).toBe("update");
    expect(diffOne(secret, (i) => (i.type = "kubernetes.io/tls"), { enableSecretMutable: true }).op).toBe(
      "replace",
    );
  });

  it("PodDisruptionBudget: .spec replaces only for policy/v1beta1; Patch types replace only on name/namespace", () => {
    const pdb = (apiVersion: string) =>
      res(`kubernetes:policy/${apiVersion.split("/")[1]}:PodDisruptionBudget`, `pdb-${apiVersion}`, {
        apiVersion,
        kind: "PodDisruptionBudget",
        metadata: meta("p"),
        spec: { minAvailable: 1 },
      });
    const bump = (i: Record<string, unknown>) => ((i.spec as { minAvailable: number }).minAvailable = 2);
    expect(diffOne(pdb("policy/v1"), bump).op).toBe("update");
    expect(diffOne(pdb("policy/v1beta1"), bump).op).toBe("replace");
    expect(
      kubernetesForceNew(
        { apiVersion: "apps/v1", kind: "Deployment" },
        "kubernetes:apps/v1:DeploymentPatch",
        { enableConfigMapMutable: false, enableSecretMutable: false },
      ),
    ).toEqual([".metadata.name", ".metadata.namespace"]);
  });

  it("reports the pulumi.com/deletionPropagationPolicy annotation", () => {
    const sts = statefulSet();
    (sts.inputs.metadata as Record<string, unknown>).annotations = {
      "pulumi.com/deletionPropagationPolicy": "orphan",
    };
    const e = diffOne(sts, (i) => ((i.spec as { serviceName: string }).serviceName = "x"));
    expect(e.notes).toContain(
      "pulumi.com/deletionPropagationPolicy: orphan (how dependents are deleted with it)",
    );
  });
});

describe("Kubernetes provider (provider.go DiffConfig) and its resources", () => {
  it("a context change replaces the provider and every resource it manages; other settings update", () => {
    const sts = statefulSet();
    const before = [k8sProvider({ context: "prod-eks" }), sts];
    const moved = diffPlans(before, [k8sProvider({ context: "other-eks" }), sts]);
    expect(moved.find((e) => e.urn === K8S_PROVIDER)).toMatchObject({
      op: "replace",
      replaceBecause: ["context"],
    });
    expect(moved.find((e) => e.urn === sts.urn)).toMatchObject({
      op: "replace",
      replaceBecause: ["provider"],
    });
    const flag = diffPlans(before, [
      k8sProvider({ context: "prod-eks", enableConfigMapMutable: "true" }),
      sts,
    ]);
    expect(flag.find((e) => e.urn === K8S_PROVIDER)?.op).toBe("update");
    expect(flag.find((e) => e.urn === sts.urn)?.op).toBe("same");
    // An unchanged clusterIdentifier vouches for the cluster: no replacement.
    const pinned = diffPlans(
      [k8sProvider({ context: "a", clusterIdentifier: "prod" }), sts],
      [k8sProvider({ context: "b", clusterIdentifier: "prod" }), sts],
    );
    expect(pinned.find((e) => e.urn === K8S_PROVIDER)?.op).toBe("update");
  });
});

describe("Docker (kreuzwerker/terraform-provider-docker via pulumi-docker)", () => {
  const container = res("docker:index/container:Container", "prom", {
    name: "monitoring-dev-prometheus",
    image: "sha256:1",
    envs: ["A=1"],
    memory: 512,
  });

  it("a container replaces on almost every argument and always deletes first; memory updates in place", () => {
    expect(diffOne(container, (i) => (i.envs = ["A=2"]))).toMatchObject({
      op: "replace",
      replaceBecause: ["envs[0]"],
      deleteBeforeReplace: true,
    });
    expect(diffOne(container, (i) => (i.memory = 1024))).toMatchObject({
      op: "update",
      notes: [],
      deleteBeforeReplace: false,
    });
  });

  it("an input not in the upstream schema read is flagged, never called safe", () => {
    const e = diffOne(container, (i) => (i.deviceCgroupRules = ["c 1:3 mr"]));
    expect(e.op).toBe("update");
    expect(e.notes[0]).toMatch(
      /^replacement rules unknown for docker:index\/container:Container input deviceCgroupRules/,
    );
  });

  it("a named volume replaces on labels and must be deleted first (its name is fixed); image pull settings", () => {
    const vol = res("docker:index/volume:Volume", "data", {
      name: "monitoring-dev-data",
      labels: [{ label: "a", value: "1" }],
    });
    const e = diffOne(vol, (i) => (i.labels = [{ label: "a", value: "2" }]));
    expect(e).toMatchObject({ op: "replace", deleteBeforeReplace: true });
    expect(e.notes.join()).toMatch(
      /name "monitoring-dev-data" is fixed: the provider would create the replacement beside the old one/,
    );
    const img = res("docker:index/remoteImage:RemoteImage", "img", {
      name: "prom/prometheus:v3.5.0",
      keepLocally: true,
    });
    expect(diffOne(img, (i) => (i.keepLocally = false)).op).toBe("update");
    expect(diffOne(img, (i) => (i.name = "prom/prometheus:v3.6.0")).op).toBe("replace");
  });
});

describe("AWS (hashicorp/terraform-provider-aws ForceNew / RequiresReplace)", () => {
  const db = res("aws:rds/instance:Instance", "db", {
    identifier: "monitoring-prod-grafana",
    instanceClass: "db.t4g.small",
    storageEncrypted: true,
  });

  it("RDS: instance class updates; encryption replaces and the fixed identifier makes it delete first", () => {
    expect(diffOne(db, (i) => (i.instanceClass = "db.t4g.medium")).op).toBe("update");
    expect(diffOne(db, (i) => (i.storageEncrypted = false))).toMatchObject({
      op: "replace",
      deleteBeforeReplace: true,
    });
    expect(diffOne(db, (i) => (i.region = "eu-west-1")).op).toBe("replace");
  });

  it("KMS key, SNS subscription, log group, IAM role", () => {
    const key = res("aws:kms/key:Key", "k", { description: "a", keyUsage: "ENCRYPT_DECRYPT" });
    expect(diffOne(key, (i) => (i.description = "b")).op).toBe("update");
    expect(diffOne(key, (i) => (i.keyUsage = "SIGN_VERIFY")).op).toBe("replace");
    const sub = res("aws:sns/topicSubscription:TopicSubscription", "s", {
      topic: "arn:a",
      protocol: "https",
      endpoint: "https://x",
    });
    expect(diffOne(sub, (i) => (i.endpoint = "https://y")).op).toBe("replace");
    const lg = res("aws:cloudwatch/logGroup:LogGroup", "lg", { name: "/monitoring", retentionInDays: 7 });
    expect(diffOne(lg, (i) => (i.retentionInDays = 30)).op).toBe("update");
    const role = res("aws:iam/role:Role", "r", { name: "r", path: "/", assumeRolePolicy: "{}" });
    expect(diffOne(role, (i) => (i.assumeRolePolicy = '{"a":1}')).op).toBe("update");
    expect(diffOne(role, (i) => (i.path = "/svc/"))).toMatchObject({
      op: "replace",
      deleteBeforeReplace: true,
    });
  });

  it("conditional replacements: a security group rule switching source type; an AMP alias being unset", () => {
    const rule = res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "r", {
      securityGroupId: "sg-1",
      cidrIpv4: "10.0.0.0/8",
      fromPort: 5432,
    });
    expect(diffOne(rule, (i) => (i.fromPort = 5433)).op).toBe("update");
    expect(diffOne(rule, (i) => (i.cidrIpv4 = "10.1.0.0/16")).op).toBe("update");
    const switched = diffOne(rule, (i) => {
      delete i.cidrIpv4;
      i.referencedSecurityGroupId = "sg-2";
    });
    expect(switched).toMatchObject({
      op: "replace",
      replaceBecause: ["cidrIpv4", "referencedSecurityGroupId"],
    });
    const amp = res("aws:amp/workspace:Workspace", "w", { alias: "prom" });
    expect(diffOne(amp, (i) => (i.alias = "prom-2")).op).toBe("update");
    expect(diffOne(amp, (i) => delete i.alias)).toMatchObject({ op: "replace", replaceBecause: ["alias"] });
  });
});

describe("Random, Grafana and unknown types", () => {
  it("random: every argument replaces, except override_special going from empty to unset", () => {
    const pw = res("random:index/randomPassword:RandomPassword", "pw", {
      length: 32,
      keepers: { v: "1" },
      overrideSpecial: "",
    });
    expect(diffOne(pw, (i) => ((i.keepers as { v: string }).v = "2")).op).toBe("replace");
    expect(diffOne(pw, (i) => delete i.overrideSpecial).op).toBe("update");
  });

  it("grafana: dashboard JSON updates, moving it to another folder replaces", () => {
    const dash = res("grafana:oss/dashboard:Dashboard", "d", { configJson: "{}", folder: "1" });
    expect(diffOne(dash, (i) => (i.configJson = '{"title":"x"}')).op).toBe("update");
    expect(diffOne(dash, (i) => (i.folder = "2")).op).toBe("replace");
  });

  it("a type without rules is an update flagged as unknown, and the summary says so", () => {
    const e = diffOne(
      res("tls:index/privateKey:PrivateKey", "k", { algorithm: "RSA" }),
      (i) => (i.algorithm = "ECDSA"),
    );
    expect(e).toMatchObject({
      op: "update",
      notes: [
        "replacement rules unknown for tls:index/privateKey:PrivateKey; every change counted as an update",
      ],
    });
    expect(formatDiffSummary([e])).toContain(
      "1 change(s) on types or inputs whose replacement rules are unknown",
    );
  });
});

describe("the summary", () => {
  it("lists each change like `pulumi preview` with reasons, then counts", () => {
    const a = res("x:index:T", "gone", {});
    const before = statefulSet();
    const after = structuredClone(before);
    (after.inputs.spec as { serviceName: string }).serviceName = "other";
    const prov = k8sProvider();
    const text = formatDiffSummary(diffPlans([prov, a, before], [prov, after, res("x:index:T", "new", {})]));
    expect(text).toContain(
      "  +- kubernetes:apps/v1:StatefulSet prom  replace [replace because: spec.serviceName] DELETE-BEFORE-REPLACE",
    );
    expect(text).toContain("  -  x:index:T gone  delete");
    expect(text).toContain("  +  x:index:T new  create");
    expect(text).toMatch(
      /Resources:\n {4}\+ 1 to create\n {4}\+-1 to replace\n {4}- 1 to delete\n {4}3 changes\. 1 unchanged/,
    );
  });
});

describe("npm run plan --diff-against (dev planned twice)", () => {
  it("a shorter retention replaces the Prometheus container (its command changes) and nothing else changes", () => {
    const first = runPlan("dev");
    expect(first.status, first.stderr).toBe(0);
    const dev = readFileSync(path.join(repoRoot, "Pulumi.dev.yaml"), "utf8");
    expect(dev).toContain("retentionTime: 15d");
    const file = path.join(scratchDir("plan-diff-"), "Pulumi.dev.yaml");
    writeFileSync(file, dev.replace("retentionTime: 15d", "retentionTime: 10d"));
    const second = runPlan("dev", ["--config", file, "--diff-against", first.out]);
    expect(second.status, second.stderr).toBe(0);
    const diff = JSON.parse(readFileSync(path.join(second.out, "diff.json"), "utf8")) as DiffEntry[];
    expect(diff.length).toBe(second.resources.length);
    const changed = diff.filter((e) => e.op !== "same");
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({
      type: "docker:index/container:Container",
      op: "replace",
      deleteBeforeReplace: true,
    });
    expect(changed[0].paths.every((p) => p.startsWith("command["))).toBe(true);
    expect(changed[0].replaceBecause).toEqual(changed[0].paths);
    expect(second.stdout).toMatch(
      /\+- docker:index\/container:Container \S+ {2}replace \[replace because: command\[\d+\]\] DELETE-BEFORE-REPLACE/,
    );
    expect(second.stdout).toMatch(/ {4}\+-1 to replace\n {4}1 change\. \d+ unchanged/);
  });
});

/**
 * The plan's Kubernetes schema check (scripts/plan/k8s-schema.ts): the shipped plans validate clean and
 * every Kubernetes object is validated or listed; a misspelt field, a wrong type and a missing required
 * field are refused with their path; Patch objects are partial; values unknown at preview and redacted
 * secrets are not type errors; kinds the package has no schema for (CRDs) are listed, never passed.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { beforeAll, describe, expect, it } from "vitest";
import {
  checkKubernetesSchemas,
  kubernetesTypeOf,
  SCHEMA_SOURCE,
  validateKubernetesObject,
} from "../../scripts/plan/k8s-schema";
import { getPath, type Segment } from "../../scripts/plan/paths";
import { SECRET_PLACEHOLDER } from "../../scripts/plan/types";
import { plannedResource, type PlanRun, repoRoot, runPlan, stackVariant } from "../helpers/plan";
import { scratchDir } from "../helpers/scratch";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- plan JSON

const SUMMARY = /^kubernetes schema \((.+)\): (\d+) object\(s\) validated, (\d+) not validated$/m;

function summary(run: PlanRun): { source: string; validated: number; notValidated: number } {
  const m = SUMMARY.exec(run.stdout);
  if (!m) throw new Error(`no schema summary in the plan's output:\n${run.stdout}`);
  return { source: m[1], validated: Number(m[2]), notValidated: Number(m[3]) };
}

const kubernetesResources = (run: PlanRun) => run.resources.filter((r) => r.type.startsWith("kubernetes:"));
const clone = <T>(v: T): T => structuredClone(v);

const runs: Record<string, PlanRun> = {};
beforeAll(() => {
  runs.prod = runPlan("prod");
  runs.dev = runPlan("dev");
  // dev on a cluster: the review stack's copy of dev (docs/workflows.md review-stack.yml, as
  // test/plan/day2.test.ts plans it); dev's service packs name Docker containers, so they are dropped.
  runs["dev-kubernetes"] = runPlan("pr-10", [
    "--config",
    stackVariant("Pulumi.dev.yaml", "pr-10", (doc) => {
      doc.setIn(["config", "monitoring:ephemeral"], true);
      doc.setIn(["config", "monitoring:platform"], "kubernetes");
      doc.deleteIn(["config", "monitoring:packs"]);
    }),
  ]);
}, 240_000);

describe("the shipped plans against the Kubernetes schema", () => {
  it.each(["prod", "dev-kubernetes"])("%s: every Kubernetes object is validated and none refused", (name) => {
    const run = runs[name];
    expect(run.status, run.stderr).toBe(0);
    const s = summary(run);
    expect(s.source).toBe(SCHEMA_SOURCE);
    expect(s.validated).toBeGreaterThan(0);
    expect(s.validated).toBe(kubernetesResources(run).length - s.notValidated);
    // The pure check on resources.json agrees with what the plan printed.
    const report = checkKubernetesSchemas(run.resources);
    expect(report.errors).toEqual([]);
    expect(report.validated.length).toBe(s.validated);
    expect(report.notValidated.length).toBe(s.notValidated);
  });

  it("dev on Docker has no Kubernetes object: nothing to validate, nothing listed", () => {
    const run = runs.dev;
    expect(run.status, run.stderr).toBe(0);
    expect(kubernetesResources(run)).toEqual([]);
    expect(summary(run)).toMatchObject({ validated: 0, notValidated: 0 });
  });

  it("names the installed package version (the Kubernetes version beside it is read off its CHANGELOG)", () => {
    const pkg = JSON.parse(
      readFileSync(path.join(repoRoot, "node_modules/kubernetes-models/package.json"), "utf8"),
    ) as { version: string };
    expect(SCHEMA_SOURCE).toContain(`kubernetes-models ${pkg.version},`);
  });

  it("an undeclared field anywhere in a prod object is refused at its path", () => {
    const validated = new Set(checkKubernetesSchemas(runs.prod.resources).validated);
    const objects = runs.prod.resources.filter((r) => validated.has(r.urn));
    let probed = 0;
    for (const r of objects) {
      // The root, metadata, spec and, in workloads, the first container: where a typo would land.
      const spots: Segment[][] = [[], ["metadata"], ["spec"], ["spec", "template", "spec", "containers", 0]];
      for (const at of spots) {
        const obj = clone(r.inputs);
        const node = getPath(obj, at);
        if (!node || typeof node !== "object" || Array.isArray(node)) continue;
        (node as Obj).zzUndeclared = "x";
        expect(validateKubernetesObject(obj, { partial: r.type.endsWith("Patch") }), r.urn).toEqual([
          { path: [...at, "zzUndeclared"], message: "field not declared in schema" },
        ]);
        probed++;
      }
    }
    expect(probed).toBeGreaterThan(objects.length * 2);
  });
});

/** The prod plan's Prometheus StatefulSet, a real object to break. */
function prometheus(): Obj {
  const r = runs.prod.resources.find(
    (x) => x.type === "kubernetes:apps/v1:StatefulSet" && (x.inputs as Obj).metadata.name === "prometheus",
  );
  if (!r) throw new Error("no prometheus StatefulSet in the prod plan");
  return clone(r.inputs) as Obj;
}

const CONTAINER = ["spec", "template", "spec", "containers", 0];

describe("validateKubernetesObject refuses what the API server refuses", () => {
  it("accepts the unbroken object", () => {
    expect(validateKubernetesObject(prometheus())).toEqual([]);
  });

  it("a misspelt container field", () => {
    const o = prometheus();
    o.spec.template.spec.containers[0].imagePullPolice = "IfNotPresent";
    expect(validateKubernetesObject(o)).toEqual([
      { path: [...CONTAINER, "imagePullPolice"], message: "field not declared in schema" },
    ]);
  });

  it("a wrong type: replicas as a string", () => {
    const o = prometheus();
    o.spec.replicas = "3";
    expect(validateKubernetesObject(o)).toEqual([{ path: ["spec", "replicas"], message: "must be integer" }]);
  });

  it("a missing required field: a container without a name", () => {
    const o = prometheus();
    delete o.spec.template.spec.containers[0].name;
    expect(validateKubernetesObject(o)).toEqual([
      { path: CONTAINER, message: "must have required property name" },
    ]);
  });

  it("a value outside an enum and a malformed quantity", () => {
    const o = prometheus();
    o.spec.template.spec.containers[0].imagePullPolicy = "Sometimes";
    o.spec.template.spec.containers[0].resources.limits.memory = "2 GiB";
    expect(validateKubernetesObject(o)).toEqual([
      {
        path: [...CONTAINER, "imagePullPolicy"],
        message: expect.stringContaining("must be equal to one of the allowed values") as string,
      },
      {
        path: [...CONTAINER, "resources", "limits", "memory"],
        message: expect.stringContaining('must match format "quantity"') as string,
      },
    ]);
  });
});

describe("values the plan cannot see", () => {
  it("an output unknown at preview or a redacted secret is never a type error", () => {
    const o = prometheus();
    o.spec.replicas = unknownValue;
    o.spec.template.spec.containers[0].ports[0].containerPort = unknownValue;
    o.spec.template.spec.containers[0].resources.requests.cpu = SECRET_PLACEHOLDER;
    o.spec.template.spec.volumes = unknownValue;
    expect(validateKubernetesObject(o)).toEqual([]);
  });

  it("but an undeclared field holding one is still refused", () => {
    const o = prometheus();
    o.spec.replicaz = unknownValue;
    expect(validateKubernetesObject(o)).toEqual([
      { path: ["spec", "replicaz"], message: "field not declared in schema" },
    ]);
  });
});

describe("server-side-apply Patch objects", () => {
  const patch = (spec: Obj): Obj => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "grafana", namespace: "monitoring" },
    spec,
  });

  it("name only the fields they set: required fields are not asked for", () => {
    expect(validateKubernetesObject(patch({ replicas: 2 }), { partial: true })).toEqual([]);
    // The same object as a whole Deployment lacks its selector and pod template.
    expect(validateKubernetesObject(patch({ replicas: 2 }))).toEqual([
      {
        path: ["spec"],
        message: "must have required property selector; must have required property template",
      },
    ]);
  });

  it("are still checked for types and undeclared fields", () => {
    expect(validateKubernetesObject(patch({ replicas: "2", replicaz: 2 }), { partial: true })).toEqual([
      { path: ["spec", "replicas"], message: "must be integer" },
      { path: ["spec", "replicaz"], message: "field not declared in schema" },
    ]);
  });

  it("the prod plan's claim patches are PersistentVolumeClaims validated as partial objects", () => {
    const claims = runs.prod.resources.filter(
      (r) => r.type === "kubernetes:core/v1:PersistentVolumeClaimPatch",
    );
    expect(claims.length).toBeGreaterThan(0);
    const report = checkKubernetesSchemas(claims);
    expect(report).toEqual({ validated: claims.map((r) => r.urn), notValidated: [], errors: [] });
    const broken = clone(claims[0]);
    (broken.inputs as Obj).spec.resources.requests.storage = "lots";
    expect(checkKubernetesSchemas([broken]).errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${broken.urn.replace(/[$()[\]/.]/g, "\\$&")}: spec\\.resources\\.requests\\.storage: .*quantity`,
        ),
      ),
    ]);
  });
});

const planned = plannedResource;

describe("checkKubernetesSchemas", () => {
  it("derives apiVersion and kind from the type token", () => {
    expect(kubernetesTypeOf("kubernetes:apps/v1:StatefulSet")).toEqual({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      patch: false,
    });
    expect(kubernetesTypeOf("kubernetes:core/v1:Secret")).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      patch: false,
    });
    expect(kubernetesTypeOf("kubernetes:core/v1:PersistentVolumeClaimPatch")).toEqual({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      patch: true,
    });
    expect(kubernetesTypeOf("kubernetes:networking.k8s.io/v1:NetworkPolicy")).toMatchObject({
      apiVersion: "networking.k8s.io/v1",
    });
    expect(kubernetesTypeOf("aws:sns/topic:Topic")).toBeUndefined();
    expect(kubernetesTypeOf("pulumi:providers:kubernetes")).toBeUndefined();
  });

  it("lists a kind without a schema (a CRD's) and a component as not validated, never as passed", () => {
    const monitor = planned("kubernetes:monitoring.coreos.com/v1:ServiceMonitor", "sm", {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name: "sm" },
      spec: { endpointz: [] },
    });
    const chart = planned("kubernetes:helm.sh/v4:Chart", "chart", {}, { custom: false });
    const report = checkKubernetesSchemas([monitor, chart]);
    expect(report.validated).toEqual([]);
    expect(report.errors).toEqual([]);
    expect(report.notValidated).toEqual([
      {
        urn: monitor.urn,
        type: monitor.type,
        reason: `no schema for monitoring.coreos.com/v1 ServiceMonitor in ${SCHEMA_SOURCE}`,
      },
      { urn: chart.urn, type: chart.type, reason: "a component, not an API object" },
    ]);
  });

  it("validates a Secret whose whole stringData is secret by its keys, and refuses a wrong apiVersion", () => {
    const secret = planned(
      "kubernetes:core/v1:Secret",
      "s",
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "s" },
        stringData: SECRET_PLACEHOLDER,
        type: "Opaque",
      },
      { secretDigests: { "stringData.password": "k1:x", 'stringData["a.b"]': "k1:y" } },
    );
    expect(checkKubernetesSchemas([secret])).toEqual({
      validated: [secret.urn],
      notValidated: [],
      errors: [],
    });
    const old = planned("kubernetes:apps/v1:Deployment", "d", {
      apiVersion: "apps/v1beta1",
      kind: "Deployment",
      metadata: { name: "d" },
    });
    expect(checkKubernetesSchemas([old]).errors).toEqual([
      `${old.urn}: apiVersion: "apps/v1beta1" where kubernetes:apps/v1:Deployment sends apps/v1`,
    ]);
  });
});

describe("npm run plan with Kubernetes objects the API server refuses", () => {
  const k8s = path.join(repoRoot, "node_modules/@pulumi/kubernetes");
  const aws = path.join(repoRoot, "node_modules/@pulumi/aws");
  const program = (body: string) => {
    const file = path.join(scratchDir("plan-k8s-schema-"), "program.ts");
    writeFileSync(
      file,
      `import * as aws from "${aws}";\nimport * as k8s from "${k8s}";\n` +
        // An SNS topic attribute the mocks never resolve: unknown at preview, like a real cloud output.
        `const topic = new aws.sns.Topic("t", { kmsMasterKeyId: "alias/aws/sns" });\n` +
        body,
    );
    return file;
  };

  it("exits 1 naming each resource, path and schema error, and writes nothing", () => {
    const r = runPlan("dev", [
      "--program",
      program(
        `new k8s.apps.v1.Deployment("d", { metadata: { name: "d" }, spec: {\n` +
          `  replicas: topic.beginningArchiveTime as unknown as number,\n` +
          `  selector: { matchLabels: { app: "d" } },\n` +
          `  template: { metadata: { labels: { app: "d" } }, spec: { containers: [\n` +
          `    { image: "busybox:1.37.0", imagePullPolice: "IfNotPresent" } as never,\n` +
          `  ] } },\n` +
          `} });\n` +
          `new k8s.core.v1.ConfigMap("cm", { metadata: { name: "cm" }, data: { port: 8080 as never } });\n`,
      ),
    ]);
    expect(r.status).toBe(1);
    const errors = r.stderr.split("\n").filter((l) => l.startsWith("error: "));
    expect(errors).toEqual([
      "error: urn:pulumi:dev::monitoring::kubernetes:apps/v1:Deployment::d: spec.template.spec.containers[0]: must have required property name",
      "error: urn:pulumi:dev::monitoring::kubernetes:apps/v1:Deployment::d: spec.template.spec.containers[0].imagePullPolice: field not declared in schema",
      "error: urn:pulumi:dev::monitoring::kubernetes:core/v1:ConfigMap::cm: data.port: must be string",
    ]);
    expect(r.stderr).toContain(
      `plan refused: 3 error(s) the Kubernetes API server reports against its schema (${SCHEMA_SOURCE})`,
    );
    expect(r.resources).toEqual([]);
  });

  it("exits 0 with an unknown value in a typed field, and lists a custom resource as not validated", () => {
    const r = runPlan("dev", [
      "--program",
      program(
        `new k8s.core.v1.Service("svc", { metadata: { name: "svc" }, spec: {\n` +
          `  ports: [{ port: topic.beginningArchiveTime as unknown as number }] } });\n` +
          `new k8s.apiextensions.CustomResource("sm", { apiVersion: "monitoring.coreos.com/v1",\n` +
          `  kind: "ServiceMonitor", metadata: { name: "sm" }, spec: { endpoints: [] } });\n`,
      ),
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.stringify(r.resources)).toContain(unknownValue);
    expect(summary(r)).toEqual({ source: SCHEMA_SOURCE, validated: 1, notValidated: 1 });
    expect(r.stdout).toContain(
      `  not validated  urn:pulumi:dev::monitoring::kubernetes:monitoring.coreos.com/v1:ServiceMonitor::sm: no schema for monitoring.coreos.com/v1 ServiceMonitor in ${SCHEMA_SOURCE}`,
    );
  });
});

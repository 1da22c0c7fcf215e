/**
 * Day-2 changes on the prod stack, each planned against the shipped plan with --diff-against: no
 * StatefulSet replacement and no deletion for routine changes; storage grows through claim patches;
 * a shrink is refused naming the key; two stacks share one Docker engine or one cluster without
 * sharing a name, a volume, a published port or a host port.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Document } from "yaml";
import type { DiffEntry } from "../../scripts/plan/diff";
import { runPlan, stackVariant, type PlanRun } from "../helpers/plan";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- plan JSON

function diffOf(run: PlanRun): DiffEntry[] {
  return JSON.parse(readFileSync(path.join(run.out, "diff.json"), "utf8")) as DiffEntry[];
}

const short = (e: DiffEntry) => e.urn.slice(e.urn.lastIndexOf("::") + 2);
const changed = (d: DiffEntry[]) => d.filter((e) => e.op !== "same");
const byName = (d: DiffEntry[], name: string) => {
  const e = d.find((x) => short(x) === name);
  if (!e) throw new Error(`no ${name} in the diff`);
  return e;
};
/** Routine changes: nothing stateful replaced, nothing deleted. */
function expectNoOutage(d: DiffEntry[]) {
  expect(d.filter((e) => e.op === "replace" || e.op === "delete").map((e) => `${e.op} ${short(e)}`)).toEqual(
    [],
  );
}

let base: PlanRun;
const runs: Record<string, PlanRun> = {};

beforeAll(() => {
  base = runPlan("prod");
  if (base.status !== 0) throw new Error(`prod plan failed: ${base.stderr}`);
  const against = ["--diff-against", base.out];
  const prod = (name: string, edit: (doc: Document) => void) =>
    (runs[name] = runPlan("prod", ["--config", stackVariant("Pulumi.prod.yaml", name, edit), ...against]));
  prod("load", (doc) => doc.setIn(["config", "monitoring:prometheus", "sizing", "activeSeries"], 600000));
  prod("retention", (doc) => doc.setIn(["config", "monitoring:prometheus", "retentionTime"], "45d"));
  prod("rule", (doc) =>
    doc.setIn(["config", "monitoring:rules", "runbookBaseUrl"], "https://runbooks.example.org/mon"),
  );
  prod("routing", (doc) =>
    doc.setIn(["config", "monitoring:alertmanager", "routing", "repeatInterval"], "6h"),
  );
  prod("image", (doc) =>
    doc.setIn(["config", "monitoring:prometheus", "image"], "quay.io/prometheus/prometheus:v3.5.4"),
  );
  prod("shrink", (doc) => {
    doc.deleteIn(["config", "monitoring:prometheus", "sizing"]);
    doc.setIn(["config", "monitoring:prometheus", "volume"], doc.createNode({ size: "50Gi" }));
  });
  prod("snapshots", (doc) =>
    doc.setIn(["config", "monitoring:logging", "snapshots"], doc.createNode({ schedule: "0 0 3 * * ?" })),
  );
  prod("am-grow", (doc) =>
    doc.setIn(["config", "monitoring:alertmanager", "volume"], doc.createNode({ size: "5Gi" })),
  );
}, 600_000);

describe("day-2 changes on prod", () => {
  it("more load: each Prometheus claim grows through its patch, the set rolls, nothing is replaced", () => {
    const d = diffOf(runs.load);
    expect(runs.load.status, runs.load.stderr).toBe(0);
    expectNoOutage(d);
    for (const claim of ["monitoring-prometheus-data-0-claim", "monitoring-prometheus-data-1-claim"]) {
      const e = byName(d, claim);
      expect(e.op).toBe("update");
      expect(e.paths).toEqual(["spec.resources.requests.storage"]);
    }
    // retention.size follows the new volume: a rolling update of the pods, not a replacement.
    const sts = byName(d, "monitoring-prometheus-statefulset");
    expect(sts.op).toBe("update");
    expect(sts.paths.some((p) => p.startsWith("spec.template.spec.containers[0].args"))).toBe(true);
    expect(sts.paths.some((p) => p.startsWith("spec.volumeClaimTemplates"))).toBe(false);
    const before = base.resources.find((r) => r.name === "monitoring-prometheus-data-0-claim")!.inputs as Obj;
    const after = runs.load.resources.find((r) => r.name === "monitoring-prometheus-data-0-claim")!
      .inputs as Obj;
    expect(before.spec.resources.requests.storage).toBe("91Gi");
    expect(after.spec.resources.requests.storage).toBe("137Gi");
    const args = (run: PlanRun) =>
      (run.resources.find((r) => r.name === "monitoring-prometheus-statefulset")!.inputs as Obj).spec.template
        .spec.containers[0].args as string[];
    expect(args(runs.load)).toContain(`--storage.tsdb.retention.size=${Math.floor(137 * 1024 * 0.85)}MB`);
  });

  it("longer retention: the same, through the sizing", () => {
    const d = diffOf(runs.retention);
    expectNoOutage(d);
    expect(byName(d, "monitoring-prometheus-data-0-claim").op).toBe("update");
  });

  it("Alertmanager storage growth: claim patches only", () => {
    const d = diffOf(runs["am-grow"]);
    expectNoOutage(d);
    expect(changed(d).map(short).sort()).toEqual([
      "monitoring-alertmanager-data-0-claim",
      "monitoring-alertmanager-data-1-claim",
      "monitoring-alertmanager-data-2-claim",
    ]);
  });

  it("a rule change updates the rules ConfigMap in place and rolls no pod", () => {
    const d = diffOf(runs.rule);
    expectNoOutage(d);
    // The runbook base moves every alert's link (the rules) and every CloudWatch alarm's description.
    const others = changed(d).filter((e) => !e.type.startsWith("aws:cloudwatch/"));
    expect(others.map((e) => `${e.op} ${short(e)}`)).toEqual([
      "update monitoring-prometheus-rules-configmap",
    ]);
    for (const e of changed(d)) expect(e.op).toBe("update");
  });

  it("a non-reloadable config change: ConfigMap updated in place, pods roll through the config hash", () => {
    const d = diffOf(runs.routing);
    expectNoOutage(d);
    expect(
      changed(d)
        .map((e) => `${e.op} ${short(e)}`)
        .sort(),
    ).toEqual([
      "update monitoring-alertmanager-alertmanager-configmap",
      "update monitoring-alertmanager-statefulset",
    ]);
    expect(byName(d, "monitoring-alertmanager-statefulset").paths).toEqual([
      'spec.template.metadata.annotations["monitoring.pulumi.io/config-hash"]',
    ]);
  });

  it("a snapshot schedule change re-runs the setup job (a new Job, its ConfigMap in place) and rolls no Elasticsearch node", () => {
    const d = diffOf(runs.snapshots);
    expect(runs.snapshots.status, runs.snapshots.stderr).toBe(0);
    expect(
      changed(d)
        .map((e) => `${e.op} ${short(e)}`)
        .sort(),
    ).toEqual(
      [
        "update monitoring-logging-elasticsearch-setup-elasticsearch-setup-configmap",
        "replace monitoring-logging-elasticsearch-setup-job",
      ].sort(),
    );
  });

  it("an image bump is a rolling update", () => {
    const d = diffOf(runs.image);
    expectNoOutage(d);
    const sts = byName(d, "monitoring-prometheus-statefulset");
    expect(sts.op).toBe("update");
    expect(sts.paths).toContain("spec.template.spec.containers[0].image");
  });

  it("a smaller volume is refused, naming the key", () => {
    expect(runs.shrink.status).toBe(2);
    expect(runs.shrink.stderr).toMatch(
      /monitoring:prometheus\.volume\.size: would shrink claim data-prometheus-0 from 91Gi to 50Gi; Kubernetes cannot shrink/,
    );
  });
});

describe("two stacks side by side", () => {
  const names = (run: PlanRun, type: string, pick: (i: Obj) => unknown) =>
    run.resources.filter((r) => r.type === type).map((r) => pick(r.inputs as Obj));
  const hostPorts = (run: PlanRun) =>
    run.resources
      .filter((r) =>
        [
          "kubernetes:apps/v1:DaemonSet",
          "kubernetes:apps/v1:StatefulSet",
          "kubernetes:apps/v1:Deployment",
        ].includes(r.type),
      )
      .flatMap((r) =>
        ((r.inputs as Obj).spec.template.spec.containers as Obj[]).flatMap((c) => (c.ports ?? []) as Obj[]),
      )
      .filter((p) => p.hostPort !== undefined)
      .map((p) => p.hostPort as number);
  const clusterScoped = (run: PlanRun) =>
    run.resources
      .filter((r) => /Namespace|ClusterRole|StorageClass/.test(r.type))
      .map((r) => ((r.inputs as Obj).metadata as Obj).name as string);
  const published = (run: PlanRun) =>
    names(run, "docker:index/container:Container", (i) =>
      ((i.ports ?? []) as Obj[]).map((p) => p.external),
    ).flat();
  const overlap = <T>(a: T[], b: T[]) => a.filter((x) => x !== undefined && b.includes(x));

  it("dev and a review stack copied from it share one Docker engine without clashing", () => {
    const dev = runPlan("dev");
    const review = runPlan("pr-7", [
      "--config",
      stackVariant("Pulumi.dev.yaml", "pr-7", (doc) => doc.setIn(["config", "monitoring:ephemeral"], true)),
    ]);
    expect([dev.status, review.status]).toEqual([0, 0]);
    for (const [type, pick] of [
      ["docker:index/container:Container", (i: Obj) => i.name],
      ["docker:index/volume:Volume", (i: Obj) => i.name],
      ["docker:index/network:Network", (i: Obj) => i.name],
    ] as const) {
      expect(overlap(names(dev, type, pick), names(review, type, pick))).toEqual([]);
    }
    // The review stack lets the engine choose its host ports.
    expect(published(review).every((p) => p === undefined)).toBe(true);
    expect(published(dev).filter((p) => p !== undefined).length).toBeGreaterThan(0);
    expect(overlap(published(dev), published(review))).toEqual([]);
  }, 240_000);

  it("two prod-like stacks share one cluster without clashing (the second moves node-exporter's host port)", () => {
    const staging = runPlan("staging", [
      "--stub-secrets",
      "--config",
      stackVariant("Pulumi.prod.yaml", "staging", (doc) => {
        doc.setIn(["config", "monitoring:environment"], "prod");
        doc.setIn(["config", "monitoring:nodeExporter"], doc.createNode({ port: 9101 }));
      }),
    ]);
    expect(staging.status, staging.stderr).toBe(0);
    expect(overlap(clusterScoped(base), clusterScoped(staging))).toEqual([]);
    // AWS names are account-wide (S3 bucket names global): none may be the same in the second stack.
    const awsNames = (run: PlanRun) =>
      run.resources
        // An inline role policy's name is scoped to its role.
        .filter((r) => r.type.startsWith("aws:") && r.type !== "aws:iam/rolePolicy:RolePolicy")
        .map((r) => {
          const i = r.inputs as Obj;
          return (i.bucket ?? i.name ?? i.alarmName ?? i.alias) as unknown;
        })
        .filter((n): n is string => typeof n === "string" && !n.endsWith("-id"));
    expect(awsNames(staging)).toContain("monitoring-staging-es-snapshots-123456789012-us-west-2");
    expect(overlap(awsNames(base), awsNames(staging))).toEqual([]);
    expect(overlap(hostPorts(base), hostPorts(staging))).toEqual([]);
    expect(hostPorts(base)).toEqual([9100]);
  }, 240_000);
});

describe("protection", () => {
  it("prod protects or retains everything stateful; a review stack protects nothing", () => {
    // Everything holding data: namespaces (their claims), the database, and the keys that encrypt data
    // at rest (the database's and the log groups'); the alarm topic's key encrypts nothing that stays.
    const stateful = base.resources.filter(
      (r) =>
        /Namespace|rds\/instance|kms\/key|s3\/bucket:Bucket/.test(r.type) && !r.name.endsWith("-alarms-key"),
    );
    expect(stateful.length).toBeGreaterThanOrEqual(6);
    expect(stateful.map((r) => r.type)).toContain("aws:s3/bucket:Bucket");
    for (const r of stateful) expect(r.protect || r.retainOnDelete, r.urn).toBe(true);
    const sets = base.resources.filter((r) => r.type === "kubernetes:apps/v1:StatefulSet");
    for (const s of sets)
      expect((s.inputs as Obj).spec.persistentVolumeClaimRetentionPolicy.whenDeleted, s.urn).toBe("Retain");

    // Review stacks are copies of dev (`pulumi stack init pr-N --copy-config-from dev`), on Docker or on a cluster.
    for (const [name, platform] of [
      ["pr-9", "docker"],
      ["pr-10", "kubernetes"],
    ] as const) {
      const review = runPlan(name, [
        "--config",
        stackVariant("Pulumi.dev.yaml", name, (doc) => {
          doc.setIn(["config", "monitoring:ephemeral"], true);
          doc.setIn(["config", "monitoring:platform"], platform);
          // dev's service packs name Docker containers; a cluster copy lists no services yet.
          if (platform === "kubernetes") doc.deleteIn(["config", "monitoring:packs"]);
        }),
      ]);
      expect(review.status, review.stderr).toBe(0);
      expect(review.resources.filter((r) => r.protect || r.retainOnDelete).map((r) => r.urn)).toEqual([]);
      const sets = review.resources.filter((r) => r.type === "kubernetes:apps/v1:StatefulSet");
      if (platform === "kubernetes") expect(sets.length).toBeGreaterThanOrEqual(3);
      else expect(sets).toEqual([]);
      for (const s of sets)
        expect((s.inputs as Obj).spec.persistentVolumeClaimRetentionPolicy.whenDeleted).toBe("Delete");
    }
  }, 240_000);
});

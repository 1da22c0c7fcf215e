/**
 * The offline plan as a user runs it (`npm run plan -- <stack>`), in a child process: both shipped
 * stacks plan cleanly and write their files; broken config exits 2 naming the key.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import type { PlannedResource } from "../../scripts/plan/types";
import { spawnSync } from "node:child_process";
import { listFiles, repoRoot as root, runPlan, type PlanRun } from "../helpers/plan";
import { scratchDir } from "../helpers/scratch";

const outRoot = scratchDir("plan-test-");

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- manifest JSON

const WORKLOAD_KINDS = new Set(["StatefulSet", "Deployment", "DaemonSet"]);
const results: Record<string, PlanRun> = {};

/** The plan exactly as a user types it, without the helper's --stub-secrets for prod. */
function spawnPlan(stack: string): { status: number | null; stderr: string } {
  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  const out = path.join(outRoot, `bare-${stack}`);
  return spawnSync(tsx, [path.join(root, "scripts/plan.ts"), stack, "--out", out], {
    cwd: root,
    encoding: "utf8",
  });
}

beforeAll(() => {
  for (const stack of ["dev", "prod"]) results[stack] = runPlan(stack);
}, 240_000);

describe.each(["dev", "prod"])("plan of the shipped %s stack", (stack) => {
  it("exits 0 and writes resources.json, manifests.yaml and files/", () => {
    const r = results[stack];
    expect(r.status, r.stderr).toBe(0);
    for (const f of ["resources.json", "manifests.yaml", "files"])
      expect(existsSync(path.join(r.out, f))).toBe(true);
    const resources = JSON.parse(
      readFileSync(path.join(r.out, "resources.json"), "utf8"),
    ) as PlannedResource[];
    expect(resources.length).toBeGreaterThan(10);
    for (const res of resources) {
      expect(Object.keys(res).sort()).toEqual(
        [
          "custom",
          "deleteBeforeReplace",
          "dependencies",
          "ignoreChanges",
          "inputs",
          "name",
          "parent",
          "protect",
          "provider",
          "replaceOnChanges",
          "retainOnDelete",
          "secretDigests",
          "type",
          "urn",
        ].sort(),
      );
    }
    expect(r.stdout).toMatch(/resources/);
  });

  it("every image is pinned to a version", () => {
    const r = results[stack];
    const text = readFileSync(path.join(r.out, "resources.json"), "utf8");
    const images = [...text.matchAll(/"(?:image|name)": "([a-z0-9./-]+\/[a-z0-9._-]+(?::[^"]*)?)"/g)]
      .map((m) => m[1])
      .filter((i) =>
        /^(docker\.io|quay\.io|gcr\.io|ghcr\.io|registry\.k8s\.io|docker\.elastic\.co)\//.test(i),
      );
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(image, image).toMatch(/:(v?\d+[\w.-]*)$/);
  });

  it("no secret value reaches the plan", () => {
    const text = readFileSync(path.join(results[stack].out, "resources.json"), "utf8");
    expect(text).not.toContain("[redacted-secret]");
    expect(text).not.toMatch(/mock-password/);
  });
});

describe("prod manifests", () => {
  let manifests: Obj[];
  beforeAll(() => {
    const text = readFileSync(path.join(results.prod.out, "manifests.yaml"), "utf8");
    manifests = parseAllDocuments(text).map((d) => d.toJS() as Obj);
  });

  it("every workload carries the security context and the config-hash annotation", () => {
    const workloads = manifests.filter((m) => WORKLOAD_KINDS.has(m.kind));
    expect(workloads.length).toBeGreaterThanOrEqual(3);
    for (const w of workloads) {
      const pod = w.spec.template;
      const where = `${w.kind}/${w.metadata.name}`;
      expect(pod.metadata.annotations["monitoring.pulumi.io/config-hash"], where).toMatch(/^[0-9a-f]{32}$/);
      expect(pod.spec.securityContext.seccompProfile, where).toEqual({ type: "RuntimeDefault" });
      for (const c of pod.spec.containers) {
        expect(c.securityContext.allowPrivilegeEscalation, where).toBe(false);
        expect(c.securityContext.capabilities.drop, where).toEqual(["ALL"]);
        expect(c.resources.limits.memory, where).toBeDefined();
      }
      const exempt = pod.metadata.annotations["monitoring.pulumi.io/security-exemptions"];
      if (!exempt) {
        expect(pod.spec.securityContext.runAsNonRoot, where).toBe(true);
        for (const c of pod.spec.containers)
          expect(c.securityContext.readOnlyRootFilesystem, where).toBe(true);
      }
    }
  });

  it("multi-replica workloads have a PDB", () => {
    const pdbs = new Set(
      manifests.filter((m) => m.kind === "PodDisruptionBudget").map((m) => m.metadata.name),
    );
    for (const w of manifests.filter((m) => WORKLOAD_KINDS.has(m.kind) && (m.spec.replicas ?? 1) > 1)) {
      expect(pdbs.has(w.metadata.name), w.metadata.name).toBe(true);
    }
  });
});

describe.each(["dev", "prod"])("%s manifests.yaml", (stack) => {
  let manifests: Obj[];
  beforeAll(() => {
    const text = readFileSync(path.join(results[stack].out, "manifests.yaml"), "utf8");
    manifests = parseAllDocuments(text).map((d) => d.toJS() as Obj);
  });

  it("every object has apiVersion, kind and metadata.name", () => {
    if (stack === "prod") expect(manifests.length).toBeGreaterThan(10);
    for (const m of manifests) {
      expect(typeof m.apiVersion, JSON.stringify(m).slice(0, 120)).toBe("string");
      expect(typeof m.kind).toBe("string");
      expect(typeof m.metadata?.name, `${m.kind} without metadata.name`).toBe("string");
    }
  });

  it("a Secret's data and stringData are maps of string to string, every value redacted", () => {
    const secrets = manifests.filter((m) => m.kind === "Secret");
    if (stack === "prod") expect(secrets.length).toBeGreaterThanOrEqual(2);
    for (const s of secrets) {
      for (const field of ["data", "stringData"]) {
        if (s[field] === undefined) continue;
        expect(s[field], `${s.metadata.name}.${field}`).toBeTypeOf("object");
        expect(Array.isArray(s[field])).toBe(false);
        expect(Object.keys(s[field]).length, `${s.metadata.name}.${field} keeps its keys`).toBeGreaterThan(0);
        for (const v of Object.values(s[field])) expect(v).toBe("[secret]");
      }
    }
  });
});

describe("prod secrets", () => {
  it("without --stub-secrets the plan fails as `pulumi preview` would: exit 2, one error listing every secret", () => {
    const r = spawnPlan("prod");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^invalid stack configuration, 6 problems:/);
    for (const key of [
      "alertmanagerPagerdutyRoutingKey",
      "alertmanagerSlackWebhookUrl",
      "alertmanagerHeartbeatUrl",
      "packsAssistantRedisPassword",
      "packsAssistantPostgresPassword",
    ])
      expect(r.stderr).toContain(`\`pulumi config set --secret ${key} <value>\``);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("--stub-secrets names every stubbed key and the commands `pulumi preview` needs", () => {
    const err = results.prod.stderr;
    expect(err).toContain("--stub-secrets: 5 secret(s) named by the config are not set in Pulumi.prod.yaml");
    for (const key of [
      "alertmanagerPagerdutyRoutingKey",
      "alertmanagerSlackWebhookUrl",
      "alertmanagerHeartbeatUrl",
      "packsAssistantRedisPassword",
      "packsAssistantPostgresPassword",
    ])
      expect(err).toContain(`pulumi config set --stack prod --secret ${key} <value>`);
    expect(results.dev.stderr).not.toContain("--stub-secrets");
  });
});

describe("Grafana datasources", () => {
  it("prod (AWS configured) adds CloudWatch with IAM-role credentials; dev has none", () => {
    const read = (stack: string) => {
      const rel = listFiles(path.join(results[stack].out, "files")).find((f) =>
        f.endsWith("datasources.yml"),
      );
      return readFileSync(path.join(results[stack].out, "files", rel!), "utf8");
    };
    const prod = parseAllDocuments(read("prod"))[0].toJS() as Obj;
    const cloudwatch = (prod.datasources as Obj[]).find((d) => d.type === "cloudwatch");
    expect(cloudwatch?.jsonData).toMatchObject({ authType: "default", defaultRegion: "us-west-2" });
    expect(JSON.stringify(cloudwatch)).not.toMatch(/accessKey|secretKey/);
    expect(read("dev")).not.toContain("cloudwatch");
  });
});

describe("policy gate", () => {
  it.each(["dev", "prod"])(
    "%s: policy-report.json has no mandatory violation and lists exemptions with reasons",
    (stack) => {
      const report = JSON.parse(
        readFileSync(path.join(results[stack].out, "policy-report.json"), "utf8"),
      ) as Obj[];
      expect(report.filter((e) => e.enforcementLevel === "mandatory" && !e.exempted)).toEqual([]);
      const exempted = report.filter((e) => e.exempted);
      expect(exempted.length).toBeGreaterThan(0);
      for (const e of exempted) expect(String(e.reason).length).toBeGreaterThanOrEqual(20);
      expect(results[stack].stdout).toMatch(/Monthly cost estimate: \$\d+\.\d\d/);
    },
  );

  it("exits 1 and names the rule when a prod stack breaks a mandatory policy", () => {
    const prod = readFileSync(path.join(root, "Pulumi.prod.yaml"), "utf8");
    expect(prod).toContain("retentionTime: 30d");
    const file = path.join(outRoot, "Pulumi.prod-long-retention.yaml");
    writeFileSync(file, prod.replace("retentionTime: 30d", "retentionTime: 400d"));
    const r = runPlan("prod-long-retention", ["--config", file, "--stub-secrets"]);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/MANDATORY monitoring-cost\/prometheus-retention-time-cap/);
    const report = JSON.parse(readFileSync(path.join(r.out, "policy-report.json"), "utf8")) as Obj[];
    expect(report).toContainEqual(
      expect.objectContaining({
        policy: "prometheus-retention-time-cap",
        enforcementLevel: "mandatory",
        exempted: false,
      }),
    );
  });
});

describe("broken config", () => {
  it("exits 2 with a message naming the key, the value and what is expected", () => {
    const file = path.join(outRoot, "Pulumi.broken.yaml");
    writeFileSync(
      file,
      "config:\n  monitoring:prometheus:\n    replicas: 0\n    retentionTime: thirty days\n  monitoring:platform: nomad\n",
    );
    const r = runPlan("broken", ["--config", file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("monitoring:prometheus.replicas");
    expect(r.stderr).toContain(
      'monitoring:prometheus.retentionTime: expected a duration such as "30s", "15d" or "1h30m" (got "thirty days")',
    );
    expect(r.stderr).toContain("monitoring:platform");
    expect(existsSync(path.join(r.out, "resources.json"))).toBe(false);
  });

  it("lists the plan's files", () => {
    // Sanity for the test itself: the listing helper sees what the plan wrote.
    expect(listFiles(results.dev.out)).toContain("resources.json");
  });
});

/**
 * The shipped stacks with their packs: dev carries every pack's rule file, scrape jobs and dashboards,
 * and promtool accepts the rendered config and rules; the exporters are workloads (containers on
 * Docker, Deployments on Kubernetes with their passwords in a Secret); the fast-burn SLO alert is there.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { PACK_DEFINITIONS, PACK_KEYS } from "../../packs/catalog";
import { fileEndingWith, runPlan, type PlanRun } from "../helpers/plan";
import { promtool, tempDir } from "../rules/harness";

type Obj = Record<string, unknown>;
let dev: PlanRun;
let prod: PlanRun;

beforeAll(() => {
  dev = runPlan("dev");
  prod = runPlan("prod");
}, 240_000);

const files = (run: PlanRun, pattern: RegExp) => [...run.files.keys()].filter((f) => pattern.test(f));

describe("dev plan", () => {
  it("plans cleanly", () => {
    expect(dev.status, dev.stderr).toBe(0);
  });

  it("carries every pack's rule file, the SLO rules and every pack dashboard", () => {
    for (const key of PACK_KEYS)
      expect(files(dev, new RegExp(`rules/${PACK_DEFINITIONS[key].name}\\.rules\\.yaml$`))).toHaveLength(1);
    expect(files(dev, /rules\/slo\.rules\.yaml$/)).toHaveLength(1);
    const dashboards = files(dev, /grafana-dashboards\/services\/.+\.json$/).map((f) => path.basename(f));
    expect(dashboards.sort()).toEqual(
      [
        "ai-assistant.json",
        "bge-icl-overview.json",
        "bge-icl-performance.json",
        "llm-proxy.json",
        "rag-pipeline.json",
        "services-red.json",
        "vector-db-overview.json",
        "vector-db-pool.json",
      ].sort(),
    );
  });

  it("scrapes every pack job and the exporters by container name", () => {
    const config = parse(fileEndingWith(dev, "etc/prometheus/prometheus.yml").content) as {
      scrape_configs: Obj[];
    };
    const jobs = new Map(config.scrape_configs.map((j) => [j.job_name as string, j]));
    for (const key of PACK_KEYS)
      for (const j of Object.values(PACK_DEFINITIONS[key].jobs)) expect(jobs.has(j.job), j.job).toBe(true);
    expect(jobs.get("ai-assistant-redis")).toMatchObject({
      static_configs: [{ targets: ["ai-assistant-redis-exporter:9121"] }],
    });
    expect(jobs.get("ai-assistant-postgres")).toMatchObject({
      static_configs: [{ targets: ["ai-assistant-postgres-exporter:9187"] }],
    });
    // The seed's bug: nothing scrapes the assistant's databases on their own ports.
    expect(JSON.stringify(config)).not.toMatch(/assistant-(redis|postgres):(6379|5432)/);
  });

  it("promtool accepts the rendered prometheus.yml and every rule file", () => {
    const dir = tempDir("packs-plan-check-");
    const rules = files(dev, /etc\/prometheus\/rules\/.+\.rules\.yaml$/);
    expect(rules.length).toBeGreaterThanOrEqual(11);
    for (const f of rules) writeFileSync(path.join(dir, path.basename(f)), dev.files.get(f)!);
    const r = promtool(["check", "rules", ...rules.map((f) => path.basename(f))], dir);
    expect(r.status, r.output).toBe(0);
    writeFileSync(
      path.join(dir, "prometheus.yml"),
      fileEndingWith(dev, "etc/prometheus/prometheus.yml").content,
    );
    const c = promtool(["check", "config", "--syntax-only", "prometheus.yml"], dir);
    expect(c.status, c.output).toBe(0);
  });

  it("the fast-burn page of each SLO compares with 14.4x its budget", () => {
    const slo = parse(fileEndingWith(dev, "rules/slo.rules.yaml").content) as { groups: { rules: Obj[] }[] };
    const pages = slo.groups
      .flatMap((g) => g.rules)
      .filter((r) => r.alert === "ErrorBudgetBurn" && (r.labels as Obj).long === "1h");
    expect(pages.map((r) => r.expr)).toEqual([
      'slo:sli_error:ratio_rate1h{slo="assistant-availability"} >= 0.0144 and slo:sli_error:ratio_rate5m{slo="assistant-availability"} >= 0.0144',
      'slo:sli_error:ratio_rate1h{slo="assistant-latency"} >= 0.72 and slo:sli_error:ratio_rate5m{slo="assistant-latency"} >= 0.72',
    ]);
    expect(pages.every((r) => (r.labels as Obj).severity === "critical")).toBe(true);
  });

  it("the exporters are containers of the stack, under their pack component", () => {
    const containers = dev.resources
      .filter((r) => r.type === "docker:index/container:Container")
      .map((r) => r.name);
    expect(containers).toEqual(
      expect.arrayContaining([
        "monitoring-packs-ai-assistant-redis-exporter-container",
        "monitoring-packs-ai-assistant-postgres-exporter-container",
      ]),
    );
    const packs = dev.resources.filter((r) => r.type.startsWith("monitoring:packs:")).map((r) => r.type);
    expect(packs.sort()).toEqual([
      "monitoring:packs:AiAssistant",
      "monitoring:packs:BgeIcl",
      "monitoring:packs:LlmProxy",
      "monitoring:packs:RagPipeline",
      "monitoring:packs:VectorDb",
    ]);
  });
});

describe("prod plan", () => {
  it("plans cleanly with the secrets stubbed", () => {
    expect(prod.status, prod.stderr).toBe(0);
  });

  it("the exporters are Deployments reachable by Prometheus only, their passwords only in Secrets", () => {
    const docs = parseAllDocuments(readFileSync(path.join(prod.out, "manifests.yaml"), "utf8")).map(
      (d) => d.toJS() as Obj,
    );
    const meta = (d: Obj) => d.metadata as Obj;
    for (const name of ["ai-assistant-redis-exporter", "ai-assistant-postgres-exporter"]) {
      const deployment = docs.find((d) => d.kind === "Deployment" && meta(d).name === name);
      expect(deployment, name).toBeDefined();
      const text = JSON.stringify(deployment);
      expect(text).toContain("secretKeyRef");
      expect(text).not.toContain("[secret]");
      const secret = docs.find((d) => d.kind === "Secret" && meta(d).name === `${name}-env`);
      expect(JSON.stringify(secret)).toMatch(/"(REDIS_PASSWORD|DATA_SOURCE_PASS)":"\[secret\]"/);
      const policy = docs.find((d) => d.kind === "NetworkPolicy" && meta(d).name === name);
      const from = ((policy?.spec as Obj).ingress as Obj[]).flatMap((i) => i.from as Obj[]);
      const allowed = from.flatMap((f) =>
        ((f.podSelector as Obj).matchExpressions as Obj[]).flatMap((e) => e.values as string[]),
      );
      expect(allowed.sort()).toEqual([name, "prometheus"].sort());
    }
    const config = parse(fileEndingWith(prod, "prometheus/prometheus.yml").content) as {
      scrape_configs: Obj[];
    };
    const app = config.scrape_configs.find((j) => j.job_name === "ai-assistant")!;
    expect(app.kubernetes_sd_configs).toEqual([
      {
        role: "pod",
        namespaces: { names: ["assistant"] },
        selectors: [{ role: "pod", label: "app.kubernetes.io/name=assistant-api" }],
      },
    ]);
  });

  it("carries the team's overrides and custom rules", () => {
    const assistant = parse(fileEndingWith(prod, "rules/ai-assistant.rules.yaml").content) as {
      groups: { rules: Obj[] }[];
    };
    const tool = assistant.groups.flatMap((g) => g.rules).find((r) => r.alert === "ToolExecutionFailure")!;
    expect(tool.labels).toEqual({ service: "ai-assistant", severity: "critical", team: "assistant" });
    expect(tool.expr).toMatch(/> 0\.05$/);
    expect(fileEndingWith(prod, "rules/custom.rules.yaml").content).toContain("BillingInvoicesStuck");
    expect(fileEndingWith(prod, "rules/bge-icl.rules.yaml").content).not.toContain("BGEICLLowThroughput");
  });
});

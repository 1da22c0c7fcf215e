/**
 * From pack parameters to what Prometheus, the platform and Logstash take: scrape jobs of every
 * target kind, overrides applied to the rule file, exporter workloads with their secrets kept out of
 * plain env, log pipeline fragments; and the layering that lets the config section read the packs.
 */
import { secretLookup } from "../../stacks/errors";
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { alertRules } from "../../components/rules/model";
import { renderRuleFile } from "../../components/rules/render";
import { packExporters } from "../../packs";
import { packLogPipeline } from "../../packs/logs";
import { runbookEntries } from "../../packs/runbooks";
import { customRulePack, packRulePack, packScrapeJobs, scrapeJob } from "../../packs/render";
import { defaultPackSpec, resolvePacks } from "./helpers";

describe("scrape jobs", () => {
  it("static targets, with the seed's path, interval and params", () => {
    const jobs = packScrapeJobs(defaultPackSpec("bgeIcl"));
    expect(jobs.map((j) => j.job_name)).toEqual(["bge-icl-server", "bge-icl-custom", "chunkhound"]);
    expect(jobs[0]).toEqual({
      job_name: "bge-icl-server",
      metrics_path: "/metrics",
      scrape_interval: "10s",
      params: { format: ["prometheus"] },
      static_configs: [{ targets: ["server:8081"] }],
    });
    expect(jobs[1]).toMatchObject({ honor_labels: true, scrape_interval: "30s" });
  });

  it("containers on the stack's Docker network, labelled with the container", () => {
    expect(
      scrapeJob({
        name: "x",
        metricsPath: "/system-metrics",
        target: { kind: "docker", containers: [{ container: "rag-api", port: 8001 }], scrapeInterval: "1m" },
      }),
    ).toEqual({
      job_name: "x",
      metrics_path: "/system-metrics",
      scrape_interval: "1m",
      static_configs: [{ targets: ["rag-api:8001"], labels: { container: "rag-api" } }],
    });
  });

  it("Kubernetes pods by namespace and server-side label selector, kept on the named or numbered port", () => {
    const named = scrapeJob({
      name: "x",
      metricsPath: "/metrics",
      target: {
        kind: "kubernetes",
        namespace: "rag",
        selector: { "app.kubernetes.io/name": "api", tier: "web" },
        port: "metrics",
      },
    });
    expect(named.kubernetes_sd_configs).toEqual([
      {
        role: "pod",
        namespaces: { names: ["rag"] },
        selectors: [{ role: "pod", label: "app.kubernetes.io/name=api,tier=web" }],
      },
    ]);
    expect(named.relabel_configs).toContainEqual({
      source_labels: ["__meta_kubernetes_pod_container_port_name"],
      regex: "metrics",
      action: "keep",
    });
    const numbered = scrapeJob({
      name: "x",
      metricsPath: "/metrics",
      target: { kind: "kubernetes", namespace: "rag", selector: { app: "api" }, port: 8000 },
    });
    expect(numbered.relabel_configs).toContainEqual({
      source_labels: ["__meta_kubernetes_pod_container_port_number"],
      regex: "8000",
      action: "keep",
    });
  });

  it("exporter jobs and jobs without targets are not static jobs", () => {
    const spec = defaultPackSpec("aiAssistant");
    expect(packScrapeJobs(spec).map((j) => j.job_name)).toEqual(["ai-assistant"]);
    const partial = resolvePacks({ llmProxy: { targets: { proxy: { static: ["p:8000"] } } } }).packs[0];
    expect(packScrapeJobs(partial).map((j) => j.job_name)).toEqual(["llm-proxy"]);
  });
});

describe("rule file with overrides", () => {
  const spec = defaultPackSpec("bgeIcl", {
    team: "search",
    runbookBaseUrl: "https://wiki.example.com/search/runbooks/",
    labels: { status: "outcome" },
    alerts: {
      BGEICLLowThroughput: { enabled: false },
      BGEICLHighLatency: { threshold: 3, for: "10m", severity: "critical" },
    },
  });
  const pack = packRulePack(spec);
  const file = parse(renderRuleFile(pack, { runbookBaseUrl: "https://runbooks.example.com/monitoring" })) as {
    groups: { name: string; rules: Record<string, unknown>[] }[];
  };
  const rule = (name: string) => file.groups.flatMap((g) => g.rules).find((r) => r.alert === name);

  it("a disabled alert is left out, the others stay in their groups", () => {
    expect(rule("BGEICLLowThroughput")).toBeUndefined();
    expect(alertRules(pack)).toHaveLength(8);
    expect(file.groups.map((g) => g.name)).toEqual([
      "bge-icl-performance",
      "bge-icl-availability",
      "bge-icl-capacity",
    ]);
  });

  it("threshold, for and severity overrides reach the rule; service and team label every alert", () => {
    expect(rule("BGEICLHighLatency")).toMatchObject({
      expr: 'histogram_quantile(0.95, sum by (job, le) (rate(bge_icl_request_duration_seconds_bucket{job="bge-icl-server"}[5m]))) > 3',
      for: "10m",
      labels: { service: "bge-icl", severity: "critical", team: "search" },
    });
    expect(rule("BGEICLQueueDepthHigh")).toMatchObject({
      for: "5m",
      labels: { service: "bge-icl", severity: "warning", team: "search" },
    });
  });

  it("configured label names reach the expressions", () => {
    expect(rule("BGEICLHighErrorRate")?.expr).toContain('outcome="error"');
  });

  it("runbook URLs hang under the pack's own base URL", () => {
    expect((rule("BGEICLQueueDepthHigh")?.annotations as Record<string, string>).runbook_url).toBe(
      "https://wiki.example.com/search/runbooks/bge-icl/bgeiclqueuedepthhigh",
    );
  });

  it("custom rule groups render as their own rule file", () => {
    const custom = customRulePack([
      {
        name: "billing",
        interval: "1m",
        rules: [
          {
            alert: "X",
            expr: "up == 0",
            severity: "warning",
            summary: "s",
            description: "d",
            labels: { team: "billing" },
          },
          { record: "job:x:sum", expr: "sum by (job) (x)", labels: {} },
        ],
      },
    ]);
    expect(parse(renderRuleFile(custom, { runbookBaseUrl: "https://r.example.com" }))).toEqual({
      groups: [
        {
          name: "billing",
          interval: "1m",
          rules: [
            {
              alert: "X",
              expr: "up == 0",
              labels: { severity: "warning", team: "billing" },
              annotations: { summary: "s", description: "d", runbook_url: "https://r.example.com/custom/x" },
            },
            { record: "job:x:sum", expr: "sum by (job) (x)" },
          ],
        },
      ],
    });
  });
});

describe("exporters", () => {
  const spec = resolvePacks(
    {
      aiAssistant: {
        exporters: {
          redis: { address: "cache:6379", tls: true, user: "monitor", passwordSecret: "redisPass" },
          postgres: {
            address: "db:5432",
            database: "assistant",
            user: "monitor",
            passwordSecret: "pgPass",
            sslMode: "require",
          },
        },
      },
    },
    { secretKeys: secretLookup(new Set(["redisPass", "pgPass"])) },
  ).packs[0];
  const exporters = packExporters(spec, (key) => `<secret ${key}>`);

  it("one workload per database, scraped under the pack's job names, reachable by Prometheus only", () => {
    expect(exporters.map((e) => [e.job, e.workload.name])).toEqual([
      ["ai-assistant-redis", "ai-assistant-redis-exporter"],
      ["ai-assistant-postgres", "ai-assistant-postgres-exporter"],
    ]);
    for (const { workload } of exporters) {
      expect(workload).toMatchObject({
        kind: "stateless",
        namespace: "restricted",
        ingressFrom: ["prometheus"],
        metrics: { port: "metrics" },
      });
      expect(workload.containers[0].privileges).toBeUndefined();
    }
  });

  it("addresses in plain env, passwords only as secret env from the secret config keys", () => {
    const [redis, pg] = exporters.map((e) => e.workload.containers[0]);
    expect(redis.env).toEqual({ REDIS_ADDR: "rediss://cache:6379", REDIS_USER: "monitor" });
    expect(redis.secretEnv).toEqual({ REDIS_PASSWORD: "<secret redisPass>" });
    expect(pg.env).toEqual({
      DATA_SOURCE_URI: "db:5432/assistant?sslmode=require",
      DATA_SOURCE_USER: "monitor",
    });
    expect(pg.secretEnv).toEqual({ DATA_SOURCE_PASS: "<secret pgPass>" });
  });

  it("no password configured: no secret env at all", () => {
    const bare = packExporters(defaultPackSpec("aiAssistant"), () => {
      throw new Error("no secret should be read");
    });
    expect(bare.map((e) => e.workload.containers[0].secretEnv)).toEqual([undefined, undefined]);
  });
});

describe("log pipelines", () => {
  it("the embedding server's fragment parses both field orders and the seed's sub-formats, with the stack's environment", () => {
    const spec = resolvePacks({
      bgeIcl: { targets: { server: { docker: [{ container: "bge-in-icl", port: 8081 }] } } },
    }).packs[0];
    const p = packLogPipeline(spec, "dev")!;
    expect(p.name).toBe("pack-bge-icl");
    expect(p.config).toContain('if ([container][name] in ["bge-in-icl"]) {');
    expect(p.config).toContain("%{TIMESTAMP_ISO8601:timestamp} - %{LOGLEVEL:level} - %{DATA:logger}");
    expect(p.config).toContain("%{TIMESTAMP_ISO8601:timestamp} - %{DATA:logger} - %{LOGLEVEL:level}");
    expect(p.config).toContain("Performance: %{NUMBER:response_time:float}s");
    expect(p.config).toContain('"service" => "bge-icl" "environment" => "dev"');
    expect(p.config).not.toMatch(/production|input \{|output \{/);
  });

  it("Kubernetes targets are recognised by namespace and dedotted pod labels", () => {
    const spec = resolvePacks(
      {
        vectorDb: {
          targets: {
            app: {
              kubernetes: { namespace: "docs", selector: { "app.kubernetes.io/name": "api" }, port: "http" },
            },
          },
        },
      },
      { platform: "kubernetes" },
    ).packs[0];
    expect(packLogPipeline(spec, "prod")!.config).toContain(
      'if ([kubernetes][namespace] == "docs" and [kubernetes][labels][app_kubernetes_io/name] == "api") {',
    );
  });

  it("JSON for the assistant (structlog), journald units for the LLM proxy; none for the RAG pipeline or when switched off", () => {
    expect(packLogPipeline(defaultPackSpec("aiAssistant"), "dev")!.config).toContain(
      'rename => { "[app][event]" => "[app][message]" }',
    );
    expect(packLogPipeline(defaultPackSpec("llmProxy"), "dev")!.config).toContain(
      'if [systemd][unit] in ["llm-proxy.service", "context-service.service", "health-worker.service"] {',
    );
    expect(packLogPipeline(defaultPackSpec("ragPipeline"), "dev")).toBeUndefined();
    expect(packLogPipeline(defaultPackSpec("aiAssistant", { logs: false }), "dev")).toBeUndefined();
  });
});

describe("layering", () => {
  const root = path.resolve(__dirname, "../..");
  const walk = (dir: string): string[] =>
    readdirSync(path.join(root, dir)).flatMap((e) => {
      const rel = path.join(dir, e);
      return statSync(path.join(root, rel)).isDirectory() ? walk(rel) : rel.endsWith(".ts") ? [rel] : [];
    });
  const files = walk("packs");

  it("the definitions the config section reads import nothing from components/ (stacks stays below components)", () => {
    const defs = [
      "packs/model.ts",
      "packs/catalog.ts",
      "packs/alerts.ts",
      ...files.filter((f) => f.endsWith("definition.ts")),
    ];
    expect(defs.length).toBe(8);
    for (const f of defs)
      expect(readFileSync(path.join(root, f), "utf8"), f).not.toMatch(/from "\.\.?\/(\.\.\/)*components\//);
  });

  it("only packs/component.ts imports Pulumi at run time", () => {
    const runtime = files.filter((f) =>
      /^import (?!type )[^;]*from ["']@pulumi\//m.test(readFileSync(path.join(root, f), "utf8")),
    );
    expect(runtime).toEqual(["packs/component.ts"]);
  });
});

describe("runbook data", () => {
  it("every pack alert has the notes a runbook page is generated from", () => {
    for (const key of ["bgeIcl", "vectorDb", "aiAssistant", "ragPipeline", "llmProxy"] as const) {
      for (const e of runbookEntries(defaultPackSpec(key))) {
        expect(e.summary, e.alert).toMatch(/\.$/);
        expect(e.description.length, e.alert).toBeGreaterThan(20);
        expect(e.notes.meaning && e.notes.impact, e.alert).toBeTruthy();
        expect(e.notes.diagnosis.length && e.notes.mitigation.length, e.alert).toBeGreaterThan(0);
        expect(e.source, e.alert).toMatch(/^(\d{3}:|new)/);
      }
    }
  });

  it("entries follow the stack's overrides and point where runbook_url points", () => {
    const spec = defaultPackSpec("vectorDb", {
      team: "docs",
      alerts: { HyDECacheMissRate: { threshold: 0.3, severity: "info" } },
    });
    const e = runbookEntries(spec).find((x) => x.alert === "HyDECacheMissRate")!;
    expect(e).toMatchObject({
      slug: "vector-db/hydecachemissrate",
      severity: "info",
      threshold: { value: 0.3, default: 0.5, unit: "ratio", meaning: "HyDE cache miss ratio above" },
      labels: { service: "vector-db", team: "docs" },
    });
    expect(e.expr).toMatch(/> 0\.3$/);
  });
});

/**
 * `monitoring:packs` at the door: defaults, overrides and targets resolve as documented, and every bad
 * parameter is a config problem naming its key (never a rule that silently cannot fire).
 */
import { describe, expect, it } from "vitest";
import { isConfigError, type ConfigProblem } from "../../stacks/errors";
import { resolveStackSpec } from "../../stacks/resolve";
import { exampleRaw, resolvePacks } from "./helpers";

function problems(
  packs: unknown,
  opts: { stack?: string; platform?: string; secrets?: string[] } = {},
): ConfigProblem[] {
  try {
    resolveStackSpec(
      {
        packs,
        ...(opts.platform ? { platform: opts.platform } : {}),
        // prod's Grafana needs an RDS network; not what these tests are about.
        ...(opts.stack === "prod" ? { grafana: { mode: "disabled" } } : {}),
      },
      { stack: opts.stack ?? "dev", secretKeys: new Set(opts.secrets ?? []) },
    );
  } catch (e) {
    if (isConfigError(e)) return e.problems;
    throw e;
  }
  return [];
}

const paths = (ps: ConfigProblem[]) => ps.map((p) => p.path);

describe("monitoring:packs resolves", () => {
  it("no packs by default", () => {
    expect(resolvePacks(undefined)).toEqual({
      packs: [],
      customRuleGroups: [],
      customScrapeJobs: [],
      slos: [],
    });
  });

  it("a pack with defaults: service label from its name, default label names, logs on where the seed has them", () => {
    const spec = resolvePacks({ aiAssistant: exampleRaw("aiAssistant") });
    expect(spec.packs[0]).toMatchObject({
      key: "aiAssistant",
      service: "ai-assistant",
      labels: { status: "status_code", tool: "tool_name", toolStatus: "status" },
      logs: true,
      exporters: {
        redis: { address: "redis:6379", tls: false, image: "docker.io/oliver006/redis_exporter:v1.86.0" },
        postgres: { address: "postgres:5432", database: "postgres", user: "monitor", sslMode: "disable" },
      },
    });
    expect(spec.packs[0].targets.app).toEqual({ kind: "static", targets: ["app:8000"] });
  });

  it("enabled: false switches a configured pack off", () => {
    expect(resolvePacks({ bgeIcl: { ...exampleRaw("bgeIcl"), enabled: false } }).packs).toEqual([]);
  });

  it("per-alert overrides: disable, threshold, for, severity", () => {
    const spec = resolvePacks({
      bgeIcl: {
        ...exampleRaw("bgeIcl"),
        alerts: {
          BGEICLLowThroughput: { enabled: false },
          BGEICLHighLatency: { threshold: 3, for: "10m", severity: "critical" },
        },
      },
    });
    expect(spec.packs[0].alerts).toEqual({
      BGEICLLowThroughput: { enabled: false },
      BGEICLHighLatency: { enabled: true, threshold: 3, for: "10m", severity: "critical" },
    });
  });

  it("Kubernetes targets on a Kubernetes stack, and the prod defaults of the PostgreSQL exporter", () => {
    const spec = resolveStackSpec(
      {
        packs: {
          aiAssistant: {
            targets: {
              app: {
                kubernetes: {
                  namespace: "assistant",
                  selector: { "app.kubernetes.io/name": "api" },
                  port: "http",
                },
              },
            },
            exporters: { postgres: { address: "db:5432", user: "monitor", passwordSecret: "pgPass" } },
          },
        },
        grafana: { mode: "disabled" },
      },
      { stack: "prod", secretKeys: new Set(["pgPass"]) },
    );
    expect(spec.packs.packs[0].targets.app).toEqual({
      kind: "kubernetes",
      namespace: "assistant",
      selector: { "app.kubernetes.io/name": "api" },
      port: "http",
    });
    expect(spec.packs.packs[0].exporters.postgres).toMatchObject({
      sslMode: "require",
      passwordSecret: "pgPass",
    });
  });
});

describe("bad pack parameters are config errors naming the key", () => {
  it("an unknown pack", () => {
    expect(paths(problems({ bgeIcI: {} }))).toEqual(["monitoring:packs"]);
    expect(problems({ bgeIcI: {} })[0].message).toMatch(/unknown key.*bgeIcI/);
  });

  it("an alert the pack does not have", () => {
    const p = problems({
      bgeIcl: { ...exampleRaw("bgeIcl"), alerts: { BGEICLHighLatencyy: { enabled: false } } },
    });
    expect(paths(p)).toEqual(["monitoring:packs.bgeIcl.alerts"]);
    expect(p[0].message).toContain('"BGEICLHighLatencyy"');
  });

  it("a threshold out of range, with its unit and default", () => {
    const p = problems({
      vectorDb: { ...exampleRaw("vectorDb"), alerts: { HyDECacheMissRate: { threshold: 50 } } },
    });
    expect(p).toEqual([
      {
        path: "monitoring:packs.vectorDb.alerts.HyDECacheMissRate.threshold",
        message: "expected HyDE cache miss ratio above a value from 0 to 1 (ratio; default 0.5)",
        value: 50,
      },
    ]);
  });

  it("a threshold on an alert that has none", () => {
    const p = problems({
      llmProxy: { ...exampleRaw("llmProxy"), alerts: { LLMProxyDown: { threshold: 1 } } },
    });
    expect(paths(p)).toEqual(["monitoring:packs.llmProxy.alerts.LLMProxyDown.threshold"]);
  });

  it("a bad for, severity or label name", () => {
    const p = problems({
      ragPipeline: {
        ...exampleRaw("ragPipeline"),
        labels: { status: "status-code" },
        alerts: { PipelineExecutionFailure: { for: "5 minutes", severity: "page" } },
      },
    });
    expect(paths(p).sort()).toEqual([
      "monitoring:packs.ragPipeline.alerts.PipelineExecutionFailure.for",
      "monitoring:packs.ragPipeline.alerts.PipelineExecutionFailure.severity",
      "monitoring:packs.ragPipeline.labels.status",
    ]);
  });

  it("a job the pack does not have, and a target that is not host:port", () => {
    const p = problems({
      ragPipeline: { targets: { worker: { static: ["w:1"] }, api: { static: ["http://api:8000"] } } },
    });
    expect(paths(p).sort()).toEqual([
      "monitoring:packs.ragPipeline.targets",
      "monitoring:packs.ragPipeline.targets.api.static.0",
    ]);
  });

  it("a switched-on pack without any target", () => {
    const p = problems({ llmProxy: {} });
    expect(paths(p)).toEqual(["monitoring:packs.llmProxy.targets"]);
    expect(p[0].message).toMatch(/at least one target/);
  });

  it("zero or two kinds of target in one", () => {
    const p = problems({
      llmProxy: {
        targets: { proxy: { static: ["a:1"], docker: [{ container: "a", port: 1 }] }, context: {} },
      },
    });
    expect(paths(p).sort()).toEqual([
      "monitoring:packs.llmProxy.targets.context",
      "monitoring:packs.llmProxy.targets.proxy",
    ]);
  });

  it("Docker targets on Kubernetes and Kubernetes discovery on Docker", () => {
    expect(
      paths(
        problems(
          { llmProxy: { targets: { proxy: { docker: [{ container: "p", port: 8000 }] } } } },
          { stack: "prod", platform: "kubernetes" },
        ),
      ),
    ).toEqual(["monitoring:packs.llmProxy.targets.proxy.docker"]);
    expect(
      paths(
        problems({
          llmProxy: {
            targets: { proxy: { kubernetes: { namespace: "x", selector: { app: "p" }, port: 80 } } },
          },
        }),
      ),
    ).toEqual(["monitoring:packs.llmProxy.targets.proxy.kubernetes"]);
  });

  it("a Kubernetes selector without labels", () => {
    const p = problems(
      { llmProxy: { targets: { proxy: { kubernetes: { namespace: "x", selector: {}, port: "metrics" } } } } },
      { stack: "prod", platform: "kubernetes" },
    );
    expect(paths(p)).toEqual(["monitoring:packs.llmProxy.targets.proxy.kubernetes.selector"]);
  });

  it("exporter secrets: a pasted password is never echoed; an unset key names the command", () => {
    const pasted = problems({
      aiAssistant: { exporters: { redis: { address: "r:6379", passwordSecret: "hunter2-is-my-password!" } } },
    });
    expect(paths(pasted)).toEqual(["monitoring:packs.aiAssistant.exporters.redis.passwordSecret"]);
    expect(JSON.stringify(pasted)).not.toContain("hunter2");
    const unset = problems({
      aiAssistant: { exporters: { redis: { address: "r:6379", passwordSecret: "redisPass" } } },
    });
    expect(unset).toMatchObject([
      {
        path: "monitoring:packs.aiAssistant.exporters.redis.passwordSecret",
        message: expect.stringContaining("pulumi config set --secret redisPass <value>"),
      },
    ]);
  });

  it("prod: the PostgreSQL exporter needs a password secret and TLS", () => {
    const p = problems(
      {
        aiAssistant: { exporters: { postgres: { address: "db:5432", user: "monitor", sslMode: "disable" } } },
      },
      { stack: "prod", platform: "kubernetes" },
    );
    expect(paths(p).sort()).toEqual([
      "monitoring:packs.aiAssistant.exporters.postgres.passwordSecret",
      "monitoring:packs.aiAssistant.exporters.postgres.sslMode",
    ]);
  });

  it("logs on a pack whose seed has no log format", () => {
    expect(paths(problems({ ragPipeline: { ...exampleRaw("ragPipeline"), logs: true } }))).toEqual([
      "monitoring:packs.ragPipeline.logs",
    ]);
  });

  it("custom scrape jobs: a name taken by a pack or the core stack", () => {
    const p = problems({
      bgeIcl: exampleRaw("bgeIcl"),
      custom: {
        scrapeJobs: [
          { name: "bge-icl-server", target: { static: ["x:1"] } },
          { name: "prometheus", target: { static: ["x:1"] } },
        ],
      },
    });
    expect(paths(p)).toEqual([
      "monitoring:packs.custom.scrapeJobs.0.name",
      "monitoring:packs.custom.scrapeJobs.1.name",
    ]);
  });

  it("custom rule groups: duplicate group names, a severity label, a bad alert name", () => {
    const rule = { alert: "A", expr: "up == 0", severity: "warning", summary: "s", description: "d" };
    const p = problems({
      custom: {
        ruleGroups: [
          { name: "g", rules: [{ ...rule, labels: { severity: "critical" } }] },
          { name: "g", rules: [rule] },
        ],
      },
    });
    expect(paths(p).sort()).toEqual([
      "monitoring:packs.custom.ruleGroups.0.rules.0.labels.severity",
      "monitoring:packs.custom.ruleGroups.1.name",
    ]);
    expect(
      paths(
        problems({ custom: { ruleGroups: [{ name: "g", rules: [{ ...rule, alert: "not an alert" }] }] } }),
      ),
    ).toEqual(["monitoring:packs.custom.ruleGroups.0.rules.0.alert"]);
  });

  it("SLOs: objective 100 %, two SLIs, a window shorter than the slow-burn alert, a duplicate name", () => {
    const avail = { total: "x_total", errors: 'x_total{code="500"}' };
    const shape = problems({
      slos: [
        { name: "a", service: "s", objective: 100, availability: avail },
        {
          name: "b",
          service: "s",
          objective: 99,
          availability: avail,
          latency: { histogram: "h", selector: "", threshold: 1 },
        },
      ],
    });
    expect(paths(shape).sort()).toEqual(["monitoring:packs.slos.0.objective", "monitoring:packs.slos.1"]);
    const resolved = problems({
      slos: [
        { name: "c", service: "s", objective: 99, window: "1d", availability: avail },
        { name: "c", service: "s", objective: 99, availability: avail },
      ],
    });
    expect(paths(resolved).sort()).toEqual([
      "monitoring:packs.slos.0.window",
      "monitoring:packs.slos.1.name",
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { parse } from "yaml";

import { alertRules, recordingRules, RulePack } from "../../components/rules/model";
import {
  allRulePacks,
  corePacks,
  renderRuleFile,
  RULES_DIR,
  ruleFiles,
  runbookUrl,
} from "../../components/rules/render";

const BASE = "https://runbooks.example.com/monitoring";
const ALL = allRulePacks();

interface RenderedRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface RenderedFile {
  groups: { name: string; rules: RenderedRule[] }[];
}

const allRendered = (packs: RulePack[]): { pack: string; rule: RenderedRule }[] =>
  packs.flatMap((p) =>
    (parse(renderRuleFile(p, { runbookBaseUrl: BASE })) as RenderedFile).groups.flatMap((g) =>
      g.rules.map((rule) => ({ pack: p.name, rule })),
    ),
  );

describe("rendered rule files", () => {
  it("give every alert a severity, summary, description and runbook_url", () => {
    const problems: string[] = [];
    for (const { pack, rule } of allRendered(ALL)) {
      if (!rule.alert) continue;
      const sev = rule.labels?.severity;
      if (!sev || !["critical", "warning", "info", "none"].includes(sev))
        problems.push(`${rule.alert}: severity`);
      if (!rule.annotations?.summary?.trim()) problems.push(`${rule.alert}: summary`);
      if (!rule.annotations?.description?.trim()) problems.push(`${rule.alert}: description`);
      if (rule.annotations?.runbook_url !== `${BASE}/${pack}/${rule.alert.toLowerCase()}`) {
        problems.push(`${rule.alert}: runbook_url ${rule.annotations?.runbook_url}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("build the runbook URL from the base, the pack and the alert (trailing slashes dropped)", () => {
    const [watchdog] = alertRules(ALL[0]).filter((a) => a.alert === "Watchdog");
    expect(runbookUrl("https://wiki.example.org/runbooks//", "general", watchdog)).toBe(
      "https://wiki.example.org/runbooks/general/watchdog",
    );
    expect(runbookUrl("https://x", "general", { ...watchdog, runbook: "heartbeat" })).toBe(
      "https://x/general/heartbeat",
    );
  });

  it("are unique per alert name and severity, and severity variants share a runbook", () => {
    const seen = new Set<string>();
    for (const pack of ALL) {
      for (const a of alertRules(pack)) {
        const key = `${a.alert}/${a.severity}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
      }
    }
  });

  it("select on the shared job names", () => {
    const exprs = allRendered(ALL).map((r) => r.rule.expr);
    const jobs = new Set(exprs.flatMap((e) => [...e.matchAll(/job="([^"]+)"/g)].map((m) => m[1])));
    expect([...jobs].sort()).toEqual([
      "alertmanager",
      "cadvisor",
      "kube-state-metrics",
      "kube-state-metrics-telemetry",
      "kubelet",
      "node-exporter",
      "prometheus",
    ]);
  });

  it("never aggregate on the external replica label (it does not exist inside the TSDB)", () => {
    for (const { rule } of allRendered(ALL)) expect(rule.expr).not.toContain("prometheus_replica");
  });

  it("are stable: rendering twice gives the same bytes, keys in a fixed order", () => {
    const a = ruleFiles({ runbookBaseUrl: BASE, kubernetes: true });
    const b = ruleFiles({ runbookBaseUrl: BASE, kubernetes: true });
    expect(a).toEqual(b);
    const node = a.find((f) => f.path === "node.rules.yaml")!.content;
    expect(node).toMatch(
      /- alert: NodeFilesystemAlmostOutOfSpace\n\s+expr: .*\n\s+for: 30m\n\s+labels:\n\s+severity: warning\n\s+annotations:\n\s+summary: /,
    );
  });

  it("name files <pack>.rules.yaml for the rules directory", () => {
    expect(RULES_DIR).toBe("/etc/prometheus/rules");
    expect(ruleFiles({ runbookBaseUrl: BASE, kubernetes: false }).map((f) => f.path)).toEqual([
      "general.rules.yaml",
      "node.rules.yaml",
      "prometheus.rules.yaml",
      "alertmanager.rules.yaml",
      "containers.rules.yaml",
    ]);
    expect(
      ruleFiles({ runbookBaseUrl: BASE, kubernetes: false, containers: false }).map((f) => f.path),
    ).not.toContain("containers.rules.yaml");
  });

  it("include Kubernetes discovery alerts only with Kubernetes discovery on", () => {
    const names = (kubernetes: boolean) =>
      corePacks({ kubernetes }).flatMap((p) => alertRules(p).map((a) => a.alert));
    expect(names(true)).toContain("PrometheusKubernetesListWatchFailures");
    expect(names(false)).not.toContain("PrometheusKubernetesListWatchFailures");
    expect(names(false)).toContain("PrometheusSDRefreshFailure");
  });

  it("include InfoInhibitor only when asked; Watchdog always, with severity none", () => {
    const general = (infoInhibitor: boolean) => alertRules(corePacks({ infoInhibitor })[0]);
    expect(general(false).map((a) => a.alert)).toEqual(["TargetDown", "Watchdog"]);
    expect(general(true).map((a) => a.alert)).toContain("InfoInhibitor");
    expect(general(false).find((a) => a.alert === "Watchdog")?.severity).toBe("none");
  });

  it("reject extra labels that would override severity", () => {
    const pack: RulePack = {
      name: "x",
      groups: [
        {
          name: "x",
          rules: [
            {
              alert: "X",
              expr: "vector(1)",
              severity: "warning",
              summary: "s",
              description: "d",
              extraLabels: { severity: "critical" },
            },
          ],
        },
      ],
    };
    expect(() => renderRuleFile(pack, { runbookBaseUrl: BASE })).toThrow(/severity/);
  });

  it("provide the node recording rules with level:metric:operation names", () => {
    const node = ALL.find((p) => p.name === "node")!;
    const names = recordingRules(node).map((r) => r.record);
    expect(names).toContain("instance:node_cpu_utilisation:rate5m");
    for (const n of names) expect(n).toMatch(/^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/);
  });
});

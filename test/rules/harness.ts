import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";

import { alertRules, RulePack } from "../../components/rules/model";
import { renderRuleFile, runbookUrl, RULE_FILE_SUFFIX } from "../../components/rules/render";
import { toolPath } from "../helpers/tools";
import { RuleTestCase } from "./cases/types";
import { scratchDir } from "../helpers/scratch";

export const RUNBOOK_BASE = "https://runbooks.example.com/monitoring";

export interface ToolResult {
  status: number | null;
  output: string;
}

export function promtool(args: string[], cwd: string): ToolResult {
  const r = spawnSync(toolPath("promtool"), args, { cwd, encoding: "utf8", timeout: 30_000 });
  return { status: r.status, output: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

export function tempDir(prefix: string): string {
  return scratchDir(prefix);
}

/**
 * promtool's test-file format for one pack. Annotations are compared exactly by promtool, so the
 * expected runbook_url (a constant per alert, checked on its own in render.test.ts) is filled in here.
 */
export function renderPromtoolTests(pack: RulePack, cases: RuleTestCase[], ruleFile: string): string {
  const runbooks = new Map(alertRules(pack).map((a) => [a.alert, runbookUrl(RUNBOOK_BASE, pack.name, a)]));
  const tests = cases.map((c) => {
    const test: Record<string, unknown> = {
      name: c.name,
      interval: c.interval ?? "1m",
      input_series: Object.entries(c.series).map(([series, values]) => ({ series, values })),
    };
    if (c.alerts?.length) {
      test.alert_rule_test = c.alerts.map((check) => {
        const runbook = runbooks.get(check.alert);
        if (runbook === undefined)
          throw new Error(`case "${c.name}": ${check.alert} is not in pack ${pack.name}`);
        return {
          eval_time: check.at,
          alertname: check.alert,
          exp_alerts: check.expect.map((e) => ({
            exp_labels: e.labels,
            exp_annotations: { summary: e.summary, description: e.description, runbook_url: runbook },
          })),
        };
      });
    }
    if (c.exprs?.length) {
      test.promql_expr_test = c.exprs.map((e) => ({
        expr: e.expr,
        eval_time: e.at,
        exp_samples: e.samples,
      }));
    }
    return test;
  });
  return stringify({ rule_files: [ruleFile], evaluation_interval: "1m", tests }, { lineWidth: 0 });
}

/** Writes the pack's rule file and its promtool test file into `dir`; returns the test file's name. */
export function writePackWithTests(dir: string, pack: RulePack, cases: RuleTestCase[]): string {
  const ruleFile = `${pack.name}${RULE_FILE_SUFFIX}`;
  writeFileSync(path.join(dir, ruleFile), renderRuleFile(pack, { runbookBaseUrl: RUNBOOK_BASE }));
  const testFile = `${pack.name}.test.yaml`;
  writeFileSync(path.join(dir, testFile), renderPromtoolTests(pack, cases, ruleFile));
  return testFile;
}

import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

import { alertRules } from "../../components/rules/model";
import { allRulePacks, ruleFiles } from "../../components/rules/render";
import { CASES, NO_SILENT_CASE } from "./cases";
import { promtool, RUNBOOK_BASE, tempDir, writePackWithTests } from "./harness";

/** Every pack with every optional alert switched on: the set the unit tests must cover. */
const ALL_PACKS = allRulePacks();

describe("promtool check rules", () => {
  for (const kubernetes of [false, true]) {
    for (const containers of [false, true]) {
      it(`accepts every rendered rule file (kubernetes=${kubernetes}, containers=${containers})`, () => {
        const dir = tempDir("rules-check-");
        const files = ruleFiles({
          runbookBaseUrl: RUNBOOK_BASE,
          kubernetes,
          containers,
          kubernetesPack: kubernetes,
        });
        for (const f of files) writeFileSync(path.join(dir, f.path), f.content);
        const r = promtool(["check", "rules", ...files.map((f) => f.path)], dir);
        expect(r.output).not.toMatch(/FAILED/);
        expect(r.status, r.output).toBe(0);
        expect(r.output.match(/SUCCESS/g)?.length).toBe(files.length);
      });
    }
  }

  it("rejects a broken expression (the check can fail)", () => {
    const dir = tempDir("rules-check-bad-");
    const [general] = ruleFiles({ runbookBaseUrl: RUNBOOK_BASE, kubernetes: false });
    writeFileSync(path.join(dir, "bad.rules.yaml"), general.content.replace("vector(1)", "vector(1"));
    const r = promtool(["check", "rules", "bad.rules.yaml"], dir);
    expect(r.status).not.toBe(0);
  });
});

describe("promtool test rules", () => {
  for (const pack of ALL_PACKS) {
    it(`${pack.name}: every unit test passes`, () => {
      const dir = tempDir(`rules-test-${pack.name}-`);
      const testFile = writePackWithTests(dir, pack, CASES[pack.name] ?? []);
      const r = promtool(["test", "rules", testFile], dir);
      expect(r.status, r.output).toBe(0);
      expect(r.output).toMatch(/SUCCESS/);
    });
  }

  it("fails when one expectation is wrong (the harness can fail)", () => {
    const node = ALL_PACKS.find((p) => p.name === "node")!;
    const cases = structuredClone(CASES.node);
    const check = cases.flatMap((c) => c.alerts ?? []).find((a) => a.expect.length > 0)!;
    check.expect[0] = { ...check.expect[0], summary: `${check.expect[0].summary} (wrong)` };
    const dir = tempDir("rules-test-wrong-");
    const r = promtool(["test", "rules", writePackWithTests(dir, node, cases)], dir);
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/FAILED/);
  });

  it("fails when an alert that should stay silent fires", () => {
    const general = ALL_PACKS.find((p) => p.name === "general")!;
    const dir = tempDir("rules-test-silent-");
    const testFile = writePackWithTests(dir, general, [
      {
        name: "Watchdog wrongly expected silent",
        series: {},
        alerts: [{ at: "1m", alert: "Watchdog", expect: [] }],
      },
    ]);
    const r = promtool(["test", "rules", testFile], dir);
    expect(r.status).not.toBe(0);
  });
});

describe("unit-test coverage", () => {
  it("has cases for every pack and only for known packs", () => {
    expect(Object.keys(CASES).sort()).toEqual(ALL_PACKS.map((p) => p.name).sort());
  });

  for (const pack of ALL_PACKS) {
    it(`${pack.name}: every alert (and severity variant) has a firing case and a silent case`, () => {
      const checks = (CASES[pack.name] ?? []).flatMap((c) => c.alerts ?? []);
      const missing: string[] = [];
      for (const rule of alertRules(pack)) {
        const mine = checks.filter((c) => c.alert === rule.alert);
        const firesWithSeverity = mine.some((c) => c.expect.some((e) => e.labels.severity === rule.severity));
        if (!firesWithSeverity) missing.push(`${rule.alert} (${rule.severity}): no firing case`);
        if (!mine.some((c) => c.expect.length === 0) && !(rule.alert in NO_SILENT_CASE)) {
          missing.push(`${rule.alert}: no silent case`);
        }
      }
      expect(missing).toEqual([]);
    });
  }

  it("checks only alerts that exist", () => {
    const unknown = ALL_PACKS.flatMap((pack) => {
      const names = new Set(alertRules(pack).map((a) => a.alert));
      return (CASES[pack.name] ?? []).flatMap((c) => (c.alerts ?? []).filter((a) => !names.has(a.alert)));
    });
    expect(unknown).toEqual([]);
  });

  it("exemptions from silent cases name existing alerts", () => {
    const all = new Set(ALL_PACKS.flatMap((p) => alertRules(p).map((a) => a.alert)));
    for (const name of Object.keys(NO_SILENT_CASE)) expect(all.has(name), name).toBe(true);
  });
});

/**
 * Every pack's rule file passes `promtool check rules` (defaults, and with every override kind), and
 * `promtool test rules` proves each alert fires on its condition and stays silent otherwise.
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { alertRules } from "../../components/rules/model";
import { renderRuleFile } from "../../components/rules/render";
import { PACK_DEFINITIONS } from "../../packs/catalog";
import { packRulePack } from "../../packs/render";
import { promtool, RUNBOOK_BASE, tempDir, writePackWithTests } from "../rules/harness";
import { PACK_CASES } from "./cases";
import { ALL_PACK_KEYS, defaultPackSpec } from "./helpers";

const packs = ALL_PACK_KEYS.map((key) => ({ key, pack: packRulePack(defaultPackSpec(key)) }));

describe("pack rule files", () => {
  it("promtool check rules accepts every pack with its defaults", () => {
    const dir = tempDir("packs-check-");
    for (const { pack } of packs)
      writeFileSync(
        path.join(dir, `${pack.name}.rules.yaml`),
        renderRuleFile(pack, { runbookBaseUrl: RUNBOOK_BASE }),
      );
    const r = promtool(["check", "rules", ...packs.map(({ pack }) => `${pack.name}.rules.yaml`)], dir);
    expect(r.status, r.output).toBe(0);
    expect(r.output.match(/SUCCESS/g)?.length).toBe(packs.length);
  });

  it("promtool check rules accepts every pack with every alert overridden (threshold, for, severity, other label names)", () => {
    const dir = tempDir("packs-check-over-");
    for (const key of ALL_PACK_KEYS) {
      const def = PACK_DEFINITIONS[key];
      const alerts = Object.fromEntries(
        def.alerts.map((a) => [
          a.alert,
          {
            for: "7m",
            severity: "info",
            ...(a.threshold ? { threshold: (a.threshold.min + a.threshold.max) / 2 } : {}),
          },
        ]),
      );
      const labels = Object.fromEntries(Object.keys(def.labels).map((l) => [l, `custom_${l}`]));
      const pack = packRulePack(defaultPackSpec(key, { alerts, labels, team: "t1" }));
      writeFileSync(
        path.join(dir, `${pack.name}.rules.yaml`),
        renderRuleFile(pack, { runbookBaseUrl: RUNBOOK_BASE }),
      );
    }
    const r = promtool(["check", "rules", ...packs.map(({ pack }) => `${pack.name}.rules.yaml`)], dir);
    expect(r.status, r.output).toBe(0);
  });
});

describe("promtool test rules", () => {
  it.each(packs.map((p) => [p.pack.name, p] as const))("%s: every unit test passes", (_n, { key, pack }) => {
    const dir = tempDir(`packs-test-${pack.name}-`);
    const r = promtool(["test", "rules", writePackWithTests(dir, pack, PACK_CASES[key])], dir);
    expect(r.status, r.output).toBe(0);
    expect(r.output).toMatch(/SUCCESS/);
  });

  it("fails when a firing expectation is wrong (the harness can fail)", () => {
    const { key, pack } = packs[0];
    const cases = structuredClone(PACK_CASES[key]);
    const check = cases.flatMap((c) => c.alerts ?? []).find((a) => a.expect.length > 0)!;
    check.expect[0] = { ...check.expect[0], labels: { ...check.expect[0].labels, severity: "info" } };
    const dir = tempDir("packs-test-wrong-");
    const r = promtool(["test", "rules", writePackWithTests(dir, pack, cases)], dir);
    expect(r.status).not.toBe(0);
  });
});

describe("unit-test coverage", () => {
  it.each(packs.map((p) => [p.pack.name, p] as const))(
    "%s: every alert has a firing case (with its severity) and a silent case",
    (_n, { key, pack }) => {
      const checks = PACK_CASES[key].flatMap((c) => c.alerts ?? []);
      const missing: string[] = [];
      for (const rule of alertRules(pack)) {
        const mine = checks.filter((c) => c.alert === rule.alert);
        if (!mine.some((c) => c.expect.some((e) => e.labels.severity === rule.severity)))
          missing.push(`${rule.alert}: no firing case`);
        if (!mine.some((c) => c.expect.length === 0)) missing.push(`${rule.alert}: no silent case`);
      }
      expect(missing).toEqual([]);
      expect(alertRules(pack).length).toBe(PACK_DEFINITIONS[key].alerts.length);
    },
  );
});

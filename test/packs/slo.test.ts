/**
 * SLOs from config: burn-rate factors follow the window (the workbook's 14.4/6/3/1 for 30 d), the rule
 * file passes promtool, and promtool's unit tests show the page firing at 14.4x the budget and nothing
 * firing at 1x; the recording rules compute the error ratio from real counters and histograms.
 */
import { describe, expect, it } from "vitest";
import { alertRules } from "../../components/rules/model";
import {
  BURN_RATE_ALERTS,
  burnFactor,
  errorBudget,
  leMatcher,
  SLO_ALERT,
  sloRulePack,
} from "../../packs/slo";
import type { SloSpec } from "../../stacks/spec";
import { promtool, tempDir, writePackWithTests } from "../rules/harness";
import { fires, type RuleTestCase } from "../rules/cases/types";
import { resolvePacks } from "./helpers";

const availability: SloSpec = {
  name: "api-availability",
  service: "api",
  objective: 99.9,
  window: "30d",
  sli: {
    kind: "availability",
    total: 'http_requests_total{job="api"}',
    errors: 'http_requests_total{job="api", code=~"5.."}',
  },
};
const latency: SloSpec = {
  name: "api-latency",
  service: "api",
  objective: 95,
  window: "30d",
  sli: { kind: "latency", histogram: "http_request_duration_seconds", selector: 'job="api"', threshold: 0.5 },
};
const pack = sloRulePack([availability, latency]);

/** The recorded error ratios of `slo` set to `ratio` over every window (what the alerts read). */
function recordedAt(slo: string, ratio: number): Record<string, string> {
  return Object.fromEntries(
    ["5m", "30m", "1h", "2h", "6h", "1d", "3d"].map((w) => [
      `slo:sli_error:ratio_rate${w}{slo="${slo}", service="api"}`,
      `${ratio}x30`,
    ]),
  );
}

const page = (long: string, short: string, factor: string, lasts: string) =>
  fires(
    { slo: "api-availability", service: "api", long, short, severity: "critical" },
    "An SLO burns its error budget fast.",
    `SLO api-availability (availability 99.9% over 30d) burns its error budget at ${factor}x the sustainable rate over ${long} and ${short}: at this pace the 30d budget lasts ${lasts}.`,
  );
const ticket = (long: string, short: string, factor: string, lasts: string) =>
  fires(
    { slo: "api-availability", service: "api", long, short, severity: "warning" },
    "An SLO burns its error budget steadily.",
    `SLO api-availability (availability 99.9% over 30d) burns its error budget at ${factor}x the sustainable rate over ${long} and ${short}: at this pace the 30d budget lasts ${lasts}.`,
  );

const cases: RuleTestCase[] = [
  {
    name: "exactly 14.4x the budget (error ratio 0.0144 over every window): every pair fires, pages first",
    series: recordedAt("api-availability", 0.0144),
    alerts: [
      {
        at: "1m",
        alert: SLO_ALERT,
        expect: [
          page("1h", "5m", "14.4", "2d2h"),
          page("6h", "30m", "6", "5d"),
          ticket("1d", "2h", "3", "10d"),
          ticket("3d", "6h", "1", "30d"),
        ],
      },
    ],
  },
  {
    name: "exactly 1x the budget (0.001): nothing fires, not even the 3d ticket",
    series: recordedAt("api-availability", 0.001),
    alerts: [{ at: "1m", alert: SLO_ALERT, expect: [] }],
  },
  {
    name: "a burn that has stopped (20x everywhere but the last 5m): the 1h page resets at once",
    series: {
      ...recordedAt("api-availability", 0.02),
      'slo:sli_error:ratio_rate5m{slo="api-availability", service="api"}': "0x30",
    },
    alerts: [
      {
        at: "1m",
        alert: SLO_ALERT,
        // The 1h page needs its 5m window too; the longer pairs still see the burn.
        expect: [
          page("6h", "30m", "6", "5d"),
          ticket("1d", "2h", "3", "10d"),
          ticket("3d", "6h", "1", "30d"),
        ],
      },
    ],
  },
  {
    name: "from counters: 15x the budget (1.5 % errors) pages within minutes",
    series: {
      'http_requests_total{job="api", code="200"}': "0+9850x80",
      'http_requests_total{job="api", code="500"}': "0+150x80",
    },
    alerts: [
      // One sample is no rate yet; from the second on, the burn is visible.
      { at: "0m", alert: SLO_ALERT, expect: [] },
      {
        at: "10m",
        alert: SLO_ALERT,
        expect: [
          page("1h", "5m", "14.4", "2d2h"),
          page("6h", "30m", "6", "5d"),
          ticket("1d", "2h", "3", "10d"),
          ticket("3d", "6h", "1", "30d"),
        ],
      },
    ],
    exprs: [
      // In ten-thousandths: promtool compares samples exactly, and 150/10000 is not exact in floating point.
      {
        at: "10m",
        expr: 'round(slo:sli_error:ratio_rate5m{slo="api-availability"} * 10000)',
        samples: [{ labels: '{slo="api-availability", service="api"}', value: 150 }],
      },
    ],
  },
  {
    name: "from counters: no errors at all is a 0 ratio (no data would hide the budget), nothing fires",
    series: { 'http_requests_total{job="api", code="200"}': "0+10000x30" },
    alerts: [{ at: "20m", alert: SLO_ALERT, expect: [] }],
    exprs: [
      {
        at: "20m",
        expr: 'slo:sli_error:ratio_rate1h{slo="api-availability"}',
        samples: [{ labels: 'slo:sli_error:ratio_rate1h{slo="api-availability", service="api"}', value: 0 }],
      },
    ],
  },
  {
    name: "latency SLI: 10 % of requests above 0.5 s is a 0.1 error ratio; the budget is 5 %",
    series: {
      'http_request_duration_seconds_bucket{job="api", le="0.5"}': "0+90x30",
      'http_request_duration_seconds_bucket{job="api", le="+Inf"}': "0+100x30",
      'http_request_duration_seconds_count{job="api"}': "0+100x30",
    },
    exprs: [
      {
        at: "10m",
        expr: 'round(slo:sli_error:ratio_rate5m{slo="api-latency"} * 10000)',
        samples: [{ labels: '{slo="api-latency", service="api"}', value: 1000 }],
      },
    ],
  },
];

describe("burn-rate factors", () => {
  it("are the workbook's 14.4, 6, 3 and 1 for 30 days", () => {
    expect(BURN_RATE_ALERTS.map((a) => burnFactor(a, "30d"))).toEqual([14.4, 6, 3, 1]);
    expect(BURN_RATE_ALERTS.map((a) => [a.long, a.short])).toEqual([
      ["1h", "5m"],
      ["6h", "30m"],
      ["1d", "2h"],
      ["3d", "6h"],
    ]);
  });

  it("scale with the window (28 days spends the budget faster per hour)", () => {
    expect(burnFactor(BURN_RATE_ALERTS[0], "28d")).toBe(13.44);
    expect(errorBudget(availability)).toBe(0.001);
  });

  it("the fast-burn page compares with 14.4 x 0.001 written as 0.0144 (no float drift)", () => {
    const fast = alertRules(pack).find(
      (a) => a.extraLabels?.long === "1h" && a.extraLabels?.slo === "api-availability",
    )!;
    expect(fast.severity).toBe("critical");
    expect(fast.expr).toBe(
      'slo:sli_error:ratio_rate1h{slo="api-availability"} >= 0.0144 and slo:sli_error:ratio_rate5m{slo="api-availability"} >= 0.0144',
    );
    const slow = alertRules(pack).find(
      (a) => a.extraLabels?.long === "3d" && a.extraLabels?.slo === "api-availability",
    )!;
    expect(slow.expr).toContain("> 0.001 and");
  });

  it("integral latency thresholds match both le spellings (Prometheus 3 writes 1.0)", () => {
    expect(leMatcher(1)).toBe('le=~"1|1.0"');
    expect(leMatcher(0.25)).toBe('le="0.25"');
  });
});

describe("SLO rules under promtool", () => {
  it("promtool check rules accepts the rule file", () => {
    const dir = tempDir("slo-check-");
    const r = promtool(
      ["check", "rules", writePackWithTests(dir, pack, []).replace(".test.yaml", ".rules.yaml")],
      dir,
    );
    expect(r.status, r.output).toBe(0);
  });

  it("fires at 14.4x the budget, stays silent at 1x, and records the ratios", () => {
    const dir = tempDir("slo-test-");
    const r = promtool(["test", "rules", writePackWithTests(dir, pack, cases)], dir);
    expect(r.status, r.output).toBe(0);
  });

  it("the test fails when the page is expected silent at 14.4x (the check can fail)", () => {
    const dir = tempDir("slo-test-wrong-");
    const wrong: RuleTestCase[] = [
      {
        name: "wrong",
        series: recordedAt("api-availability", 0.0144),
        alerts: [{ at: "1m", alert: SLO_ALERT, expect: [] }],
      },
    ];
    expect(promtool(["test", "rules", writePackWithTests(dir, pack, wrong)], dir).status).not.toBe(0);
  });
});

describe("SLO config", () => {
  it("resolves an SLO with the 30d default window", () => {
    const spec = resolvePacks({
      slos: [
        {
          name: "a",
          service: "api",
          objective: 99.5,
          availability: { total: "x_total", errors: 'x_total{code="5xx"}' },
        },
      ],
    });
    expect(spec.slos[0]).toMatchObject({ window: "30d", objective: 99.5, sli: { kind: "availability" } });
  });
});

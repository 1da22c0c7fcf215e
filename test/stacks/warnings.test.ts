import { describe, expect, it } from "vitest";
import { resolveStackSpec } from "../../stacks/resolve";
import { specWarnings } from "../../stacks/warnings";

const secretKeys = new Set(["pd", "hook"]);
const routing = {
  receivers: {
    pager: { pagerduty: [{ routingKeySecret: "pd" }] },
    beat: { webhook: [{ urlSecret: "hook" }] },
  },
  severityRoutes: { critical: ["pager"] },
  watchdog: { receiver: "beat" },
};
const prodBase = {
  environment: "prod",
  grafana: { replicas: 1, database: { type: "sqlite" } },
};

describe("spec warnings", () => {
  it("warns when alerts reach nobody and the dead man's switch is not connected", () => {
    const spec = resolveStackSpec({}, { stack: "dev", secretKeys });
    const warnings = specWarnings(spec);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^monitoring:alertmanager\.routing: no receiver notifies anyone/);
    expect(warnings[1]).toMatch(
      /^monitoring:alertmanager\.routing\.watchdog: receiver "watchdog" notifies nobody/,
    );
  });

  it("is quiet for a prod stack with HA replicas and connected receivers", () => {
    const spec = resolveStackSpec({ ...prodBase, alertmanager: { routing } }, { stack: "prod", secretKeys });
    expect(specWarnings(spec)).toEqual([]);
  });

  it("warns about a single Prometheus, two Alertmanagers and an ephemeral prod stack", () => {
    const spec = resolveStackSpec(
      { ...prodBase, ephemeral: true, prometheus: { replicas: 1 }, alertmanager: { replicas: 2, routing } },
      { stack: "prod", secretKeys },
    );
    expect(specWarnings(spec).map((w) => w.split(":")[1])).toEqual([
      "prometheus.replicas",
      "alertmanager.replicas",
      "ephemeral",
    ]);
  });
});

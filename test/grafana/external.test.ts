/**
 * External-Grafana mode under Pulumi's mocks: no Grafana workload; the same folders, datasources and
 * dashboards plus contact points mirroring the Alertmanager receivers are created through the
 * @pulumiverse/grafana provider, whose auth token and every contact-point credential stay secret.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mockStack, type MockStack } from "../helpers/mocks";

const values = {
  environment: "dev",
  // Logging's datasource in this mode is covered by test/logging/grafana.test.ts.
  logging: { enabled: false },
  grafana: {
    mode: "external",
    external: {
      url: "https://example.grafana.net",
      authSecret: "grafanaToken",
      prometheusUrl: "https://prometheus.example.com",
      alertmanagerUrl: "https://alertmanager.example.com",
    },
  },
  alertmanager: {
    routing: {
      receivers: {
        chat: { slack: [{ apiUrlSecret: "slackUrl", channel: "#alerts" }] },
        pager: { pagerduty: [{ routingKeySecret: "pdKey" }] },
      },
      severityRoutes: { critical: ["pager"], warning: ["chat"] },
    },
  },
};
const secrets = {
  grafanaToken: "glsa_token-value-1234",
  slackUrl: "https://hooks.slack.com/services/T0/B0/secretpart",
  pdKey: "pd-routing-key-5678",
};
const mock: MockStack = mockStack("ext", values, secrets);

import { MonitoringStack } from "../../components/stack";
import { builtInDashboards, DASHBOARD_FILES } from "../../components/grafana/dashboards";
import { resolveStackSpec } from "../../stacks/resolve";

beforeAll(async () => {
  const spec = resolveStackSpec(values, { stack: "ext", secretKeys: new Set(Object.keys(secrets)) });
  new MonitoringStack("monitoring", { spec });
  await mock.settle();
});

describe("external Grafana", () => {
  it("deploys no Grafana workload", () => {
    const containers = mock.ofType("docker:index/container:Container").map((r) => String(r.inputs.name));
    expect(containers.some((n) => n.includes("grafana"))).toBe(false);
    expect(containers.some((n) => n.includes("prometheus"))).toBe(true);
  });

  it("creates the datasources, one folder per dashboard folder and every built-in dashboard", () => {
    const ds = mock.ofType("grafana:oss/dataSource:DataSource");
    expect(ds.map((d) => d.inputs.type).sort()).toEqual(["alertmanager", "prometheus"]);
    expect(ds.find((d) => d.inputs.type === "prometheus")?.inputs.url).toBe("https://prometheus.example.com");
    // A Docker stack: everything built in but the Kubernetes pack's dashboard.
    const dashboards = builtInDashboards().filter(
      (d) => d.fileName !== DASHBOARD_FILES.kubernetes().fileName,
    );
    expect(dashboards).toHaveLength(builtInDashboards().length - 1);
    expect(mock.ofType("grafana:oss/folder:Folder")).toHaveLength(
      new Set(dashboards.map((d) => d.folder)).size,
    );
    expect(mock.ofType("grafana:oss/dashboard:Dashboard")).toHaveLength(dashboards.length);
  });

  it("mirrors the receivers as contact points with secret credentials", () => {
    const cps = mock.ofType("grafana:alerting/contactPoint:ContactPoint");
    expect(cps.map((c) => c.inputs.name).sort()).toEqual(["chat", "pager"]);
    const text = JSON.stringify(mock.resources());
    for (const value of Object.values(secrets)) expect(text).not.toContain(value);
    const provider = mock.resources().find((r) => r.type === "pulumi:providers:grafana");
    expect(provider?.inputs.auth).toBe("[secret]");
  });
});

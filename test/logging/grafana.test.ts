/**
 * The logs datasource in both Grafana modes: provisioned from file by the self-hosted Grafana, created
 * through the API of an external one (at the address it can reach).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mockStack, type MockStack } from "../helpers/mocks";

const values = {
  environment: "dev",
  logging: { grafanaUrl: "https://logs.example.com:9200" },
  grafana: {
    mode: "external",
    external: {
      url: "https://example.grafana.net",
      authSecret: "grafanaToken",
      prometheusUrl: "https://prometheus.example.com",
    },
  },
};
const secrets = { grafanaToken: "glsa_token-value-1234" };
const mock: MockStack = mockStack("ext-logs", values, secrets);

import { MonitoringStack } from "../../components/stack";
import { resolveStackSpec } from "../../stacks/resolve";

let selfHosted: MonitoringStack;
beforeAll(async () => {
  new MonitoringStack("monitoring", {
    spec: resolveStackSpec(values, { stack: "ext-logs", secretKeys: new Set(Object.keys(secrets)) }),
  });
  selfHosted = new MonitoringStack("self", {
    spec: resolveStackSpec(
      { environment: "dev", docker: { publishAddress: "127.0.0.2" } },
      { stack: "self", secretKeys: new Set() },
    ),
  });
  await mock.settle();
});

describe("logs datasource", () => {
  it("external Grafana: created through the API with the address the external Grafana reaches", () => {
    const ds = mock
      .ofType("grafana:oss/dataSource:DataSource")
      .find((d) => d.inputs.type === "elasticsearch");
    expect(ds?.inputs.url).toBe("https://logs.example.com:9200");
    expect(JSON.parse(String(ds?.inputs.jsonDataEncoded))).toMatchObject({
      index: "logs-*-*",
      timeField: "@timestamp",
    });
  });

  it("self-hosted Grafana: provisioned from the datasources file with the stack's address", () => {
    const logs = selfHosted.contributions.datasources.find((d) => d.type === "elasticsearch");
    expect(logs).toMatchObject({ uid: "logs", url: "http://elasticsearch:9200" });
    const files = mock
      .ofType("docker:index/container:Container")
      .flatMap((c) => (c.inputs.uploads ?? []) as { file: string; content?: string }[]);
    const provisioning = files.filter((u) => u.file.endsWith("/datasources.yml")).map((u) => u.content ?? "");
    expect(
      provisioning.some(
        (text) => text.includes("Logs (Elasticsearch)") && text.includes("http://elasticsearch:9200"),
      ),
    ).toBe(true);
  });
});

import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { builtInDashboards, type DashboardFile } from "../../components/grafana/dashboards";
import type { DatasourceContribution } from "../../components/contribution";
import {
  DATASOURCE_UIDS,
  dashboardFilePath,
  datasourceCaPath,
  datasourcePasswordEnv,
  folderSlug,
  renderDashboardProviders,
  renderDatasources,
} from "../../components/grafana/provisioning";

interface DatasourceYaml {
  name: string;
  uid: string;
  type: string;
  url?: string;
  isDefault: boolean;
  editable: boolean;
  jsonData?: Record<string, unknown>;
  secureJsonData?: Record<string, unknown>;
}

interface DatasourcesYaml {
  apiVersion: number;
  prune?: boolean;
  deleteDatasources?: Array<{ name: string; orgId: number }>;
  datasources: DatasourceYaml[];
}

interface ProvidersYaml {
  apiVersion: number;
  providers: Array<{
    name: string;
    folder: string;
    folderUid: string;
    type: string;
    disableDeletion: boolean;
    allowUiUpdates: boolean;
    updateIntervalSeconds: number;
    options: { path: string; foldersFromFilesStructure: boolean };
  }>;
}

const full = {
  prometheusUrl: "http://prometheus.monitoring.svc:9090",
  alertmanagerUrl: "http://alertmanager.monitoring.svc:9093",
  elasticsearch: { url: "https://es.internal:9200", index: "logs-*", timeField: "@timestamp" },
  cloudwatch: { region: "eu-west-1" },
};

const ds = (yaml: string) => parse(yaml) as DatasourcesYaml;

describe("renderDatasources", () => {
  it("renders every datasource with stable uids and exactly one default", () => {
    const doc = ds(renderDatasources({ ...full, editable: false }));
    expect(doc.apiVersion).toBe(1);
    expect(doc.datasources.map((d) => [d.type, d.uid])).toEqual([
      ["prometheus", "prometheus"],
      ["alertmanager", "alertmanager"],
      ["elasticsearch", "elasticsearch"],
      ["cloudwatch", "cloudwatch"],
    ]);
    expect(doc.datasources.filter((d) => d.isDefault).map((d) => d.uid)).toEqual([
      DATASOURCE_UIDS.prometheus,
    ]);
    expect(doc.datasources.find((d) => d.type === "prometheus")?.url).toBe(full.prometheusUrl);
  });

  it("the Prometheus uid does not depend on the options", () => {
    const a = ds(renderDatasources({ prometheusUrl: "http://a:9090", editable: true }));
    const b = ds(renderDatasources({ ...full, prometheusUrl: "http://b:9090", editable: false }));
    expect(a.datasources[0].uid).toBe("prometheus");
    expect(b.datasources[0].uid).toBe("prometheus");
  });

  it.each([true, false])("editable: %s is applied to every datasource", (editable) => {
    const doc = ds(renderDatasources({ ...full, editable }));
    expect(doc.datasources.map((d) => d.editable)).toEqual([editable, editable, editable, editable]);
  });

  it("the Alertmanager datasource reads a Prometheus Alertmanager and leaves Grafana alerts alone", () => {
    const am = ds(renderDatasources({ ...full, editable: false })).datasources.find(
      (d) => d.type === "alertmanager",
    );
    expect(am?.url).toBe(full.alertmanagerUrl);
    expect(am?.jsonData).toEqual({ implementation: "prometheus", handleGrafanaManagedAlerts: false });
  });

  it("Elasticsearch gets its index and time field", () => {
    const es = ds(renderDatasources({ ...full, editable: false })).datasources.find(
      (d) => d.type === "elasticsearch",
    );
    expect(es?.url).toBe(full.elasticsearch.url);
    expect(es?.jsonData).toMatchObject({ index: "logs-*", timeField: "@timestamp" });
  });

  it("CloudWatch uses the default credential chain (IAM role / IRSA) and carries no keys", () => {
    const yaml = renderDatasources({ ...full, editable: false });
    const cw = ds(yaml).datasources.find((d) => d.type === "cloudwatch");
    expect(cw?.jsonData).toEqual({ authType: "default", defaultRegion: "eu-west-1" });
    expect(cw?.secureJsonData).toBeUndefined();
    expect(yaml).not.toMatch(/accessKey|secretKey|AKIA|assumeRoleArn|profile/i);
  });

  it("prunes removed datasources and deletes the optional ones that are switched off", () => {
    const minimal = ds(renderDatasources({ prometheusUrl: "http://p:9090", editable: false }));
    expect(minimal.prune).toBe(true);
    expect(minimal.datasources.map((d) => d.name)).toEqual(["Prometheus"]);
    expect(minimal.deleteDatasources).toEqual([
      { name: "Alertmanager", orgId: 1 },
      { name: "Elasticsearch", orgId: 1 },
      { name: "CloudWatch", orgId: 1 },
    ]);
    const everything = ds(renderDatasources({ ...full, editable: false }));
    // Never delete (and recreate) a datasource that is still provisioned.
    expect(everything.deleteDatasources).toBeUndefined();
  });

  it("refuses what Grafana could not use", () => {
    expect(() => renderDatasources({ prometheusUrl: "not a url", editable: false })).toThrow(/URL/);
    expect(() => renderDatasources({ prometheusUrl: "prometheus:9090", editable: false })).toThrow(/http/);
    expect(() =>
      renderDatasources({ prometheusUrl: "http://p", cloudwatch: { region: "Ireland" }, editable: false }),
    ).toThrow(/region/);
    expect(() =>
      renderDatasources({
        prometheusUrl: "http://p",
        elasticsearch: { url: "http://es", index: "", timeField: "t" },
        editable: false,
      }),
    ).toThrow(/index/);
  });
});

describe("contributed datasources with credentials", () => {
  // Values the renderer must never write: it is handed them and writes references.
  const password = `pw-${randomBytes(8).toString("hex")}`;
  const caCert = `-----BEGIN CERTIFICATE-----\n${randomBytes(24).toString("base64")}\n-----END CERTIFICATE-----\n`;
  const logs: DatasourceContribution = {
    name: "Logs",
    uid: "logs",
    type: "elasticsearch",
    url: "https://es.ns.svc:9200",
    jsonData: { index: "logs-*-*", timeField: "@timestamp" },
    basicAuth: { user: "logs_reader", password },
    caCert,
  };
  const render = (extra: DatasourceContribution[], caDir?: string) =>
    renderDatasources({ prometheusUrl: "http://p:9090", editable: false, extra, caDir });

  it("basic auth and the CA by reference: Grafana's own field names, never the values", () => {
    const text = render([logs], "/etc/ca");
    expect(text).not.toContain(password);
    expect(text).not.toContain("BEGIN CERTIFICATE");
    const d = ds(text).datasources.find((x) => x.uid === "logs") as unknown as Record<string, unknown>;
    expect(d).toMatchObject({
      basicAuth: true,
      basicAuthUser: "logs_reader",
      jsonData: { index: "logs-*-*", timeField: "@timestamp", tlsAuthWithCACert: true },
      secureJsonData: {
        basicAuthPassword: `$${datasourcePasswordEnv("logs")}`,
        tlsCACert: `$__file{${datasourceCaPath("logs", "/etc/ca")}}`,
      },
    });
    // The bare `$NAME` form (expanded once by Grafana's os.ExpandEnv pass), the whole value.
    expect(datasourcePasswordEnv("logs")).toBe("DATASOURCE_LOGS_BASIC_AUTH_PASSWORD");
    expect(datasourceCaPath("logs", "/etc/ca")).toBe("/etc/ca/logs.crt");
  });

  it("without credentials, no auth fields at all", () => {
    const plain = { ...logs, basicAuth: undefined, caCert: undefined };
    const d = ds(render([plain])).datasources.find((x) => x.uid === "logs")!;
    expect(d).not.toHaveProperty("basicAuth");
    expect(d).not.toHaveProperty("secureJsonData");
    expect(d.jsonData).toEqual({ index: "logs-*-*", timeField: "@timestamp" });
  });

  it("refuses a CA without a directory to mount it in, shared password variables, odd users", () => {
    expect(() => render([logs])).toThrow(/caDir/);
    const twin = { ...logs, name: "Logs 2", uid: "LOGS" };
    expect(() => render([logs, twin], "/etc/ca")).toThrow(/DATASOURCE_LOGS_BASIC_AUTH_PASSWORD/);
    expect(() => render([{ ...logs, basicAuth: { user: "a:b", password } }], "/etc/ca")).toThrow(/user/);
  });
});

describe("renderDashboardProviders and dashboardFilePath", () => {
  const root = "/var/lib/grafana-dashboards";
  const files: DashboardFile[] = [
    ...builtInDashboards(),
    { folder: "Team Payments / APIs", fileName: "payments.json", json: {} },
  ];
  const folders = [...new Set(files.map((f) => f.folder))];

  it("one file provider per folder, read-only in production", () => {
    const doc = parse(
      renderDashboardProviders(folders, { allowUiUpdates: false, dashboardsRoot: root }),
    ) as ProvidersYaml;
    expect(doc.apiVersion).toBe(1);
    expect(doc.providers.map((p) => p.folder)).toEqual(folders);
    for (const p of doc.providers) {
      expect(p).toMatchObject({
        type: "file",
        disableDeletion: true,
        allowUiUpdates: false,
        updateIntervalSeconds: 30,
        options: { foldersFromFilesStructure: false },
      });
    }
    expect(new Set(doc.providers.map((p) => p.name)).size).toBe(folders.length);
    expect(new Set(doc.providers.map((p) => p.folderUid)).size).toBe(folders.length);
  });

  it("allowUiUpdates follows the option", () => {
    const doc = parse(
      renderDashboardProviders(folders, { allowUiUpdates: true, dashboardsRoot: root }),
    ) as ProvidersYaml;
    expect(doc.providers.every((p) => p.allowUiUpdates)).toBe(true);
  });

  it("every dashboard file lies directly in the directory its folder's provider reads", () => {
    const doc = parse(
      renderDashboardProviders(folders, { allowUiUpdates: false, dashboardsRoot: `${root}/` }),
    ) as ProvidersYaml;
    const dirByFolder = new Map(doc.providers.map((p) => [p.folder, p.options.path]));
    for (const f of files) {
      const filePath = dashboardFilePath(f, root);
      expect(filePath).toBe(`${dirByFolder.get(f.folder)}/${f.fileName}`);
    }
    expect(dashboardFilePath(files[files.length - 1], root)).toBe(`${root}/team-payments-apis/payments.json`);
    // No two dashboards share a path.
    const paths = files.map((f) => dashboardFilePath(f, root));
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("refuses folders that collide, names that escape their directory, relative roots", () => {
    expect(() =>
      renderDashboardProviders(["Team A", "team-a"], { allowUiUpdates: false, dashboardsRoot: root }),
    ).toThrow(/collide/);
    expect(() => folderSlug("!!!")).toThrow();
    expect(() => dashboardFilePath({ folder: "X", fileName: "../x.json", json: {} }, root)).toThrow(
      /file name/,
    );
    expect(() => dashboardFilePath({ folder: "X", fileName: "x.yaml", json: {} }, root)).toThrow(/file name/);
    expect(() => dashboardFilePath({ folder: "X", fileName: "x.json", json: {} }, "dashboards")).toThrow(
      /absolute/,
    );
  });

  it("a folder listed twice gets one provider", () => {
    const doc = parse(
      renderDashboardProviders(["A", "A"], { allowUiUpdates: false, dashboardsRoot: root }),
    ) as ProvidersYaml;
    expect(doc.providers).toHaveLength(1);
  });
});

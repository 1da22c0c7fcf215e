import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { builtInDashboards, type DashboardFile } from "../../components/grafana/dashboards";
import {
  DATASOURCE_UIDS,
  dashboardFilePath,
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

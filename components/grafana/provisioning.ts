/**
 * Grafana provisioning files (pure functions, no Pulumi): the datasources file and the dashboard
 * providers file, plus the path every dashboard file is mounted at, which both the providers and the
 * component that writes the files take from `dashboardFilePath` so they cannot disagree.
 *
 * Layout: one provider per folder, each reading `${dashboardsRoot}/${slug(folder)}/`; the provider names
 * the Grafana folder (title and a stable folder uid), so folder titles keep their capitals and spaces,
 * which `foldersFromFilesStructure` (folder title = directory name) would not.
 */
import { stringify } from "yaml";
import type { DatasourceContribution } from "../contribution";
import type { DashboardFile } from "./dashboards";

/** Stable datasource uids: dashboards pick the datasource through `$datasource`, alerting and links by uid. */
export const DATASOURCE_UIDS = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  elasticsearch: "elasticsearch",
  cloudwatch: "cloudwatch",
  amp: "amp",
} as const;

/** Datasource names (Grafana matches provisioned datasources by name, so these must not change either). */
export const DATASOURCE_NAMES = {
  prometheus: "Prometheus",
  alertmanager: "Alertmanager",
  elasticsearch: "Elasticsearch",
  cloudwatch: "CloudWatch",
  amp: "Amazon Managed Prometheus",
} as const;

/**
 * How the datasources file refers to a contributed datasource's credentials instead of holding them.
 * Grafana interpolates every provisioning value (pkg/services/provisioning/values, interpolateValue:
 * setting.ExpandVar for `$__env{}`/`$__file{}`/`${}`, then os.ExpandEnv; docs "Provision Grafana" >
 * "Environment variables"). The password is a bare `$NAME`: the brace forms are expanded twice (by
 * ExpandVar, then again by os.ExpandEnv), which would mangle a value holding `$`; `$NAME` is expanded once.
 */
export function datasourcePasswordEnv(uid: string): string {
  return `DATASOURCE_${uid.replace(/[^A-Za-z0-9]+/g, "_").toUpperCase()}_BASIC_AUTH_PASSWORD`;
}

/** Where a contributed datasource's CA certificate is mounted; the file is read with `$__file{}`. */
export function datasourceCaPath(uid: string, caDir: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(uid))
    throw new Error(`datasource uid "${uid}" must be letters, digits, "-", "_"`);
  return joinPath(caDir, `${uid}.crt`);
}

/** Grafana's HTTP datasource settings for a contribution's credentials (grafana-plugin-sdk-go HTTPClientOptions). */
export interface DatasourceAuthFields<S> {
  basicAuthUser?: string;
  /** Plain flags merged into `jsonData`. */
  jsonData: { tlsAuthWithCACert?: true };
  /** `secureJsonData`: what Grafana stores encrypted. */
  secureJsonData: { basicAuthPassword?: S; tlsCACert?: S };
}

/**
 * The credential fields of a contribution, `secure(key)` standing for each secure value: a reference in
 * the provisioning file, the secret itself for the Grafana API. Basic auth is `basicAuth` +
 * `basicAuthUser` + `secureJsonData.basicAuthPassword`; a custom CA is `jsonData.tlsAuthWithCACert` +
 * `secureJsonData.tlsCACert`, which becomes the client's only root (sdk httpclient GetTLSConfig: RootCAs).
 */
export function datasourceAuth<S>(
  ds: Pick<DatasourceContribution, "name" | "basicAuth" | "caCert">,
  secure: (key: "basicAuthPassword" | "tlsCACert") => S,
): DatasourceAuthFields<S> {
  const fields: DatasourceAuthFields<S> = { jsonData: {}, secureJsonData: {} };
  if (ds.basicAuth) {
    if (!/^[^\s:]+$/.test(ds.basicAuth.user))
      throw new Error(
        `datasource ${ds.name}: basic auth user "${ds.basicAuth.user}" must be one word without ":"`,
      );
    fields.basicAuthUser = ds.basicAuth.user;
    fields.secureJsonData.basicAuthPassword = secure("basicAuthPassword");
  }
  if (ds.caCert !== undefined) {
    fields.jsonData.tlsAuthWithCACert = true;
    fields.secureJsonData.tlsCACert = secure("tlsCACert");
  }
  return fields;
}

export interface DatasourcesOptions {
  prometheusUrl: string;
  alertmanagerUrl?: string;
  elasticsearch?: { url: string; index: string; timeField: string };
  cloudwatch?: { region: string };
  /** The stack's Amazon Managed Service for Prometheus workspace (its prometheusEndpoint), queried with SigV4. */
  amp?: { url: string; region: string };
  /** Whether users may edit the provisioned datasources in the UI (false in production). */
  editable: boolean;
  /** Prometheus scrape interval, so `$__rate_interval` covers enough samples (default "30s"). */
  scrapeInterval?: string;
  /**
   * Datasources services bring (contributions), after the built-in ones. Only references to their
   * credentials are written: the password as `$datasourcePasswordEnv(uid)` (the Grafana component puts
   * it in that secret env var), the CA as `$__file{datasourceCaPath(uid, caDir)}`.
   */
  extra?: DatasourceContribution[];
  /** Directory the contributions' CA certificates are mounted in (needed when one has `caCert`). */
  caDir?: string;
}

type Yaml = { [key: string]: Yaml } | Yaml[] | string | number | boolean;

function assertUrl(url: string, what: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${what}: "${url}" is not a URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(`${what}: "${url}" must be http(s)`);
  }
}

const DURATION = /^[0-9]+(ms|s|m|h)$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-[0-9]+$/;

/** The datasources provisioning file (YAML, apiVersion 1). */
export function renderDatasources(opts: DatasourcesOptions): string {
  assertUrl(opts.prometheusUrl, "prometheusUrl");
  const scrapeInterval = opts.scrapeInterval ?? "30s";
  if (!DURATION.test(scrapeInterval))
    throw new Error(`scrapeInterval: "${scrapeInterval}" is not a duration`);

  const datasources: Yaml[] = [
    {
      name: DATASOURCE_NAMES.prometheus,
      uid: DATASOURCE_UIDS.prometheus,
      type: "prometheus",
      access: "proxy",
      orgId: 1,
      url: opts.prometheusUrl,
      isDefault: true,
      editable: opts.editable,
      jsonData: {
        httpMethod: "POST",
        timeInterval: scrapeInterval,
        prometheusType: "Prometheus",
        cacheLevel: "Low",
        incrementalQuerying: false,
      },
    },
  ];
  const absent: string[] = [];

  if (opts.alertmanagerUrl !== undefined) {
    assertUrl(opts.alertmanagerUrl, "alertmanagerUrl");
    datasources.push({
      name: DATASOURCE_NAMES.alertmanager,
      uid: DATASOURCE_UIDS.alertmanager,
      type: "alertmanager",
      access: "proxy",
      orgId: 1,
      url: opts.alertmanagerUrl,
      isDefault: false,
      editable: opts.editable,
      // Prometheus' Alertmanager: read its alerts and silences; Grafana's own alert rules stay in Grafana.
      jsonData: { implementation: "prometheus", handleGrafanaManagedAlerts: false },
    });
  } else {
    absent.push(DATASOURCE_NAMES.alertmanager);
  }

  if (opts.elasticsearch !== undefined) {
    const es = opts.elasticsearch;
    assertUrl(es.url, "elasticsearch.url");
    if (es.index.trim() === "") throw new Error("elasticsearch.index must not be empty");
    if (es.timeField.trim() === "") throw new Error("elasticsearch.timeField must not be empty");
    datasources.push({
      name: DATASOURCE_NAMES.elasticsearch,
      uid: DATASOURCE_UIDS.elasticsearch,
      type: "elasticsearch",
      access: "proxy",
      orgId: 1,
      url: es.url,
      isDefault: false,
      editable: opts.editable,
      jsonData: {
        index: es.index,
        timeField: es.timeField,
        logMessageField: "message",
        logLevelField: "log.level",
        maxConcurrentShardRequests: 5,
      },
    });
  } else {
    absent.push(DATASOURCE_NAMES.elasticsearch);
  }

  if (opts.cloudwatch !== undefined) {
    const region = opts.cloudwatch.region;
    if (!AWS_REGION.test(region)) throw new Error(`cloudwatch.region: "${region}" is not an AWS region`);
    datasources.push({
      name: DATASOURCE_NAMES.cloudwatch,
      uid: DATASOURCE_UIDS.cloudwatch,
      type: "cloudwatch",
      access: "proxy",
      orgId: 1,
      isDefault: false,
      editable: opts.editable,
      // "default": the AWS SDK's default chain (instance profile, IRSA / pod identity, ECS task role).
      // No access or secret keys in the file, ever.
      jsonData: { authType: "default", defaultRegion: region },
    });
  } else {
    absent.push(DATASOURCE_NAMES.cloudwatch);
  }

  if (opts.amp !== undefined) {
    assertUrl(opts.amp.url, "amp.url");
    if (!AWS_REGION.test(opts.amp.region))
      throw new Error(`amp.region: "${opts.amp.region}" is not an AWS region`);
    // The core Prometheus datasource with SigV4 (needs [auth] sigv4_auth_enabled): the dedicated
    // grafana-amazonprometheus-datasource plugin supports Grafana 12.2 only from 12.2.5 (its README,
    // "Requirements"), and Grafana 13 migrates SigV4 Prometheus datasources to it by itself.
    // Not in `absent`: it is only ever provisioned with prune on, which removes it when switched off.
    datasources.push({
      name: DATASOURCE_NAMES.amp,
      uid: DATASOURCE_UIDS.amp,
      type: "prometheus",
      access: "proxy",
      orgId: 1,
      url: opts.amp.url,
      isDefault: false,
      editable: opts.editable,
      jsonData: {
        httpMethod: "POST",
        timeInterval: scrapeInterval,
        sigV4Auth: true,
        // The AWS SDK's default chain: the pod's IAM role (IRSA), never static keys.
        sigV4AuthType: "default",
        sigV4Region: opts.amp.region,
      },
    });
  }

  const passwordEnvs = new Map<string, string>();
  for (const ds of opts.extra ?? []) {
    assertUrl(ds.url, `datasource ${ds.name}`);
    if (
      datasources.some(
        (d) => typeof d === "object" && !Array.isArray(d) && (d.uid === ds.uid || d.name === ds.name),
      )
    )
      throw new Error(`datasource ${ds.name} (${ds.uid}) is provisioned twice`);
    const env = datasourcePasswordEnv(ds.uid);
    if (ds.basicAuth && passwordEnvs.has(env))
      throw new Error(`datasources ${passwordEnvs.get(env)} and ${ds.name} would share ${env}`);
    if (ds.basicAuth) passwordEnvs.set(env, ds.name);
    const caDir = opts.caDir;
    if (ds.caCert !== undefined && caDir === undefined)
      throw new Error(`datasource ${ds.name} has a CA certificate but no caDir to mount it in`);
    // References only: the values never reach this file.
    const auth = datasourceAuth(ds, (key) =>
      key === "basicAuthPassword" ? `$${env}` : `$__file{${datasourceCaPath(ds.uid, caDir!)}}`,
    );
    const jsonData = { ...(ds.jsonData ?? {}), ...auth.jsonData };
    datasources.push({
      name: ds.name,
      uid: ds.uid,
      type: ds.type,
      access: "proxy",
      orgId: 1,
      url: ds.url,
      isDefault: false,
      editable: opts.editable,
      ...(auth.basicAuthUser !== undefined ? { basicAuth: true, basicAuthUser: auth.basicAuthUser } : {}),
      ...(Object.keys(jsonData).length > 0 ? { jsonData: jsonData as Yaml } : {}),
      ...(Object.keys(auth.secureJsonData).length > 0 ? { secureJsonData: auth.secureJsonData as Yaml } : {}),
    });
  }

  const doc: Yaml = {
    apiVersion: 1,
    // Provisioned datasources removed from this file are deleted (Grafana >= 11.1)...
    prune: true,
    // ...and the optional ones are deleted by name when switched off, also on a Grafana that provisioned them
    // before `prune` was set. Deleting a datasource that does not exist is a no-op.
    ...(absent.length > 0 ? { deleteDatasources: absent.map((name) => ({ name, orgId: 1 })) } : {}),
    datasources,
  };
  return stringify(doc, { lineWidth: 0 });
}

/** Directory name for a dashboard folder: lower case, runs of other characters as "-". */
export function folderSlug(folder: string): string {
  const slug = folder
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug === "")
    throw new Error(`dashboard folder "${folder}" has no letters or digits to name a directory after`);
  return slug;
}

function joinPath(root: string, ...parts: string[]): string {
  if (!root.startsWith("/")) throw new Error(`dashboards root "${root}" must be an absolute path`);
  return [root.replace(/\/+$/, ""), ...parts].join("/");
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.json$/;

/** Where a dashboard file lives: `${root}/${folderSlug(folder)}/${fileName}`. */
export function dashboardFilePath(file: DashboardFile, root: string): string {
  if (!FILE_NAME.test(file.fileName)) {
    throw new Error(`dashboard file name "${file.fileName}" must be a plain *.json name (no directories)`);
  }
  return joinPath(root, folderSlug(file.folder), file.fileName);
}

/** Stable Grafana folder uid for a folder (uids are at most 40 characters). */
export function folderUid(folder: string): string {
  return folderSlug(folder).slice(0, 40);
}

/** Directory a folder's provider reads. */
export function dashboardFolderPath(folder: string, root: string): string {
  return joinPath(root, folderSlug(folder));
}

export interface DashboardProvidersOptions {
  /** Let users save changes to provisioned dashboards in the UI (false in production). */
  allowUiUpdates: boolean;
  /** Absolute directory the dashboard files are mounted under. */
  dashboardsRoot: string;
}

/** The dashboard providers provisioning file: one file provider per folder. */
export function renderDashboardProviders(folders: string[], opts: DashboardProvidersOptions): string {
  const unique = [...new Set(folders)];
  const seen = new Map<string, string>();
  for (const f of unique) {
    // The directory and the folder uid (at most 40 characters) must both be unique.
    for (const key of [folderSlug(f), `uid:${folderUid(f)}`]) {
      const other = seen.get(key);
      if (other !== undefined) throw new Error(`dashboard folders "${other}" and "${f}" collide on ${key}`);
      seen.set(key, f);
    }
  }
  const providers: Yaml[] = unique.map((folder) => ({
    name: folderSlug(folder),
    orgId: 1,
    type: "file",
    folder,
    folderUid: folderUid(folder),
    disableDeletion: true,
    allowUiUpdates: opts.allowUiUpdates,
    updateIntervalSeconds: 30,
    options: { path: dashboardFolderPath(folder, opts.dashboardsRoot), foldersFromFilesStructure: false },
  }));
  return stringify({ apiVersion: 1, providers }, { lineWidth: 0 });
}

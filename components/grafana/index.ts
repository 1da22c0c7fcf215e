/**
 * Grafana. Self-hosted on the stack's platform (sqlite for a single replica, or a shared PostgreSQL /
 * RDS database for HA replicas that cluster their alerting on 9094), with datasources and dashboards
 * provisioned from files; or, in external mode, the same folders, datasources and dashboards created
 * through the Grafana API of an existing instance (externalGrafana.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { GrafanaSpec, StackSpec } from "../../stacks/spec";
import { secretConfig } from "../../stacks";
import { JOBS } from "../../lib/jobs";
import { contribution, scrapeTargetOf, type Contribution } from "../contribution";
import type { Platform, WorkloadRef } from "../platform/platform";
import type { FileSpec, SecretFileSpec, Workload } from "../platform/workload";
import {
  DATABASE_HOST_ENV,
  GRAFANA_GOSSIP_PORT,
  GRAFANA_HTTP_PORT,
  GRAFANA_PATHS,
  POD_IP_ENV,
  SECRET_ENV,
  renderGrafanaIni,
} from "./ini";
import {
  dashboardFilePath,
  datasourceCaPath,
  datasourcePasswordEnv,
  renderDashboardProviders,
  renderDatasources,
} from "./provisioning";
import { GRAFANA_DB_NAME, GRAFANA_DB_USER, GrafanaRds } from "./rds";
import { irsaAnnotations } from "../aws/irsa";

export interface GrafanaArgs {
  /** The resolved stack spec (Grafana settings, environment, tags, platform details). */
  stack: StackSpec;
  /** Platform Grafana runs on (self-hosted mode). */
  platform: Platform;
  /** Prometheus URL for the default datasource. */
  prometheusUrl: string;
  /** Alertmanager URL for the Alertmanager datasource. */
  alertmanagerUrl: string;
  /** What every service brings: its dashboards and datasources are provisioned. */
  contributions: Contribution;
  /**
   * AWS (monitoring:aws on): the CloudWatch datasource's region, the pods' IAM role (IRSA; without it
   * the datasources use whatever the node grants), and the AMP workspace to query when there is one.
   */
  aws?: { region: string; roleArn?: pulumi.Input<string>; amp?: { queryUrl: pulumi.Input<string> } };
  /** Log groups the RDS instance exports to; the instance waits for them (RDS would create them bare). */
  rdsLogGroups?: pulumi.Resource[];
  /** RDS log types exported to CloudWatch Logs (monitoring:aws.rds.logExports). */
  rdsLogExports?: string[];
}

/** How other workloads address Grafana. */
export const GRAFANA_REF: WorkloadRef = { name: JOBS.grafana, namespace: "restricted" };

/** A secret from config when named there, else a generated one (kept in state as a secret). */
function secretOrGenerated(
  parent: pulumi.Resource,
  name: string,
  configKey: string | undefined,
  length: number,
): pulumi.Output<string> {
  if (configKey) return secretConfig(configKey);
  const generated = new random.RandomPassword(name, { length, special: false }, { parent });
  return pulumi.secret(generated.result);
}

export class Grafana extends pulumi.ComponentResource {
  /** URL users reach Grafana at. */
  readonly url: string;
  /** Admin password (secret). */
  readonly adminPassword: pulumi.Output<string>;
  readonly workload: Workload;
  /** Its own scrape target. */
  readonly contribution: Contribution;

  constructor(name: string, args: GrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:grafana:Grafana", name, {}, opts);
    const { stack, platform } = args;
    const g: GrafanaSpec = stack.grafana;

    this.adminPassword = secretOrGenerated(this, `${name}-admin-password`, g.adminPasswordSecret, 32);
    const secretKey = secretOrGenerated(this, `${name}-secret-key`, g.secretKeySecret, 40);

    const env: Record<string, pulumi.Input<string>> = {
      GF_PATHS_CONFIG: GRAFANA_PATHS.config,
    };
    const secretEnv: Record<string, pulumi.Input<string>> = {
      [SECRET_ENV.adminPassword]: this.adminPassword,
      [SECRET_ENV.secretKey]: secretKey,
    };
    const db = g.database;
    if (db.type === "rds") {
      const rds = new GrafanaRds(
        `${name}-db`,
        {
          database: db,
          namePrefix: stack.namePrefix,
          ephemeral: stack.ephemeral,
          tags: stack.tags,
          logExports: args.rdsLogExports,
          logGroups: args.rdsLogGroups,
        },
        { parent: this },
      );
      env[DATABASE_HOST_ENV] = pulumi.interpolate`${rds.address}:${rds.port}`;
      secretEnv[SECRET_ENV.databasePassword] = rds.password;
    } else if (db.type === "postgres") {
      env[DATABASE_HOST_ENV] = `${db.host}:${db.port}`;
      secretEnv[SECRET_ENV.databasePassword] = secretConfig(db.passwordSecret);
    }
    if (g.oauth)
      secretEnv[SECRET_ENV.oauthClientSecret(g.oauth.provider)] = secretConfig(g.oauth.clientSecretSecret);
    const secretFiles: SecretFileSpec[] = g.ldapConfigSecret
      ? [{ path: GRAFANA_PATHS.ldap, content: secretConfig(g.ldapConfigSecret) }]
      : [];

    const clustered = g.replicas > 1;
    this.url = g.ingress
      ? `https://${g.ingress.host}/`
      : platform.name === "docker"
        ? `http://${stack.docker.publishAddress}:${g.hostPort}/`
        : `http://${platform.serviceAddress(GRAFANA_REF, GRAFANA_HTTP_PORT)}/`;

    const aws = args.aws;
    // Contributed datasources' credentials: the datasources file only names them (provisioning.ts); each
    // password arrives as a secret env var, each CA certificate (public) as a file of its own.
    const contributed = args.contributions.datasources;
    const datasourceCaFiles: FileSpec[] = [];
    for (const ds of contributed) {
      if (ds.basicAuth) secretEnv[datasourcePasswordEnv(ds.uid)] = ds.basicAuth.password;
      if (ds.caCert !== undefined)
        datasourceCaFiles.push({
          path: datasourceCaPath(ds.uid, GRAFANA_PATHS.datasourceCa),
          content: ds.caCert,
        });
    }
    const datasourceOptions = {
      prometheusUrl: args.prometheusUrl,
      alertmanagerUrl: args.alertmanagerUrl,
      // Credentials from the AWS SDK's default chain (the pod's IAM role), never static keys.
      cloudwatch: aws && { region: aws.region },
      extra: contributed,
      caDir: GRAFANA_PATHS.datasourceCa,
      editable: !g.readOnlyProvisioning,
    };
    // The workspace endpoint exists only once AWS has created it.
    const datasources: pulumi.Input<string> = aws?.amp
      ? pulumi
          .output(aws.amp.queryUrl)
          .apply((url) => renderDatasources({ ...datasourceOptions, amp: { url, region: aws.region } }))
      : renderDatasources(datasourceOptions);

    const dashboards = args.contributions.dashboards;
    const folders = [...new Set(dashboards.map((d) => d.folder))];
    const files: FileSpec[] = [
      {
        path: GRAFANA_PATHS.config,
        content: renderGrafanaIni({
          rootUrl: this.url,
          adminUser: g.adminUser,
          database:
            db.type === "sqlite"
              ? { type: "sqlite" }
              : db.type === "postgres"
                ? { type: "postgres", name: db.name, user: db.user, sslMode: db.sslMode }
                : { type: "postgres", name: GRAFANA_DB_NAME, user: GRAFANA_DB_USER, sslMode: "require" },
          ha: clustered
            ? {
                peers: [
                  platform.serviceAddress(
                    { ...GRAFANA_REF, name: `${GRAFANA_REF.name}-headless` },
                    GRAFANA_GOSSIP_PORT,
                  ),
                ],
                listenOnPodIp: platform.name === "kubernetes",
              }
            : undefined,
          oauth: g.oauth,
          ldap: secretFiles.length > 0,
          cookieSecure: g.ingress !== undefined,
          sigv4: aws?.amp !== undefined,
        }),
      },
      {
        path: `${GRAFANA_PATHS.provisioning}/datasources/datasources.yml`,
        content: datasources,
      },
      ...datasourceCaFiles,
      {
        path: `${GRAFANA_PATHS.provisioning}/dashboards/providers.yml`,
        content: renderDashboardProviders(folders, {
          allowUiUpdates: !g.readOnlyProvisioning,
          dashboardsRoot: GRAFANA_PATHS.dashboards,
        }),
      },
      ...dashboards.map((d) => ({
        path: dashboardFilePath(d, GRAFANA_PATHS.dashboards),
        content: JSON.stringify(d.json, null, 2),
      })),
    ];

    const sqlite = db.type === "sqlite";
    this.workload = {
      name: JOBS.grafana,
      component: "dashboards",
      // With sqlite the database lives on the replica's own volume; with a shared database replicas are interchangeable.
      kind: sqlite ? "stateful" : "stateless",
      namespace: GRAFANA_REF.namespace,
      replicas: g.replicas,
      containers: [
        {
          name: JOBS.grafana,
          image: g.image,
          // The image ships busybox wget (used by its own HEALTHCHECK docs); the Docker healthcheck uses it.
          tools: "wget",
          args: [],
          env,
          secretEnv,
          fieldEnv: clustered ? { [POD_IP_ENV]: "pod-ip" } : undefined,
          files,
          secretFiles,
          ports: [
            {
              name: "http",
              port: GRAFANA_HTTP_PORT,
              hostPort: platform.name === "docker" ? g.hostPort : undefined,
            },
            ...(clustered ? [{ name: "gossip", port: GRAFANA_GOSSIP_PORT, peer: true }] : []),
          ],
          probes: {
            readiness: { kind: "http", path: "/api/health", port: "http" },
            liveness: {
              kind: "http",
              path: "/api/health",
              port: "http",
              periodSeconds: 30,
              failureThreshold: 5,
            },
          },
          resources: g.resources,
          volumeMounts: sqlite ? [{ volume: "data", mountPath: GRAFANA_PATHS.data }] : [],
          scratchDirs: sqlite ? ["/tmp"] : ["/tmp", GRAFANA_PATHS.data],
        },
      ],
      volumes: sqlite
        ? [
            {
              name: "data",
              sizeGi: g.volume.sizeGi,
              storageClass: g.volume.storageClass,
              configKey: "monitoring:grafana.volume.size",
            },
          ]
        : [],
      user: { uid: 472, gid: 472 },
      metrics: { port: "http", path: "/metrics" },
      ingress: g.ingress && {
        host: g.ingress.host,
        port: "http",
        tlsSecretName: g.ingress.tlsSecretName,
        className: g.ingress.className,
        annotations: g.ingress.clusterIssuer
          ? { "cert-manager.io/cluster-issuer": g.ingress.clusterIssuer }
          : undefined,
      },
      ingressFrom: ["prometheus"],
      ingressFromNamespaces: stack.kubernetes.ingressNamespaces,
      serviceAccountAnnotations: aws?.roleArn ? irsaAnnotations(aws.roleArn) : undefined,
    };
    platform.deploy(name, this.workload, this);
    this.contribution = contribution({
      workloads: [this.workload],
      scrapeTargets: [scrapeTargetOf(this.workload, platform)],
    });
    this.registerOutputs({ url: this.url, adminPassword: this.adminPassword });
  }
}

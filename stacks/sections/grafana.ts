/**
 * `monitoring:grafana`: self-hosted (HA on a shared database), external (provisioned through its API)
 * or disabled; its database, authentication and ingress.
 */
import { z } from "zod";
import { checkSecretRef } from "../errors";
import {
  pinnedImage,
  dnsSubdomain,
  replicas,
  resolveResources,
  resourcesSchema,
  secretRef,
  singleLine,
  sizeGi,
  uniqueList,
  volumeSchema,
  type ResourcesSpec,
  type VolumeSizing,
} from "../fields";
import { IMAGES } from "../profiles";
import { pathIn, section, type Environment, type SectionContext } from "./section";

export const GRAFANA_DEFAULTS: Record<
  Environment,
  {
    replicas: number;
    database: "sqlite" | "rds";
    volumeSizeGi: number;
    storageClass?: string;
    resources: ResourcesSpec;
    rdsInstanceClass: string;
    rdsMultiAz: boolean;
  }
> = {
  dev: {
    replicas: 1,
    database: "sqlite",
    volumeSizeGi: 2,
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } },
    rdsInstanceClass: "db.t4g.micro",
    rdsMultiAz: false,
  },
  prod: {
    replicas: 2,
    database: "rds",
    volumeSizeGi: 10,
    storageClass: "gp3",
    resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
    rdsInstanceClass: "db.t4g.small",
    rdsMultiAz: true,
  },
};

export type GrafanaDatabase =
  | { type: "sqlite" }
  | {
      type: "postgres";
      host: string;
      port: number;
      name: string;
      user: string;
      passwordSecret: string;
      sslMode: "disable" | "require" | "verify-ca" | "verify-full";
    }
  | {
      type: "rds";
      vpcId: string;
      subnetIds: string[];
      allowedSecurityGroupIds: string[];
      allowedCidrs: string[];
      instanceClass: string;
      allocatedStorageGi: number;
      engineVersion: string;
      backupRetentionDays: number;
      multiAz: boolean;
      deletionProtection: boolean;
    };

export interface GrafanaOAuthSpec {
  provider: "generic" | "github" | "google";
  clientId: string;
  clientSecretSecret: string;
  authUrl?: string;
  tokenUrl?: string;
  apiUrl?: string;
  scopes?: string;
  allowedDomains: string[];
  allowedOrganizations: string[];
  roleAttributePath?: string;
  autoLogin: boolean;
}

export interface GrafanaSpec {
  /** self-hosted: deploy Grafana; external: provision an existing Grafana through its API; disabled. */
  mode: "self-hosted" | "external" | "disabled";
  image: string;
  replicas: number;
  resources: ResourcesSpec;
  volume: VolumeSizing;
  adminUser: string;
  /** Secret config key of the admin password, or undefined to generate one. */
  adminPasswordSecret?: string;
  secretKeySecret?: string;
  database: GrafanaDatabase;
  oauth?: GrafanaOAuthSpec;
  ldapConfigSecret?: string;
  ingress?: { host: string; tlsSecretName: string; className?: string; clusterIssuer?: string };
  hostPort: number;
  /** Datasources and dashboards are read-only in the UI (prod). */
  readOnlyProvisioning: boolean;
  external?: { url: string; authSecret: string; prometheusUrl: string; alertmanagerUrl?: string };
}

const grafanaSchema = z.strictObject({
  mode: z.enum(["self-hosted", "external", "disabled"]).optional(),
  image: pinnedImage.optional(),
  replicas: replicas(10).optional(),
  resources: resourcesSchema.optional(),
  /** sqlite only: the volume holding grafana.db. */
  volume: volumeSchema.optional(),
  adminUser: singleLine.optional(),
  /** Secret key holding the admin password; generated when absent. */
  adminPasswordSecret: secretRef.optional(),
  /** Secret key holding the cookie/data-source encryption key; generated when absent. */
  secretKeySecret: secretRef.optional(),
  database: z
    .strictObject({
      type: z.enum(["sqlite", "postgres", "rds"]).optional(),
      postgres: z
        .strictObject({
          host: z.string().regex(/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/, {
            message: "expected a host name (the port goes in grafana.database.postgres.port)",
          }),
          port: z.number().int().min(1).max(65535).optional(),
          name: singleLine.optional(),
          user: singleLine.optional(),
          passwordSecret: secretRef,
          sslMode: z.enum(["disable", "require", "verify-ca", "verify-full"]).optional(),
        })
        .optional(),
      rds: z
        .strictObject({
          vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, { message: "expected a VPC id (vpc-...)" }),
          subnetIds: uniqueList(
            z.string().regex(/^subnet-[0-9a-f]+$/, { message: "expected a subnet id (subnet-...)" }),
          ).min(2, { message: "RDS needs private subnets in at least two availability zones" }),
          /** Security groups (e.g. the cluster's node group) allowed to reach the database. */
          allowedSecurityGroupIds: uniqueList(
            z.string().regex(/^sg-[0-9a-f]+$/, { message: "expected a security group id (sg-...)" }),
          ).optional(),
          /** CIDR blocks (e.g. the pod network) allowed to reach the database. */
          allowedCidrs: uniqueList(z.cidrv4({ message: "expected an IPv4 CIDR block" })).optional(),
          instanceClass: z
            .string()
            .regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { message: "expected an RDS class such as db.t4g.small" })
            .optional(),
          allocatedStorageGi: z.number().int().min(20).max(65536).optional(),
          engineVersion: z
            .string()
            .regex(/^\d+(\.\d+)?$/)
            .optional(),
          backupRetentionDays: z
            .number()
            .int()
            .min(7, { message: "keep automated backups for at least 7 days" })
            .max(35)
            .optional(),
          multiAz: z.boolean().optional(),
        })
        .optional(),
    })
    .optional(),
  auth: z
    .strictObject({
      oauth: z
        .strictObject({
          provider: z.enum(["generic", "github", "google"]),
          clientId: singleLine,
          clientSecretSecret: secretRef,
          authUrl: z.url().optional(),
          tokenUrl: z.url().optional(),
          apiUrl: z.url().optional(),
          scopes: singleLine.optional(),
          allowedDomains: uniqueList(
            z.string().regex(/^[a-z0-9.-]+$/, { message: "expected a domain" }),
          ).optional(),
          allowedOrganizations: uniqueList(singleLine).optional(),
          roleAttributePath: singleLine.optional(),
          autoLogin: z.boolean().optional(),
        })
        .optional(),
      /** Secret key holding the ldap.toml contents (it carries the bind password). */
      ldapConfigSecret: secretRef.optional(),
    })
    .optional(),
  ingress: z
    .strictObject({
      host: z
        .string()
        .max(253)
        .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, {
          message: 'expected a fully qualified host name such as "grafana.example.com"',
        }),
      tlsSecretName: dnsSubdomain,
      className: dnsSubdomain.optional(),
      clusterIssuer: dnsSubdomain.optional(),
    })
    .optional(),
  /** Docker only: host port Grafana is published on (on the publish address). */
  hostPort: z.number().int().min(1024).max(65535).optional(),
  external: z
    .strictObject({
      url: z.url({ protocol: /^https?$/ }),
      /** Secret key holding a service-account token with Editor/Admin rights. */
      authSecret: secretRef,
      /** Prometheus URL as the external Grafana reaches it (it cannot use in-cluster names). */
      prometheusUrl: z.url({ protocol: /^https?$/ }),
      alertmanagerUrl: z.url({ protocol: /^https?$/ }).optional(),
    })
    .optional(),
});

function resolveGrafana(raw: z.infer<typeof grafanaSchema> | undefined, ctx: SectionContext): GrafanaSpec {
  const { environment: env, ephemeral, platform, storageClass, secretKeys, problems } = ctx;
  const profile = GRAFANA_DEFAULTS[env];
  const g = raw ?? {};
  const at = pathIn("grafana");
  const mode = g.mode ?? "self-hosted";
  const dbType =
    g.database?.type ??
    (g.database?.rds
      ? "rds"
      : g.database?.postgres
        ? "postgres"
        : platform === "docker"
          ? "sqlite"
          : profile.database);
  for (const other of ["rds", "postgres"] as const) {
    if (g.database?.[other] && dbType !== other) {
      problems.push({
        path: at("database", other),
        message: `is set but grafana.database.type is "${dbType}"; remove one`,
      });
    }
  }
  const replicas = g.replicas ?? (dbType === "sqlite" ? 1 : profile.replicas);

  let database: GrafanaDatabase = { type: "sqlite" };
  if (mode === "self-hosted") {
    if (dbType === "sqlite" && replicas > 1) {
      problems.push({
        path: at("replicas"),
        message: `is ${replicas}, but replicas share state only through a database: set grafana.database.type to "postgres" or "rds", or use 1 replica`,
        value: replicas,
      });
    }
    if (dbType === "postgres") {
      const pg = g.database?.postgres;
      if (!pg) {
        problems.push({
          path: at("database", "postgres"),
          message: 'is required when grafana.database.type is "postgres" (host, passwordSecret)',
        });
      } else {
        checkSecretRef(pg.passwordSecret, at("database", "postgres", "passwordSecret"), secretKeys, problems);
        database = {
          type: "postgres",
          host: pg.host,
          port: pg.port ?? 5432,
          name: pg.name ?? "grafana",
          user: pg.user ?? "grafana",
          passwordSecret: pg.passwordSecret,
          sslMode: pg.sslMode ?? "require",
        };
      }
    }
    if (dbType === "rds") {
      const rds = g.database?.rds;
      if (!rds) {
        problems.push({
          path: at("database", "rds"),
          message:
            'is required when grafana.database.type is "rds" (vpcId, subnetIds, allowedSecurityGroupIds or allowedCidrs)',
        });
      } else {
        if (!rds.allowedSecurityGroupIds?.length && !rds.allowedCidrs?.length) {
          problems.push({
            path: at("database", "rds"),
            message:
              "give allowedSecurityGroupIds or allowedCidrs: the database admits only the cluster, so something must name it",
          });
        }
        database = {
          type: "rds",
          vpcId: rds.vpcId,
          subnetIds: rds.subnetIds,
          allowedSecurityGroupIds: rds.allowedSecurityGroupIds ?? [],
          allowedCidrs: rds.allowedCidrs ?? [],
          instanceClass: rds.instanceClass ?? profile.rdsInstanceClass,
          allocatedStorageGi: rds.allocatedStorageGi ?? 20,
          engineVersion: rds.engineVersion ?? "16",
          backupRetentionDays: rds.backupRetentionDays ?? (env === "prod" ? 14 : 7),
          multiAz: rds.multiAz ?? profile.rdsMultiAz,
          deletionProtection: env === "prod" && !ephemeral,
        };
      }
    }
  }
  checkSecretRef(g.adminPasswordSecret, at("adminPasswordSecret"), secretKeys, problems);
  checkSecretRef(g.secretKeySecret, at("secretKeySecret"), secretKeys, problems);
  checkSecretRef(
    g.auth?.oauth?.clientSecretSecret,
    at("auth", "oauth", "clientSecretSecret"),
    secretKeys,
    problems,
  );
  checkSecretRef(g.auth?.ldapConfigSecret, at("auth", "ldapConfigSecret"), secretKeys, problems);
  if (
    g.auth?.oauth?.provider === "generic" &&
    !(g.auth.oauth.authUrl && g.auth.oauth.tokenUrl && g.auth.oauth.apiUrl)
  ) {
    problems.push({ path: at("auth", "oauth"), message: "generic OAuth needs authUrl, tokenUrl and apiUrl" });
  }
  if (mode === "external") {
    if (!g.external) {
      problems.push({
        path: at("external"),
        message: 'is required when grafana.mode is "external" (url, authSecret, prometheusUrl)',
      });
    } else {
      checkSecretRef(g.external.authSecret, at("external", "authSecret"), secretKeys, problems);
    }
  }
  if (g.ingress && platform !== "kubernetes") {
    problems.push({
      path: at("ingress"),
      message: 'needs platform "kubernetes"; on Docker Grafana is published on grafana.hostPort',
    });
  }

  const oauth = g.auth?.oauth;
  return {
    mode,
    image: g.image ?? IMAGES.grafana,
    replicas,
    resources: resolveResources(g.resources, profile.resources, at("resources"), problems),
    volume: {
      sizeGi: g.volume?.size ? sizeGi(g.volume.size) : profile.volumeSizeGi,
      storageClass: g.volume?.storageClass ?? storageClass ?? profile.storageClass,
    },
    adminUser: g.adminUser ?? "admin",
    adminPasswordSecret: g.adminPasswordSecret,
    secretKeySecret: g.secretKeySecret,
    database,
    oauth: oauth && {
      ...oauth,
      allowedDomains: oauth.allowedDomains ?? [],
      allowedOrganizations: oauth.allowedOrganizations ?? [],
      autoLogin: oauth.autoLogin ?? false,
    },
    ldapConfigSecret: g.auth?.ldapConfigSecret,
    ingress: g.ingress,
    hostPort: g.hostPort ?? 3000,
    readOnlyProvisioning: env === "prod",
    external: g.external,
  };
}

export const grafanaSection = section({ key: "grafana", schema: grafanaSchema, resolve: resolveGrafana });

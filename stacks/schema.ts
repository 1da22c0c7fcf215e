/**
 * The raw config schema: what a user may write under `monitoring:*` in Pulumi.<stack>.yaml.
 * Everything is optional here; the environment profile (profiles.ts) supplies defaults and
 * resolve.ts applies cross-field rules. Objects are strict so a misspelt key is an error, not a no-op.
 */
import { z } from "zod";
import { cpuCores, prometheusDurationSeconds, quantityBytes } from "../lib/units";

export const duration = z
  .string()
  .refine((s) => prometheusDurationSeconds(s) !== undefined, {
    message: 'expected a duration such as "30s", "15d" or "1h30m" (units from largest to smallest)',
  });

export const byteQuantity = z
  .string()
  .refine((s) => quantityBytes(s) !== undefined, { message: 'expected a size such as "50Gi", "512Mi" or "1G"' });

export const cpuQuantity = z
  .string()
  .refine((s) => cpuCores(s) !== undefined, { message: 'expected a CPU quantity such as "500m" or "2"' });

/** An image reference pinned to a version tag or digest; `latest` and untagged images are refused. */
export const pinnedImage = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._\-/:]*[a-z0-9](:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/, {
    message: 'expected an image pinned to a version, e.g. "prom/prometheus:v3.5.3"',
  })
  .refine((s) => !/:latest$/.test(s), { message: 'the "latest" tag is not a version; pin the image' });

const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
  message: "expected a DNS label (lowercase letters, digits, '-')",
});

export const resourcesSchema = z.strictObject({
  requests: z.strictObject({ cpu: cpuQuantity, memory: byteQuantity }).optional(),
  limits: z.strictObject({ cpu: cpuQuantity.optional(), memory: byteQuantity }).optional(),
});

export const volumeSchema = z.strictObject({
  size: byteQuantity.optional(),
  storageClass: z.string().min(1).optional(),
});

const replicas = (max: number) =>
  z
    .number()
    .int({ message: "expected a whole number" })
    .min(1, { message: "expected at least 1 replica" })
    .max(max, { message: `expected at most ${max} replicas` });

function secretRefSchema() {
  return z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, { message: "expected the name of a secret config key" });
}

export const prometheusSchema = z.strictObject({
  image: pinnedImage.optional(),
  replicas: replicas(5).optional(),
  scrapeInterval: duration.optional(),
  evaluationInterval: duration.optional(),
  retentionTime: duration.optional(),
  retentionSize: byteQuantity.optional(),
  volume: volumeSchema.optional(),
  /** Declared load from which the volume size is computed when volume.size is not given. */
  sizing: z
    .strictObject({
      activeSeries: z.number().int().positive().optional(),
      samplesPerSecond: z.number().positive().optional(),
      bytesPerSample: z.number().positive().max(16).optional(),
      headroom: z.number().min(0).max(3).optional(),
    })
    .optional(),
  resources: resourcesSchema.optional(),
  extraScrapeJobs: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_-]*$/, { message: "expected a job name" }),
        targets: z.array(z.string().regex(/^[^\s/]+:\d+$/, { message: "expected host:port" })).min(1),
        metricsPath: z.string().startsWith("/").optional(),
        scrapeInterval: duration.optional(),
      }),
    )
    .optional(),
  kubernetesDiscovery: z.boolean().optional(),
  remoteWrite: z
    .strictObject({
      url: z.url({ protocol: /^https?$/ }),
      sigv4Region: z.string().min(1).optional(),
    })
    .optional(),
});

const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { message: "expected a label name" });
const matcher = z
  .string()
  .regex(/^\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|[^"\s]*)\s*$/, {
    message: 'expected a matcher such as severity="critical" or alertname=~"Node.*"',
  });
const receiverName = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, { message: "expected a receiver name" });
const hostPort = z.string().regex(/^[^\s:/]+:\d+$/, { message: "expected host:port" });
const email = z.string().regex(/^[^\s@]+@[^\s@]+$/, { message: "expected an email address" });

/** Route settings shared by the root and child routes. */
const routeTiming = {
  groupBy: z.array(z.union([labelName, z.literal("...")])).optional(),
  groupWait: duration.optional(),
  groupInterval: duration.optional(),
  repeatInterval: duration.optional(),
};

export const receiverSchema = z.strictObject({
  email: z
    .array(
      z.strictObject({
        to: email,
        from: email,
        smarthost: hostPort,
        authUsername: z.string().min(1).optional(),
        authPasswordSecret: secretRefSchema().optional(),
        requireTls: z.boolean().optional(),
        sendResolved: z.boolean().optional(),
      }),
    )
    .optional(),
  slack: z
    .array(
      z.strictObject({
        apiUrlSecret: secretRefSchema(),
        channel: z.string().min(1).optional(),
        sendResolved: z.boolean().optional(),
      }),
    )
    .optional(),
  pagerduty: z
    .array(z.strictObject({ routingKeySecret: secretRefSchema(), sendResolved: z.boolean().optional() }))
    .optional(),
  webhook: z
    .array(
      z.strictObject({
        urlSecret: secretRefSchema(),
        sendResolved: z.boolean().optional(),
        maxAlerts: z.number().int().min(0).optional(),
      }),
    )
    .optional(),
});

export const routingSchema = z.strictObject({
  ...routeTiming,
  resolveTimeout: duration.optional(),
  /** Receivers by name; credentials are names of secret config keys. */
  receivers: z.record(receiverName, receiverSchema).optional(),
  /** Receiver of everything no other route takes. */
  defaultReceiver: receiverName.optional(),
  /** Receivers per severity, in order; every one of them is notified. */
  severityRoutes: z
    .partialRecord(z.enum(["critical", "warning", "info"]), z.array(receiverName).min(1))
    .optional(),
  /** Dead man's switch: the always-firing Watchdog alert goes here, every `interval`. */
  watchdog: z.strictObject({ receiver: receiverName, interval: duration.optional() }).optional(),
  /** Extra routes, matched before the severity routes. */
  routes: z
    .array(
      z.strictObject({
        matchers: z.array(matcher).min(1),
        receiver: receiverName,
        continue: z.boolean().optional(),
        ...routeTiming,
      }),
    )
    .optional(),
  /** Replaces the default inhibition (critical silences warning and info, warning silences info). */
  inhibitRules: z
    .array(
      z.strictObject({
        sourceMatchers: z.array(matcher).min(1),
        targetMatchers: z.array(matcher).min(1),
        equal: z.array(labelName),
      }),
    )
    .optional(),
  /** Extra notification template files: file name (*.tmpl) -> Go template text. */
  templates: z
    .record(
      z.string().regex(/^[a-zA-Z0-9_-]+\.tmpl$/, { message: "expected a file name ending in .tmpl" }),
      z.string(),
    )
    .optional(),
});

export const alertmanagerSchema = z.strictObject({
  image: pinnedImage.optional(),
  replicas: replicas(7).optional(),
  volume: volumeSchema.optional(),
  resources: resourcesSchema.optional(),
  /** The route tree, receivers, inhibit rules and templates (README: "Alert routing"). */
  routing: routingSchema.optional(),
});

export const nodeExporterSchema = z.strictObject({
  enabled: z.boolean().optional(),
  image: pinnedImage.optional(),
  resources: resourcesSchema.optional(),
  mountPointsExclude: z.string().optional(),
  fsTypesExclude: z.string().optional(),
});

export const cadvisorSchema = z.strictObject({
  enabled: z.boolean().optional(),
  source: z.enum(["container", "kubelet"]).optional(),
  image: pinnedImage.optional(),
  resources: resourcesSchema.optional(),
});

export const kubernetesSchema = z.strictObject({
  namespace: dnsLabel.optional(),
  kubeconfig: z.string().min(1).optional(),
  context: z.string().min(1).optional(),
  storageClass: z.string().min(1).optional(),
  ingressNamespaces: z.array(dnsLabel).optional(),
});

export const dockerSchema = z.strictObject({
  host: z.string().min(1).optional(),
  publishAddress: z
    .union([z.ipv4(), z.ipv6()], { message: "expected an IP address such as 127.0.0.1" })
    .optional(),
});

export const rulesSchema = z.strictObject({
  runbookBaseUrl: z.url({ protocol: /^https?$/, message: "expected an http(s) URL" }).optional(),
});

/** Name of a `monitoring:*` config key that holds a Pulumi secret (checked to exist and be secret). */
export const secretRef = secretRefSchema();

export const grafanaSchema = z.strictObject({
  mode: z.enum(["self-hosted", "external", "disabled"]).optional(),
  image: pinnedImage.optional(),
  replicas: replicas(10).optional(),
  resources: resourcesSchema.optional(),
  /** sqlite only: the volume holding grafana.db. */
  volume: volumeSchema.optional(),
  adminUser: z.string().min(1).optional(),
  /** Secret key holding the admin password; generated when absent. */
  adminPasswordSecret: secretRef.optional(),
  /** Secret key holding the cookie/data-source encryption key; generated when absent. */
  secretKeySecret: secretRef.optional(),
  database: z
    .strictObject({
      type: z.enum(["sqlite", "postgres", "rds"]).optional(),
      postgres: z
        .strictObject({
          host: z.string().min(1),
          port: z.number().int().min(1).max(65535).optional(),
          name: z.string().min(1).optional(),
          user: z.string().min(1).optional(),
          passwordSecret: secretRef,
          sslMode: z.enum(["disable", "require", "verify-ca", "verify-full"]).optional(),
        })
        .optional(),
      rds: z
        .strictObject({
          vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, { message: "expected a VPC id (vpc-...)" }),
          subnetIds: z
            .array(z.string().regex(/^subnet-[0-9a-f]+$/, { message: "expected a subnet id (subnet-...)" }))
            .min(2, { message: "RDS needs private subnets in at least two availability zones" }),
          /** Security groups (e.g. the cluster's node group) allowed to reach the database. */
          allowedSecurityGroupIds: z
            .array(z.string().regex(/^sg-[0-9a-f]+$/, { message: "expected sg-..." }))
            .optional(),
          /** CIDR blocks (e.g. the pod network) allowed to reach the database. */
          allowedCidrs: z.array(z.cidrv4({ message: "expected an IPv4 CIDR block" })).optional(),
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
          clientId: z.string().min(1),
          clientSecretSecret: secretRef,
          authUrl: z.url().optional(),
          tokenUrl: z.url().optional(),
          apiUrl: z.url().optional(),
          scopes: z.string().optional(),
          allowedDomains: z.array(z.string()).optional(),
          allowedOrganizations: z.array(z.string()).optional(),
          roleAttributePath: z.string().optional(),
          autoLogin: z.boolean().optional(),
        })
        .optional(),
      /** Secret key holding the ldap.toml contents (it carries the bind password). */
      ldapConfigSecret: secretRef.optional(),
    })
    .optional(),
  ingress: z
    .strictObject({
      host: z.string().regex(/^[a-z0-9.-]+$/, { message: "expected a host name" }),
      tlsSecretName: z.string().min(1),
      className: z.string().min(1).optional(),
      clusterIssuer: z.string().min(1).optional(),
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

/** Top-level keys under the `monitoring:` namespace, each validated on its own. */
export const configKeys = {
  environment: z.enum(["dev", "prod"]),
  ephemeral: z.boolean(),
  platform: z.enum(["docker", "kubernetes"]),
  cluster: dnsLabel,
  tags: z.record(
    z.string().regex(/^[\w.:/=+@-]{1,128}$/, { message: "expected a tag key" }),
    z.string().max(256),
  ),
  kubernetes: kubernetesSchema,
  docker: dockerSchema,
  prometheus: prometheusSchema,
  alertmanager: alertmanagerSchema,
  nodeExporter: nodeExporterSchema,
  cadvisor: cadvisorSchema,
  rules: rulesSchema,
  grafana: grafanaSchema,
} as const;

export type ConfigKey = keyof typeof configKeys;
export type RawConfig = { [K in ConfigKey]?: z.infer<(typeof configKeys)[K]> };

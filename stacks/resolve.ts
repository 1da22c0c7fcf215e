/**
 * Turns a stack's raw config into a resolved StackSpec, or throws one ConfigError listing every
 * problem. Pure: no Pulumi imports, so it is tested directly and runs before any resource exists.
 */
import type { z } from "zod";
import { ConfigError, type ConfigProblem } from "./errors";
import { IMAGES, PROFILES } from "./profiles";
import { configKeys, type ConfigKey, type RawConfig, type resourcesSchema } from "./schema";
import type {
  Environment,
  GrafanaDatabase,
  GrafanaSpec,
  PlatformName,
  PrometheusSpec,
  ResourcesSpec,
  StackSpec,
  VolumeSizing,
} from "./spec";
import { resolveRouting } from "./routing";
import { durationSeconds, GIB, requireQuantityBytes } from "../lib/units";
import { JOBS } from "../components/metrics/jobs";
import { DEFAULT_RUNBOOK_BASE_URL } from "../components/rules/runbooks";

export const CONFIG_NAMESPACE = "monitoring";

/** What resolveStackSpec needs besides the raw values. */
export interface ResolveContext {
  /** The Pulumi stack name. */
  stack: string;
  /** Config keys (without namespace) whose values are Pulumi secrets. */
  secretKeys: ReadonlySet<string>;
  /** `aws:region` of the stack, when AWS is configured (enables the CloudWatch datasource). */
  awsRegion?: string;
}

/** Share of the volume the retention size defaults to; the rest is room for compaction and the WAL. */
export const RETENTION_SIZE_SHARE = 0.85;
/** Largest share of the volume a configured retention size may take. */
export const RETENTION_SIZE_MAX_SHARE = 0.9;
export const DEFAULT_BYTES_PER_SAMPLE = 2;
export const DEFAULT_SIZING_HEADROOM = 0.2;

const keyPath = (key: string, path: PropertyKey[] = []): string =>
  [`${CONFIG_NAMESPACE}:${key}`, ...path.map(String)].join(".");

/** The environment profile of a stack: `monitoring:environment`, else "prod" for the stack named prod, else "dev". */
export function environmentOf(stack: string, configured: unknown): Environment {
  if (configured === "dev" || configured === "prod") return configured;
  return stack === "prod" ? "prod" : "dev";
}

/** Validates each known key on its own so one bad key does not hide problems in the others. */
function parseRaw(
  values: Record<string, unknown>,
  problems: ConfigProblem[],
  failed: Set<string>,
): RawConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!(key in configKeys)) continue; // secrets and other keys are looked up by name where referenced
    const schema = configKeys[key as ConfigKey] as z.ZodType;
    const result = schema.safeParse(value, { reportInput: true });
    if (result.success) {
      raw[key] = result.data;
      continue;
    }
    failed.add(key);
    for (const issue of result.error.issues) {
      const problem: ConfigProblem = { path: keyPath(key, issue.path), message: issue.message };
      if (issue.code === "unrecognized_keys") {
        problem.message = `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}; check the spelling against the README's config reference`;
      } else if ("input" in issue && issue.input !== undefined && typeof issue.input !== "object") {
        problem.value = issue.input;
      }
      problems.push(problem);
    }
  }
  return raw as RawConfig;
}

function resources(
  given: z.infer<typeof resourcesSchema> | undefined,
  defaults: ResourcesSpec,
): ResourcesSpec {
  return {
    requests: given?.requests ?? defaults.requests,
    limits: given?.limits ?? defaults.limits,
  };
}

function sizeGi(text: string): number {
  return Math.ceil(requireQuantityBytes(text) / GIB);
}

/**
 * Prometheus volume sizing. Needed bytes = retention seconds x samples per second x bytes per sample;
 * the volume adds the headroom and is sized so that the needed bytes fit in RETENTION_SIZE_SHARE of it.
 */
export function computePrometheusVolumeGi(args: {
  retentionSeconds: number;
  samplesPerSecond: number;
  bytesPerSample: number;
  headroom: number;
}): number {
  const needed = args.retentionSeconds * args.samplesPerSecond * args.bytesPerSample * (1 + args.headroom);
  return Math.max(1, Math.ceil(needed / RETENTION_SIZE_SHARE / GIB));
}

function resolvePrometheus(
  raw: RawConfig["prometheus"],
  env: Environment,
  storageClass: string | undefined,
  problems: ConfigProblem[],
): PrometheusSpec {
  const profile = PROFILES[env].prometheus;
  const p = raw ?? {};
  const scrapeInterval = p.scrapeInterval ?? profile.scrapeInterval;
  const retentionTime = p.retentionTime ?? profile.retentionTime;

  let computedGi: number | undefined;
  let explanation = "";
  if (p.sizing) {
    const { activeSeries, samplesPerSecond } = p.sizing;
    if (activeSeries === undefined && samplesPerSecond === undefined) {
      problems.push({
        path: keyPath("prometheus", ["sizing"]),
        message: "give activeSeries or samplesPerSecond to compute the volume size from the load",
      });
    } else {
      const sps = samplesPerSecond ?? activeSeries! / durationSeconds(scrapeInterval);
      const bytesPerSample = p.sizing.bytesPerSample ?? DEFAULT_BYTES_PER_SAMPLE;
      const headroom = p.sizing.headroom ?? DEFAULT_SIZING_HEADROOM;
      computedGi = computePrometheusVolumeGi({
        retentionSeconds: durationSeconds(retentionTime),
        samplesPerSecond: sps,
        bytesPerSample,
        headroom,
      });
      explanation =
        `${retentionTime} x ${sps.toFixed(1)} samples/s x ${bytesPerSample} B/sample x (1 + ${headroom} headroom)` +
        ` / ${RETENTION_SIZE_SHARE} = ${computedGi}Gi`;
    }
  }

  const givenGi = p.volume?.size ? sizeGi(p.volume.size) : undefined;
  if (givenGi !== undefined && computedGi !== undefined && givenGi < computedGi) {
    problems.push({
      path: keyPath("prometheus", ["volume", "size"]),
      message: `is smaller than the ${computedGi}Gi the declared load needs (${explanation}); raise it or drop it to use the computed size`,
      value: p.volume!.size,
    });
  }
  const volumeGi = givenGi ?? computedGi ?? profile.volumeSizeGi;
  const volume: VolumeSizing = {
    sizeGi: volumeGi,
    storageClass: p.volume?.storageClass ?? storageClass ?? profile.storageClass,
  };

  let retentionSize = `${Math.floor(volumeGi * 1024 * RETENTION_SIZE_SHARE)}MB`;
  if (p.retentionSize) {
    const bytes = requireQuantityBytes(p.retentionSize);
    const limit = volumeGi * GIB * RETENTION_SIZE_MAX_SHARE;
    if (bytes > limit) {
      problems.push({
        path: keyPath("prometheus", ["retentionSize"]),
        message:
          `does not fit the ${volumeGi}Gi volume: keep it at most ${Math.round(RETENTION_SIZE_MAX_SHARE * 100)}% of the volume ` +
          `(${Math.floor(limit / 2 ** 20)}MB) so compaction and the WAL have room, or enlarge prometheus.volume.size`,
        value: p.retentionSize,
      });
    }
    retentionSize = `${Math.floor(bytes / 2 ** 20)}MB`;
  }

  const builtIn = new Set<string>(Object.values(JOBS));
  const seen = new Set<string>();
  (p.extraScrapeJobs ?? []).forEach((job, i) => {
    if (builtIn.has(job.name) || seen.has(job.name)) {
      problems.push({
        path: keyPath("prometheus", ["extraScrapeJobs", i, "name"]),
        message: "job names must be unique and not one of the built-in jobs " + [...builtIn].join(", "),
        value: job.name,
      });
    }
    seen.add(job.name);
  });

  return {
    image: p.image ?? IMAGES.prometheus,
    replicas: p.replicas ?? profile.replicas,
    scrapeInterval,
    evaluationInterval: p.evaluationInterval ?? profile.evaluationInterval,
    retentionTime,
    retentionSize,
    volume,
    volumeSizing:
      givenGi !== undefined
        ? { source: "given", explanation: `prometheus.volume.size = ${givenGi}Gi` }
        : computedGi !== undefined
          ? { source: "computed", explanation }
          : { source: "given", explanation: `${env} profile default ${volumeGi}Gi` },
    resources: resources(p.resources, profile.resources),
    extraScrapeJobs: (p.extraScrapeJobs ?? []).map((j) => ({
      name: j.name,
      targets: j.targets,
      metricsPath: j.metricsPath ?? "/metrics",
      scrapeInterval: j.scrapeInterval,
    })),
    kubernetesDiscovery: p.kubernetesDiscovery ?? true,
    remoteWrite: p.remoteWrite,
  };
}

/** Reports a secret reference that does not name a secret config key of this stack. */
export function checkSecretRef(
  ref: string | undefined,
  path: string,
  secretKeys: ReadonlySet<string>,
  problems: ConfigProblem[],
): void {
  if (ref === undefined || secretKeys.has(ref)) return;
  problems.push({
    path,
    message: `names ${CONFIG_NAMESPACE}:${ref}, which is not set as a secret in this stack; set it with \`pulumi config set --secret ${ref} <value>\``,
    value: ref,
  });
}

function resolveGrafana(
  raw: RawConfig["grafana"],
  env: Environment,
  ephemeral: boolean,
  platform: PlatformName,
  storageClass: string | undefined,
  secretKeys: ReadonlySet<string>,
  problems: ConfigProblem[],
): GrafanaSpec {
  const profile = PROFILES[env].grafana;
  const g = raw ?? {};
  const at = (...path: PropertyKey[]) => keyPath("grafana", path);
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
    resources: resources(g.resources, profile.resources),
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

/** Resolves raw config values (keys without the `monitoring:` prefix) into a StackSpec. */
export function resolveStackSpec(values: Record<string, unknown>, ctx: ResolveContext): StackSpec {
  const problems: ConfigProblem[] = [];
  const failed = new Set<string>();
  const raw = parseRaw(values, problems, failed);
  // Cross-field checks of a key that failed to parse would only restate its problems.
  const checksFor = (key: ConfigKey): ConfigProblem[] => (failed.has(key) ? [] : problems);

  const environment = environmentOf(ctx.stack, raw.environment);
  const profile = PROFILES[environment];
  const platform: PlatformName = raw.platform ?? profile.platform;
  const namespace =
    raw.kubernetes?.namespace ?? `monitoring-${ctx.stack}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  const storageClass = raw.kubernetes?.storageClass;

  const prometheus = resolvePrometheus(raw.prometheus, environment, storageClass, checksFor("prometheus"));

  const am = raw.alertmanager ?? {};
  const alertmanager = {
    image: am.image ?? IMAGES.alertmanager,
    replicas: am.replicas ?? profile.alertmanager.replicas,
    volume: {
      sizeGi: am.volume?.size ? sizeGi(am.volume.size) : profile.alertmanager.volumeSizeGi,
      storageClass: am.volume?.storageClass ?? storageClass ?? profile.alertmanager.storageClass,
    },
    resources: resources(am.resources, profile.alertmanager.resources),
    routing: resolveRouting(am.routing, keyPath("alertmanager", ["routing"]), ctx.secretKeys, problems),
  };

  const cadvisorSource = raw.cadvisor?.source ?? profile.cadvisor.source;
  if (cadvisorSource === "kubelet" && platform !== "kubernetes") {
    problems.push({
      path: keyPath("cadvisor", ["source"]),
      message: 'is "kubelet", which needs platform "kubernetes"; on Docker use "container"',
      value: cadvisorSource,
    });
  }

  const ephemeral = raw.ephemeral ?? false;
  const grafana = resolveGrafana(
    raw.grafana,
    environment,
    ephemeral,
    platform,
    storageClass,
    ctx.secretKeys,
    checksFor("grafana"),
  );

  if (problems.length > 0) throw new ConfigError(problems);

  const cluster = raw.cluster ?? `${ctx.stack}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  return {
    stack: ctx.stack,
    environment,
    ephemeral,
    platform,
    cluster,
    namePrefix: `monitoring-${ctx.stack}`.toLowerCase().replace(/[^a-z0-9-]/g, "-"),
    tags: { environment, stack: ctx.stack, "managed-by": "pulumi", ...(raw.tags ?? {}) },
    kubernetes: {
      namespace,
      kubeconfig: raw.kubernetes?.kubeconfig,
      context: raw.kubernetes?.context,
      storageClass,
      ingressNamespaces: raw.kubernetes?.ingressNamespaces ?? [],
    },
    docker: { host: raw.docker?.host, publishAddress: raw.docker?.publishAddress ?? "127.0.0.1" },
    prometheus,
    alertmanager,
    nodeExporter: {
      enabled: raw.nodeExporter?.enabled ?? true,
      image: raw.nodeExporter?.image ?? IMAGES.nodeExporter,
      resources: resources(raw.nodeExporter?.resources, profile.nodeExporter.resources),
      mountPointsExclude:
        raw.nodeExporter?.mountPointsExclude ??
        "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/kubelet/.+)($|/)",
      fsTypesExclude:
        raw.nodeExporter?.fsTypesExclude ??
        "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$",
    },
    cadvisor: {
      enabled: raw.cadvisor?.enabled ?? true,
      source: cadvisorSource,
      image: raw.cadvisor?.image ?? IMAGES.cadvisor,
      resources: resources(raw.cadvisor?.resources, profile.cadvisor.resources),
    },
    rules: { runbookBaseUrl: raw.rules?.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL },
    grafana,
    aws: ctx.awsRegion ? { region: ctx.awsRegion } : undefined,
  };
}

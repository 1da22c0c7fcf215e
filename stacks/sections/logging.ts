/**
 * `monitoring:logging`: the ELK stack. Elasticsearch (one node on Docker, a three-node cluster on
 * Kubernetes), Logstash with a persistent queue, Kibana, Filebeat on every node, the Elasticsearch
 * exporter, and the retention (ILM delete after N days) a setup job applies.
 */
import { z } from "zod";
import { GIB, requireQuantityBytes } from "../../lib/units";
import {
  pinnedImage,
  replicas,
  resolveResources,
  resourcesSchema,
  sizeGi,
  volumeSchema,
  type ResourcesSpec,
  type VolumeSizing,
} from "../fields";
import { IMAGES } from "../profiles";
import type { AwsSpec } from "./aws";
import { stackNamePrefix } from "./platform";
import { pathIn, section, type Environment, type SectionContext } from "./section";

/**
 * The oldest Elastic release the rendered config is written for: `logs@custom`, file-based service
 * tokens and the Filebeat `filestream` container parser all exist from 8.19 on.
 */
export const MIN_ELASTIC_VERSION: readonly [number, number, number] = [8, 19, 0];
/** Heap never crosses the compressed-oops threshold (Elastic: "no more than about 31 GB"). */
export const MAX_HEAP_MIB = 31 * 1024;
/** Smallest memory limit an Elastic JVM gets (half of it is the heap). */
const MIN_JVM_MEMORY = GIB;

export const LOGGING_DEFAULTS: Record<
  Environment,
  {
    retentionDays: number;
    tls: boolean;
    elasticsearch: {
      replicas: number;
      volumeSizeGi: number;
      storageClass?: string;
      resources: ResourcesSpec;
    };
    logstash: { replicas: number; volumeSizeGi: number; storageClass?: string; resources: ResourcesSpec };
    kibana: { replicas: number; resources: ResourcesSpec };
    filebeat: { resources: ResourcesSpec };
    exporter: { resources: ResourcesSpec };
  }
> = {
  dev: {
    retentionDays: 7,
    tls: false,
    elasticsearch: {
      replicas: 1,
      volumeSizeGi: 10,
      resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { memory: "2Gi" } },
    },
    logstash: {
      replicas: 1,
      volumeSizeGi: 2,
      resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "1Gi" } },
    },
    kibana: {
      replicas: 1,
      resources: { requests: { cpu: "100m", memory: "768Mi" }, limits: { memory: "1Gi" } },
    },
    filebeat: { resources: { requests: { cpu: "50m", memory: "100Mi" }, limits: { memory: "200Mi" } } },
    exporter: { resources: { requests: { cpu: "25m", memory: "32Mi" }, limits: { memory: "64Mi" } } },
  },
  prod: {
    retentionDays: 30,
    tls: true,
    // Sized for the stack's own logs and a handful of services, within the prod cost budget; raise
    // resources and volumes with the log volume (README: "Logging sizing").
    elasticsearch: {
      replicas: 3,
      volumeSizeGi: 50,
      storageClass: "gp3",
      resources: { requests: { cpu: "500m", memory: "4Gi" }, limits: { memory: "4Gi" } },
    },
    logstash: {
      replicas: 2,
      volumeSizeGi: 10,
      storageClass: "gp3",
      resources: { requests: { cpu: "250m", memory: "1536Mi" }, limits: { memory: "1536Mi" } },
    },
    kibana: {
      replicas: 2,
      resources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "1Gi" } },
    },
    filebeat: { resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } } },
    exporter: { resources: { requests: { cpu: "25m", memory: "32Mi" }, limits: { memory: "64Mi" } } },
  },
};

export interface ElasticsearchSpec {
  image: string;
  /** 1 (single node) or an odd number >= 3 of master-eligible data nodes. */
  replicas: number;
  resources: ResourcesSpec;
  volume: VolumeSizing;
  /** JVM heap in MiB: half the memory limit, at most MAX_HEAP_MIB. */
  heapMiB: number;
  /**
   * How vm.max_map_count reaches 1048576 on Kubernetes: a privileged init container on every pod, or
   * a node prerequisite the cluster operator guarantees (then no privileged container at all).
   */
  vmMaxMapCount: "init-container" | "node-prerequisite";
  /**
   * Render `cluster.initial_master_nodes`: only for the very first formation of a new cluster (README:
   * "Forming the cluster"). Off, a node with an empty data path can only join an existing cluster.
   */
  formNewCluster: boolean;
  /** Docker: host port of the HTTP API on the publish address. */
  hostPort: number;
}

export interface LogstashSpec {
  image: string;
  replicas: number;
  resources: ResourcesSpec;
  /** The persistent queue's volume (one per replica). */
  volume: VolumeSizing;
  heapMiB: number;
  /** queue.max_bytes: the persistent queue's cap, below the volume size. */
  queueMaxBytes: string;
}

export interface KibanaSpec {
  image: string;
  replicas: number;
  resources: ResourcesSpec;
  ingress?: { host: string; tlsSecretName: string; className?: string; clusterIssuer?: string };
  /** Docker: host port on the publish address. */
  hostPort: number;
}

export interface FilebeatSpec {
  enabled: boolean;
  image: string;
  resources: ResourcesSpec;
}

/**
 * Snapshots of the cluster to an encrypted S3 bucket (Kubernetes on AWS): a repository and a snapshot
 * lifecycle (SLM) policy the setup job applies. Data deleted by ILM stays in the bucket until the
 * last snapshot holding it expires: at most `retentionDays` (logs) + `snapshots.retentionDays`.
 */
export interface SnapshotsSpec {
  /**
   * The S3 bucket the stack creates. A fixed name, known when the program runs (the setup job's name
   * hashes the repository it registers): by default `<namePrefix>-es-snapshots-<account>-<region>`, the
   * account read from the cluster's OIDC provider ARN (IAM roles can trust only a provider of their own
   * account, so it is the stack's account).
   */
  bucket: string;
  /** SLM schedule: an Elasticsearch cron expression, evaluated in UTC. */
  schedule: string;
  /** Snapshots older than this many days are deleted, keeping at least minCount and at most maxCount. */
  retentionDays: number;
  minCount: number;
  maxCount: number;
}

export interface LoggingSpec {
  enabled: boolean;
  /** Logs are deleted this many days after they were written (ILM: 1 day rollover + N-1 days). */
  retentionDays: number;
  /** TLS on the Elasticsearch transport and HTTP layers and on the Beats input (prod by default). */
  tls: boolean;
  elasticsearch: ElasticsearchSpec;
  logstash: LogstashSpec;
  kibana: KibanaSpec;
  filebeat: FilebeatSpec;
  exporter: { image: string; resources: ResourcesSpec };
  /** Elasticsearch URL an external Grafana reaches (grafana.mode "external"); else the stack's own address. */
  grafanaUrl?: string;
  /** Present when snapshots are on (prod on Kubernetes with AWS, by default). */
  snapshots?: SnapshotsSpec;
}

export const SNAPSHOT_DEFAULTS = {
  // 01:30 UTC daily: after the day's indices rolled over, outside business hours in most of Europe and the Americas.
  schedule: "0 30 1 * * ?",
  retentionDays: 14,
  minCount: 3,
  maxCount: 50,
} as const;

/** S3 bucket names (Amazon S3 User Guide, "General purpose bucket naming rules"), without dots: TLS virtual-host addressing breaks on them. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

/** `<namePrefix>-es-snapshots-<account>-<region>`, the prefix cut so the name fits S3's 63 characters. */
export function defaultSnapshotBucket(namePrefix: string, accountId: string, region: string): string {
  const suffix = `-es-snapshots-${accountId}-${region}`;
  return `${namePrefix.slice(0, 63 - suffix.length).replace(/-+$/, "")}${suffix}`;
}

const CRON_FIELD = /^[0-9A-Z*?/,#-]+$/;

/**
 * Problems of an Elasticsearch cron expression (Elastic, "Cron expressions": seconds minutes hours
 * day_of_month month day_of_week [year]; `?` in exactly one of the two day fields, as the Quartz-derived
 * parser requires). Checks the shape and the time fields' ranges; the rest is left to Elasticsearch.
 */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length < 6 || fields.length > 7)
    return 'expected an Elasticsearch cron expression: seconds minutes hours day-of-month month day-of-week [year], e.g. "0 30 1 * * ?"';
  const bad = fields.find((f) => !CRON_FIELD.test(f.toUpperCase()));
  if (bad !== undefined) return `has an unexpected field "${bad}"`;
  const [sec, min, hour, dom, , dow] = fields;
  const ranges: [string, string, number][] = [
    [sec, "seconds", 59],
    [min, "minutes", 59],
    [hour, "hours", 23],
  ];
  for (const [field, what, max] of ranges) {
    const numbers = field.split(/[,/-]/).filter((x) => /^\d+$/.test(x));
    if (numbers.some((n) => Number(n) > max)) return `${what} must be 0-${max}`;
  }
  if ((dom === "?") === (dow === "?"))
    return 'needs "?" in exactly one of day-of-month and day-of-week (e.g. "0 30 1 * * ?")';
  return undefined;
}

const hostPort = z.number().int().min(1024).max(65535);
const retentionDays = z
  .number()
  .int({ message: "expected a whole number of days" })
  .min(2, { message: "expected at least 2 days (indices roll over daily, then age until deletion)" })
  .max(3650, { message: "expected at most 3650 days" });

const loggingSchema = z.strictObject({
  enabled: z.boolean().optional(),
  /** Days logs are kept before ILM deletes them. */
  retentionDays: retentionDays.optional(),
  tls: z.boolean().optional(),
  elasticsearch: z
    .strictObject({
      image: pinnedImage.optional(),
      replicas: replicas(9).optional(),
      resources: resourcesSchema.optional(),
      volume: volumeSchema.optional(),
      vmMaxMapCount: z.enum(["init-container", "node-prerequisite"]).optional(),
      formNewCluster: z.boolean().optional(),
      hostPort: hostPort.optional(),
    })
    .optional(),
  logstash: z
    .strictObject({
      image: pinnedImage.optional(),
      replicas: replicas(9).optional(),
      resources: resourcesSchema.optional(),
      volume: volumeSchema.optional(),
    })
    .optional(),
  kibana: z
    .strictObject({
      image: pinnedImage.optional(),
      replicas: replicas(5).optional(),
      resources: resourcesSchema.optional(),
      ingress: z
        .strictObject({
          host: z.string().regex(/^[a-z0-9.-]+$/, { message: "expected a host name" }),
          tlsSecretName: z.string().min(1),
          className: z.string().min(1).optional(),
          clusterIssuer: z.string().min(1).optional(),
        })
        .optional(),
      hostPort: hostPort.optional(),
    })
    .optional(),
  filebeat: z
    .strictObject({
      enabled: z.boolean().optional(),
      image: pinnedImage.optional(),
      resources: resourcesSchema.optional(),
    })
    .optional(),
  exporter: z
    .strictObject({ image: pinnedImage.optional(), resources: resourcesSchema.optional() })
    .optional(),
  /** Elasticsearch as an external Grafana reaches it (it cannot use the stack's internal names). */
  grafanaUrl: z.url({ protocol: /^https?$/ }).optional(),
  snapshots: z
    .strictObject({
      enabled: z.boolean().optional(),
      bucket: z
        .string()
        .regex(BUCKET_NAME, {
          message:
            "expected an S3 bucket name: 3-63 lower-case letters, digits and hyphens, starting and ending with a letter or digit",
        })
        .optional(),
      schedule: z
        .string()
        .superRefine((s, ctx) => {
          const problem = cronProblem(s);
          if (problem) ctx.addIssue({ code: "custom", message: problem });
        })
        .optional(),
      retentionDays: z
        .number()
        .int({ message: "expected a whole number of days" })
        .min(1, { message: "expected at least 1 day" })
        .max(3650, { message: "expected at most 3650 days" })
        .optional(),
      minCount: z.number().int().min(1).max(1000).optional(),
      maxCount: z.number().int().min(1).max(1000).optional(),
    })
    .optional(),
});

/** "9.5.6" from a tagged image, or undefined for a digest or a non-numeric tag. */
export function elasticVersion(image: string): [number, number, number] | undefined {
  if (image.includes("@")) return undefined;
  const m = /:(\d+)\.(\d+)\.(\d+)$/.exec(image);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function older(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/** Half the memory limit in MiB, capped at MAX_HEAP_MIB. */
export function heapMiBFor(memoryLimit: string): number {
  return Math.min(Math.floor(requireQuantityBytes(memoryLimit) / 2 ** 20 / 2), MAX_HEAP_MIB);
}

function resolveLogging(raw: z.infer<typeof loggingSchema> | undefined, ctx: SectionContext): LoggingSpec {
  const { environment: env, platform, problems } = ctx;
  const at = pathIn("logging");
  const profile = LOGGING_DEFAULTS[env];
  const l = raw ?? {};
  const es = l.elasticsearch ?? {};
  const ls = l.logstash ?? {};
  const kb = l.kibana ?? {};
  const fb = l.filebeat ?? {};

  const images = {
    elasticsearch: es.image ?? IMAGES.elasticsearch,
    logstash: ls.image ?? IMAGES.logstash,
    kibana: kb.image ?? IMAGES.kibana,
    filebeat: fb.image ?? IMAGES.filebeat,
  };
  // One Elastic release for all four: Kibana refuses an Elasticsearch of another version, and the
  // rendered settings are written for one release.
  const esVersion = elasticVersion(images.elasticsearch);
  if (esVersion && older(esVersion, MIN_ELASTIC_VERSION))
    problems.push({
      path: at("elasticsearch", "image"),
      message: `is Elastic ${esVersion.join(".")}; the rendered settings need ${MIN_ELASTIC_VERSION.join(".")} or later`,
      value: images.elasticsearch,
    });
  for (const other of ["logstash", "kibana", "filebeat"] as const) {
    const v = elasticVersion(images[other]);
    if (esVersion && v && v.join(".") !== esVersion.join("."))
      problems.push({
        path: at(other, "image"),
        message: `is Elastic ${v.join(".")} but Elasticsearch is ${esVersion.join(".")}; run one release for all four`,
        value: images[other],
      });
  }

  const esReplicas = es.replicas ?? (platform === "docker" ? 1 : profile.elasticsearch.replicas);
  if (platform === "docker" && esReplicas !== 1)
    problems.push({
      path: at("elasticsearch", "replicas"),
      message: "must be 1 on Docker (a single-node cluster); run a multi-node cluster on Kubernetes",
      value: esReplicas,
    });
  else if (esReplicas === 2 || (esReplicas > 1 && esReplicas % 2 === 0))
    problems.push({
      path: at("elasticsearch", "replicas"),
      message:
        "must be 1 or an odd number of at least 3: every node is master-eligible, and an even count tolerates no more failures than one node fewer",
      value: esReplicas,
    });

  const esResources = resolveResources(
    es.resources,
    profile.elasticsearch.resources,
    at("elasticsearch", "resources"),
    problems,
  );
  const lsResources = resolveResources(
    ls.resources,
    profile.logstash.resources,
    at("logstash", "resources"),
    problems,
  );
  for (const [key, r] of [
    ["elasticsearch", esResources],
    ["logstash", lsResources],
  ] as const) {
    if (requireQuantityBytes(r.limits.memory) < MIN_JVM_MEMORY)
      problems.push({
        path: at(key, "resources", "limits", "memory"),
        message: "must be at least 1Gi: half of it is the JVM heap",
        value: r.limits.memory,
      });
  }

  const lsVolumeGi = ls.volume?.size ? sizeGi(ls.volume.size) : profile.logstash.volumeSizeGi;
  if (kb.ingress && platform !== "kubernetes")
    problems.push({
      path: at("kibana", "ingress"),
      message: 'needs platform "kubernetes"; on Docker Kibana is published on logging.kibana.hostPort',
    });
  if (es.vmMaxMapCount && platform !== "kubernetes")
    problems.push({
      path: at("elasticsearch", "vmMaxMapCount"),
      message:
        "applies to Kubernetes only; on Docker the single node runs with node.store.allow_mmap: false instead",
    });

  return {
    enabled: l.enabled ?? true,
    snapshots: (l.enabled ?? true) ? resolveSnapshots(l.snapshots, ctx) : undefined,
    retentionDays: l.retentionDays ?? profile.retentionDays,
    tls: l.tls ?? profile.tls,
    elasticsearch: {
      image: images.elasticsearch,
      replicas: esReplicas,
      resources: esResources,
      volume: {
        sizeGi: es.volume?.size ? sizeGi(es.volume.size) : profile.elasticsearch.volumeSizeGi,
        storageClass: es.volume?.storageClass ?? ctx.storageClass ?? profile.elasticsearch.storageClass,
      },
      heapMiB: heapMiBFor(esResources.limits.memory),
      vmMaxMapCount: es.vmMaxMapCount ?? "init-container",
      formNewCluster: es.formNewCluster ?? false,
      hostPort: es.hostPort ?? 9200,
    },
    logstash: {
      image: images.logstash,
      replicas: ls.replicas ?? (platform === "docker" ? 1 : profile.logstash.replicas),
      resources: lsResources,
      volume: {
        sizeGi: lsVolumeGi,
        storageClass: ls.volume?.storageClass ?? ctx.storageClass ?? profile.logstash.storageClass,
      },
      heapMiB: heapMiBFor(lsResources.limits.memory),
      // The queue may fill 80% of its volume; the rest holds the checkpoint files and dead letters.
      queueMaxBytes: `${Math.max(1, Math.floor(lsVolumeGi * 1024 * 0.8))}mb`,
    },
    kibana: {
      image: images.kibana,
      replicas: kb.replicas ?? (platform === "docker" ? 1 : profile.kibana.replicas),
      resources: resolveResources(
        kb.resources,
        profile.kibana.resources,
        at("kibana", "resources"),
        problems,
      ),
      ingress: kb.ingress,
      hostPort: kb.hostPort ?? 5601,
    },
    filebeat: {
      enabled: fb.enabled ?? true,
      image: images.filebeat,
      resources: resolveResources(
        fb.resources,
        profile.filebeat.resources,
        at("filebeat", "resources"),
        problems,
      ),
    },
    grafanaUrl: l.grafanaUrl,
    exporter: {
      image: l.exporter?.image ?? IMAGES.elasticsearchExporter,
      resources: resolveResources(
        l.exporter?.resources,
        profile.exporter.resources,
        at("exporter", "resources"),
        problems,
      ),
    },
  };
}

/**
 * Snapshots need the bucket's role to reach the Elasticsearch pods: Kubernetes, monitoring:aws, and the
 * cluster's OIDC provider (IRSA). On by default exactly where that holds for prod; asked for elsewhere, refused.
 */
function resolveSnapshots(
  raw: z.infer<typeof loggingSchema>["snapshots"],
  ctx: SectionContext,
): SnapshotsSpec | undefined {
  const at = pathIn("logging");
  const aws = ctx.resolved.aws as AwsSpec | undefined;
  const wanted = raw?.enabled ?? (ctx.environment === "prod" && ctx.platform === "kubernetes" && !!aws);
  if (!wanted) return undefined;
  const refuse = (message: string) => {
    ctx.problems.push({ path: at("snapshots", "enabled"), message });
    return undefined;
  };
  if (ctx.platform !== "kubernetes")
    return refuse(
      'needs platform "kubernetes" on EKS: the S3 bucket is reached with an IAM role for Elasticsearch\'s service account',
    );
  if (!aws)
    return refuse(
      "needs monitoring:aws (set aws:region): the snapshots go to an S3 bucket the stack creates",
    );
  if (!aws.eks?.oidcProviderArn)
    return refuse(
      "needs monitoring:aws.eks.oidcProviderArn: Elasticsearch reaches the snapshot bucket with an IAM role for its service account; set it, or turn snapshots off with logging.snapshots.enabled: false",
    );
  const accountId = /^arn:[^:]+:iam::(\d{12}):/.exec(aws.eks.oidcProviderArn)?.[1] ?? "";
  const spec: SnapshotsSpec = {
    bucket: raw?.bucket ?? defaultSnapshotBucket(stackNamePrefix(ctx.stack), accountId, aws.region),
    schedule: raw?.schedule ?? SNAPSHOT_DEFAULTS.schedule,
    retentionDays: raw?.retentionDays ?? SNAPSHOT_DEFAULTS.retentionDays,
    minCount: raw?.minCount ?? SNAPSHOT_DEFAULTS.minCount,
    maxCount: raw?.maxCount ?? SNAPSHOT_DEFAULTS.maxCount,
  };
  if (spec.minCount > spec.maxCount)
    ctx.problems.push({
      path: at("snapshots", "minCount"),
      message: `must not exceed logging.snapshots.maxCount (${spec.maxCount})`,
      value: spec.minCount,
    });
  return spec;
}

export const loggingSection = section({ key: "logging", schema: loggingSchema, resolve: resolveLogging });

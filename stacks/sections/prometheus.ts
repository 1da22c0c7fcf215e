/**
 * `monitoring:prometheus`: the HA pair, its retention by time and size, the volume sized from the
 * declared load, extra scrape jobs, discovery and remote write.
 */
import { z } from "zod";
import { JOBS } from "../../lib/jobs";
import { durationSeconds, GIB, requireQuantityBytes } from "../../lib/units";
import {
  boundedDuration,
  MAX_VOLUME_BYTES,
  pinnedImage,
  positiveByteQuantity,
  positiveDuration,
  replicas,
  uniqueList,
  resolveResources,
  resourcesSchema,
  sizeGi,
  volumeSchema,
  type ResourcesSpec,
  type VolumeSizing,
} from "../fields";
import { IMAGES } from "../profiles";
import { MEMORY_DEFAULTS, prometheusMemory, type MemorySizing } from "../sizing";
import { pathIn, section, type Environment } from "./section";

/** Share of the volume the retention size defaults to; the rest is room for compaction and the WAL. */
export const RETENTION_SIZE_SHARE = 0.85;
/** Largest share of the volume a configured retention size may take. */
export const RETENTION_SIZE_MAX_SHARE = 0.9;
export const DEFAULT_BYTES_PER_SAMPLE = 2;
export const DEFAULT_SIZING_HEADROOM = 0.2;

export const PROMETHEUS_DEFAULTS: Record<
  Environment,
  {
    replicas: number;
    scrapeInterval: string;
    evaluationInterval: string;
    retentionTime: string;
    volumeSizeGi: number;
    storageClass?: string;
    resources: ResourcesSpec;
  }
> = {
  dev: {
    replicas: 1,
    scrapeInterval: "30s",
    evaluationInterval: "30s",
    retentionTime: "15d",
    volumeSizeGi: 20,
    resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "1Gi" } },
  },
  prod: {
    replicas: 2,
    scrapeInterval: "30s",
    evaluationInterval: "30s",
    retentionTime: "30d",
    volumeSizeGi: 100,
    storageClass: "gp3",
    resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { memory: "8Gi" } },
  },
};

export interface PrometheusSpec {
  image: string;
  replicas: number;
  scrapeInterval: string;
  evaluationInterval: string;
  retentionTime: string;
  /** Prometheus --storage.tsdb.retention.size value, e.g. "43520MB" (Prometheus reads MB/GB as base 2). */
  retentionSize: string;
  volume: VolumeSizing;
  /** How the volume size was obtained, for the plan summary and docs. */
  volumeSizing: { source: "given" | "computed"; explanation: string };
  /** How the memory request and limit were obtained (stacks/sizing.ts), for the plan summary. */
  memorySizing: { source: "given" | "computed"; explanation: string };
  resources: ResourcesSpec;
  /** Extra static scrape jobs. */
  extraScrapeJobs: { name: string; targets: string[]; metricsPath: string; scrapeInterval?: string }[];
  /** Scrape Kubernetes pods/services that opt in through prometheus.io/* annotations. */
  kubernetesDiscovery: boolean;
  /** Samples per second one replica ingests, from the declared load (prometheus.sizing). */
  samplesPerSecond?: number;
  /**
   * Remote write: to a given URL (SigV4 for Amazon Managed Service for Prometheus), or `amp` to the
   * workspace the AWS section creates; `queue` is sized from the declared load when one is declared.
   */
  remoteWrite?: { url?: string; sigv4Region?: string; amp: boolean; queue?: RemoteWriteQueue };
}

/** Prometheus remote_write queue_config, sized for one replica's samples per second. */
export interface RemoteWriteQueue {
  capacity: number;
  maxSamplesPerSend: number;
  minShards: number;
  maxShards: number;
  batchSendDeadline: string;
}

/** Prometheus' default batch (config/config.go DefaultQueueConfig: MaxSamplesPerSend 2000, Capacity 10000). */
export const REMOTE_WRITE_SAMPLES_PER_SEND = 2000;
/**
 * Request time the shard count is sized for. Prometheus' defaults assume 100 ms per request; the
 * queue is sized for five times that so a slower endpoint still keeps up.
 */
export const REMOTE_WRITE_REQUEST_SECONDS = 0.5;
/** Shards allowed beyond the steady state, so a backlog (after an outage) drains at 3x the ingest rate. */
export const REMOTE_WRITE_CATCH_UP = 4;

/**
 * queue_config from the declared load: one shard sends one request at a time, so it moves
 * samples-per-send / request-time samples per second; min_shards covers the steady rate (no slow ramp
 * after a restart), max_shards bounds memory (max_shards x capacity samples) while leaving room to catch
 * up; capacity keeps Prometheus' default ratio of 5 batches per shard.
 */
export function remoteWriteQueue(samplesPerSecond: number): RemoteWriteQueue {
  const perShard = REMOTE_WRITE_SAMPLES_PER_SEND / REMOTE_WRITE_REQUEST_SECONDS;
  const steady = samplesPerSecond / perShard;
  const minShards = Math.max(1, Math.ceil(steady));
  return {
    capacity: 5 * REMOTE_WRITE_SAMPLES_PER_SEND,
    maxSamplesPerSend: REMOTE_WRITE_SAMPLES_PER_SEND,
    minShards,
    maxShards: Math.max(minShards + 1, Math.ceil(steady * REMOTE_WRITE_CATCH_UP)),
    batchSendDeadline: "5s",
  };
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

/**
 * Prometheus forgets a series 5m after its last sample (the query lookback delta): a longer scrape
 * interval leaves every query, rule and graph with gaps.
 */
const scrapeInterval = boundedDuration(
  300,
  "Prometheus drops a series from queries 5m after its last sample, so a longer interval leaves every graph and rule with gaps",
);

/** A static target: host or [IPv6] and a port. */
const target = z
  .string()
  .regex(/^([a-zA-Z0-9_]([a-zA-Z0-9_.-]*[a-zA-Z0-9_])?|\[[0-9a-fA-F:.]+\]):\d{1,5}$/, {
    message: 'expected host:port, such as "api.internal:8080" or "[::1]:9100"',
  })
  .refine(
    (s) => {
      const port = Number(s.slice(s.lastIndexOf(":") + 1));
      return port >= 1 && port <= 65535;
    },
    {
      message: "expected a port from 1 to 65535",
    },
  );

export const prometheusSection = section({
  key: "prometheus",
  schema: z.strictObject({
    image: pinnedImage.optional(),
    replicas: replicas(5).optional(),
    scrapeInterval: scrapeInterval.optional(),
    evaluationInterval: positiveDuration.optional(),
    retentionTime: positiveDuration.optional(),
    retentionSize: positiveByteQuantity.optional(),
    volume: volumeSchema.optional(),
    /** Declared load from which the volume size is computed when volume.size is not given. */
    sizing: z
      .strictObject({
        activeSeries: z.number().int().positive().max(1e9).optional(),
        samplesPerSecond: z.number().positive().max(1e8).optional(),
        bytesPerSample: z.number().positive().max(16).optional(),
        headroom: z.number().min(0).max(3).optional(),
        /** New series per hour (deploys, restarts): they stay in the head block and cost memory. */
        seriesChurnPerHour: z.number().min(0).max(1e9).optional(),
      })
      .optional(),
    resources: resourcesSchema.optional(),
    extraScrapeJobs: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_-]*$/, { message: "expected a job name" }),
          targets: uniqueList(target).min(1),
          metricsPath: z
            .string()
            .regex(/^\/[^\s?#]*$/, { message: 'expected a path starting with "/", such as "/metrics"' })
            .optional(),
          scrapeInterval: scrapeInterval.optional(),
        }),
      )
      .optional(),
    kubernetesDiscovery: z.boolean().optional(),
    remoteWrite: z
      .strictObject({
        url: z.url({ protocol: /^https?$/ }).optional(),
        sigv4Region: z
          .string()
          .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, { message: 'expected an AWS region such as "us-west-2"' })
          .optional(),
        /** Write to the Amazon Managed Service for Prometheus workspace the stack creates (monitoring:aws). */
        amp: z.boolean().optional(),
      })
      .optional(),
  }),

  resolve(raw, ctx): PrometheusSpec {
    const at = pathIn("prometheus");
    const profile = PROMETHEUS_DEFAULTS[ctx.environment];
    const problems = ctx.problems;
    const p = raw ?? {};
    const scrapeInterval = p.scrapeInterval ?? profile.scrapeInterval;
    const retentionTime = p.retentionTime ?? profile.retentionTime;

    let computedGi: number | undefined;
    let explanation = "";
    let memory: MemorySizing | undefined;
    let declaredSps: number | undefined;
    if (p.sizing) {
      const { activeSeries, samplesPerSecond } = p.sizing;
      if (activeSeries === undefined && samplesPerSecond === undefined) {
        problems.push({
          path: at("sizing"),
          message: "give activeSeries or samplesPerSecond to compute the volume size from the load",
        });
      } else {
        const sps = samplesPerSecond ?? activeSeries! / durationSeconds(scrapeInterval);
        declaredSps = sps;
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
        memory = prometheusMemory({
          ...MEMORY_DEFAULTS,
          activeSeries: activeSeries ?? sps * durationSeconds(scrapeInterval),
          seriesChurnPerHour: p.sizing.seriesChurnPerHour ?? 0,
          samplesPerSecond: sps,
          bytesPerSample,
        });
      }
    }

    const givenGi = p.volume?.size ? sizeGi(p.volume.size) : undefined;
    if (givenGi !== undefined && computedGi !== undefined && givenGi < computedGi) {
      problems.push({
        path: at("volume", "size"),
        message: `is smaller than the ${computedGi}Gi the declared load needs (${explanation}); raise it or drop it to use the computed size`,
        value: p.volume!.size,
      });
    }
    const maxGi = MAX_VOLUME_BYTES / GIB;
    if (computedGi !== undefined && computedGi > maxGi && givenGi === undefined) {
      problems.push({
        path: at("sizing"),
        message: `needs a ${computedGi}Gi volume (${explanation}), more than the ${maxGi}Gi a volume may have; shorten prometheus.retentionTime, lower the load, or use remote write for long-term storage`,
      });
      computedGi = maxGi;
    }
    const volumeGi = givenGi ?? computedGi ?? profile.volumeSizeGi;
    const volume: VolumeSizing = {
      sizeGi: volumeGi,
      storageClass: p.volume?.storageClass ?? ctx.storageClass ?? profile.storageClass,
    };

    let retentionSize = `${Math.floor(volumeGi * 1024 * RETENTION_SIZE_SHARE)}MB`;
    if (p.retentionSize) {
      const bytes = requireQuantityBytes(p.retentionSize);
      const limit = volumeGi * GIB * RETENTION_SIZE_MAX_SHARE;
      if (bytes > limit) {
        problems.push({
          path: at("retentionSize"),
          message:
            `does not fit the ${volumeGi}Gi volume: keep it at most ${Math.round(RETENTION_SIZE_MAX_SHARE * 100)}% of the volume ` +
            `(${Math.floor(limit / 2 ** 20)}MB) so compaction and the WAL have room, or enlarge prometheus.volume.size`,
          value: p.retentionSize,
        });
      }
      // Prometheus reads 0MB as "no size limit": a size below one MB is refused rather than rounded to that.
      if (bytes < 2 ** 20) {
        problems.push({
          path: at("retentionSize"),
          message: "must be at least 1Mi: Prometheus reads a zero size as no size limit at all",
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
          path: at("extraScrapeJobs", i, "name"),
          message: "job names must be unique and not one of the built-in jobs " + [...builtIn].join(", "),
          value: job.name,
        });
      }
      seen.add(job.name);
    });

    const rw = p.remoteWrite;
    if (rw && !!rw.url === !!rw.amp) {
      problems.push({
        path: at("remoteWrite"),
        message: rw.url
          ? "gives both url and amp: true; write either to a given URL or to the AMP workspace the stack creates"
          : "needs url (an existing endpoint) or amp: true (a workspace this stack creates)",
      });
    }
    if (rw?.amp && rw.sigv4Region) {
      problems.push({
        path: at("remoteWrite", "sigv4Region"),
        message: "is taken from aws:region when amp is true; remove it",
      });
    }
    if (rw?.amp && declaredSps === undefined) {
      problems.push({
        path: at("remoteWrite", "amp"),
        message:
          "needs the declared load (prometheus.sizing.activeSeries or samplesPerSecond) to size the remote-write queue and the workspace's ingestion",
      });
    }

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
            : { source: "given", explanation: `${ctx.environment} profile default ${volumeGi}Gi` },
      // Memory follows the declared load unless resources are given explicitly.
      resources: resolveResources(
        p.resources,
        memory
          ? {
              requests: { cpu: profile.resources.requests.cpu, memory: memory.request },
              limits: { ...profile.resources.limits, memory: memory.limit },
            }
          : profile.resources,
        at("resources"),
        problems,
      ),
      memorySizing:
        memory && !p.resources
          ? { source: "computed", explanation: memory.explanation }
          : {
              source: "given",
              explanation: p.resources ? "prometheus.resources" : `${ctx.environment} profile default`,
            },
      extraScrapeJobs: (p.extraScrapeJobs ?? []).map((j) => ({
        name: j.name,
        targets: j.targets,
        metricsPath: j.metricsPath ?? "/metrics",
        scrapeInterval: j.scrapeInterval,
      })),
      kubernetesDiscovery: p.kubernetesDiscovery ?? true,
      samplesPerSecond: declaredSps,
      remoteWrite: rw && {
        url: rw.url,
        sigv4Region: rw.sigv4Region,
        amp: rw.amp ?? false,
        queue: declaredSps === undefined ? undefined : remoteWriteQueue(declaredSps),
      },
    };
  },
});

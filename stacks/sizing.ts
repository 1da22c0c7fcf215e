/**
 * Prometheus memory from the declared load. Pure.
 *
 * The model is Brian Brazil's for Prometheus 2.x+ ("How much RAM does Prometheus 2.x need for
 * cardinality and ingestion?", Robust Perception, 2019), which the upstream TSDB has not outgrown:
 * - cardinality: each series in the head costs ~732 B, plus ~32 B per label pair, ~120 B per unique
 *   label value and its name twice; the head holds every series seen in its last ~3 h, so churn
 *   (series created per hour) adds to the active ones;
 * - ingestion: up to 3 h of samples sit in head chunks at ~50 % overhead over their encoded size;
 * - both are doubled for Go's garbage collector.
 * The request is that working set plus a fixed baseline; the limit leaves room for queries, rule
 * evaluation and compaction on top.
 */
import { GIB } from "../lib/units";

export const HEAD_WINDOW_SECONDS = 3 * 3600;
const BYTES_PER_SERIES = 732;
const BYTES_PER_LABEL_PAIR = 32;
const BYTES_PER_UNIQUE_LABEL_VALUE = 120;
const CHUNK_OVERHEAD = 1.5;
const GC_FACTOR = 2;
const BASELINE_BYTES = 256 * 2 ** 20;
/** Queries, rule evaluation and compaction on top of the working set. */
export const MEMORY_LIMIT_FACTOR = 2;

export interface MemoryLoad {
  activeSeries: number;
  /** New series per hour (pod restarts, deploys); they stay in the head for its window. */
  seriesChurnPerHour: number;
  samplesPerSecond: number;
  bytesPerSample: number;
  /** Label pairs per series, and how many of their values are unique to the series (pod, instance...). */
  labelsPerSeries: number;
  uniqueLabelValuesPerSeries: number;
  /** Average metric name length in bytes. */
  metricNameBytes: number;
}

export const MEMORY_DEFAULTS = {
  labelsPerSeries: 10,
  uniqueLabelValuesPerSeries: 2,
  metricNameBytes: 40,
} as const;

export interface MemorySizing {
  requestBytes: number;
  limitBytes: number;
  /** Kubernetes quantities, rounded up to 64Mi. */
  request: string;
  limit: string;
  explanation: string;
}

const mi = (bytes: number) => `${Math.ceil(bytes / 2 ** 26) * 64}Mi`;

export function prometheusMemory(load: MemoryLoad): MemorySizing {
  const headSeries = load.activeSeries + (load.seriesChurnPerHour * HEAD_WINDOW_SECONDS) / 3600;
  const perSeries =
    BYTES_PER_SERIES +
    BYTES_PER_LABEL_PAIR * load.labelsPerSeries +
    BYTES_PER_UNIQUE_LABEL_VALUE * load.uniqueLabelValuesPerSeries +
    2 * load.metricNameBytes;
  const cardinality = headSeries * perSeries * GC_FACTOR;
  const ingestion =
    load.samplesPerSecond * HEAD_WINDOW_SECONDS * load.bytesPerSample * CHUNK_OVERHEAD * GC_FACTOR;
  const requestBytes = cardinality + ingestion + BASELINE_BYTES;
  const limitBytes = requestBytes * MEMORY_LIMIT_FACTOR;
  const gib = (b: number) => `${(b / GIB).toFixed(2)}GiB`;
  return {
    requestBytes,
    limitBytes,
    request: mi(requestBytes),
    limit: mi(limitBytes),
    explanation:
      `${Math.round(headSeries)} head series x ${perSeries} B x ${GC_FACTOR} (GC) = ${gib(cardinality)}; ` +
      `${load.samplesPerSecond.toFixed(1)} samples/s x 3h x ${load.bytesPerSample} B x ${CHUNK_OVERHEAD} x ${GC_FACTOR} = ${gib(ingestion)}; ` +
      `+ 256MiB baseline = ${gib(requestBytes)} request, x ${MEMORY_LIMIT_FACTOR} = ${gib(limitBytes)} limit`,
  };
}

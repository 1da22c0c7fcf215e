/**
 * Unit parsers for the cost rules. Self-contained on purpose: a policy pack must not depend on the
 * program's config layer. Every parser returns `undefined` for text it does not understand, so a rule
 * can say "cannot read X" instead of crashing the pack.
 */

export const GIB = 2 ** 30;

const QUANTITY_UNITS: Record<string, number> = {
  "": 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
};

/** Kubernetes byte quantity ("20Gi", "512Mi", "1G", "1e9") to bytes. */
export function quantityBytes(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value !== "string") return undefined;
  const m = /^\s*(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*(Ki|Mi|Gi|Ti|Pi|k|K|M|G|T|P)?\s*$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * QUANTITY_UNITS[m[2] ?? ""];
}

/** Kubernetes byte quantity to GiB (what EBS bills as "GB"). */
export function quantityGi(value: unknown): number | undefined {
  const bytes = quantityBytes(value);
  return bytes === undefined ? undefined : bytes / GIB;
}

/** Kubernetes CPU quantity ("500m", "2", 0.5) to cores. */
export function cpuCores(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value !== "string") return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)(m)?\s*$/.exec(value);
  if (!m) return undefined;
  return m[2] ? Number(m[1]) / 1000 : Number(m[1]);
}

const PROMETHEUS_DURATION_UNITS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 7 * 86400,
  y: 365 * 86400,
};

/** Prometheus duration ("15d", "2w", "12h", "1h30m", "1y") to seconds; "0" is zero. */
export function prometheusDurationSeconds(text: string): number | undefined {
  const t = text.trim();
  if (t === "0") return 0;
  if (!/^(\d+(ms|s|m|h|d|w|y))+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g))
    total += Number(m[1]) * PROMETHEUS_DURATION_UNITS[m[2]];
  return total;
}

const BASE2_POWERS: Record<string, number> = { "": 0, K: 1, M: 2, G: 3, T: 4, P: 5, E: 6 };

/**
 * Prometheus `--storage.tsdb.retention.size` ("43520MB", "80GB", "1TB", "512MiB") to bytes. Prometheus
 * parses it as base-2 bytes: MB and MiB both mean 2^20.
 */
export function prometheusSizeBytes(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([KMGTPE])(?:i)?B|B)\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 1024 ** BASE2_POWERS[m[2] ?? ""];
}

const ES_DURATION_UNITS: Record<string, number> = {
  nanos: 1e-9,
  micros: 1e-6,
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
};

/** Elasticsearch time unit ("30d", "12h", "90m") to seconds. Elasticsearch has no weeks or years. */
export function elasticsearchDurationSeconds(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)(nanos|micros|ms|s|m|h|d)\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * ES_DURATION_UNITS[m[2]];
}

export const DAY_SECONDS = 86400;

/** Seconds as a short human figure in days ("30d", "1.5d"). */
export function formatDays(seconds: number): string {
  return `${Number((seconds / DAY_SECONDS).toFixed(2))}d`;
}

/** Bytes as GiB with at most two decimals ("77.35GiB"). */
export function formatGi(bytes: number): string {
  return `${Number((bytes / GIB).toFixed(2))}GiB`;
}

/**
 * The one units module: durations, Kubernetes quantities and the sizes Prometheus and Elasticsearch
 * read. Shared by stacks/ (config validation), components/ and policies/ (which cannot crash a pack),
 * so every parser returns `undefined` for text it does not understand; the `require*` forms throw.
 * No Pulumi imports, and TypeScript 3.8-compatible syntax: the policy host compiles the packs that
 * import it with its own vendored compiler.
 */

export const GIB = 2 ** 30;
export const DAY_SECONDS = 86400;

const PROMETHEUS_DURATION_UNITS: [string, number][] = [
  ["y", 365 * DAY_SECONDS],
  ["w", 7 * DAY_SECONDS],
  ["d", DAY_SECONDS],
  ["h", 3600],
  ["m", 60],
  ["s", 1],
  ["ms", 0.001],
];

/**
 * Prometheus's duration grammar (prometheus/common model.ParseDuration): "0", or one or more
 * integer+unit pairs with units y, w, d, h, m, s, ms, each at most once and from largest to smallest
 * ("1h30m" is valid, "30m1h" and "1h1h" are not). Alertmanager reads the same grammar.
 */
const PROMETHEUS_DURATION = new RegExp(
  "^" + PROMETHEUS_DURATION_UNITS.map(([unit]) => `(?:(\\d+)${unit})?`).join("") + "$",
);

/** A Prometheus duration in seconds; undefined when Prometheus would refuse the text. */
export function prometheusDurationSeconds(text: string): number | undefined {
  if (text === "0") return 0;
  if (text === "") return undefined;
  const m = PROMETHEUS_DURATION.exec(text);
  if (!m) return undefined;
  let total = 0;
  PROMETHEUS_DURATION_UNITS.forEach(([, seconds], i) => {
    const n = m[i + 1];
    if (n !== undefined) total += Number(n) * seconds;
  });
  return total;
}

/** Like prometheusDurationSeconds, for text already validated at the door; throws otherwise. */
export function durationSeconds(text: string): number {
  const seconds = prometheusDurationSeconds(text);
  if (seconds === undefined) throw new Error(`not a Prometheus duration: ${text}`);
  return seconds;
}

/** Seconds as the shortest Prometheus duration ("90s" -> "1m30s", 0 -> "0s"). */
export function formatDuration(seconds: number): string {
  let rest = Math.round(seconds * 1000);
  if (rest === 0) return "0s";
  let out = "";
  for (const [unit, s] of PROMETHEUS_DURATION_UNITS) {
    const ms = Math.round(s * 1000);
    const n = Math.floor(rest / ms);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * ms;
    }
  }
  return out;
}

const QUANTITY_UNITS: Record<string, number> = {
  "": 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY = /^(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** Kubernetes byte quantity ("20Gi", "512Mi", "1G", "1e9", or a plain number) to bytes. */
export function quantityBytes(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = QUANTITY.exec(value.trim());
  if (!m) return undefined;
  const bytes = Number(m[1]) * QUANTITY_UNITS[m[2] || ""];
  return Number.isFinite(bytes) ? bytes : undefined;
}

/** Like quantityBytes, for text already validated at the door; throws otherwise. */
export function requireQuantityBytes(text: string): number {
  const bytes = quantityBytes(text);
  if (bytes === undefined) throw new Error(`not a byte quantity: ${text}`);
  return bytes;
}

/** Kubernetes byte quantity to GiB (what EBS bills as "GB"). */
export function quantityGi(value: unknown): number | undefined {
  const bytes = quantityBytes(value);
  return bytes === undefined ? undefined : bytes / GIB;
}

const CPU = /^(\d+(?:\.\d+)?)(m)?$/;

/** Kubernetes CPU quantity ("500m", "2", 0.5) to cores. */
export function cpuCores(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = CPU.exec(value.trim());
  if (!m) return undefined;
  return m[2] ? Number(m[1]) / 1000 : Number(m[1]);
}

/** Like cpuCores, for text already validated at the door; throws otherwise. */
export function requireCpuCores(text: string): number {
  const cores = cpuCores(text);
  if (cores === undefined) throw new Error(`not a CPU quantity: ${text}`);
  return cores;
}

const BASE2_POWERS: Record<string, number> = { "": 0, K: 1, M: 2, G: 3, T: 4, P: 5, E: 6 };

/**
 * Prometheus `--storage.tsdb.retention.size` ("43520MB", "80GB", "1TB", "512MiB") to bytes. Prometheus
 * parses it as base-2 bytes: MB and MiB both mean 2^20.
 */
export function prometheusSizeBytes(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([KMGTPE])(?:i)?B|B)\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 1024 ** BASE2_POWERS[m[2] || ""];
}

const ES_DURATION_UNITS: Record<string, number> = {
  nanos: 1e-9,
  micros: 1e-6,
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: DAY_SECONDS,
};

/** Elasticsearch time unit ("30d", "12h", "90m") to seconds. Elasticsearch has no weeks or years. */
export function elasticsearchDurationSeconds(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)(nanos|micros|ms|s|m|h|d)\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * ES_DURATION_UNITS[m[2]];
}

/** Seconds as a short human figure in days ("30d", "1.5d"). */
export function formatDays(seconds: number): string {
  return `${Number((seconds / DAY_SECONDS).toFixed(2))}d`;
}

/** Bytes as GiB with at most two decimals ("77.35GiB"). */
export function formatGi(bytes: number): string {
  return `${Number((bytes / GIB).toFixed(2))}GiB`;
}

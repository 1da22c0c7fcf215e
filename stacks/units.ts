/** Parsing of the human units used in config: durations ("15d") and Kubernetes quantities ("50Gi", "500m"). */

const DURATION_UNITS: Record<string, number> = {
  ms: 0.001,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
  y: 31536000,
};

/** A Prometheus-style duration: one or more number+unit pairs, e.g. "90d", "1h30m", "200h". */
export const DURATION_PATTERN = /^(\d+(ms|s|m|h|d|w|y))+$/;

export function durationSeconds(text: string): number {
  if (!DURATION_PATTERN.test(text)) throw new Error(`not a duration: ${text}`);
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(m[1]) * DURATION_UNITS[m[2]];
  return total;
}

const BYTE_UNITS: Record<string, number> = {
  "": 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** A Kubernetes memory/storage quantity such as "50Gi", "512Mi" or "1G". */
export const BYTES_PATTERN = /^(\d+(\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;

export function quantityBytes(text: string): number {
  const m = BYTES_PATTERN.exec(text);
  if (!m) throw new Error(`not a byte quantity: ${text}`);
  return Number(m[1]) * BYTE_UNITS[m[3] ?? ""];
}

export const GIB = 2 ** 30;

/** A Kubernetes CPU quantity such as "500m" or "2". */
export const CPU_PATTERN = /^(\d+(\.\d+)?|\d+m)$/;

export function cpuCores(text: string): number {
  if (!CPU_PATTERN.test(text)) throw new Error(`not a CPU quantity: ${text}`);
  return text.endsWith("m") ? Number(text.slice(0, -1)) / 1000 : Number(text);
}

/**
 * Typed readers over untyped resource inputs (the policy API's `props` is `Record<string, any>`; the
 * offline plan's inputs are plain JSON). Both packs read resources through these, so a missing or oddly
 * shaped field reads as "absent" rather than throwing, and `any` never leaks into a rule.
 */
export type Obj = Record<string, unknown>;

/** The value as a plain object, or undefined. */
export function obj(value: unknown): Obj | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Obj) : undefined;
}

/** The value as an array (empty when absent or not an array). */
export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value's array entries that are plain objects. */
export function objs(value: unknown): Obj[] {
  return arr(value).flatMap((v) => {
    const o = obj(v);
    return o ? [o] : [];
  });
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The value's string entries. */
export function strs(value: unknown): string[] {
  return arr(value).filter((v): v is string => typeof v === "string");
}

export function num(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

export function bool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false") return false;
  return undefined;
}

/** A nested object reached through `keys`, or undefined. */
export function at(value: unknown, ...keys: string[]): unknown {
  let cur: unknown = value;
  for (const k of keys) {
    const o = obj(cur);
    if (!o) return undefined;
    cur = o[k];
  }
  return cur;
}

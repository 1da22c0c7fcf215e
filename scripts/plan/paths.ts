/**
 * Input paths as the plan diff prints them (`spec.template.spec.containers[0].image`,
 * `metadata.labels["app.kubernetes.io/name"]`), parsed into segments for matching. Pure.
 */
export type Segment = string | number;

export function formatPath(segments: Segment[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out === "" ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** Parses a printed path, or a Pulumi property path (`a.b[0]`, `a["x.y"]`, `a[*]`, `a.*`); "*" is a wildcard. */
export function parsePath(path: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === ".") {
      i++;
    } else if (c === "[") {
      const end = path[i + 1] === '"' ? path.indexOf('"]', i + 2) + 1 : path.indexOf("]", i);
      const inner = path.slice(i + 1, end);
      if (inner.startsWith('"')) out.push(JSON.parse(inner) as string);
      else if (inner === "*") out.push("*");
      else out.push(Number(inner));
      i = end + 1;
    } else {
      let j = i;
      while (j < path.length && path[j] !== "." && path[j] !== "[") j++;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

function segmentMatches(pattern: Segment, actual: Segment): boolean {
  return pattern === "*" || pattern === actual;
}

/** True when `prefix` (which may hold "*") is a prefix of `path`, or equal to it. */
export function isPrefix(prefix: Segment[], path: Segment[]): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => segmentMatches(p, path[i]));
}

/** The value at `segments` in `value` ("*" takes any element/key); `found` says whether anything is there. */
export function hasPath(value: unknown, segments: Segment[]): boolean {
  if (segments.length === 0) return value !== undefined;
  const [head, ...rest] = segments;
  if (Array.isArray(value)) {
    if (head === "*") return value.some((v) => hasPath(v, rest));
    return typeof head === "number" && hasPath(value[head], rest);
  }
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (head === "*") return Object.values(obj).some((v) => hasPath(v, rest));
    return typeof head === "string" && head in obj && hasPath(obj[head], rest);
  }
  return false;
}

export function getPath(value: unknown, segments: Segment[]): unknown {
  let cur = value;
  for (const s of segments) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}

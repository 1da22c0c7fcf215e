/**
 * Test helpers for the Logstash pipelines: grok patterns expanded to JavaScript regular expressions
 * from the pattern definitions the stack ships (GROK_PATTERNS, the same text as the mounted pattern
 * file), and a small interpreter of the typed filter model with Logstash's semantics for the subset the
 * stack uses (grok's first-match and overwrite, json target, date, mutate, conditionals).
 */
import type { Condition, FieldRef, Filter } from "../../components/logging/logstash/pipeline";

export type Event = Record<string, unknown>;

export interface CompiledGrok {
  regex: RegExp;
  /** Capture group name -> field reference and conversion. */
  captures: Map<string, { field: FieldRef; type?: "float" | "int" }>;
}

/** `%{NAME}`, `%{NAME:field}` or `%{NAME:field:type}`, expanded recursively from `patterns`. */
export function compileGrok(pattern: string, patterns: Record<string, string>): CompiledGrok {
  const captures = new Map<string, { field: FieldRef; type?: "float" | "int" }>();
  const expand = (text: string, depth: number): string => {
    if (depth > 10) throw new Error(`grok pattern nests too deeply: ${pattern}`);
    return text.replace(
      /%\{(\w+)(?::([^:}]+))?(?::(float|int))?\}/g,
      (_, name: string, field?: string, type?: "float" | "int") => {
        const def = patterns[name];
        if (def === undefined) throw new Error(`grok pattern ${name} is not defined in the shipped patterns`);
        const body = expand(def, depth + 1);
        if (!field) return `(?:${body})`;
        const group = `g${captures.size}`;
        captures.set(group, { field, type });
        return `(?<${group}>${body})`;
      },
    );
  };
  return { regex: new RegExp(expand(pattern, 0)), captures };
}

function path(ref: FieldRef): string[] {
  return ref.startsWith("[") ? [...ref.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]) : [ref];
}

export function getField(e: Event, ref: FieldRef): unknown {
  let cur: unknown = e;
  for (const p of path(ref)) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Event)[p];
  }
  return cur;
}

export function setField(e: Event, ref: FieldRef, value: unknown): void {
  const parts = path(ref);
  let cur = e;
  for (const p of parts.slice(0, -1)) {
    if (typeof cur[p] !== "object" || cur[p] === null) cur[p] = {};
    cur = cur[p] as Event;
  }
  cur[parts[parts.length - 1]] = value;
}

function removeField(e: Event, ref: FieldRef): void {
  const parts = path(ref);
  const parent = parts.length === 1 ? e : getField(e, `[${parts.slice(0, -1).join("][")}]`);
  if (parent && typeof parent === "object") delete (parent as Event)[parts[parts.length - 1]];
}

function addTags(e: Event, tags: string[]): void {
  if (tags.length === 0) return;
  const current = Array.isArray(e.tags) ? (e.tags as string[]) : [];
  e.tags = [...current, ...tags.map((t) => sprintf(e, t)).filter((t) => !current.includes(t))];
}

/** Logstash's `%{[field]}` references in a string. */
function sprintf(e: Event, s: string): string {
  return s.replace(/%\{([^}]+)\}/g, (whole, ref: string) => {
    const v = getField(e, ref);
    return v === undefined ? whole : String(v);
  });
}

const truthy = (v: unknown) => v !== undefined && v !== null && v !== false;

function test(e: Event, c: Condition): boolean {
  if ("equals" in c) return getField(e, c.field) === c.equals;
  if ("notEquals" in c) return getField(e, c.field) !== c.notEquals;
  if ("matches" in c) {
    const v = getField(e, c.field);
    return typeof v === "string" && new RegExp(c.matches).test(v);
  }
  if ("exists" in c) return truthy(getField(e, c.exists));
  if ("not" in c) return !test(e, c.not);
  return c.all.every((x) => test(e, x));
}

/** Python's `asctime` ("2024-01-15 10:30:45,123") and ISO 8601, read as UTC when no zone is given. */
function parseTime(text: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return undefined;
  const ms = (m[3] ?? "0").padEnd(3, "0").slice(0, 3);
  const zone = m[4] ?? "Z";
  const d = new Date(`${m[1]}T${m[2]}.${ms}${zone}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function runFilters(e: Event, filters: Filter[], patterns: Record<string, string>): Event {
  for (const f of filters) {
    if ("grok" in f) {
      const value = getField(e, f.grok.field);
      let matched = false;
      if (typeof value === "string") {
        for (const p of f.grok.patterns) {
          const { regex, captures } = compileGrok(p, patterns);
          const m = regex.exec(value);
          if (!m) continue;
          matched = true;
          for (const [group, { field, type }] of captures) {
            const raw = m.groups?.[group];
            if (raw === undefined) continue;
            const v = type === "float" ? parseFloat(raw) : type === "int" ? parseInt(raw, 10) : raw;
            const existing = getField(e, field);
            // Without overwrite, grok adds to an existing field (it becomes an array).
            if (existing !== undefined && !(f.grok.overwrite ?? []).includes(field))
              setField(e, field, [...(Array.isArray(existing) ? existing : [existing]), v]);
            else setField(e, field, v);
          }
          break;
        }
      }
      if (!matched) addTags(e, f.grok.tagOnFailure ?? ["_grokparsefailure"]);
    } else if ("json" in f) {
      const value = getField(e, f.json.source);
      try {
        const parsed: unknown = JSON.parse(String(value));
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
          throw new Error("not an object");
        setField(e, f.json.target, parsed);
      } catch {
        addTags(e, f.json.tagOnFailure ?? ["_jsonparsefailure"]);
      }
    } else if ("date" in f) {
      const value = getField(e, f.date.field);
      const iso = typeof value === "string" ? parseTime(value) : undefined;
      if (iso) {
        e["@timestamp"] = iso;
        if (f.date.removeSource) removeField(e, f.date.field);
      } else addTags(e, ["_dateparsefailure"]);
    } else if ("mutate" in f) {
      const m = f.mutate;
      for (const [from, to] of Object.entries(m.copy ?? {})) {
        const v = getField(e, from);
        if (v !== undefined) setField(e, to, structuredClone(v));
      }
      for (const ref of m.lowercase ?? []) {
        const v = getField(e, ref);
        if (typeof v === "string") setField(e, ref, v.toLowerCase());
      }
      for (const [ref, re, by] of m.gsub ?? []) {
        const v = getField(e, ref);
        if (typeof v === "string") setField(e, ref, v.replace(new RegExp(re, "g"), by));
      }
      for (const [ref, v] of Object.entries(m.replace ?? {})) setField(e, ref, sprintf(e, v));
      if (m.addTag) addTags(e, m.addTag);
      for (const ref of m.removeField ?? []) removeField(e, ref);
    } else {
      runFilters(e, test(e, f.if) ? f.then : (f.else ?? []), patterns);
    }
  }
  return e;
}

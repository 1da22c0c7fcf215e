/**
 * The config keys the schemas accept, as dotted paths below `monitoring:` in the README's notation:
 * `[]` for a list entry, `<name>` for a key the user chooses. Walks strict objects, lists and records
 * down to the values; a record or list of plain values is one key (`tags`, `templates`).
 */
import { z } from "zod";
import { CONFIG_KEYS } from "../../stacks/resolve";

export interface SchemaKey {
  path: string;
  schema: z.ZodType;
}

/** The schema under optional/default wrappers. */
export function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable)
    s = s.unwrap() as z.ZodType;
  return s;
}

const isContainer = (s: z.ZodType) => s instanceof z.ZodObject || s instanceof z.ZodRecord;

function walk(path: string, schema: z.ZodType, out: SchemaKey[]): void {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) {
    for (const [k, v] of Object.entries(s.shape as Record<string, z.ZodType>)) walk(`${path}.${k}`, v, out);
  } else if (s instanceof z.ZodArray && isContainer(unwrap(s.element as z.ZodType))) {
    walk(`${path}[]`, s.element as z.ZodType, out);
  } else if (s instanceof z.ZodRecord && isContainer(unwrap(s.valueType as z.ZodType))) {
    walk(`${path}.<name>`, s.valueType as z.ZodType, out);
  } else if (s instanceof z.ZodRecord && unwrap(s.keyType as z.ZodType) instanceof z.ZodEnum) {
    // A record over fixed keys (severityRoutes) documents each key.
    for (const k of (unwrap(s.keyType as z.ZodType) as z.ZodEnum).options)
      walk(`${path}.${String(k)}`, s.valueType as z.ZodType, out);
  } else out.push({ path, schema: s });
}

/** Every leaf key, e.g. "prometheus.volume.size", "alertmanager.routing.receivers.<name>.slack[].apiUrlSecret". */
export function schemaKeys(): SchemaKey[] {
  const out: SchemaKey[] = [];
  for (const [key, schema] of Object.entries(CONFIG_KEYS)) {
    const before = out.length;
    walk("", schema, out);
    for (let i = before; i < out.length; i++) out[i].path = key + out[i].path;
  }
  return out;
}

/**
 * What the Kubernetes API server refuses in the objects the plan would send, checked offline: every
 * `kubernetes:` resource is validated against the Kubernetes OpenAPI schema with the validators
 * kubernetes-models generates from it (types, required fields, enums, formats such as quantities), plus
 * the one thing those validators let through and server-side apply does not: a field the schema does not
 * declare. Pure: fed the recorded resources, it returns what it checked and what it refuses.
 */
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { redactedSecret } from "./outputs";
import { formatPath, getPath, type Segment } from "./paths";
import type { PlannedResource } from "./types";
import { SECRET_PLACEHOLDER } from "./types";

/** The package and the Kubernetes release its schemas come from (its CHANGELOG, 4.5.0: "v1.33.0"). */
export const SCHEMA_SOURCE = "kubernetes-models 4.5.1, Kubernetes 1.33.0";

/** apiVersion and kind of a Pulumi Kubernetes type token; `patch` for the server-side-apply Patch types. */
export interface KubernetesType {
  apiVersion: string;
  kind: string;
  patch: boolean;
}

/**
 * `kubernetes:<group>/<version>:<Kind>` as @pulumi/kubernetes names its resources: the legacy core group
 * is "core" (apiVersion "v1"), and each kind has a `<Kind>Patch` twin that sends a partial object with the
 * kind's own apiVersion and kind (e.g. @pulumi/kubernetes core/v1/persistentVolumeClaimPatch.js).
 */
export function kubernetesTypeOf(token: string): KubernetesType | undefined {
  const m = /^kubernetes:([\w.-]+)\/(\w+):(\w+)$/.exec(token);
  if (!m) return undefined;
  const [, group, version, name] = m;
  const patch = name.endsWith("Patch") && name !== "Patch";
  return {
    apiVersion: group === "core" ? version : `${group}/${version}`,
    kind: patch ? name.slice(0, -"Patch".length) : name,
    patch,
  };
}

/** One refusal: where in the object (segments, [] for the object itself) and the schema's words. */
export interface SchemaIssue {
  path: Segment[];
  message: string;
}

// What kubernetes-models' generated validators throw (ajv's ValidationError with ajv's error objects).
interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
}
interface Model {
  validate(): void;
}
interface ModelClass {
  apiVersion: string;
  kind: string;
  new (data: unknown): Model;
}

const models = new Map<string, ModelClass | null>();

/** The package's model for apiVersion/kind (one module per kind), or null when it has no schema for it. */
function modelFor(apiVersion: string, kind: string): ModelClass | null {
  const key = `${apiVersion}/${kind}`;
  if (!models.has(key)) {
    let found: ModelClass | null = null;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(`kubernetes-models/${key}`) as Record<string, ModelClass | undefined>;
      const cls = mod[kind];
      if (cls && cls.apiVersion === apiVersion && cls.kind === kind) found = cls;
    } catch (err) {
      // A group the package does not ship (a CRD's) is not exported; a kind it does not know is not found.
      const code = (err as { code?: string }).code;
      if (code !== "MODULE_NOT_FOUND" && code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") throw err;
    }
    models.set(key, found);
  }
  return models.get(key) ?? null;
}

function runValidator(cls: ModelClass, data: unknown): AjvError[] {
  try {
    new cls(data).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: unknown }).errors;
    if (Array.isArray(errors)) return errors as AjvError[];
    throw err;
  }
}

/** JSON pointer ("/spec/containers/0") to segments, array indices as numbers (read off the value). */
function segmentsOf(pointer: string, value: unknown): Segment[] {
  if (pointer === "") return [];
  const out: Segment[] = [];
  let cur = value;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const seg: Segment = Array.isArray(cur) ? Number(key) : key;
    out.push(seg);
    cur =
      cur !== null && typeof cur === "object" ? (cur as Record<string | number, unknown>)[seg] : undefined;
  }
  return out;
}

function pointerOf(path: Segment[]): string {
  return path.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
}

/**
 * A value the plan cannot see: unknown at preview (Pulumi's unknown sentinel, an output the mocks do not
 * resolve) or a redacted secret. Its real type is unknown, so nothing at or below it is reported.
 */
function isOpaque(value: unknown): boolean {
  return value === unknownValue || value === SECRET_PLACEHOLDER;
}

function opaqueAncestor(object: unknown, path: Segment[]): boolean {
  for (let i = 0; i <= path.length; i++) if (isOpaque(getPath(object, path.slice(0, i)))) return true;
  return false;
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return value !== null && typeof value === "object";
}

const PROBE = Symbol("probe");

/** `value` with every node `depth` levels down replaced by PROBE (a value no typed schema accepts). */
function probeAt(value: unknown, depth: number): unknown {
  if (depth === 0) return PROBE;
  if (Array.isArray(value)) return value.map((v) => probeAt(v, depth - 1));
  if (isContainer(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, probeAt(v, depth - 1)]));
  return value;
}

/**
 * Fields the schema does not declare. The generated validators accept them (the OpenAPI documents do not
 * close their objects), but server-side apply, which @pulumi/kubernetes v4 uses by default, converts the
 * patch to a typed object first and refuses them: "failed to create typed patch object ...: .spec.foo:
 * field not declared in schema" (k8s.io/apiserver fieldmanager Apply, typeConverter.YAMLToTyped). The
 * validator itself tells declared from undeclared: a declared field set to a value of no JSON type fails
 * its type check at its own path, an undeclared one is never looked at. One probe per depth, descending
 * only into declared fields.
 */
function undeclaredFields(cls: ModelClass, object: Record<string, unknown>): Segment[][] {
  const out: Segment[][] = [];
  let frontier: Segment[][] = [[]];
  for (let depth = 1; frontier.length > 0; depth++) {
    const candidates: Segment[][] = [];
    for (const parent of frontier) {
      const v = getPath(object, parent);
      if (Array.isArray(v)) v.forEach((_, i) => candidates.push([...parent, i]));
      else if (isContainer(v)) for (const k of Object.keys(v)) candidates.push([...parent, k]);
    }
    if (candidates.length === 0) break;
    const checked = new Set(runValidator(cls, probeAt(object, depth)).map((e) => e.instancePath));
    frontier = [];
    for (const c of candidates) {
      if (!checked.has(pointerOf(c))) out.push(c);
      else if (isContainer(getPath(object, c))) frontier.push(c);
    }
  }
  return out;
}

/**
 * Validates one Kubernetes object (apiVersion and kind read from it) against the package's schema for
 * its kind. `partial` (a server-side-apply Patch) drops the required-field checks: a patch names only the
 * fields it sets; types, enums, formats and undeclared fields are checked as for a whole object. Returns
 * undefined when the package has no schema for the kind (a CRD's), [] when the object is valid.
 */
export function validateKubernetesObject(
  object: Record<string, unknown>,
  opts: { partial?: boolean } = {},
): SchemaIssue[] | undefined {
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== "string" || typeof kind !== "string") {
    return [{ path: [], message: "apiVersion and kind must be strings" }];
  }
  const cls = modelFor(apiVersion, kind);
  if (!cls) return undefined;
  const byPath = new Map<string, { path: Segment[]; messages: string[] }>();
  const add = (path: Segment[], message: string) => {
    const key = pointerOf(path);
    const entry = byPath.get(key) ?? { path, messages: [] };
    if (!entry.messages.includes(message)) entry.messages.push(message);
    byPath.set(key, entry);
  };
  for (const e of runValidator(cls, object)) {
    if (opts.partial && e.keyword === "required") continue;
    const path = segmentsOf(e.instancePath, object);
    if (opaqueAncestor(object, path)) continue;
    add(path, e.message ?? e.keyword);
  }
  for (const path of undeclaredFields(cls, object)) add(path, "field not declared in schema");
  return [...byPath.values()]
    .sort((a, b) => formatPath(a.path).localeCompare(formatPath(b.path)))
    .map((e) => ({ path: e.path, message: e.messages.join("; ") }));
}

/** What the plan checked: URNs validated, resources it could not validate (with why), and the refusals. */
export interface SchemaReport {
  validated: string[];
  notValidated: { urn: string; type: string; reason: string }[];
  errors: string[];
}

/**
 * The object @pulumi/kubernetes sends for a recorded resource: its inputs (which carry apiVersion and
 * kind), a Secret's redacted data/stringData given back their keys (outputs.ts redactedSecret).
 */
function objectOf(r: PlannedResource, t: KubernetesType): Record<string, unknown> {
  const body = t.kind === "Secret" ? redactedSecret(r) : r.inputs;
  return { ...body, apiVersion: t.apiVersion, kind: t.kind };
}

/** Validates every Kubernetes resource in the plan; every `kubernetes:` type is validated or listed. */
export function checkKubernetesSchemas(resources: PlannedResource[]): SchemaReport {
  const report: SchemaReport = { validated: [], notValidated: [], errors: [] };
  for (const r of resources) {
    if (!r.type.startsWith("kubernetes:")) continue;
    const t = kubernetesTypeOf(r.type);
    if (r.custom === false || !t) {
      report.notValidated.push({
        urn: r.urn,
        type: r.type,
        reason: r.custom === false ? "a component, not an API object" : "not a Kubernetes API type token",
      });
      continue;
    }
    const mismatch = (["apiVersion", "kind"] as const).filter(
      (k) => r.inputs[k] !== undefined && r.inputs[k] !== t[k],
    );
    for (const k of mismatch) {
      report.errors.push(`${r.urn}: ${k}: ${JSON.stringify(r.inputs[k])} where ${r.type} sends ${t[k]}`);
    }
    const issues = validateKubernetesObject(objectOf(r, t), { partial: t.patch });
    if (issues === undefined) {
      report.notValidated.push({
        urn: r.urn,
        type: r.type,
        reason: `no schema for ${t.apiVersion} ${t.kind} in ${SCHEMA_SOURCE}`,
      });
      continue;
    }
    report.validated.push(r.urn);
    for (const i of issues) report.errors.push(`${r.urn}: ${formatPath(i.path) || "(object)"}: ${i.message}`);
  }
  return report;
}

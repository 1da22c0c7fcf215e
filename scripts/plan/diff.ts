/**
 * The plan diff: compares two plans' resources.json the way `pulumi preview` compares the program's
 * registrations with the stack's state, using the providers' replacement rules (replacement-rules.ts).
 * Pure: before/after resource arrays in, one entry per URN out, plus a preview-style summary.
 *
 * Engine behaviour mirrored (pulumi/pulumi pkg/resource/deploy):
 * - step_generator.go processIgnoreChanges / applyReplaceOnChanges: ignoreChanges paths are not changes;
 *   a change under a replaceOnChanges path replaces.
 * - step_generator.go providerChanged: a resource whose provider is replaced is replaced.
 * - step_generator.go generateSteps: replacing a resource protected in both plans is refused ("unable to
 *   replace resource ... as it is currently marked for protection"); step.go DeleteStep.Apply refuses to
 *   delete a protected resource (deleteProtectedError), in preview too.
 * - A deleted resource with retainOnDelete is only dropped from the state.
 */
import { quantityBytes } from "../../lib/units";
import { formatPath, isPrefix, parsePath, type Segment } from "./paths";
import { replacementRules } from "./replacement-rules";
import type { PlannedResource } from "./types";
import { SECRET_PLACEHOLDER } from "./types";

export type DiffOp = "create" | "update" | "replace" | "delete" | "same";

export interface DiffEntry {
  urn: string;
  type: string;
  op: DiffOp;
  /** Changed input paths, dotted (`spec.template.spec.containers[0].image`). */
  paths: string[];
  /** The changed paths (or "provider") that force the replacement. */
  replaceBecause: string[];
  deleteBeforeReplace: boolean;
  /** What a reviewer should know: fixed names, unknown rules, deletion policies, retained deletes. */
  notes: string[];
  /** What the engine refuses (protected resources): the preview fails with these. */
  errors: string[];
}

/** Leaf paths where two JSON values differ; a secret placeholder is compared through its digests. */
export function changedPaths(
  before: unknown,
  after: unknown,
  digests: { before: Record<string, string>; after: Record<string, string> },
  at: Segment[] = [],
): Segment[][] {
  if (before === SECRET_PLACEHOLDER && after === SECRET_PLACEHOLDER) {
    return secretChanges(at, digests);
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: Segment[][] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      if (i >= before.length || i >= after.length) out.push([...at, i]);
      else out.push(...changedPaths(before[i], after[i], digests, [...at, i]));
    }
    return out;
  }
  const isObj = (v: unknown): v is Record<string, unknown> =>
    !!v && typeof v === "object" && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      if (!(k in before) || !(k in after)) return [[...at, k]];
      return changedPaths(before[k], after[k], digests, [...at, k]);
    });
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [at];
}

/** Digest paths under `at` that differ; digests made with different keys cannot be compared. */
function secretChanges(
  at: Segment[],
  digests: { before: Record<string, string>; after: Record<string, string> },
): Segment[][] {
  const under = (d: Record<string, string>) =>
    new Map(Object.entries(d).filter(([p]) => isPrefix(at, parsePath(p))));
  const b = under(digests.before);
  const a = under(digests.after);
  if (b.size === 0 && a.size === 0) return []; // no digests recorded (an older plan): cannot tell
  const keyId = (d: string) => d.split(":")[0];
  const paths = [...new Set([...b.keys(), ...a.keys()])].sort();
  return paths
    .filter((p) => {
      const x = b.get(p);
      const y = a.get(p);
      return x === undefined || y === undefined || x !== y || keyId(x) !== keyId(y);
    })
    .map(parsePath);
}

function providerKey(r: PlannedResource): string {
  return r.provider ?? `default:${r.type.split(":")[0]}`;
}

const pathsOf = (segments: Segment[][]) => segments.map(formatPath);

/** Diffs two plans. Resources are matched by URN (aliases are not recorded, so a rename is delete + create). */
export function diffPlans(before: PlannedResource[], after: PlannedResource[]): DiffEntry[] {
  const old = new Map(before.map((r) => [r.urn, r]));
  const now = new Map(after.map((r) => [r.urn, r]));
  const entries = new Map<string, DiffEntry>();

  const diffOne = (o: PlannedResource, n: PlannedResource, replacedProviders: Set<string>): DiffEntry => {
    const ignore = (n.ignoreChanges ?? []).map(parsePath);
    const changed = changedPaths(o.inputs, n.inputs, {
      before: o.secretDigests ?? {},
      after: n.secretDigests ?? {},
    }).filter((p) => !ignore.some((i) => isPrefix(i, p)));
    const entry: DiffEntry = {
      urn: n.urn,
      type: n.type,
      op: "same",
      paths: pathsOf(changed),
      replaceBecause: [],
      deleteBeforeReplace: false,
      notes: [],
      errors: [],
    };
    // A plan written before resources.json recorded providers cannot tell a move from an old record.
    const providerMoved = o.provider !== undefined && providerKey(o) !== providerKey(n);
    const providerReplaced = !!n.provider && replacedProviders.has(n.provider);
    if (
      o.secretDigests === undefined &&
      JSON.stringify(o.inputs).includes(JSON.stringify(SECRET_PLACEHOLDER))
    ) {
      entry.notes.push(
        "the earlier plan recorded no secret digests: changes to secret inputs cannot be seen",
      );
    }
    if (changed.length === 0 && !providerMoved && !providerReplaced) return entry;

    const provider = n.provider ? now.get(n.provider) : undefined;
    const rules = changed.length > 0 ? replacementRules({ old: o, new: n, changed, provider }) : undefined;
    const because = new Set(pathsOf(rules?.replaceBecause ?? []));
    for (const roc of (n.replaceOnChanges ?? []).map(parsePath)) {
      for (const p of changed) if (isPrefix(roc, p)) because.add(formatPath(p));
    }
    if (providerReplaced) because.add("provider");
    if (providerMoved) {
      entry.notes.push(`provider changes from ${providerKey(o)} to ${providerKey(n)}`);
      // step_generator.go providerChanged: switching to or from the default provider always replaces;
      // between explicit providers the new provider's DiffConfig decides (not modelled: assume it does).
      because.add("provider");
    }
    entry.notes.push(...(rules?.notes ?? []));
    const shrink = claimShrink(o, n);
    if (shrink) entry.errors.push(shrink);
    entry.replaceBecause = [...because].sort();
    entry.op = entry.replaceBecause.length > 0 ? "replace" : "update";
    if (entry.op === "replace") {
      const dbrOption = n.deleteBeforeReplace === true;
      const fixed = rules?.fixedName;
      entry.deleteBeforeReplace = dbrOption || !!rules?.providerDeletesFirst || !!fixed;
      if (dbrOption) entry.notes.push("deleteBeforeReplace resource option: the old one is deleted first");
      else if (rules?.providerDeletesFirst) {
        entry.notes.push(`the provider deletes the old one first${fixed ? ` (${fixed})` : ""}: downtime`);
      } else if (fixed) {
        entry.notes.push(
          `${fixed}: the provider would create the replacement beside the old one and collide; it must be deleted first (deleteBeforeReplace) — downtime`,
        );
      }
      if (n.protect && o.protect) {
        entry.errors.push(
          `unable to replace resource "${n.urn}"\nas it is currently marked for protection. To unprotect the resource, remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\``,
        );
      }
    }
    return entry;
  };

  // Providers first: a replaced provider replaces everything it manages.
  const replacedProviders = new Set<string>();
  for (const n of after) {
    const o = old.get(n.urn);
    if (!o || !n.type.startsWith("pulumi:providers:")) continue;
    const e = diffOne(o, n, replacedProviders);
    if (e.op === "replace") replacedProviders.add(n.urn);
    entries.set(n.urn, e);
  }
  for (const n of after) {
    if (entries.has(n.urn)) continue;
    const o = old.get(n.urn);
    if (o) {
      entries.set(n.urn, diffOne(o, n, replacedProviders));
    } else {
      entries.set(n.urn, {
        urn: n.urn,
        type: n.type,
        op: "create",
        paths: [],
        replaceBecause: [],
        deleteBeforeReplace: false,
        notes: [],
        errors: [],
      });
    }
  }
  for (const o of before) {
    if (now.has(o.urn)) continue;
    const notes: string[] = [];
    const errors: string[] = [];
    if (o.protect) {
      errors.push(
        `resource "${o.urn}" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove the \`protect\` flag from the resource in your Pulumi program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${o.urn}'\``,
      );
    }
    if (o.retainOnDelete)
      notes.push("retainOnDelete: only removed from the stack, the real object is left behind");
    entries.set(o.urn, {
      urn: o.urn,
      type: o.type,
      op: "delete",
      paths: [],
      replaceBecause: [],
      deleteBeforeReplace: false,
      notes,
      errors,
    });
  }
  return [...entries.values()].sort((a, b) => a.urn.localeCompare(b.urn));
}

const SYMBOL: Record<DiffOp, string> = {
  create: "+ ",
  update: "~ ",
  replace: "+-",
  delete: "- ",
  same: "  ",
};

/** A `pulumi preview`-style summary: one line per changed resource with its reasons, then counts. */
export function formatDiffSummary(entries: DiffEntry[]): string {
  const lines: string[] = [];
  const short = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
  for (const e of entries) {
    if (e.op === "same") continue;
    let line = `  ${SYMBOL[e.op]} ${e.type} ${short(e.urn)}  ${e.op}`;
    if (e.op === "update" && e.paths.length > 0) line += ` [diff: ${e.paths.join(", ")}]`;
    if (e.op === "replace") {
      line += ` [replace because: ${e.replaceBecause.join(", ")}]`;
      if (e.deleteBeforeReplace) line += " DELETE-BEFORE-REPLACE";
    }
    lines.push(line);
    for (const n of e.notes) lines.push(`        ${n}`);
    for (const err of e.errors) lines.push(`        error: ${err.replace(/\n/g, " ")}`);
  }
  const count = (op: DiffOp) => entries.filter((e) => e.op === op).length;
  lines.push("Resources:");
  if (count("create")) lines.push(`    + ${count("create")} to create`);
  if (count("update")) lines.push(`    ~ ${count("update")} to update`);
  if (count("replace")) lines.push(`    +-${count("replace")} to replace`);
  if (count("delete")) lines.push(`    - ${count("delete")} to delete`);
  const changes = entries.length - count("same");
  lines.push(`    ${changes} change${changes === 1 ? "" : "s"}. ${count("same")} unchanged`);
  const dbr = entries.filter((e) => e.deleteBeforeReplace).length;
  if (dbr > 0)
    lines.push(`    ${dbr} replacement(s) delete the old resource first (downtime; reviewers take note)`);
  const unknown = entries.filter((e) =>
    e.notes.some((n) => n.startsWith("replacement rules unknown")),
  ).length;
  if (unknown > 0)
    lines.push(`    ${unknown} change(s) on types or inputs whose replacement rules are unknown`);
  const errors = entries.reduce((n, e) => n + e.errors.length, 0);
  if (errors > 0) lines.push(`    ${errors} error(s): the engine refuses this plan`);
  return lines.join("\n");
}

/** Annotation the platform puts on claims and claim patches: the config key their size comes from. */
export const CONFIG_KEY_ANNOTATION = "monitoring.pulumi.io/config-key";

const claimSize = (r: PlannedResource): string | undefined => {
  const spec = r.inputs.spec as { resources?: { requests?: { storage?: unknown } } } | undefined;
  const storage = spec?.resources?.requests?.storage;
  return typeof storage === "string" ? storage : undefined;
};

/**
 * Kubernetes refuses to shrink a bound claim ("field can not be less than previous value", PVC
 * validation in kubernetes/pkg/apis/core/validation ValidatePersistentVolumeClaimUpdate): the apply
 * would fail half-way. Reported as a config error naming the key the size comes from.
 */
export function claimShrink(o: PlannedResource, n: PlannedResource): string | undefined {
  if (
    n.type !== "kubernetes:core/v1:PersistentVolumeClaimPatch" &&
    n.type !== "kubernetes:core/v1:PersistentVolumeClaim"
  )
    return undefined;
  const before = claimSize(o);
  const after = claimSize(n);
  if (!before || !after) return undefined;
  const bytes = (q: string) => quantityBytes(q) ?? 0;
  if (bytes(after) >= bytes(before)) return undefined;
  const meta = n.inputs.metadata as { name?: string; annotations?: Record<string, string> } | undefined;
  const key = meta?.annotations?.[CONFIG_KEY_ANNOTATION] ?? "the volume size";
  return `${key}: would shrink claim ${meta?.name ?? n.urn} from ${before} to ${after}; Kubernetes cannot shrink a persistent volume, keep it at least ${before}`;
}

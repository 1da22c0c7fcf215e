/**
 * The shapes replacement rules are written in, shared by replacement-rules.ts and the per-provider
 * tables (rules-aws.ts) without an import cycle between them.
 */
import type { Segment } from "./paths";
import type { PlannedResource } from "./types";

export interface RuleInput {
  old: PlannedResource;
  new: PlannedResource;
  /** Changed input paths (after ignoreChanges). */
  changed: Segment[][];
  /** The new resource's explicit provider resource, when it has one (Kubernetes mutability flags). */
  provider?: PlannedResource;
}

/** One resource type's fields, from its provider's schema. */
export interface FieldTable {
  source: string;
  /** Top-level inputs (or dotted nested paths) whose change forces a replacement. */
  forceNew: string[];
  /** Top-level inputs updated in place. Anything in neither list is reported as unknown. */
  updatable: string[];
  /** Inputs that give the cloud object its physical name when set (not auto-named). */
  nameFields?: string[];
  /** The provider always deletes before it replaces. */
  deleteFirst?: boolean;
  /** Replacements that depend on old and new values (a CustomizeDiff or ModifyPlan in the provider). */
  conditional?: (input: RuleInput) => Segment[][];
}

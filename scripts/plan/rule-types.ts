/** Types shared by the replacement-rule tables (scripts/plan/replacement-rules.ts, rules-aws.ts). */
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

export interface RuleResult {
  /** Changed paths that force a replacement. */
  replaceBecause: Segment[][];
  /** True when the provider itself deletes the old object before creating the new one. */
  providerDeletesFirst: boolean;
  /** Why the physical name is fixed (a replacement cannot create the new one beside the old), if it is. */
  fixedName?: string;
  notes: string[];
  /** False when the plan has no replacement rules for the type. */
  known: boolean;
}

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

/** One resource as the offline plan records it (resources.json). */
export interface PlannedResource {
  urn: string;
  /** Pulumi type token, e.g. "kubernetes:apps/v1:StatefulSet" or "aws:sns/topic:Topic". */
  type: string;
  /** Logical name given to the resource constructor. */
  name: string;
  /** URN of the parent resource, or null for the stack's direct children. */
  parent: string | null;
  dependencies: string[];
  protect: boolean;
  retainOnDelete: boolean;
  /** Resource inputs as plain JSON; every secret value is replaced by "[secret]". */
  inputs: Record<string, unknown>;
  /** False for component resources (no provider; the engine only compares their inputs). */
  custom?: boolean;
  /** URN of the explicit provider resource, or null for the package's default provider. */
  provider?: string | null;
  /** The `deleteBeforeReplace` resource option. */
  deleteBeforeReplace?: boolean;
  /** The `replaceOnChanges` resource option (property paths). */
  replaceOnChanges?: string[];
  /** The `ignoreChanges` resource option (property paths). */
  ignoreChanges?: string[];
  /**
   * Keyed digest of each secret input, by input path (the same paths as the plan diff), so a changed
   * secret shows as a change without its value. See scripts/plan/runtime.ts secretDigest.
   */
  secretDigests?: Record<string, string>;
}

export const SECRET_PLACEHOLDER = "[secret]";

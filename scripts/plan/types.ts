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
}

export const SECRET_PLACEHOLDER = "[secret]";

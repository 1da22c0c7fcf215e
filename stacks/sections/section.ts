/**
 * What a config section is: one top-level `monitoring:<key>` with its schema, its per-environment
 * defaults and its resolution into a spec. resolve.ts runs them in order; a section reads the ones
 * resolved before it through the context.
 */
import type { z } from "zod";
import type { ConfigProblem, SecretLookup } from "../errors";
import { keyPath } from "../errors";

export type Environment = "dev" | "prod";
export type PlatformName = "docker" | "kubernetes";

/** What every section may read besides its own raw value. */
export interface SectionContext {
  /** Pulumi stack name. */
  stack: string;
  environment: Environment;
  ephemeral: boolean;
  platform: PlatformName;
  /** Default storage class for volumes that name none (kubernetes.storageClass). */
  storageClass?: string;
  /** The stack's secret and plain config keys, for secret references. */
  secretKeys: SecretLookup;
  /** `aws:region` of the stack, when AWS is configured. */
  awsRegion?: string;
  /** Problems found so far; sections append theirs. */
  problems: ConfigProblem[];
  /** The specs of the sections resolved before this one, by key (SECTIONS order). */
  resolved: Readonly<Record<string, unknown>>;
}

export interface ConfigSection<Schema extends z.ZodType, Spec> {
  /** The key under `monitoring:`. */
  key: string;
  schema: Schema;
  /** Fills defaults from the environment profile and applies cross-field rules; reports through ctx.problems. */
  resolve(raw: z.infer<Schema> | undefined, ctx: SectionContext): Spec;
}

export function section<Schema extends z.ZodType, Spec>(
  s: ConfigSection<Schema, Spec>,
): ConfigSection<Schema, Spec> {
  return s;
}

/** Dotted key below a section, for problems: `at("prometheus")("volume", "size")`. */
export const pathIn =
  (key: string) =>
  (...path: PropertyKey[]): string =>
    keyPath(key, path);

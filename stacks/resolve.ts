/**
 * Turns a stack's raw config into a resolved StackSpec, or throws one ConfigError listing every
 * problem. Pure: no Pulumi imports, so it is tested directly and runs before any resource exists.
 * The scalar keys come first (they choose the profile and platform); then each section in turn.
 */
import { z } from "zod";
import { ConfigError, keyPath, mayBeCredential, type ConfigProblem } from "./errors";
import { dnsLabel } from "./fields";
import { SECTIONS, type SectionKey, type SectionSpecs } from "./sections";
import {
  DEFAULT_PLATFORM,
  environmentOf,
  environmentSchema,
  platformSchema,
  stackSlug,
  tagsSchema,
} from "./sections/platform";
import type { SectionContext } from "./sections/section";
import type { StackSpec } from "./spec";

export { CONFIG_NAMESPACE } from "./errors";
export { environmentOf } from "./sections/platform";
export { computePrometheusVolumeGi } from "./sections/prometheus";

/** What resolveStackSpec needs besides the raw values. */
export interface ResolveContext {
  /** The Pulumi stack name. */
  stack: string;
  /** Config keys (without namespace) whose values are Pulumi secrets. */
  secretKeys: ReadonlySet<string>;
  /** `aws:region` of the stack, when AWS is configured (enables the CloudWatch datasource). */
  awsRegion?: string;
}

/** The scalar top-level keys; with SECTIONS, every non-secret key the program reads under `monitoring:`. */
export const SCALAR_KEYS = {
  environment: environmentSchema,
  ephemeral: z.boolean(),
  platform: platformSchema,
  cluster: dnsLabel,
  tags: tagsSchema,
} as const;

/** Every top-level key's schema (the README's config reference is checked against these). */
export const CONFIG_KEYS: Record<string, z.ZodType> = {
  ...SCALAR_KEYS,
  ...Object.fromEntries(Object.entries(SECTIONS).map(([k, s]) => [k, s.schema as z.ZodType])),
};

/** Validates one key; problems name the dotted path and, unless it may be a credential, the value. */
function parseKey(key: string, schema: z.ZodType, value: unknown, problems: ConfigProblem[]) {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true as const, data: result.data };
  for (const issue of result.error.issues) {
    const problem: ConfigProblem = { path: keyPath(key, issue.path), message: issue.message };
    if (issue.code === "unrecognized_keys") {
      problem.message = `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}; check the spelling against the README's config reference`;
    } else if (
      "input" in issue &&
      issue.input !== undefined &&
      (typeof issue.input !== "object" || issue.input === null) &&
      !(issue.code === "custom" && issue.params?.mayBeCredential) &&
      !mayBeCredential([key, ...issue.path], issue.input)
    ) {
      problem.value = issue.input;
    }
    problems.push(problem);
  }
  return { ok: false as const };
}

/** The closest known key, for "did you mean" (edit distance at most 3). */
function closest(key: string, known: string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++)
        d[i][j] = Math.min(
          d[i - 1][j] + 1,
          d[i][j - 1] + 1,
          d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
    return d[a.length][b.length];
  };
  const best = known
    .map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 3 ? best.k : undefined;
}

/** Resolves raw config values (keys without the `monitoring:` prefix) into a StackSpec. */
export function resolveStackSpec(values: Record<string, unknown>, ctx: ResolveContext): StackSpec {
  const problems: ConfigProblem[] = [];

  // Secret keys never reach here (they are read where referenced); any other unknown key is a typo
  // whose settings would silently never apply.
  const known = Object.keys(CONFIG_KEYS);
  for (const key of Object.keys(values)) {
    if (key in CONFIG_KEYS) continue;
    const guess = closest(key, known);
    problems.push({
      path: keyPath(key),
      message:
        `is not a setting of this program${guess ? `; did you mean monitoring:${guess}?` : ""} ` +
        `(known: ${known.join(", ")}; a secret referenced by name must be set with \`pulumi config set --secret\`)`,
    });
  }

  const scalar = <K extends keyof typeof SCALAR_KEYS>(
    key: K,
  ): z.infer<(typeof SCALAR_KEYS)[K]> | undefined => {
    if (values[key] === undefined) return undefined;
    const parsed = parseKey(key, SCALAR_KEYS[key], values[key], problems);
    return parsed.ok ? (parsed.data as z.infer<(typeof SCALAR_KEYS)[K]>) : undefined;
  };
  const environment = environmentOf(ctx.stack, scalar("environment"));
  const ephemeral = scalar("ephemeral") ?? false;
  const platform = scalar("platform") ?? DEFAULT_PLATFORM[environment];
  const cluster = scalar("cluster") ?? stackSlug(ctx.stack);
  const tags = scalar("tags") ?? {};

  const specs: Partial<Record<SectionKey, unknown>> = {};
  const sectionCtx: SectionContext = {
    stack: ctx.stack,
    environment,
    ephemeral,
    platform,
    secretKeys: ctx.secretKeys,
    awsRegion: ctx.awsRegion,
    problems,
    resolved: specs,
  };
  for (const [key, sec] of Object.entries(SECTIONS) as [SectionKey, (typeof SECTIONS)[SectionKey]][]) {
    let raw: unknown;
    if (values[key] !== undefined) {
      const parsed = parseKey(key, sec.schema, values[key], problems);
      // Cross-field checks of a key that failed to parse would only restate its problems.
      if (!parsed.ok) {
        sectionCtx.problems = [];
        raw = undefined;
      } else raw = parsed.data;
    }
    // The section's own resolve is typed by its schema; the loop only carries the value through.
    specs[key] = (sec.resolve as (r: unknown, c: SectionContext) => unknown)(raw, sectionCtx);
    sectionCtx.problems = problems;
    if (key === "kubernetes")
      sectionCtx.storageClass = (specs.kubernetes as SectionSpecs["kubernetes"]).storageClass;
  }

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    ...(specs as SectionSpecs),
    stack: ctx.stack,
    environment,
    ephemeral,
    platform,
    cluster,
    namePrefix: `monitoring-${stackSlug(ctx.stack)}`,
    tags: { environment, stack: ctx.stack, "managed-by": "pulumi", ...tags },
  };
}

/**
 * Turns a stack's raw config into a resolved StackSpec, or throws one ConfigError listing every
 * problem. Pure: no Pulumi imports, so it is tested directly and runs before any resource exists.
 * The scalar keys come first (they choose the profile and platform); then each section in turn.
 */
import { z } from "zod";
import {
  CONFIG_NAMESPACE,
  ConfigError,
  keyPath,
  mayBeCredential,
  type ConfigProblem,
  type SecretLookup,
} from "./errors";
import { dnsLabel } from "./fields";
import { SECTIONS, type SectionKey, type SectionSpecs } from "./sections";
import {
  DEFAULT_PLATFORM,
  environmentOf,
  environmentSchema,
  platformSchema,
  stackNamePrefix,
  stackSlug,
  tagsSchema,
} from "./sections/platform";
import type { SectionContext } from "./sections/section";
import type { StackSpec } from "./spec";

export { CONFIG_NAMESPACE } from "./errors";
export { environmentOf } from "./sections/platform";
export { computePrometheusVolumeGi } from "./sections/prometheus";

/** An AWS region name ("us-west-2", "us-gov-east-1", "cn-north-1"). */
export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** What resolveStackSpec needs besides the raw values. */
export interface ResolveContext {
  /** The Pulumi stack name. */
  stack: string;
  /** Config keys (without namespace) whose values are Pulumi secrets. */
  secretKeys: ReadonlySet<string>;
  /** `aws:region` of the stack, when AWS is configured (enables the CloudWatch datasource). */
  awsRegion?: string;
  /** Full names of the stack's config keys outside `monitoring:` (a misspelt namespace is refused). */
  otherKeys?: readonly string[];
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

const KIND: Record<string, string> = {
  object: "a mapping of settings",
  record: "a mapping",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  null: "an empty value",
};

/** What a JSON value is, in the words of the messages. */
function kindOf(value: unknown): string {
  const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  return KIND[kind] ?? kind;
}

/** zod's built-in messages ("Invalid input: expected object, received string") in the README's words. */
function messageOf(issue: z.core.$ZodIssue): string {
  const input = "input" in issue ? issue.input : undefined;
  switch (issue.code) {
    case "invalid_type": {
      if (!issue.message.startsWith("Invalid input")) return issue.message;
      const expected = KIND[issue.expected] ?? issue.expected;
      return input === undefined
        ? `is required (expected ${expected})`
        : `expected ${expected}, not ${kindOf(input)}`;
    }
    case "invalid_value":
      return issue.message.startsWith("Invalid")
        ? `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`
        : issue.message;
    case "too_small":
    case "too_big": {
      if (!/^Too (small|big):/.test(issue.message)) return issue.message;
      const bound = Number(issue.code === "too_small" ? issue.minimum : issue.maximum);
      const word = issue.code === "too_small" ? "at least" : "at most";
      if (issue.origin === "array") return `expected ${word} ${bound} ${bound === 1 ? "entry" : "entries"}`;
      if (issue.origin === "string")
        return word === "at least" && bound === 1
          ? "expected a value, not an empty string"
          : `expected ${word} ${bound} characters`;
      return bound > Number.MAX_SAFE_INTEGER - 1
        ? "expected a whole number of a usable size"
        : `expected ${word} ${bound}`;
    }
    case "invalid_key": {
      const inner = issue.issues[0];
      return `is not a valid name here: ${inner ? messageOf(inner) : "see the README's config reference"}`;
    }
    case "invalid_format":
      if (issue.format === "url" && issue.message === "Invalid URL") return "expected a URL";
      if (issue.message.startsWith("Invalid string"))
        return "does not have the expected form (see the README's config reference)";
      return issue.message;
    case "unrecognized_keys":
      return `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}; check the spelling against the README's config reference`;
    default:
      return issue.message;
  }
}

/** Validates one key; problems name the dotted path and, unless it may be a credential, the value. */
function parseKey(key: string, schema: z.ZodType, value: unknown, problems: ConfigProblem[]) {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true as const, data: result.data };
  for (const issue of result.error.issues) {
    const problem: ConfigProblem = { path: keyPath(key, issue.path), message: messageOf(issue) };
    const input = "input" in issue ? issue.input : undefined;
    if (
      issue.code !== "unrecognized_keys" &&
      input !== undefined &&
      (typeof input !== "object" || input === null) &&
      !(issue.code === "custom" && issue.params?.mayBeCredential) &&
      !mayBeCredential([key, ...issue.path], input)
    ) {
      problem.value = input;
    }
    problems.push(problem);
  }
  return { ok: false as const };
}

/** What a top-level key holds, for the message about an empty value. */
function expectedAt(key: string): string {
  const type = (CONFIG_KEYS[key] as { def?: { type?: string } }).def?.type ?? "";
  return KIND[type] ?? "a value";
}

function unknownKeyMessage(key: string, known: string[]): string {
  const dot = key.indexOf(".");
  if (dot > 0 && key.slice(0, dot) in CONFIG_KEYS) {
    return (
      `is not a setting of this program: nested settings go inside ${keyPath(key.slice(0, dot))} as a ` +
      `mapping (${key.slice(dot + 1)}: ...), or use \`pulumi config set --path '${CONFIG_NAMESPACE}:${key}' <value>\``
    );
  }
  const guess = closest(key, known);
  return (
    `is not a setting of this program${guess ? `; did you mean ${CONFIG_NAMESPACE}:${guess}?` : ""} ` +
    `(known: ${known.join(", ")}; a secret referenced by name must be set with \`pulumi config set --secret\`)`
  );
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
export function resolveStackSpec(input: Record<string, unknown>, ctx: ResolveContext): StackSpec {
  const problems: ConfigProblem[] = [];
  const known = Object.keys(CONFIG_KEYS);

  // A key left empty in the stack file reaches the program as "" (or null): never a silent default.
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if ((value === "" || value === null) && key in CONFIG_KEYS)
      problems.push({
        path: keyPath(key),
        message: `is empty; expected ${expectedAt(key)} (see the README's config reference), or remove the key to use the default`,
      });
    else values[key] = value;
  }

  // A setting made secret (with --secret, or a `secure:` value inside it) is never read as config.
  for (const key of ctx.secretKeys) {
    if (key in CONFIG_KEYS)
      problems.push({
        path: keyPath(key),
        message:
          "holds a secret value (set with --secret, or a `secure:` value inside it), so it is not read as settings; keep settings in plain text and put each credential in a secret key of its own, named from here",
      });
  }

  // A namespace one typo away from ours holds settings that would silently never apply.
  for (const full of ctx.otherKeys ?? []) {
    const namespace = full.slice(0, Math.max(0, full.indexOf(":")));
    if (namespace !== CONFIG_NAMESPACE && closest(namespace, [CONFIG_NAMESPACE]))
      problems.push({
        path: full,
        message: `is outside the ${CONFIG_NAMESPACE}: namespace, so the program never reads it; did you mean ${CONFIG_NAMESPACE}:${full.slice(namespace.length + 1)}?`,
      });
  }

  // aws:region is the AWS provider's key, read here for the CloudWatch datasource.
  let awsRegion = ctx.awsRegion;
  if (awsRegion !== undefined && !AWS_REGION.test(awsRegion)) {
    const empty = awsRegion === "" || awsRegion === "null";
    problems.push({
      path: "aws:region",
      message: empty
        ? 'is empty; expected an AWS region such as "us-west-2", or remove the key'
        : 'expected an AWS region such as "us-west-2"',
      ...(empty || mayBeCredential(["region"], awsRegion) ? {} : { value: awsRegion }),
    });
    awsRegion = undefined;
  }

  const secrets: SecretLookup = {
    secret: ctx.secretKeys,
    plain: new Set(Object.keys(values).filter((k) => !(k in CONFIG_KEYS))),
    referencedPlain: new Set(),
  };

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
    secretKeys: secrets,
    awsRegion,
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

  // Secret keys never reach here (they are read where referenced); any other unknown key is a typo
  // whose settings would silently never apply. A plain key that a secret reference names was reported there.
  for (const key of Object.keys(values)) {
    if (key in CONFIG_KEYS || secrets.referencedPlain.has(key)) continue;
    problems.push({ path: keyPath(key), message: unknownKeyMessage(key, known) });
  }

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    ...(specs as SectionSpecs),
    stack: ctx.stack,
    environment,
    ephemeral,
    platform,
    cluster,
    namePrefix: stackNamePrefix(ctx.stack),
    tags: { environment, stack: ctx.stack, "managed-by": "pulumi", ...tags },
  };
}

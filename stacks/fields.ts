/**
 * Field schemas and resolve helpers shared by the config sections (durations, sizes, images, resources,
 * secret references). Pure: no Pulumi imports.
 */
import { RE2JS } from "re2js";
import { z } from "zod";
import {
  cpuCores,
  formatDuration,
  GIB,
  prometheusDurationSeconds,
  quantityBytes,
  requireCpuCores,
  requireQuantityBytes,
} from "../lib/units";
import type { ConfigProblem } from "./errors";

/**
 * Longest duration Prometheus and Alertmanager represent: Go's time.Duration is int64 nanoseconds, and
 * model.ParseDuration refuses anything longer with "duration out of range" (about 292 years).
 */
const MAX_DURATION_MS = Math.floor((2 ** 63 - 1) / 1e6);

/** A Prometheus duration ("30s", "15d", "1h30m"); "0" is allowed here, sections refuse it where it means nothing. */
export const duration = z.string().superRefine((s, ctx) => {
  const seconds = prometheusDurationSeconds(s);
  if (seconds !== undefined && Math.round(seconds * 1000) <= MAX_DURATION_MS) return;
  const unordered = /^(\d+(ms|s|m|h|d|w|y))+$/.test(s);
  ctx.addIssue({
    code: "custom",
    input: s,
    message:
      seconds !== undefined
        ? "expected a duration Prometheus can represent (at most 292y)"
        : unordered
          ? 'expected each unit at most once, from largest to smallest (Prometheus refuses "30m1h"; write "1h30m")'
          : 'expected a duration such as "30s", "15d" or "1h30m"',
  });
});

/** A duration that must be longer than zero (intervals, retention). */
export const positiveDuration = duration.refine((s) => (prometheusDurationSeconds(s) ?? 1) > 0, {
  message: "expected a duration longer than zero",
});

/** A positive duration of at most `maxSeconds`, explained by `why`. */
export const boundedDuration = (maxSeconds: number, why: string) =>
  positiveDuration.refine((s) => (prometheusDurationSeconds(s) ?? 0) <= maxSeconds, {
    message: `expected at most ${formatDuration(maxSeconds)}: ${why}`,
  });

/** The largest volume a replica may ask for: 64Ti, the largest EBS volume (io2 Block Express). */
export const MAX_VOLUME_BYTES = 64 * 2 ** 40;

/**
 * A Kubernetes byte quantity: a plain number, a number with one binary (Ki..Ei) or decimal (k..E)
 * suffix, or with a decimal exponent ("1e9"), never both (the API refuses "1e3Gi").
 */
const QUANTITY_TEXT = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|[eE]\d+)?$/;

export const byteQuantity = z
  .string()
  .refine((s) => QUANTITY_TEXT.test(s) && quantityBytes(s) !== undefined, {
    message: 'expected a size such as "50Gi", "512Mi" or "1G"',
  });

/** A size larger than zero and at most 64Ti (volumes, memory, retention sizes: zero would disable a limit). */
export const positiveByteQuantity = byteQuantity
  .refine((s) => (quantityBytes(s) ?? 1) > 0, { message: "expected a size larger than zero" })
  .refine((s) => (quantityBytes(s) ?? 0) <= MAX_VOLUME_BYTES, { message: "expected at most 64Ti" });

/** The largest CPU quantity accepted: far above any node, and keeps Docker's NanoCPUs in range. */
const MAX_CPU_CORES = 1024;

export const cpuQuantity = z.string().superRefine((s, ctx) => {
  const cores = cpuCores(s);
  const problem =
    cores === undefined || !/^\d+(\.\d+)?m?$/.test(s)
      ? 'expected a CPU quantity such as "500m" or "2"'
      : cores <= 0
        ? "expected a CPU quantity larger than zero"
        : !Number.isInteger(Math.round(cores * 1e6) / 1e3)
          ? 'expected whole millicores: Kubernetes refuses a precision finer than 1m ("0.0005" or "0.5m")'
          : cores > MAX_CPU_CORES
            ? `expected at most ${MAX_CPU_CORES} cores`
            : undefined;
  if (problem) ctx.addIssue({ code: "custom", message: problem, input: s });
});

/** An image reference pinned to a version tag or digest; `latest` and untagged images are refused. */
export const pinnedImage = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._\-/:]*[a-z0-9](:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/, {
    message: 'expected an image pinned to a version, e.g. "prom/prometheus:v3.5.3"',
  })
  .refine((s) => !/:latest$/.test(s), { message: 'the "latest" tag is not a version; pin the image' });

export const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
  message: "expected a DNS label (lowercase letters, digits, '-')",
});

/** A Kubernetes object name that must be a DNS subdomain (storage classes, Secrets, ingress classes). */
export const dnsSubdomain = z
  .string()
  .max(253, { message: "expected at most 253 characters" })
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
    message: "expected a Kubernetes name (lowercase letters, digits, '-' and '.')",
  });

/** A non-empty value written into a line-oriented file (grafana.ini): a line break would start a new setting. */
export const singleLine = z
  .string()
  .min(1, { message: "expected a value, not an empty string" })
  .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), {
    message: "expected one line without control characters",
  });

/**
 * A list without repeated entries: a repeat is either refused by the server (Alertmanager's group_by)
 * or means nothing (a target scraped twice, a receiver notified twice). Reported at the repeat.
 */
export function uniqueList<T extends z.ZodType>(item: T) {
  return z.array(item).superRefine((list, ctx) => {
    const seen = new Map<string, number>();
    list.forEach((entry, i) => {
      const key = JSON.stringify(entry);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else
        ctx.addIssue({
          code: "custom",
          path: [i],
          message: `repeats entry ${first}; list each value once`,
          input: entry,
        });
    });
  });
}

export const labelName = z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, { message: "expected a label name" });

/** Name of a `monitoring:*` config key that holds a Pulumi secret (checked to exist and be secret). */
export const secretRef = z.string().refine((s) => /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/.test(s), {
  message:
    "expected the name of a secret config key (set with `pulumi config set --secret <key> <value>`), not the value",
  // Users paste the credential itself here: the problem must never echo it.
  params: { mayBeCredential: true },
});

/**
 * Requests must not exceed limits: the Kubernetes API refuses such a pod spec at apply time
 * (ValidateResourceRequirements: "must be less than or equal to ... limit").
 */
export const resourcesSchema = z
  .strictObject({
    requests: z.strictObject({ cpu: cpuQuantity, memory: positiveByteQuantity }).optional(),
    limits: z.strictObject({ cpu: cpuQuantity.optional(), memory: positiveByteQuantity }).optional(),
  })
  .superRefine((r, ctx) => {
    if (!r.requests || !r.limits) return;
    if ((quantityBytes(r.requests.memory) ?? 0) > (quantityBytes(r.limits.memory) ?? Infinity))
      ctx.addIssue({
        code: "custom",
        path: ["requests", "memory"],
        message: `must not exceed limits.memory (${r.limits.memory}); Kubernetes refuses requests above limits`,
        input: r.requests.memory,
      });
    if (r.limits.cpu && (cpuCores(r.requests.cpu) ?? 0) > (cpuCores(r.limits.cpu) ?? Infinity))
      ctx.addIssue({
        code: "custom",
        path: ["requests", "cpu"],
        message: `must not exceed limits.cpu (${r.limits.cpu}); Kubernetes refuses requests above limits`,
        input: r.requests.cpu,
      });
  });

export const volumeSchema = z.strictObject({
  size: positiveByteQuantity.optional(),
  storageClass: dnsSubdomain.optional(),
});

export const replicas = (max: number) =>
  z
    .number()
    .int({ message: "expected a whole number" })
    .min(1, { message: "expected at least 1 replica" })
    .max(max, { message: `expected at most ${max} replicas` });

/** CPU/memory requests and limits in Kubernetes quantity syntax. */
export interface ResourcesSpec {
  requests: { cpu: string; memory: string };
  limits: { cpu?: string; memory: string };
}

export interface VolumeSizing {
  /** Size of each replica's volume in GiB. */
  sizeGi: number;
  /** Storage class (Kubernetes) - undefined means the cluster default. */
  storageClass?: string;
}

/**
 * Configured resources over the profile's; a request given alone that exceeds the profile's limit
 * is a problem (the pod would be refused), reported at `path`.
 */
export function resolveResources(
  given: z.infer<typeof resourcesSchema> | undefined,
  defaults: ResourcesSpec,
  path: string,
  problems: ConfigProblem[],
): ResourcesSpec {
  const spec = { requests: given?.requests ?? defaults.requests, limits: given?.limits ?? defaults.limits };
  if (requireQuantityBytes(spec.requests.memory) > requireQuantityBytes(spec.limits.memory))
    problems.push({
      path: `${path}.requests.memory`,
      message: `must not exceed the memory limit in effect (${spec.limits.memory}); raise resources.limits.memory too`,
      value: spec.requests.memory,
    });
  if (spec.limits.cpu && requireCpuCores(spec.requests.cpu) > requireCpuCores(spec.limits.cpu))
    problems.push({
      path: `${path}.requests.cpu`,
      message: `must not exceed the CPU limit in effect (${spec.limits.cpu}); raise resources.limits.cpu too`,
      value: spec.requests.cpu,
    });
  return spec;
}

/** A validated size as whole GiB, rounded up. */
export function sizeGi(text: string): number {
  return Math.ceil(requireQuantityBytes(text) / GIB);
}

/**
 * A regular expression Go's RE2 compiles (Prometheus relabelling, Alertmanager matchers and
 * node-exporter's excludes all use Go's regexp): lookarounds and backreferences are refused here
 * rather than by the server at start.
 */
export const re2Regex = z.string().superRefine((pattern, ctx) => {
  const error = re2Error(pattern);
  if (error)
    ctx.addIssue({
      code: "custom",
      message: `is not a valid RE2 regular expression: ${error}`,
      input: pattern,
    });
});

/**
 * An exclude pattern, searched (not anchored) in every name: one that matches any name, such as "" or
 * ".*", would silently exclude everything.
 */
export const excludeRegex = re2Regex.refine(
  (pattern) => re2Error(pattern) !== undefined || !matchesAnything(pattern),
  {
    message: 'matches any name, so it would exclude everything; anchor it, e.g. "^/(dev|proc)($|/)"',
  },
);

/** The RE2 compile error of a pattern, or undefined when it compiles. */
export function re2Error(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).replace(/^error parsing regexp: /, "");
  }
}

/** Whether a pattern finds a match in unrelated names alike: then it matches any name. */
function matchesAnything(pattern: string): boolean {
  const re = RE2JS.compile(pattern);
  return ["", "/", "/srv/data-7", "ext4", "zz"].every((name) => re.matcher(name).find());
}

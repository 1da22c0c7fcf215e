/**
 * Field schemas and resolve helpers shared by the config sections (durations, sizes, images, resources,
 * secret references). Pure: no Pulumi imports.
 */
import { RE2JS } from "re2js";
import { z } from "zod";
import {
  cpuCores,
  GIB,
  prometheusDurationSeconds,
  quantityBytes,
  requireCpuCores,
  requireQuantityBytes,
} from "../lib/units";
import type { ConfigProblem } from "./errors";

/** A Prometheus duration ("30s", "15d", "1h30m"); "0" is allowed here, sections refuse it where it means nothing. */
export const duration = z.string().superRefine((s, ctx) => {
  if (prometheusDurationSeconds(s) !== undefined) return;
  const unordered = /^(\d+(ms|s|m|h|d|w|y))+$/.test(s);
  ctx.addIssue({
    code: "custom",
    input: s,
    message: unordered
      ? 'expected each unit at most once, from largest to smallest (Prometheus refuses "30m1h"; write "1h30m")'
      : 'expected a duration such as "30s", "15d" or "1h30m"',
  });
});

/** A duration that must be longer than zero (intervals, retention). */
export const positiveDuration = duration.refine((s) => (prometheusDurationSeconds(s) ?? 1) > 0, {
  message: "expected a duration longer than zero",
});

export const byteQuantity = z.string().refine((s) => quantityBytes(s) !== undefined, {
  message: 'expected a size such as "50Gi", "512Mi" or "1G"',
});

/** A size that must be larger than zero (volumes, retention sizes: zero would disable the limit). */
export const positiveByteQuantity = byteQuantity.refine((s) => (quantityBytes(s) ?? 1) > 0, {
  message: "expected a size larger than zero",
});

export const cpuQuantity = z.string().refine((s) => (cpuCores(s) ?? 0) > 0, {
  message: 'expected a CPU quantity larger than zero, such as "500m" or "2"',
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
  storageClass: z.string().min(1).optional(),
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

/** The RE2 compile error of a pattern, or undefined when it compiles. */
export function re2Error(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).replace(/^error parsing regexp: /, "");
  }
}

/**
 * The scalar keys that choose everything else (environment, ephemeral, platform, cluster, tags) and
 * the two platform sections (kubernetes, docker).
 */
import { z } from "zod";
import { dnsLabel, dnsSubdomain, uniqueList } from "../fields";
import { section, type Environment, type PlatformName } from "./section";

/** Where each environment's workloads run unless `monitoring:platform` says otherwise. */
export const DEFAULT_PLATFORM: Record<Environment, PlatformName> = { dev: "docker", prod: "kubernetes" };

export const environmentSchema = z.enum(["dev", "prod"]);
export const platformSchema = z.enum(["docker", "kubernetes"]);
/** Tags the program sets on every resource itself. */
export const RESERVED_TAGS = ["environment", "stack", "managed-by"];

/**
 * AWS tags: keys up to 128 and values up to 256 letters, digits, spaces and _.:/=+-@, keys not starting
 * with "aws:" (AWS refuses anything else at apply time); the program's own tags are not overridden.
 */
export const tagsSchema = z
  .record(
    z
      .string()
      .regex(/^[\w.:/=+@-]{1,128}$/, { message: "expected a tag key (letters, digits, _.:/=+-@)" })
      .refine((k) => !/^aws:/i.test(k), { message: 'the "aws:" prefix is reserved by AWS' })
      .refine((k) => !RESERVED_TAGS.includes(k), {
        message: `is set by the program (${RESERVED_TAGS.join(", ")}); choose another key`,
      }),
    z
      .string()
      .max(256, { message: "expected at most 256 characters" })
      .regex(/^[\p{L}\p{N}\p{Zs}_.:/=+@-]*$/u, {
        message: "expected letters, digits, spaces and _.:/=+-@ (what AWS accepts in a tag value)",
      }),
  )
  .refine((tags) => Object.keys(tags).length <= 40, {
    message: "expected at most 40 tags (AWS allows 50 per resource)",
  });

/** The environment profile of a stack: `monitoring:environment`, else "prod" for the stack named prod, else "dev". */
export function environmentOf(stack: string, configured: unknown): Environment {
  if (configured === "dev" || configured === "prod") return configured;
  return stack === "prod" ? "prod" : "dev";
}

/** A DNS-safe form of the stack name, for physical names and labels. */
export function stackSlug(stack: string): string {
  return stack.toLowerCase().replace(/[^a-z0-9-]/g, "-");
}

/** Prefix of every physical name the stack gives (resources, alarms, buckets). */
export function stackNamePrefix(stack: string): string {
  return `monitoring-${stackSlug(stack)}`;
}

export interface KubernetesSpec {
  /** Namespace for the stack's workloads; host-access workloads go to `${namespace}-node`. */
  namespace: string;
  /** kubeconfig file path or contents; undefined uses the ambient KUBECONFIG. */
  kubeconfig?: string;
  /** kubeconfig context; undefined uses the current context. */
  context?: string;
  /** Default storage class for volumes that name none. */
  storageClass?: string;
  /** Namespaces (by name) whose pods may reach Grafana, e.g. the ingress controller's. */
  ingressNamespaces: string[];
}

export const kubernetesSection = section({
  key: "kubernetes",
  schema: z.strictObject({
    namespace: dnsLabel.optional(),
    kubeconfig: z.string().min(1).optional(),
    context: z.string().min(1).optional(),
    storageClass: dnsSubdomain.optional(),
    ingressNamespaces: uniqueList(dnsLabel).optional(),
  }),
  resolve: (raw, ctx): KubernetesSpec => ({
    namespace: raw?.namespace ?? `monitoring-${stackSlug(ctx.stack)}`,
    kubeconfig: raw?.kubeconfig,
    context: raw?.context,
    storageClass: raw?.storageClass,
    ingressNamespaces: raw?.ingressNamespaces ?? [],
  }),
});

export interface DockerSpec {
  /** Docker engine address; undefined uses DOCKER_HOST or the local socket. */
  host?: string;
  /** Host address published ports bind to. 127.0.0.1 keeps them off the network. */
  publishAddress: string;
}

export const dockerSection = section({
  key: "docker",
  schema: z.strictObject({
    host: z
      .string()
      .regex(/^(unix|tcp|ssh|npipe|http|https):\/\/\S+$/, {
        message:
          'expected a Docker engine address such as "unix:///var/run/docker.sock" or "ssh://user@host"',
      })
      .optional(),
    publishAddress: z
      .union([z.ipv4(), z.ipv6()], { message: "expected an IP address such as 127.0.0.1" })
      .optional(),
  }),
  resolve: (raw): DockerSpec => ({ host: raw?.host, publishAddress: raw?.publishAddress ?? "127.0.0.1" }),
});

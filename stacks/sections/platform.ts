/**
 * The scalar keys that choose everything else (environment, ephemeral, platform, cluster, tags) and
 * the two platform sections (kubernetes, docker).
 */
import { z } from "zod";
import { dnsLabel } from "../fields";
import { section, type Environment, type PlatformName } from "./section";

/** Where each environment's workloads run unless `monitoring:platform` says otherwise. */
export const DEFAULT_PLATFORM: Record<Environment, PlatformName> = { dev: "docker", prod: "kubernetes" };

export const environmentSchema = z.enum(["dev", "prod"]);
export const platformSchema = z.enum(["docker", "kubernetes"]);
export const tagsSchema = z.record(
  z.string().regex(/^[\w.:/=+@-]{1,128}$/, { message: "expected a tag key" }),
  z.string().max(256),
);

/** The environment profile of a stack: `monitoring:environment`, else "prod" for the stack named prod, else "dev". */
export function environmentOf(stack: string, configured: unknown): Environment {
  if (configured === "dev" || configured === "prod") return configured;
  return stack === "prod" ? "prod" : "dev";
}

/** A DNS-safe form of the stack name, for physical names and labels. */
export function stackSlug(stack: string): string {
  return stack.toLowerCase().replace(/[^a-z0-9-]/g, "-");
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
    storageClass: z.string().min(1).optional(),
    ingressNamespaces: z.array(dnsLabel).optional(),
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
    host: z.string().min(1).optional(),
    publishAddress: z
      .union([z.ipv4(), z.ipv6()], { message: "expected an IP address such as 127.0.0.1" })
      .optional(),
  }),
  resolve: (raw): DockerSpec => ({ host: raw?.host, publishAddress: raw?.publishAddress ?? "127.0.0.1" }),
});

/** `monitoring:nodeExporter` and `monitoring:cadvisor`: the per-node exporters. */
import { z } from "zod";
import { excludeRegex, pinnedImage, resolveResources, resourcesSchema, type ResourcesSpec } from "../fields";
import { IMAGES } from "../profiles";
import { pathIn, section, type Environment } from "./section";

const small = (cpu: string, memory: string, memoryLimit: string): ResourcesSpec => ({
  requests: { cpu, memory },
  limits: { memory: memoryLimit },
});

export const NODE_EXPORTER_DEFAULTS: Record<Environment, { resources: ResourcesSpec }> = {
  dev: { resources: small("50m", "32Mi", "64Mi") },
  prod: { resources: small("100m", "64Mi", "128Mi") },
};

/** Pseudo and container-runtime mounts that are not the node's disks. */
export const DEFAULT_MOUNT_POINTS_EXCLUDE =
  "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/kubelet/.+)($|/)";
export const DEFAULT_FS_TYPES_EXCLUDE =
  "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$";

export interface NodeExporterSpec {
  enabled: boolean;
  image: string;
  resources: ResourcesSpec;
  /** Regex (RE2) of mount points node-exporter ignores. */
  mountPointsExclude: string;
  /** Regex (RE2) of filesystem types node-exporter ignores. */
  fsTypesExclude: string;
  /**
   * Listen port. On Kubernetes the exporter shares the node's network, so this is a host port on
   * every node: a second stack in the same cluster needs another one (or nodeExporter.enabled false).
   */
  port: number;
}

export const nodeExporterSection = section({
  key: "nodeExporter",
  schema: z.strictObject({
    enabled: z.boolean().optional(),
    image: pinnedImage.optional(),
    resources: resourcesSchema.optional(),
    mountPointsExclude: excludeRegex.optional(),
    fsTypesExclude: excludeRegex.optional(),
    port: z.number().int().min(1024).max(65535).optional(),
  }),
  resolve: (raw, ctx): NodeExporterSpec => ({
    enabled: raw?.enabled ?? true,
    image: raw?.image ?? IMAGES.nodeExporter,
    resources: resolveResources(
      raw?.resources,
      NODE_EXPORTER_DEFAULTS[ctx.environment].resources,
      pathIn("nodeExporter")("resources"),
      ctx.problems,
    ),
    mountPointsExclude: raw?.mountPointsExclude ?? DEFAULT_MOUNT_POINTS_EXCLUDE,
    fsTypesExclude: raw?.fsTypesExclude ?? DEFAULT_FS_TYPES_EXCLUDE,
    port: raw?.port ?? 9100,
  }),
});

export const CADVISOR_DEFAULTS: Record<
  Environment,
  { source: "container" | "kubelet"; resources: ResourcesSpec }
> = {
  dev: { source: "container", resources: small("100m", "128Mi", "256Mi") },
  prod: { source: "container", resources: small("200m", "256Mi", "512Mi") },
};

export interface CadvisorSpec {
  enabled: boolean;
  /** "container": run cAdvisor; "kubelet": scrape the kubelet's built-in cAdvisor (Kubernetes only). */
  source: "container" | "kubelet";
  image: string;
  resources: ResourcesSpec;
}

export const cadvisorSection = section({
  key: "cadvisor",
  schema: z.strictObject({
    enabled: z.boolean().optional(),
    source: z.enum(["container", "kubelet"]).optional(),
    image: pinnedImage.optional(),
    resources: resourcesSchema.optional(),
  }),
  resolve(raw, ctx): CadvisorSpec {
    const at = pathIn("cadvisor");
    const profile = CADVISOR_DEFAULTS[ctx.environment];
    const source = raw?.source ?? profile.source;
    if (source === "kubelet" && ctx.platform !== "kubernetes") {
      ctx.problems.push({
        path: at("source"),
        message: 'is "kubelet", which needs platform "kubernetes"; on Docker use "container"',
        value: source,
      });
    }
    return {
      enabled: raw?.enabled ?? true,
      source,
      image: raw?.image ?? IMAGES.cadvisor,
      resources: resolveResources(raw?.resources, profile.resources, at("resources"), ctx.problems),
    };
  },
});

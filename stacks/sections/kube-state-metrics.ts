/**
 * `monitoring:kubeStateMetrics`: the Kubernetes pack (kube-state-metrics, the kubelets' /metrics job, the
 * kubernetes rule pack and dashboard). On by default wherever the platform is Kubernetes; refused on Docker,
 * which has no Kubernetes objects to report on.
 */
import { z } from "zod";
import { pinnedImage, resolveResources, resourcesSchema, type ResourcesSpec } from "../fields";
import { IMAGES } from "../profiles";
import { pathIn, section, type Environment } from "./section";

/**
 * kube-state-metrics' README ("Resource recommendation") suggests 250MiB and 0.1 cores for a cluster of about
 * 100 nodes with every resource enabled; the stack enables nine resources, and sets no CPU limit because
 * a throttled kube-state-metrics falls behind its watch queues and grows in memory instead.
 */
export const KUBE_STATE_METRICS_DEFAULTS: Record<Environment, { resources: ResourcesSpec }> = {
  dev: { resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { memory: "256Mi" } } },
  prod: { resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "512Mi" } } },
};

export interface KubeStateMetricsSpec {
  /** Deploy kube-state-metrics and scrape the kubelets; the kubernetes rules and dashboard come with them. */
  enabled: boolean;
  image: string;
  resources: ResourcesSpec;
}

export const kubeStateMetricsSection = section({
  key: "kubeStateMetrics",
  schema: z.strictObject({
    enabled: z.boolean().optional(),
    image: pinnedImage.optional(),
    resources: resourcesSchema.optional(),
  }),
  resolve(raw, ctx): KubeStateMetricsSpec {
    const at = pathIn("kubeStateMetrics");
    const onKubernetes = ctx.platform === "kubernetes";
    const enabled = raw?.enabled ?? onKubernetes;
    if (enabled && !onKubernetes) {
      ctx.problems.push({
        path: at("enabled"),
        message: 'is true, which needs platform "kubernetes": Docker has no Kubernetes objects to report on',
        value: true,
      });
    }
    return {
      enabled: enabled && onKubernetes,
      image: raw?.image ?? IMAGES.kubeStateMetrics,
      resources: resolveResources(
        raw?.resources,
        KUBE_STATE_METRICS_DEFAULTS[ctx.environment].resources,
        at("resources"),
        ctx.problems,
      ),
    };
  },
});

/** `monitoring:alertmanager`: the gossip cluster, its volume and its routing (sections/routing.ts). */
import { z } from "zod";
import {
  pinnedImage,
  replicas,
  resolveResources,
  resourcesSchema,
  sizeGi,
  volumeSchema,
  type ResourcesSpec,
  type VolumeSizing,
} from "../fields";
import { IMAGES } from "../profiles";
import { resolveRouting, routingSchema, type AlertmanagerRouting } from "./routing";
import { pathIn, section, type Environment } from "./section";

export const ALERTMANAGER_DEFAULTS: Record<
  Environment,
  { replicas: number; volumeSizeGi: number; storageClass?: string; resources: ResourcesSpec }
> = {
  dev: {
    replicas: 1,
    volumeSizeGi: 1,
    resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
  },
  prod: {
    replicas: 3,
    volumeSizeGi: 2,
    storageClass: "gp3",
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
  },
};

export interface AlertmanagerSpec {
  image: string;
  replicas: number;
  volume: VolumeSizing;
  resources: ResourcesSpec;
  /** The route tree, receivers, inhibit rules and templates (rendered by components/alertmanager). */
  routing: AlertmanagerRouting;
}

export const alertmanagerSection = section({
  key: "alertmanager",
  schema: z.strictObject({
    image: pinnedImage.optional(),
    replicas: replicas(7).optional(),
    volume: volumeSchema.optional(),
    resources: resourcesSchema.optional(),
    /** The route tree, receivers, inhibit rules and templates (README: "Alert routing"). */
    routing: routingSchema.optional(),
  }),
  resolve(raw, ctx): AlertmanagerSpec {
    const at = pathIn("alertmanager");
    const profile = ALERTMANAGER_DEFAULTS[ctx.environment];
    const am = raw ?? {};
    return {
      image: am.image ?? IMAGES.alertmanager,
      replicas: am.replicas ?? profile.replicas,
      volume: {
        sizeGi: am.volume?.size ? sizeGi(am.volume.size) : profile.volumeSizeGi,
        storageClass: am.volume?.storageClass ?? ctx.storageClass ?? profile.storageClass,
      },
      resources: resolveResources(am.resources, profile.resources, at("resources"), ctx.problems),
      routing: resolveRouting(am.routing, at("routing"), ctx.secretKeys, ctx.problems),
    };
  },
});

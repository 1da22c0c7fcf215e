/**
 * Environment profiles: the defaults a stack gets before its own config is applied.
 * dev: one of everything on a single Docker engine, small. prod: HA replicas, persistent
 * volumes on Kubernetes, sized for a real cluster.
 */
import type { Environment, PlatformName, ResourcesSpec } from "./spec";

/**
 * Images pinned to current supported releases (checked 2026-11-28). The integration tests run Debian's
 * builds of Prometheus 3.5.3, Alertmanager 0.33.1 and node-exporter 1.11.1 on the rendered configs, so
 * the configs use nothing newer than those understand (see the README's "Images" section).
 * - Prometheus 3.13 is the LTS line (3.5 LTS support ended 2026-07-31; 3.13 is supported to July 2027).
 * - cAdvisor publishes to ghcr.io/google/cadvisor from v0.53 on (gcr.io/cadvisor gets no new tags); the
 *   security pack's registry allowlist must include "ghcr.io/google" for it (it matches hosts and path
 *   prefixes followed by "/", not a whole repository name).
 */
export const IMAGES = {
  prometheus: "quay.io/prometheus/prometheus:v3.13.4",
  alertmanager: "quay.io/prometheus/alertmanager:v0.34.1",
  nodeExporter: "quay.io/prometheus/node-exporter:v1.12.1",
  cadvisor: "ghcr.io/google/cadvisor:v0.60.5",
  grafana: "docker.io/grafana/grafana:13.2.3",
} as const;

export interface Profile {
  platform: PlatformName;
  prometheus: {
    replicas: number;
    scrapeInterval: string;
    evaluationInterval: string;
    retentionTime: string;
    volumeSizeGi: number;
    storageClass?: string;
    resources: ResourcesSpec;
  };
  alertmanager: { replicas: number; volumeSizeGi: number; storageClass?: string; resources: ResourcesSpec };
  nodeExporter: { resources: ResourcesSpec };
  cadvisor: { source: "container" | "kubelet"; resources: ResourcesSpec };
  grafana: {
    replicas: number;
    database: "sqlite" | "rds";
    volumeSizeGi: number;
    storageClass?: string;
    resources: ResourcesSpec;
    rdsInstanceClass: string;
    rdsMultiAz: boolean;
  };
}

const small = (cpu: string, memory: string, memoryLimit: string): ResourcesSpec => ({
  requests: { cpu, memory },
  limits: { memory: memoryLimit },
});

export const PROFILES: Record<Environment, Profile> = {
  dev: {
    platform: "docker",
    prometheus: {
      replicas: 1,
      scrapeInterval: "30s",
      evaluationInterval: "30s",
      retentionTime: "15d",
      volumeSizeGi: 20,
      resources: small("250m", "512Mi", "1Gi"),
    },
    alertmanager: { replicas: 1, volumeSizeGi: 1, resources: small("50m", "64Mi", "128Mi") },
    nodeExporter: { resources: small("50m", "32Mi", "64Mi") },
    cadvisor: { source: "container", resources: small("100m", "128Mi", "256Mi") },
    grafana: {
      replicas: 1,
      database: "sqlite",
      volumeSizeGi: 2,
      resources: small("100m", "256Mi", "512Mi"),
      rdsInstanceClass: "db.t4g.micro",
      rdsMultiAz: false,
    },
  },
  prod: {
    platform: "kubernetes",
    prometheus: {
      replicas: 2,
      scrapeInterval: "30s",
      evaluationInterval: "30s",
      retentionTime: "30d",
      volumeSizeGi: 100,
      storageClass: "gp3",
      resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { memory: "8Gi" } },
    },
    alertmanager: {
      replicas: 3,
      volumeSizeGi: 2,
      storageClass: "gp3",
      resources: small("100m", "128Mi", "256Mi"),
    },
    nodeExporter: { resources: small("100m", "64Mi", "128Mi") },
    cadvisor: { source: "container", resources: small("200m", "256Mi", "512Mi") },
    grafana: {
      replicas: 2,
      database: "rds",
      volumeSizeGi: 10,
      storageClass: "gp3",
      resources: small("250m", "512Mi", "1Gi"),
      rdsInstanceClass: "db.t4g.small",
      rdsMultiAz: true,
    },
  },
};

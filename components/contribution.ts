/**
 * What a service brings to monitoring: the one shape every component, service pack and the logging
 * stack hand to MonitoringStack, which folds them into Prometheus (targets, jobs, rules), Grafana
 * (dashboards, datasources, self-hosted or external alike) and, later, Logstash (pipelines).
 * Adding a service is adding one Contribution, not editing the consumers.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { DashboardFile } from "./grafana/dashboards";
import type { Platform } from "./platform/platform";
import { portNamed, type Workload } from "./platform/workload";
import type { ScrapeConfig } from "./prometheus/render";
import type { ScrapeTarget } from "./prometheus/scrape";
import type { RulePack } from "./rules/model";

/**
 * A Grafana datasource a service adds (e.g. Elasticsearch for logs). Rendered by grafana/provisioning
 * (self-hosted) and created by grafana/external. Credentials use Grafana's HTTP datasource settings,
 * shared by every HTTP-based plugin: both consumers keep the secret parts in secret places only.
 */
export interface DatasourceContribution {
  name: string;
  uid: string;
  /** Grafana plugin type, e.g. "elasticsearch". */
  type: string;
  url: string;
  /** Plain settings (`jsonData`); never credentials. */
  jsonData?: Record<string, unknown>;
  /** HTTP basic authentication: Grafana sends this user and password on every request. */
  basicAuth?: { user: string; password: pulumi.Input<string> };
  /**
   * PEM certificate of the CA that issued `url`'s server certificate (not a secret). Grafana then
   * trusts this CA alone for the datasource, not its system roots. Set it only when `url` is served with
   * that CA's certificate.
   */
  caCert?: pulumi.Input<string>;
}

/**
 * A log pipeline a service adds (Logstash). Events whose `service.name` is `name` (the pod's
 * app.kubernetes.io/name label, else its container name) are routed to a pipeline of their own that
 * runs `config`, the body of a Logstash `filter { }` section, instead of the default parsing; the
 * stack's fields and the output are added after it.
 */
export interface LogPipelineContribution {
  /** The service name (lower case, digits, "-"). */
  name: string;
  /** Logstash filter-section body. */
  config: string;
}

export interface Contribution {
  /** The workloads the service runs (already deployed by its component). */
  workloads: Workload[];
  /** The service's own endpoints, scraped with per-platform discovery. */
  scrapeTargets: ScrapeTarget[];
  /** Ready-made scrape jobs (static targets, Kubernetes discovery by labels). */
  scrapeJobs: ScrapeConfig[];
  /** Alert and recording rules, one rule file per pack. */
  rulePacks: RulePack[];
  dashboards: DashboardFile[];
  datasources: DatasourceContribution[];
  logPipelines: LogPipelineContribution[];
}

/** A contribution with everything not given empty. */
export function contribution(parts: Partial<Contribution>): Contribution {
  return {
    workloads: parts.workloads ?? [],
    scrapeTargets: parts.scrapeTargets ?? [],
    scrapeJobs: parts.scrapeJobs ?? [],
    rulePacks: parts.rulePacks ?? [],
    dashboards: parts.dashboards ?? [],
    datasources: parts.datasources ?? [],
    logPipelines: parts.logPipelines ?? [],
  };
}

/** Several contributions as one, in order. */
export function foldContributions(parts: Contribution[]): Contribution {
  return {
    workloads: parts.flatMap((p) => p.workloads),
    scrapeTargets: parts.flatMap((p) => p.scrapeTargets),
    scrapeJobs: parts.flatMap((p) => p.scrapeJobs),
    rulePacks: parts.flatMap((p) => p.rulePacks),
    dashboards: parts.flatMap((p) => p.dashboards),
    datasources: parts.flatMap((p) => p.datasources),
    logPipelines: parts.flatMap((p) => p.logPipelines),
  };
}

/** The scrape target of a workload's metrics port, for the platform's discovery. */
export function scrapeTargetOf(workload: Workload, platform: Platform): ScrapeTarget {
  if (!workload.metrics) throw new Error(`workload ${workload.name} exposes no metrics`);
  const port = portNamed(workload, workload.metrics.port);
  return {
    job: workload.name,
    workload: workload.name,
    replicas: workload.replicas,
    port: port.port,
    portName: port.name,
    path: workload.metrics.path,
    namespace: platform.namespaceName(workload.namespace),
    perNode: workload.kind === "per-node",
  };
}

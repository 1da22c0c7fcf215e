/**
 * Service packs: what each switched-on pack brings (rules, scrape jobs, dashboards, a log pipeline,
 * exporter workloads), plus the SLOs' and the custom rule groups' and scrape jobs' contributions.
 * Pure: no Pulumi at run time (components/stack.ts deploys the exporters through packs/component.ts).
 * A new pack (e.g. Kubernetes workloads) is one more definition in catalog.ts and one more case here.
 */
import { contribution, type Contribution } from "../components/contribution";
import { dashboard, DASHBOARD_FOLDERS, type DashboardFile } from "../components/grafana/dashboards";
import { clusterVariable, stackLinks, STACK_TAG } from "../components/grafana/dashboards/common";
import { datasourceVariable } from "../components/grafana/dashboards/builder";
import type { Workload } from "../components/platform/workload";
import type { PackSpec, PacksSpec, SloSpec } from "../stacks/spec";
import type * as pulumi from "@pulumi/pulumi";
import { aiAssistantDashboards } from "./ai-assistant/dashboards";
import { bgeIclDashboards } from "./bge-icl/dashboards";
import { PACK_DEFINITIONS } from "./catalog";
import { postgresExporterWorkload, redisExporterWorkload } from "./exporters";
import { llmProxyDashboards } from "./llm-proxy/dashboards";
import { packLogPipeline } from "./logs";
import { ragPipelineDashboards } from "./rag-pipeline/dashboards";
import { customRulePack, customScrapeJobs, packRulePack, packScrapeJobs } from "./render";
import { errorBudgetRow, sloRulePack } from "./slo";
import { vectorDbDashboards } from "./vector-db/dashboards";

export function packDashboards(spec: PackSpec, slos: SloSpec[]): DashboardFile[] {
  switch (spec.key) {
    case "bgeIcl":
      return bgeIclDashboards(spec, slos);
    case "vectorDb":
      return vectorDbDashboards(spec, slos);
    case "aiAssistant":
      return aiAssistantDashboards(spec, slos);
    case "ragPipeline":
      return ragPipelineDashboards(spec, slos);
    case "llmProxy":
      return llmProxyDashboards(spec, slos);
  }
}

/** An exporter workload of a pack with the job label its rules and dashboards select on. */
export interface PackExporter {
  job: string;
  workload: Workload;
}

/** The exporters a pack deploys; `secret` reads a secret config key (a secret output in the program). */
export function packExporters(spec: PackSpec, secret: (key: string) => pulumi.Input<string>): PackExporter[] {
  const def = PACK_DEFINITIONS[spec.key];
  return Object.values(def.jobs).flatMap((j): PackExporter[] => {
    const name = `${def.name}-${j.exporter}-exporter`;
    if (j.exporter === "redis" && spec.exporters.redis) {
      const r = spec.exporters.redis;
      return [
        {
          job: j.job,
          workload: redisExporterWorkload(name, r, r.passwordSecret ? secret(r.passwordSecret) : undefined),
        },
      ];
    }
    if (j.exporter === "postgres" && spec.exporters.postgres) {
      const p = spec.exporters.postgres;
      return [
        {
          job: j.job,
          workload: postgresExporterWorkload(
            name,
            p,
            p.passwordSecret ? secret(p.passwordSecret) : undefined,
          ),
        },
      ];
    }
    return [];
  });
}

export interface PackRenderContext {
  /** Stack environment, written into log events. */
  environment: string;
  /** packs.runbookBaseUrl; the stack's rules.runbookBaseUrl applies when undefined. */
  runbookBaseUrl?: string;
  slos: SloSpec[];
}

/** What a pack brings besides its exporters (rules, scrape jobs, dashboards, log pipeline). */
export function packContribution(spec: PackSpec, ctx: PackRenderContext): Contribution {
  const pipeline = packLogPipeline(spec, ctx.environment);
  return contribution({
    rulePacks: [packRulePack(spec, ctx.runbookBaseUrl)],
    scrapeJobs: packScrapeJobs(spec),
    dashboards: packDashboards(spec, ctx.slos),
    logPipelines: pipeline ? [pipeline] : [],
  });
}

/** SLOs whose service is no switched-on pack's get a dashboard of their own. */
function sloDashboard(slos: SloSpec[]): DashboardFile {
  return {
    folder: DASHBOARD_FOLDERS.services,
    fileName: "slos.json",
    json: dashboard({
      uid: "service-slos",
      title: "Service level objectives",
      description: "Error budgets and burn rates of the SLOs whose service has no pack dashboard.",
      tags: [STACK_TAG, "services", "slo"],
      links: stackLinks(),
      variables: [datasourceVariable(), clusterVariable()],
      rows: slos.map(errorBudgetRow),
    }),
  };
}

/** The SLOs' rules and orphan dashboard, and the custom rule groups and scrape jobs. */
export function stackPackContribution(spec: PacksSpec): Contribution {
  const services = new Set(spec.packs.map((p) => p.service));
  const orphans = spec.slos.filter((s) => !services.has(s.service));
  return contribution({
    rulePacks: [
      ...(spec.slos.length > 0 ? [sloRulePack(spec.slos, spec.runbookBaseUrl)] : []),
      ...(spec.customRuleGroups.length > 0
        ? [customRulePack(spec.customRuleGroups, spec.runbookBaseUrl)]
        : []),
    ],
    scrapeJobs: customScrapeJobs(spec.customScrapeJobs),
    dashboards: orphans.length > 0 ? [sloDashboard(orphans)] : [],
  });
}

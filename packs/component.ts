/**
 * The Pulumi side of the service packs: one ComponentResource per switched-on pack
 * (`monitoring:packs:<Pack>`), which deploys the pack's exporters through the platform and hands back
 * the pack's contribution with their scrape targets.
 */
import * as pulumi from "@pulumi/pulumi";
import { foldContributions, scrapeTargetOf, type Contribution } from "../components/contribution";
import type { Platform } from "../components/platform/platform";
import { secretConfig } from "../stacks";
import type { PackSpec, StackSpec } from "../stacks/spec";
import { PACK_DEFINITIONS } from "./catalog";
import { packContribution, packExporters, stackPackContribution, type PackRenderContext } from "./index";

export interface ServicePackArgs {
  /** The pack's resolved parameters. */
  spec: PackSpec;
  /** Environment, runbook base URL and the SLOs (for the error-budget rows of the pack's dashboard). */
  context: PackRenderContext;
  /** Platform the exporters run on. */
  platform: Platform;
}

const typeName = (key: string) => key.charAt(0).toUpperCase() + key.slice(1);

export class ServicePack extends pulumi.ComponentResource {
  /** Rules, scrape jobs and targets, dashboards, log pipeline and exporter workloads of the pack. */
  readonly contribution: Contribution;

  constructor(name: string, args: ServicePackArgs, opts?: pulumi.ComponentResourceOptions) {
    super(`monitoring:packs:${typeName(args.spec.key)}`, name, {}, opts);
    const exporters = packExporters(args.spec, secretConfig);
    // Children are named after the pack component: `<pack>-redis-exporter`, ...
    const prefix = `${PACK_DEFINITIONS[args.spec.key].name}-`;
    const targets = exporters.map((e) => {
      args.platform.deploy(`${name}-${e.workload.name.slice(prefix.length)}`, e.workload, this);
      return { ...scrapeTargetOf(e.workload, args.platform), job: e.job };
    });
    this.contribution = {
      ...packContribution(args.spec, args.context),
      workloads: exporters.map((e) => e.workload),
      scrapeTargets: targets,
    };
    this.registerOutputs({});
  }
}

/** Every switched-on pack (each a ServicePack under `parent`), the SLOs and the custom rules and jobs. */
export function servicePacks(
  name: string,
  stack: StackSpec,
  platform: Platform,
  parent: pulumi.Resource,
): Contribution {
  const p = stack.packs;
  const context: PackRenderContext = {
    environment: stack.environment,
    runbookBaseUrl: p.runbookBaseUrl,
    slos: p.slos,
  };
  const packs = p.packs.map(
    (spec) =>
      new ServicePack(`${name}-${PACK_DEFINITIONS[spec.key].name}`, { spec, context, platform }, { parent })
        .contribution,
  );
  return foldContributions([...packs, stackPackContribution(p)]);
}

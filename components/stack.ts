/**
 * The whole monitoring stack for one Pulumi stack: the platform, then every service on it. Each
 * service hands back a Contribution (what it brings to monitoring); the stack folds them into
 * Prometheus (targets, jobs, rule files) and into Grafana, self-hosted or external alike.
 */
import * as pulumi from "@pulumi/pulumi";
import { servicePacks } from "../packs/component";
import type { StackSpec } from "../stacks/spec";
import { Alertmanager, ALERTMANAGER_PORT, ALERTMANAGER_REF } from "./alertmanager";
import { AwsMonitoring } from "./aws";
import { Cadvisor } from "./cadvisor";
import { contribution, foldContributions, type Contribution } from "./contribution";
import { Grafana } from "./grafana";
import { DASHBOARD_FILES } from "./grafana/dashboards";
import { contactPointsFor, ExternalGrafana } from "./grafana/external";
import { KubeStateMetrics } from "./kube-state-metrics";
import { NodeExporter } from "./node-exporter";
import { DockerPlatform } from "./platform/docker";
import { Logging } from "./logging";
import { KubernetesPlatform } from "./platform/kubernetes";
import type { Platform } from "./platform/platform";
import { Prometheus, PROMETHEUS_REF, prometheusContribution } from "./prometheus";
import { PROMETHEUS_PORT } from "./prometheus/render";
import { generalPack } from "./rules/packs/general";

export interface MonitoringStackArgs {
  /** The resolved, validated stack spec (stacks/). */
  spec: StackSpec;
}

/** What the stack brings about itself: the always-on general rules (Watchdog)... */
const stackRules = (): Contribution => contribution({ rulePacks: [generalPack({ infoInhibitor: false })] });
/** ...and the RED dashboard of the services it watches (last, in the Services folder). */
const stackDashboards = (): Contribution => contribution({ dashboards: [DASHBOARD_FILES.servicesRed()] });

export class MonitoringStack extends pulumi.ComponentResource {
  readonly platform: Platform;
  /** Self-hosted Grafana's URL and admin password (a secret output); undefined in other modes. */
  readonly grafana?: { url: pulumi.Output<string>; adminPassword: pulumi.Output<string> };
  /** Everything the services brought, folded (what Prometheus and Grafana were given). */
  readonly contributions: Contribution;

  constructor(name: string, args: MonitoringStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:index:MonitoringStack", name, {}, opts);
    const spec = args.spec;
    this.platform =
      spec.platform === "kubernetes"
        ? new KubernetesPlatform(`${name}-kubernetes`, { spec }, { parent: this })
        : new DockerPlatform(`${name}-docker`, { spec }, { parent: this });
    const platform = this.platform;
    const parts: Contribution[] = [stackRules()];
    // First: Grafana and Prometheus take its roles and workspace, the RDS instance its log groups.
    const aws = spec.aws ? new AwsMonitoring(`${name}-aws`, { stack: spec }, { parent: this }) : undefined;
    if (aws) parts.push(aws.contribution);

    if (spec.nodeExporter.enabled) {
      parts.push(
        new NodeExporter(`${name}-node-exporter`, { spec: spec.nodeExporter, platform }, { parent: this })
          .contribution,
      );
    }
    if (spec.cadvisor.enabled) {
      parts.push(
        new Cadvisor(`${name}-cadvisor`, { spec: spec.cadvisor, platform }, { parent: this }).contribution,
      );
    }
    // The Kubernetes pack: kube-state-metrics, its rules and dashboard (the section allows it on Kubernetes only).
    if (spec.kubeStateMetrics.enabled) {
      parts.push(
        new KubeStateMetrics(
          `${name}-kube-state-metrics`,
          { spec: spec.kubeStateMetrics, platform },
          { parent: this },
        ).contribution,
      );
    }
    const alertmanager = new Alertmanager(
      `${name}-alertmanager`,
      { stack: spec, platform },
      { parent: this },
    );
    parts.push(prometheusContribution(spec), alertmanager.contribution);
    // Service packs (monitoring:packs): their exporters, rules, scrape jobs, dashboards and log pipelines.
    parts.push(servicePacks(`${name}-packs`, spec, platform, this), stackDashboards());
    // Logging runs the log pipelines contributed before it (everything that brings one goes above).
    if (spec.logging.enabled) {
      const logPipelines = foldContributions(parts).logPipelines;
      parts.push(
        new Logging(`${name}-logging`, { stack: spec, platform, logPipelines }, { parent: this })
          .contribution,
      );
    }

    // Grafana provisions what everything before it brought; its own target goes to Prometheus.
    const beforeGrafana = foldContributions(parts);
    if (spec.grafana.mode === "self-hosted") {
      const grafana = new Grafana(
        `${name}-grafana`,
        {
          stack: spec,
          platform,
          prometheusUrl: `http://${platform.serviceAddress(PROMETHEUS_REF, PROMETHEUS_PORT)}`,
          alertmanagerUrl: `http://${platform.serviceAddress(ALERTMANAGER_REF, ALERTMANAGER_PORT)}`,
          contributions: beforeGrafana,
          aws: aws?.grafana,
          rdsLogGroups: aws?.rdsLogGroups,
          rdsLogExports: spec.aws?.rds?.logExports,
        },
        { parent: this },
      );
      parts.push(grafana.contribution);
      this.grafana = { url: pulumi.output(grafana.url), adminPassword: grafana.adminPassword };
    }
    if (spec.grafana.mode === "external" && spec.grafana.external) {
      const ext = spec.grafana.external;
      new ExternalGrafana(
        `${name}-grafana`,
        {
          url: ext.url,
          authSecret: ext.authSecret,
          prometheusUrl: ext.prometheusUrl,
          alertmanagerUrl: ext.alertmanagerUrl,
          stack: spec.stack,
          dashboards: beforeGrafana.dashboards,
          datasources: beforeGrafana.datasources,
          contactPoints: contactPointsFor(spec.alertmanager.routing),
        },
        { parent: this },
      );
    }

    this.contributions = foldContributions(parts);
    new Prometheus(
      `${name}-prometheus`,
      {
        stack: spec,
        platform,
        contributions: this.contributions,
        alertmanagers: alertmanager.peerAddresses,
        amp: aws?.prometheus,
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

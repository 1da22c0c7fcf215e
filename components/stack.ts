/** The whole monitoring stack for one Pulumi stack: the platform, then every service on it. */
import * as pulumi from "@pulumi/pulumi";
import type { StackSpec } from "../stacks/spec";
import { Alertmanager, ALERTMANAGER_PORT } from "./alertmanager";
import { Cadvisor } from "./cadvisor";
import { Grafana } from "./grafana";
import { builtInDashboards } from "./grafana/dashboards";
import { contactPointsFor, ExternalGrafana } from "./grafana/external";
import { NodeExporter } from "./node-exporter";
import { DockerPlatform } from "./platform/docker";
import { KubernetesPlatform } from "./platform/kubernetes";
import type { Platform } from "./platform/platform";
import { Prometheus, scrapeTargetOf } from "./prometheus";
import { PROMETHEUS_PORT } from "./prometheus/render";
import type { ScrapeTarget } from "./prometheus/scrape";
import { ruleFiles } from "./rules/render";

export interface MonitoringStackArgs {
  /** The resolved, validated stack spec (stacks/). */
  spec: StackSpec;
}

export class MonitoringStack extends pulumi.ComponentResource {
  readonly platform: Platform;
  /** Self-hosted Grafana's URL and admin password (a secret output); undefined in other modes. */
  readonly grafana?: { url: pulumi.Output<string>; adminPassword: pulumi.Output<string> };

  constructor(name: string, args: MonitoringStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:index:MonitoringStack", name, {}, opts);
    const spec = args.spec;
    this.platform =
      spec.platform === "kubernetes"
        ? new KubernetesPlatform(`${name}-kubernetes`, { spec }, { parent: this })
        : new DockerPlatform(`${name}-docker`, { spec }, { parent: this });
    const platform = this.platform;
    const targets: ScrapeTarget[] = [];

    if (spec.nodeExporter.enabled) {
      const exporter = new NodeExporter(
        `${name}-node-exporter`,
        { spec: spec.nodeExporter, platform },
        { parent: this },
      );
      targets.push(scrapeTargetOf(exporter.workload, platform));
    }
    if (spec.cadvisor.enabled) {
      const cadvisor = new Cadvisor(`${name}-cadvisor`, { spec: spec.cadvisor, platform }, { parent: this });
      // With source "kubelet" there is no workload: Prometheus scrapes the kubelets' built-in cAdvisor.
      if (cadvisor.workload) targets.push(scrapeTargetOf(cadvisor.workload, platform));
    }

    const alertmanager = new Alertmanager(
      `${name}-alertmanager`,
      { stack: spec, platform },
      { parent: this },
    );
    targets.push(scrapeTargetOf(alertmanager.workload, platform));

    if (spec.grafana.mode === "self-hosted") {
      const grafana = new Grafana(
        `${name}-grafana`,
        {
          stack: spec,
          platform,
          prometheusUrl: `http://${platform.serviceAddress("prometheus", PROMETHEUS_PORT)}`,
          alertmanagerUrl: `http://${platform.serviceAddress("alertmanager", ALERTMANAGER_PORT)}`,
        },
        { parent: this },
      );
      targets.push(scrapeTargetOf(grafana.workload, platform));
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
          dashboards: builtInDashboards(),
          contactPoints: contactPointsFor(spec.alertmanager.routing),
        },
        { parent: this },
      );
    }

    const rules = ruleFiles({
      runbookBaseUrl: spec.rules.runbookBaseUrl,
      kubernetes: spec.platform === "kubernetes" && spec.prometheus.kubernetesDiscovery,
      containers: spec.cadvisor.enabled,
    });
    new Prometheus(
      `${name}-prometheus`,
      {
        stack: spec,
        platform,
        targets,
        alertmanagers: alertmanager.peerAddresses,
        ruleFiles: Object.fromEntries(rules.map((f) => [f.path, f.content])),
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}

/** The whole monitoring stack for one Pulumi stack: the platform, then every service on it. */
import * as pulumi from "@pulumi/pulumi";
import type { StackSpec } from "../stacks/spec";
import { Cadvisor } from "./cadvisor";
import { Grafana } from "./grafana";
import { NodeExporter } from "./node-exporter";
import { DockerPlatform } from "./platform/docker";
import { KubernetesPlatform } from "./platform/kubernetes";
import type { Platform } from "./platform/platform";

export interface MonitoringStackArgs {
  /** The resolved, validated stack spec (stacks/). */
  spec: StackSpec;
}

export class MonitoringStack extends pulumi.ComponentResource {
  readonly platform: Platform;

  constructor(name: string, args: MonitoringStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:index:MonitoringStack", name, {}, opts);
    const spec = args.spec;
    this.platform =
      spec.platform === "kubernetes"
        ? new KubernetesPlatform(`${name}-kubernetes`, { spec }, { parent: this })
        : new DockerPlatform(`${name}-docker`, { spec }, { parent: this });

    if (spec.nodeExporter.enabled) {
      new NodeExporter(
        `${name}-node-exporter`,
        { spec: spec.nodeExporter, platform: this.platform },
        { parent: this },
      );
    }
    if (spec.cadvisor.enabled) {
      new Cadvisor(`${name}-cadvisor`, { spec: spec.cadvisor, platform: this.platform }, { parent: this });
    }
    if (spec.grafana.mode === "self-hosted") {
      // Prometheus and Alertmanager components are not wired in yet; the datasources name their Services.
      new Grafana(
        `${name}-grafana`,
        {
          stack: spec,
          platform: this.platform,
          prometheusUrl: `http://${this.platform.serviceAddress("prometheus", 9090)}`,
          alertmanagerUrl: `http://${this.platform.serviceAddress("alertmanager", 9093)}`,
        },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }
}

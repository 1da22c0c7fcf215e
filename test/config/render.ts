/**
 * Every file the program renders from a resolved spec, through the pure renderers only (no Pulumi):
 * prometheus.yml with its scrape jobs, the rule files, alertmanager.yml with its templates, and the
 * command-line values that come from config. Mirrors components/stack.ts's wiring closely enough for
 * everything config can reach (intervals, labels, extra jobs, remote write, routing, rule options).
 */
import { renderAlertmanagerConfig } from "../../components/alertmanager/render";
import { PROMETHEUS_PATHS, prometheusArgs, renderPrometheusConfig } from "../../components/prometheus/render";
import { scrapeConfigs, type ScrapeTarget } from "../../components/prometheus/scrape";
import { RULE_FILE_SUFFIX, ruleFiles } from "../../components/rules/render";
import { JOBS } from "../../lib/jobs";
import type { StackSpec } from "../../stacks/spec";

export interface Rendered {
  prometheusYml: string;
  /** Rule file name -> text. */
  rules: Record<string, string>;
  alertmanagerYml: string;
  /** Template file name -> text. */
  templates: Record<string, string>;
  /** Prometheus and node-exporter arguments that carry config values. */
  args: string[];
}

export interface RenderDirs {
  rulesDir?: string;
  templatesDir?: string;
}

export function renderAll(spec: StackSpec, dirs: RenderDirs = {}): Rendered {
  const k8s = spec.platform === "kubernetes";
  const ns = spec.kubernetes.namespace;
  const target = (job: string, port: number, replicas: number, perNode = false): ScrapeTarget => ({
    job,
    workload: job,
    replicas,
    port,
    portName: job === "node-exporter" ? "metrics" : "web",
    path: "/metrics",
    namespace: perNode ? `${ns}-node` : ns,
    perNode,
  });
  const targets = [
    target(JOBS.prometheus, 9090, spec.prometheus.replicas),
    target(JOBS.alertmanager, 9093, spec.alertmanager.replicas),
  ];
  if (spec.nodeExporter.enabled) targets.push(target(JOBS.nodeExporter, 9100, 1, true));
  if (spec.cadvisor.enabled && spec.cadvisor.source === "container")
    targets.push(target(JOBS.cadvisor, 8080, 1, true));
  if (spec.grafana.mode === "self-hosted") targets.push(target(JOBS.grafana, 3000, spec.grafana.replicas));

  const peers = Array.from({ length: spec.alertmanager.replicas }, (_, i) =>
    k8s ? `alertmanager-${i}.alertmanager-headless.${ns}.svc:9093` : `alertmanager-${i}:9093`,
  );
  const prometheusYml = renderPrometheusConfig({
    cluster: spec.cluster,
    environment: spec.environment,
    scrapeInterval: spec.prometheus.scrapeInterval,
    evaluationInterval: spec.prometheus.evaluationInterval,
    alertmanagers: peers,
    ruleFiles: [`${dirs.rulesDir ?? PROMETHEUS_PATHS.rulesDir}/*${RULE_FILE_SUFFIX}`],
    scrapeConfigs: scrapeConfigs({
      platform: spec.platform,
      instance: spec.namePrefix,
      targets,
      kubeletCadvisorJob:
        k8s && spec.cadvisor.enabled && spec.cadvisor.source === "kubelet" ? JOBS.cadvisor : undefined,
      annotationDiscovery: k8s && spec.prometheus.kubernetesDiscovery,
      extraJobs: spec.prometheus.extraScrapeJobs,
    }),
    // The AMP workspace URL exists only once AWS creates it; a URL from config renders as the program does.
    remoteWrite: spec.prometheus.remoteWrite?.url
      ? {
          url: spec.prometheus.remoteWrite.url,
          sigv4Region: spec.prometheus.remoteWrite.sigv4Region,
          queue: spec.prometheus.remoteWrite.queue,
        }
      : undefined,
    replicaLabelValue: "prometheus-0",
  });
  const rules = Object.fromEntries(
    ruleFiles({
      runbookBaseUrl: spec.rules.runbookBaseUrl,
      kubernetes: k8s && spec.prometheus.kubernetesDiscovery,
      containers: spec.cadvisor.enabled,
    }).map((f) => [f.path, f.content]),
  );
  const am = renderAlertmanagerConfig(spec.alertmanager.routing, { templatesDir: dirs.templatesDir });
  return {
    prometheusYml,
    rules,
    alertmanagerYml: am.config,
    templates: am.templates,
    args: [
      ...prometheusArgs({
        retentionTime: spec.prometheus.retentionTime,
        retentionSize: spec.prometheus.retentionSize,
      }),
      `--collector.filesystem.mount-points-exclude=${spec.nodeExporter.mountPointsExclude}`,
      `--collector.filesystem.fs-types-exclude=${spec.nodeExporter.fsTypesExclude}`,
    ],
  };
}

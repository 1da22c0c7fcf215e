/**
 * From a pack's definition and its resolved parameters to what Prometheus takes: the rule pack (with
 * the per-alert overrides applied and `service`/`team` labels) and the scrape jobs (static targets,
 * containers on the stack's Docker network, Kubernetes pods selected by labels). Pure: no Pulumi.
 */
import type { ScrapeConfig } from "../components/prometheus/render";
import type { AlertRule, RecordingRule, RuleGroup, RulePack } from "../components/rules/model";
import type { CustomRuleGroupSpec, CustomScrapeJobSpec, PackSpec, TargetSpec } from "../stacks/spec";
import { PACK_DEFINITIONS } from "./catalog";
import { jobMatcher, type AlertDefinition, type ExprContext, type PackDefinition } from "./model";

/** The expression context of a pack: its job names, the configured label names and a threshold. */
export function exprContext(
  def: PackDefinition,
  labels: Record<string, string>,
  threshold: number,
): ExprContext {
  const jobName = (key: string) => {
    const j = def.jobs[key];
    if (!j) throw new Error(`pack ${def.name}: no job ${key}`);
    return j.job;
  };
  return {
    threshold,
    job: (key) => jobMatcher([jobName(key)]),
    jobs: (...keys) => jobMatcher(keys.map(jobName)),
    label: (key) => {
      const l = labels[key];
      if (!l) throw new Error(`pack ${def.name}: no label ${key}`);
      return l;
    },
  };
}

/** One pack alert with its override applied, or undefined when the override disables it. */
export function packAlertRule(
  def: PackDefinition,
  alert: AlertDefinition,
  spec: PackSpec,
): AlertRule | undefined {
  const o = spec.alerts[alert.alert];
  if (o && !o.enabled) return undefined;
  const ctx = exprContext(def, spec.labels, o?.threshold ?? alert.threshold?.default ?? 0);
  const extraLabels: Record<string, string> = { service: spec.service };
  if (spec.team) extraLabels.team = spec.team;
  return {
    alert: alert.alert,
    expr: alert.expr(ctx),
    for: o?.for ?? alert.for,
    severity: o?.severity ?? alert.severity,
    summary: alert.summary,
    description: alert.description(ctx),
    extraLabels,
  };
}

/** The pack's rule file: its alerts grouped as defined, overrides applied, disabled ones left out. */
export function packRulePack(spec: PackSpec, runbookBaseUrl?: string): RulePack {
  const def = PACK_DEFINITIONS[spec.key];
  const groups: RuleGroup[] = [];
  for (const alert of def.alerts) {
    const rule = packAlertRule(def, alert, spec);
    if (!rule) continue;
    let group = groups.find((g) => g.name === alert.group);
    if (!group) groups.push((group = { name: alert.group, rules: [] }));
    group.rules.push(rule);
  }
  const base = spec.runbookBaseUrl ?? runbookBaseUrl;
  return { name: def.name, ...(base ? { runbookBaseUrl: base } : {}), groups };
}

/** Custom rule groups from config, as one rule file (`custom.rules.yaml`). */
export function customRulePack(groups: CustomRuleGroupSpec[], runbookBaseUrl?: string): RulePack {
  return {
    name: "custom",
    ...(runbookBaseUrl ? { runbookBaseUrl } : {}),
    groups: groups.map((g) => ({
      name: g.name,
      ...(g.interval ? { interval: g.interval } : {}),
      rules: g.rules.map((r): AlertRule | RecordingRule =>
        "alert" in r
          ? {
              alert: r.alert,
              expr: r.expr,
              ...(r.for ? { for: r.for } : {}),
              severity: r.severity,
              summary: r.summary,
              description: r.description,
              extraLabels: r.labels,
            }
          : { record: r.record, expr: r.expr, ...(Object.keys(r.labels).length ? { labels: r.labels } : {}) },
      ),
    })),
  };
}

export interface ScrapeJobInput {
  name: string;
  metricsPath: string;
  scrapeInterval?: string;
  params?: Record<string, string[]>;
  honorLabels?: boolean;
  target: TargetSpec;
}

/**
 * One scrape job. Kubernetes: pod discovery limited to the namespace, with a server-side label
 * selector (Prometheus' `selectors`, so only matching pods are watched), kept on the container port
 * by name or number (the port must be declared in the pod spec: pod discovery yields one target per
 * declared port), labelled with namespace, pod and node.
 */
export function scrapeJob(input: ScrapeJobInput): ScrapeConfig {
  const t = input.target;
  const job: ScrapeConfig = { job_name: input.name, metrics_path: input.metricsPath };
  const interval = t.scrapeInterval ?? input.scrapeInterval;
  if (interval) job.scrape_interval = interval;
  if (input.params) job.params = input.params;
  if (input.honorLabels) job.honor_labels = true;
  if (t.kind === "static") return { ...job, static_configs: [{ targets: t.targets }] };
  if (t.kind === "docker")
    return {
      ...job,
      static_configs: t.containers.map((c) => ({
        targets: [`${c.container}:${c.port}`],
        labels: { container: c.container },
      })),
    };
  const selector = Object.entries(t.selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return {
    ...job,
    kubernetes_sd_configs: [
      { role: "pod", namespaces: { names: [t.namespace] }, selectors: [{ role: "pod", label: selector }] },
    ],
    relabel_configs: [
      { source_labels: ["__meta_kubernetes_pod_phase"], regex: "Pending|Succeeded|Failed", action: "drop" },
      typeof t.port === "number"
        ? {
            source_labels: ["__meta_kubernetes_pod_container_port_number"],
            regex: String(t.port),
            action: "keep",
          }
        : { source_labels: ["__meta_kubernetes_pod_container_port_name"], regex: t.port, action: "keep" },
      { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
      { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
      { source_labels: ["__meta_kubernetes_pod_node_name"], target_label: "node" },
    ],
  };
}

/** The pack's scrape jobs: one per job that has targets (exporter jobs are scraped as workloads). */
export function packScrapeJobs(spec: PackSpec): ScrapeConfig[] {
  const def = PACK_DEFINITIONS[spec.key];
  return Object.entries(def.jobs).flatMap(([key, j]) => {
    const target = spec.targets[key];
    if (!target || j.exporter) return [];
    return [
      scrapeJob({
        name: j.job,
        metricsPath: j.metricsPath,
        scrapeInterval: j.scrapeInterval,
        params: j.params,
        honorLabels: j.honorLabels,
        target,
      }),
    ];
  });
}

export function customScrapeJobs(jobs: CustomScrapeJobSpec[]): ScrapeConfig[] {
  return jobs.map((j) =>
    scrapeJob({
      name: j.name,
      metricsPath: j.metricsPath,
      params: j.params,
      honorLabels: j.honorLabels,
      target: j.target,
    }),
  );
}

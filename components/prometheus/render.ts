/**
 * prometheus.yml and the Prometheus command line from plain data. Pure: no Pulumi.
 *
 * HA pair: both replicas scrape the same targets and carry the same external labels except the
 * replica label, which is dropped from alerts so Alertmanager sees one alert, not two. Alerts go
 * to every Alertmanager peer by its own address: a load-balanced Service would hide a dead peer and
 * break Alertmanager's own deduplication.
 */
import { stringify } from "yaml";
import { PROMETHEUS_REPLICA_LABEL } from "../../lib/jobs";

export const PROMETHEUS_PORT = 9090;
export const PROMETHEUS_PATHS = {
  config: "/etc/prometheus/prometheus.yml",
  rulesDir: "/etc/prometheus/rules",
  data: "/prometheus",
} as const;
/** Environment variable holding the replica's stable name; expanded in external labels. */
export const REPLICA_ENV = "PROMETHEUS_REPLICA";
/** How often Prometheus checks its config and rule files for changes and reloads them. */
export const CONFIG_RELOAD_INTERVAL = "30s";

/** One scrape_config in Prometheus' own YAML shape (job_name plus whatever the job needs). */
export type ScrapeConfig = { job_name: string } & Record<string, unknown>;

export interface PrometheusConfigInput {
  cluster: string;
  environment: string;
  scrapeInterval: string;
  evaluationInterval: string;
  /** host:port of every Alertmanager peer. */
  alertmanagers: string[];
  /** Glob of rule files. */
  ruleFiles: string[];
  scrapeConfigs: ScrapeConfig[];
  remoteWrite?: { url: string; sigv4Region?: string };
  /**
   * Value of the replica external label; `${PROMETHEUS_REPLICA}` by default, which Prometheus expands
   * from the environment (tests pass a literal).
   */
  replicaLabelValue?: string;
}

export function renderPrometheusConfig(input: PrometheusConfigInput): string {
  const config: Record<string, unknown> = {
    global: {
      scrape_interval: input.scrapeInterval,
      evaluation_interval: input.evaluationInterval,
      external_labels: {
        cluster: input.cluster,
        environment: input.environment,
        [PROMETHEUS_REPLICA_LABEL]: input.replicaLabelValue ?? `\${${REPLICA_ENV}}`,
      },
    },
    rule_files: input.ruleFiles,
    alerting: {
      alert_relabel_configs: [{ action: "labeldrop", regex: PROMETHEUS_REPLICA_LABEL }],
      alertmanagers: [{ api_version: "v2", static_configs: [{ targets: input.alertmanagers }] }],
    },
    scrape_configs: input.scrapeConfigs,
  };
  if (input.remoteWrite) {
    config.remote_write = [
      {
        url: input.remoteWrite.url,
        ...(input.remoteWrite.sigv4Region ? { sigv4: { region: input.remoteWrite.sigv4Region } } : {}),
      },
    ];
  }
  return stringify(config, { lineWidth: 0, aliasDuplicateObjects: false });
}

export interface PrometheusArgsInput {
  retentionTime: string;
  retentionSize: string;
  listenAddress?: string;
  configFile?: string;
  dataDir?: string;
}

/**
 * Command line: retention by time and size (always both), automatic reload of config and rule files
 * (no lifecycle endpoint to protect), admin API left off.
 */
export function prometheusArgs(input: PrometheusArgsInput): string[] {
  return [
    `--config.file=${input.configFile ?? PROMETHEUS_PATHS.config}`,
    `--storage.tsdb.path=${input.dataDir ?? PROMETHEUS_PATHS.data}`,
    `--storage.tsdb.retention.time=${input.retentionTime}`,
    `--storage.tsdb.retention.size=${input.retentionSize}`,
    `--web.listen-address=${input.listenAddress ?? `:${PROMETHEUS_PORT}`}`,
    "--enable-feature=auto-reload-config",
    `--config.auto-reload-interval=${CONFIG_RELOAD_INTERVAL}`,
  ];
}

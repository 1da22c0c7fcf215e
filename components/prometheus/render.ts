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
import type { RemoteWriteQueue } from "../../stacks/spec";

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

/**
 * The label Amazon Managed Service for Prometheus deduplicates HA replicas on, together with `cluster`
 * ("Send high availability data to Amazon Managed Service for Prometheus with Prometheus": both labels
 * are required; the workspace keeps one replica's samples and strips `__replica__`).
 */
export const AMP_REPLICA_LABEL = "__replica__";

export interface RemoteWriteInput {
  url: string;
  /** Sign requests with SigV4 (credentials from the AWS SDK's default chain: IRSA web identity). */
  sigv4Region?: string;
  /** queue_config sized from the declared load; Prometheus' defaults when absent. */
  queue?: RemoteWriteQueue;
  /** Send the replica label as `__replica__` so the workspace deduplicates the HA pair. */
  ampDeduplication?: boolean;
}

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
  remoteWrite?: RemoteWriteInput;
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
    const rw = input.remoteWrite;
    config.remote_write = [
      {
        url: rw.url,
        ...(rw.sigv4Region ? { sigv4: { region: rw.sigv4Region } } : {}),
        ...(rw.queue
          ? {
              queue_config: {
                capacity: rw.queue.capacity,
                max_samples_per_send: rw.queue.maxSamplesPerSend,
                min_shards: rw.queue.minShards,
                max_shards: rw.queue.maxShards,
                batch_send_deadline: rw.queue.batchSendDeadline,
              },
            }
          : {}),
        // Write relabelling runs after the external labels are attached (Prometheus configuration docs,
        // <remote_write>), so the replica's external label is renamed for this stream only: alerts,
        // federation and other remote writes keep `prometheus_replica`.
        ...(rw.ampDeduplication
          ? {
              write_relabel_configs: [
                { source_labels: [PROMETHEUS_REPLICA_LABEL], target_label: AMP_REPLICA_LABEL },
                { action: "labeldrop", regex: PROMETHEUS_REPLICA_LABEL },
              ],
            }
          : {}),
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

/**
 * The Elasticsearch exporter (prometheus-community/elasticsearch_exporter, the version Debian ships)
 * as a Workload, and the metric relabelling of its scrape job (pure).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { PlatformName, ResourcesSpec } from "../../../stacks/spec";
import type { SecretFileSpec, Workload } from "../../platform/workload";
import { ES_USERS, LOGGING_WORKLOADS, PORTS } from "../names";

const CA_PATH = "/etc/elasticsearch-exporter/ca.crt";

/** Per-index series the rules and dashboard use; the exporter's other per-index series are dropped. */
export const KEPT_INDEX_METRICS = [
  "elasticsearch_index_stats_indexing_index_total",
  "elasticsearch_indices_docs_primary",
  "elasticsearch_indices_store_size_bytes_primary",
];

/**
 * The exporter labels every series with the Elasticsearch cluster name as `cluster`, which would hide
 * the stack's own `cluster` external label; it becomes `es_cluster`.
 */
export function exporterMetricRelabels(): Record<string, unknown>[] {
  return [
    { source_labels: ["cluster"], target_label: "es_cluster" },
    { action: "labeldrop", regex: "cluster" },
    {
      source_labels: ["__name__"],
      regex: KEPT_INDEX_METRICS.join("|"),
      target_label: "__tmp_keep",
      replacement: "1",
    },
    {
      source_labels: ["__name__", "__tmp_keep"],
      regex: "elasticsearch_(indices|index_stats|indices_settings)_.+;",
      action: "drop",
    },
  ];
}

export function exporterArgs(i: { esUrl: string; tls: boolean }): string[] {
  return [
    `--es.uri=${i.esUrl}`,
    "--es.all",
    "--es.indices",
    "--collector.clustersettings",
    "--es.timeout=20s",
    `--web.listen-address=:${PORTS.exporter}`,
    ...(i.tls ? [`--es.ca=${CA_PATH}`] : []),
  ];
}

export function exporterWorkload(i: {
  image: string;
  resources: ResourcesSpec;
  platform: PlatformName;
  esUrl: string;
  password: pulumi.Input<string>;
  caCert?: pulumi.Input<string>;
  ingressFrom: string[];
}): Workload {
  const secretFiles: SecretFileSpec[] = i.caCert ? [{ path: CA_PATH, content: i.caCert }] : [];
  return {
    name: LOGGING_WORKLOADS.exporter,
    component: "logging",
    kind: "stateless",
    namespace: "restricted",
    replicas: 1,
    user: { uid: 65534, gid: 65534 },
    containers: [
      {
        name: LOGGING_WORKLOADS.exporter,
        image: i.image,
        // prometheus/busybox base: wget for the Docker healthcheck.
        tools: "wget",
        args: exporterArgs({ esUrl: i.esUrl, tls: i.caCert !== undefined }),
        env: { ES_USERNAME: ES_USERS.monitor },
        secretEnv: { ES_PASSWORD: i.password },
        ports: [{ name: "metrics", port: PORTS.exporter }],
        probes: {
          readiness: { kind: "http", path: "/healthz", port: "metrics" },
          liveness: { kind: "http", path: "/healthz", port: "metrics", failureThreshold: 5 },
        },
        resources: i.resources,
        secretFiles,
      },
    ],
    metrics: { port: "metrics", path: "/metrics" },
    ingressFrom: i.ingressFrom,
    after: [LOGGING_WORKLOADS.elasticsearch],
  };
}

/**
 * Names, ports and paths the logging workloads share (pure data): workload names are also the
 * Services' and Docker aliases', so every address is built from here.
 */
import { ELASTICSEARCH_SETUP } from "../../lib/elasticsearch";
import type { WorkloadRef } from "../platform/platform";

export const LOGGING_WORKLOADS = {
  elasticsearch: "elasticsearch",
  logstash: "logstash",
  kibana: "kibana",
  filebeat: "filebeat",
  exporter: "elasticsearch-exporter",
  setup: ELASTICSEARCH_SETUP.workload,
} as const;

export const PORTS = {
  esHttp: 9200,
  esTransport: 9300,
  beats: 5044,
  kibana: 5601,
  exporter: 9114,
} as const;

/** The file-realm users the stack defines (README: "Logging credentials"); no other user exists. */
export const ES_USERS = {
  /** Superuser: the setup job and people (Kibana login). */
  elastic: "elastic",
  /** Writes the log data streams and nothing else. */
  logstash: "logstash_writer",
  /** Cluster monitoring for the exporter and the readiness probe. */
  monitor: "monitoring_reader",
  /** Reads the log data streams (Grafana). */
  reader: "logs_reader",
} as const;

/** Data streams are `logs-<dataset>-<namespace>`: the namespace is the environment. */
export const LOG_DATA_STREAMS = "logs-*-*";
/** The one ILM policy and the component template the built-in `logs` index template composes. */
export const ILM_POLICY_NAME = "monitoring-logs";
export const LOGS_CUSTOM_TEMPLATE = "logs@custom";
/** Kibana data view id for the log data streams (stable, so the setup job overwrites it). */
export const DATA_VIEW_ID = "monitoring-logs";

/** Where the Elastic images keep their config. */
export const ES_HOME = "/usr/share/elasticsearch";
export const ES_CONFIG = `${ES_HOME}/config`;
export const LS_HOME = "/usr/share/logstash";
export const KIBANA_HOME = "/usr/share/kibana";
export const FILEBEAT_HOME = "/usr/share/filebeat";

/** Elastic images run as uid 1000; their files belong to group 0, which that user is a member of. */
export const ELASTIC_USER = { uid: 1000, gid: 1000 } as const;

export function ref(name: string, namespace: WorkloadRef["namespace"]): WorkloadRef {
  return { name, namespace };
}

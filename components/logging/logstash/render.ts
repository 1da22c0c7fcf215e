/**
 * Logstash as a Workload (pure): the Beats input on 5044, the pipelines (pipeline.ts) with a persistent
 * queue on a volume per replica, and output to Elasticsearch with its own least-privilege user.
 *
 * The image's entrypoint is skipped: it rewrites logstash.yml from environment variables (env2yaml),
 * which a read-only root filesystem does not allow and this stack does not need.
 */
import type * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import type { LogstashSpec, PlatformName } from "../../../stacks/spec";
import type { FileSpec, SecretFileSpec, Workload } from "../../platform/workload";
import { ELASTIC_USER, ES_USERS, LOGGING_WORKLOADS, LS_HOME, PORTS } from "../names";
import { logstashPipelines, PATTERNS_DIR, renderPatternsFile, renderPipeline } from "./pipeline";

export const LS_CERT_DIR = `${LS_HOME}/config/certs`;
const PIPELINE_DIR = `${LS_HOME}/pipelines`;
const DATA = `${LS_HOME}/data`;
export const LS_PASSWORD_ENV = "LOGSTASH_ES_PASSWORD";

export interface LogstashInputs {
  spec: LogstashSpec;
  platform: PlatformName;
  environment: string;
  esHosts: string[];
  writerPassword: pulumi.Input<string>;
  /** TLS: the CA (Elasticsearch's and the shippers'), and Logstash's server certificate and key. */
  tls?: { ca: pulumi.Input<string>; cert: pulumi.Input<string>; key: pulumi.Input<string> };
  services: { name: string; config: string }[];
  ingressFrom: string[];
}

export function renderLogstashYml(spec: LogstashSpec, pipelineCount: number): string {
  return stringify({
    "api.http.host": "127.0.0.1",
    "path.data": DATA,
    "config.reload.automatic": false,
    // Events are acknowledged to Filebeat once on disk: a restart or an Elasticsearch outage loses none.
    "queue.type": "persisted",
    // Every pipeline has its own queue; together they stay within the share of the volume allowed.
    "queue.max_bytes": `${Math.max(64, Math.floor(parseInt(spec.queueMaxBytes, 10) / pipelineCount))}mb`,
    "pipeline.ecs_compatibility": "v8",
  });
}

export function logstashWorkload(i: LogstashInputs): Workload {
  const tlsPaths = i.tls
    ? { ca: `${LS_CERT_DIR}/ca.crt`, cert: `${LS_CERT_DIR}/logstash.crt`, key: `${LS_CERT_DIR}/logstash.key` }
    : undefined;
  const pipelines = logstashPipelines({
    environment: i.environment,
    tls: tlsPaths,
    esHosts: i.esHosts,
    esCa: tlsPaths?.ca,
    passwordEnv: LS_PASSWORD_ENV,
    user: ES_USERS.logstash,
    services: i.services,
  });
  const files: FileSpec[] = [
    { path: `${LS_HOME}/config/logstash.yml`, content: renderLogstashYml(i.spec, pipelines.length) },
    {
      path: `${LS_HOME}/config/pipelines.yml`,
      content: stringify(
        pipelines.map((p) => ({ "pipeline.id": p.id, "path.config": `${PIPELINE_DIR}/${p.id}.conf` })),
      ),
    },
    ...pipelines.map((p) => ({ path: `${PIPELINE_DIR}/${p.id}.conf`, content: renderPipeline(p) })),
    { path: `${PATTERNS_DIR}/monitoring`, content: renderPatternsFile() },
  ];
  const secretFiles: SecretFileSpec[] = i.tls
    ? [
        { path: tlsPaths!.ca, content: i.tls.ca },
        { path: tlsPaths!.cert, content: i.tls.cert },
        { path: tlsPaths!.key, content: i.tls.key },
      ]
    : [];
  const heap = i.spec.heapMiB;
  return {
    name: LOGGING_WORKLOADS.logstash,
    component: "logging",
    // Stateful: each replica has its own persistent queue volume.
    kind: "stateful",
    namespace: "restricted",
    replicas: i.spec.replicas,
    user: ELASTIC_USER,
    containers: [
      {
        name: LOGGING_WORKLOADS.logstash,
        image: i.spec.image,
        tools: "shell",
        command: ["bash", "-c"],
        // JRuby unpacks native stubs into the temp dir, which must allow exec: Docker's scratch tmpfs
        // does not, so the temp dir lives on the data volume.
        args: [`mkdir -p ${DATA}/tmp && exec ${LS_HOME}/bin/logstash`],
        env: { LS_JAVA_OPTS: `-Xms${heap}m -Xmx${heap}m -Djava.io.tmpdir=${DATA}/tmp` },
        secretEnv: { [LS_PASSWORD_ENV]: i.writerPassword },
        ports: [{ name: "beats", port: PORTS.beats }],
        probes: {
          readiness: { kind: "tcp", port: "beats", periodSeconds: 10 },
          liveness: {
            kind: "tcp",
            port: "beats",
            initialDelaySeconds: 120,
            periodSeconds: 20,
            failureThreshold: 6,
          },
        },
        resources: i.spec.resources,
        files,
        secretFiles,
        volumeMounts: [{ volume: "data", mountPath: DATA }],
        scratchDirs: [`${LS_HOME}/logs`, "/tmp"],
      },
    ],
    volumes: [{ name: "data", sizeGi: i.spec.volume.sizeGi, storageClass: i.spec.volume.storageClass }],
    ingressFrom: i.ingressFrom,
    after: [LOGGING_WORKLOADS.elasticsearch],
  };
}

/**
 * Elasticsearch as a Workload (pure): its config files, the file-realm users and roles, heap from the
 * memory limit, the vm.max_map_count init step, and a readiness probe that holds a restarted node
 * unready until the cluster is healthy again, so a rolling update moves one node at a time.
 *
 * The config directory is a writable scratch directory with every file we ship mounted into it:
 * Elasticsearch writes its keystore there at start (KeyStoreWrapper.bootstrap creates one when none
 * exists), and the root filesystem stays read-only (ECK does the same with an emptyDir; its docs:
 * "readOnlyRootFilesystem is only enabled if the elasticsearch-data directory is mounted in a volume").
 */
import type * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import type { ElasticsearchSpec, PlatformName } from "../../../stacks/spec";
import type { NamespaceTier, Probe, SecretFileSpec, Workload } from "../../platform/workload";
import {
  ELASTIC_USER,
  ES_CONFIG,
  ES_HOME,
  ES_USERS,
  LOG_DATA_STREAMS,
  LOGGING_WORKLOADS,
  PORTS,
} from "../names";

/** Elastic's current recommendation (docs "Virtual memory": 1048576 since 8.16). */
export const VM_MAX_MAP_COUNT = 1048576;
export const ES_CERT_DIR = `${ES_CONFIG}/certs`;
/** Environment variables of the main container. */
export const ES_ENV = {
  podName: "POD_NAME",
  podIp: "POD_IP",
  probePassword: "ES_PROBE_PASSWORD",
} as const;
/** Marker the readiness probe leaves once the node has seen a healthy cluster after its start. */
const STARTED_MARKER = "/tmp/.es-started";

export interface ElasticsearchCerts {
  ca: pulumi.Input<string>;
  cert: pulumi.Input<string>;
  /** PKCS#8 private key: only ever in a Secret. */
  key: pulumi.Input<string>;
}

export interface ElasticsearchInputs {
  spec: ElasticsearchSpec;
  platform: PlatformName;
  clusterName: string;
  /** Transport addresses of every node (Kubernetes: per-pod DNS through the headless Service). */
  seedHosts: string[];
  /** Node names for `cluster.initial_master_nodes` (used only with spec.formNewCluster). */
  nodeNames: string[];
  /** TLS material when TLS is on (transport and HTTP). */
  certs?: ElasticsearchCerts;
  /** Contents of the file realm's `users` file (bcrypt hashes only). */
  usersFile: pulumi.Input<string>;
  /** Contents of `service_tokens` (bcrypt hash of Kibana's token). */
  serviceTokensFile: pulumi.Input<string>;
  /** Password of the monitoring user, for the readiness probe. */
  probePassword: pulumi.Input<string>;
  /** Image with `sh` and `sysctl` for the init step (busybox). */
  sysctlImage: string;
  /** Workloads allowed to reach the HTTP port. */
  ingressFrom: string[];
  /** The snapshot bucket's IAM role (Kubernetes on AWS): the S3 repository's web identity. */
  snapshotIdentity?: { region: string; roleArn: pulumi.Input<string> };
}

/**
 * Where the S3 repository reads its web identity token: a file under the config directory, because the
 * repository module may read nothing outside it (Elasticsearch reference, "S3 repository" > "Using IAM
 * roles for Kubernetes service accounts"; S3Service's WEB_IDENTITY_TOKEN_FILE_LOCATION). Elastic's docs
 * symlink the EKS webhook's token there; the stack projects its own token at that path instead, so the
 * pod needs no webhook and no writable step at start.
 */
export const S3_WEB_IDENTITY_TOKEN = `${ES_CONFIG}/repository-s3/aws-web-identity-token-file`;
/** Audience AWS STS expects of a web identity token from an EKS cluster's OIDC provider. */
export const STS_AUDIENCE = "sts.amazonaws.com";

/**
 * The environment the S3 client builds its web identity credentials from: the role, the token path
 * (Elasticsearch reads the config-directory file but requires the variable), the region for signing
 * and the regional STS endpoint.
 */
export function snapshotIdentityEnv(id: {
  region: string;
  roleArn: pulumi.Input<string>;
}): Record<string, pulumi.Input<string>> {
  return {
    AWS_ROLE_ARN: id.roleArn,
    AWS_WEB_IDENTITY_TOKEN_FILE: S3_WEB_IDENTITY_TOKEN,
    AWS_REGION: id.region,
    AWS_STS_REGIONAL_ENDPOINTS: "regional",
  };
}

/** Which namespace tier Elasticsearch runs in: a privileged init step needs the privileged one. */
export function elasticsearchTier(spec: ElasticsearchSpec, platform: PlatformName): NamespaceTier {
  return platform === "kubernetes" && spec.vmMaxMapCount === "init-container" ? "privileged" : "restricted";
}

/** elasticsearch.yml. `${VAR}` is Elasticsearch's own environment substitution. */
export function renderElasticsearchYml(i: {
  clusterName: string;
  platform: PlatformName;
  seedHosts: string[];
  nodeNames: string[];
  formNewCluster: boolean;
  tls: boolean;
}): string {
  const ssl = (layer: "transport" | "http") =>
    i.tls
      ? {
          [`xpack.security.${layer}.ssl.enabled`]: true,
          [`xpack.security.${layer}.ssl.key`]: "certs/node.key",
          [`xpack.security.${layer}.ssl.certificate`]: "certs/node.crt",
          [`xpack.security.${layer}.ssl.certificate_authorities`]: ["certs/ca.crt"],
          // Transport peers connect by pod IP, which no certificate names: trust the CA, as ECK does.
          ...(layer === "transport"
            ? { "xpack.security.transport.ssl.verification_mode": "certificate" }
            : {}),
        }
      : {};
  const settings: Record<string, unknown> = {
    "cluster.name": i.clusterName,
    "node.name": `\${${ES_ENV.podName}}`,
    "network.host": "0.0.0.0",
    "http.port": PORTS.esHttp,
    "transport.port": PORTS.esTransport,
    "path.data": `${ES_HOME}/data`,
    ...(i.platform === "docker"
      ? {
          "discovery.type": "single-node",
          // vm.max_map_count is the Docker host's kernel setting; without mmap the node does not need it.
          "node.store.allow_mmap": false,
        }
      : {
          "node.roles": ["master", "data", "ingest"],
          "network.publish_host": `\${${ES_ENV.podIp}}`,
          "discovery.seed_hosts": i.seedHosts,
          ...(i.formNewCluster ? { "cluster.initial_master_nodes": i.nodeNames } : {}),
        }),
    "xpack.security.enabled": true,
    // Every user is in the file realm below (the `elastic` superuser too, as ECK does): no bootstrap
    // password in a keystore, and a password change is a config change Pulumi applies.
    "xpack.security.authc.reserved_realm.enabled": false,
    ...ssl("transport"),
    ...ssl("http"),
    "action.destructive_requires_name": true,
  };
  return stringify(settings, { lineWidth: 0 });
}

/** jvm.options: G1, the temp dir, heap dumps and error files in writable places, bounded GC logs. */
export function renderJvmOptions(): string {
  return [
    "# Written by the monitoring stack; the heap is in jvm.options.d/heap.options.",
    "-XX:+UseG1GC",
    "-Djava.io.tmpdir=${ES_TMPDIR}",
    "-XX:+HeapDumpOnOutOfMemoryError",
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:HeapDumpPath=data",
    "-XX:ErrorFile=logs/hs_err_pid%p.log",
    "-Xlog:gc*,gc+age=trace,safepoint:file=logs/gc.log:utctime,level,pid,tags:filecount=4,filesize=8m",
    "",
  ].join("\n");
}

/** Heap: -Xms = -Xmx (Elastic: "set Xms and Xmx to the same value"). */
export function renderHeapOptions(heapMiB: number): string {
  return `-Xms${heapMiB}m\n-Xmx${heapMiB}m\n`;
}

/** Console logging only (as the Docker distribution's log4j2.properties): the platform keeps stdout. */
export function renderLog4j2(): string {
  const appender = (name: string, typeName: string) => [
    `appender.${name}.type = Console`,
    `appender.${name}.name = ${name}`,
    `appender.${name}.layout.type = ECSJsonLayout`,
    `appender.${name}.layout.type_name = ${typeName}`,
  ];
  return [
    "status = error",
    ...appender("console", "server"),
    "rootLogger.level = info",
    "rootLogger.appenderRef.console.ref = console",
    ...appender("deprecation", "deprecation"),
    "logger.deprecation.name = org.elasticsearch.deprecation",
    "logger.deprecation.level = warn",
    "logger.deprecation.appenderRef.deprecation.ref = deprecation",
    "logger.deprecation.additivity = false",
    "",
  ].join("\n");
}

/** Least-privilege roles of the file realm (roles.yml). */
export function renderRoles(): string {
  return stringify({
    [ES_USERS.logstash]: {
      // Logstash checks the cluster's version and license at start; it manages no templates or ILM.
      cluster: ["monitor"],
      indices: [{ names: [LOG_DATA_STREAMS], privileges: ["create_doc", "auto_configure"] }],
    },
    [ES_USERS.monitor]: {
      cluster: ["monitor"],
      indices: [{ names: ["*"], privileges: ["monitor"] }],
    },
    [ES_USERS.reader]: {
      // Grafana's Elasticsearch datasource reads the version from `GET /` (cluster:monitor/main) and its
      // health check calls `GET _cluster/health` (cluster:monitor/health) (grafana/grafana
      // pkg/tsdb/elasticsearch: CallResource, healthcheck.go). Grafana's docs ask for the whole `monitor`
      // privilege; the two actions are all it calls (cluster action names are valid privileges:
      // Elasticsearch ClusterPrivilegeResolver.resolve).
      cluster: ["cluster:monitor/main", "cluster:monitor/health"],
      indices: [{ names: [LOG_DATA_STREAMS], privileges: ["read", "view_index_metadata"] }],
    },
  });
}

/** users_roles: role -> users. */
export function renderUsersRoles(): string {
  return [
    `superuser:${ES_USERS.elastic}`,
    `${ES_USERS.logstash}:${ES_USERS.logstash}`,
    `${ES_USERS.monitor}:${ES_USERS.monitor}`,
    `${ES_USERS.reader}:${ES_USERS.reader}`,
    "",
  ].join("\n");
}

/** The file realm's `users` file from bcrypt hashes (`user:hash` lines). */
export function renderUsersFile(hashes: Record<string, string>): string {
  return `${Object.entries(hashes)
    .map(([user, hash]) => `${user}:${hash}`)
    .join("\n")}\n`;
}

/** Kibana's service account token, as the `service_tokens` file holds it. */
export const KIBANA_TOKEN_NAME = "monitoring-stack";
export function renderServiceTokens(kibanaTokenHash: string): string {
  return `elastic/kibana/${KIBANA_TOKEN_NAME}:${kibanaTokenHash}\n`;
}

/**
 * Kibana's bearer token: base64 (no padding) of the prefix bytes 0,1,0,1 and `namespace/service/name:secret`
 * (elasticsearch ServiceAccountToken.asBearerString).
 */
export function serviceTokenBearer(secret: string): string {
  const body = Buffer.concat([
    Buffer.from([0, 1, 0, 1]),
    Buffer.from(`elastic/kibana/${KIBANA_TOKEN_NAME}:${secret}`),
  ]);
  return body.toString("base64").replace(/=+$/, "");
}

/**
 * Readiness: after a (re)start the node is ready only once the cluster is healthy (green; yellow for a
 * single node, whose replicas can never be assigned), then only whether it answers. The StatefulSet
 * rolls the next pod only when this one is ready, so one node at a time restarts.
 */
export function readinessScript(i: { tls: boolean; singleNode: boolean }): string {
  const scheme = i.tls ? "https" : "http";
  const ca = i.tls ? ` --cacert ${ES_CERT_DIR}/ca.crt` : "";
  const status = i.singleNode ? "yellow" : "green";
  return [
    `opts="-fsS -o /dev/null --max-time 4${ca} -u ${ES_USERS.monitor}:$${ES_ENV.probePassword}"`,
    `url=${scheme}://127.0.0.1:${PORTS.esHttp}`,
    `if [ -f ${STARTED_MARKER} ]; then exec curl $opts "$url/"; fi`,
    `curl $opts "$url/_cluster/health?wait_for_status=${status}&timeout=1s" && touch ${STARTED_MARKER}`,
  ].join("\n");
}

/** Raises vm.max_map_count on the node when it is lower (never lowers a higher host setting). */
export function sysctlScript(): string {
  return `[ "$(cat /proc/sys/vm/max_map_count)" -ge ${VM_MAX_MAP_COUNT} ] || sysctl -w vm.max_map_count=${VM_MAX_MAP_COUNT}`;
}

export function elasticsearchWorkload(i: ElasticsearchInputs): Workload {
  const { spec } = i;
  const tls = i.certs !== undefined;
  const readiness: Probe = {
    kind: "exec",
    command: ["bash", "-c", readinessScript({ tls, singleNode: spec.replicas === 1 })],
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 3,
  };
  const secretFiles: SecretFileSpec[] = [
    { path: `${ES_CONFIG}/users`, content: i.usersFile },
    { path: `${ES_CONFIG}/service_tokens`, content: i.serviceTokensFile },
  ];
  if (i.certs)
    secretFiles.push(
      { path: `${ES_CERT_DIR}/ca.crt`, content: i.certs.ca },
      { path: `${ES_CERT_DIR}/node.crt`, content: i.certs.cert },
      { path: `${ES_CERT_DIR}/node.key`, content: i.certs.key },
    );
  const initContainers =
    i.platform === "kubernetes" && spec.vmMaxMapCount === "init-container"
      ? [
          {
            name: "sysctl",
            image: i.sysctlImage,
            tools: "shell" as const,
            command: ["sh", "-c"],
            args: [sysctlScript()],
            resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "32Mi" } },
            privileges: {
              reason: `sets the node's vm.max_map_count to ${VM_MAX_MAP_COUNT} (Elastic's requirement for mmap-based index storage), a kernel setting that is not namespaced and is writable only by a privileged root process; it exits before Elasticsearch starts, which itself runs unprivileged`,
              runAsRoot: true,
              privileged: true,
            },
          },
        ]
      : [];
  return {
    name: LOGGING_WORKLOADS.elasticsearch,
    component: "logging",
    kind: "stateful",
    namespace: elasticsearchTier(spec, i.platform),
    replicas: spec.replicas,
    user: ELASTIC_USER,
    initContainers,
    containers: [
      {
        name: LOGGING_WORKLOADS.elasticsearch,
        image: spec.image,
        tools: "curl",
        args: [],
        env: { ES_TMPDIR: "/tmp", ...(i.snapshotIdentity ? snapshotIdentityEnv(i.snapshotIdentity) : {}) },
        fieldEnv: { [ES_ENV.podName]: "pod-name", [ES_ENV.podIp]: "pod-ip" },
        secretEnv: { [ES_ENV.probePassword]: i.probePassword },
        ports: [
          { name: "http", port: PORTS.esHttp, hostPort: i.platform === "docker" ? spec.hostPort : undefined },
          { name: "transport", port: PORTS.esTransport, peer: true },
        ],
        probes: {
          readiness,
          // Only "is the process there": a node busy with recovery or GC must not be restarted.
          liveness: {
            kind: "tcp",
            port: "transport",
            initialDelaySeconds: 60,
            periodSeconds: 20,
            failureThreshold: 6,
          },
        },
        resources: spec.resources,
        files: [
          {
            path: `${ES_CONFIG}/elasticsearch.yml`,
            content: renderElasticsearchYml({
              clusterName: i.clusterName,
              platform: i.platform,
              seedHosts: i.seedHosts,
              nodeNames: i.nodeNames,
              formNewCluster: spec.formNewCluster,
              tls,
            }),
          },
          { path: `${ES_CONFIG}/jvm.options`, content: renderJvmOptions() },
          { path: `${ES_CONFIG}/jvm.options.d/heap.options`, content: renderHeapOptions(spec.heapMiB) },
          { path: `${ES_CONFIG}/log4j2.properties`, content: renderLog4j2() },
          { path: `${ES_CONFIG}/roles.yml`, content: renderRoles() },
          { path: `${ES_CONFIG}/users_roles`, content: renderUsersRoles() },
        ],
        secretFiles,
        volumeMounts: [{ volume: "data", mountPath: `${ES_HOME}/data` }],
        scratchDirs: [ES_CONFIG, `${ES_HOME}/logs`, "/tmp"],
        // A day, as the EKS pod identity webhook issues them; the kubelet renews it at 80 %.
        serviceAccountToken: i.snapshotIdentity
          ? { path: S3_WEB_IDENTITY_TOKEN, audience: STS_AUDIENCE, expirationSeconds: 86400 }
          : undefined,
      },
    ],
    volumes: [{ name: "data", sizeGi: spec.volume.sizeGi, storageClass: spec.volume.storageClass }],
    ingressFrom: i.ingressFrom,
  };
}

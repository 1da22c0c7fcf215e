/**
 * Filebeat as a Workload (pure): one per node, container logs with their platform's metadata to
 * Logstash, the registry on the host so a restart resumes where it stopped.
 *
 * - Kubernetes: autodiscover (kubernetes provider, hints) with `filestream` inputs, the container
 *   parser and fingerprint file identity on /var/log/containers, as Elastic's reference manifest has
 *   it (elastic/beats deploy/kubernetes/filebeat-kubernetes.yaml); RBAC to read pods, namespaces and
 *   nodes only (owner metadata of deployments and cronjobs, which needs replicasets and jobs, is off).
 * - Docker: autodiscover (docker provider) on /var/lib/docker/containers, metadata from the engine.
 */
import type * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import type { FilebeatSpec, PlatformName } from "../../../stacks/spec";
import type { HostMount, SecretFileSpec, Workload } from "../../platform/workload";
import { FILEBEAT_HOME, LOGGING_WORKLOADS } from "../names";

export const FILEBEAT_CERT_DIR = `${FILEBEAT_HOME}/certs`;
const DATA = `${FILEBEAT_HOME}/data`;
export const FILEBEAT_HTTP_PORT = 5066;

export interface FilebeatInputs {
  spec: FilebeatSpec;
  platform: PlatformName;
  /** Logstash Beats endpoints (every replica: Filebeat balances between them). */
  logstashHosts: string[];
  /** Client certificate from the stack's CA (Logstash requires one when TLS is on). */
  tls?: { ca: pulumi.Input<string>; cert: pulumi.Input<string>; key: pulumi.Input<string> };
  /** Keeps the registries of two stacks on one host apart. */
  instance: string;
}

export function renderFilebeatYml(i: {
  platform: PlatformName;
  logstashHosts: string[];
  tls: boolean;
}): string {
  const provider =
    i.platform === "kubernetes"
      ? {
          type: "kubernetes",
          node: "${NODE_NAME}",
          "hints.enabled": true,
          "hints.default_config": {
            type: "filestream",
            id: "kubernetes-container-logs-${data.kubernetes.pod.name}-${data.kubernetes.container.id}",
            paths: ["/var/log/containers/*-${data.kubernetes.container.id}.log"],
            parsers: [{ container: {} }],
            "prospector.scanner.fingerprint.enabled": true,
            "prospector.scanner.symlinks": true,
            "file_identity.fingerprint": {},
          },
          add_resource_metadata: { deployment: false, cronjob: false },
        }
      : {
          type: "docker",
          host: "unix:///var/run/docker.sock",
          "hints.enabled": true,
          "hints.default_config": {
            type: "filestream",
            id: "docker-container-logs-${data.docker.container.id}",
            paths: ["/var/lib/docker/containers/${data.docker.container.id}/*.log"],
            parsers: [{ container: {} }],
            "prospector.scanner.fingerprint.enabled": true,
            "file_identity.fingerprint": {},
          },
        };
  return stringify(
    {
      "filebeat.autodiscover": { providers: [provider] },
      "path.data": DATA,
      "output.logstash": {
        hosts: i.logstashHosts,
        loadbalance: true,
        ...(i.tls
          ? {
              "ssl.certificate_authorities": [`${FILEBEAT_CERT_DIR}/ca.crt`],
              "ssl.certificate": `${FILEBEAT_CERT_DIR}/filebeat.crt`,
              "ssl.key": `${FILEBEAT_CERT_DIR}/filebeat.key`,
            }
          : {}),
      },
      // Beat's stats endpoint, for the probes (the NetworkPolicy admits nobody else).
      "http.enabled": true,
      "http.host": "0.0.0.0",
      "http.port": FILEBEAT_HTTP_PORT,
      "logging.to_stderr": true,
    },
    { lineWidth: 0 },
  );
}

export function filebeatWorkload(i: FilebeatInputs): Workload {
  const kube = i.platform === "kubernetes";
  const registry: HostMount = {
    name: "registry",
    hostPath: `/var/lib/filebeat-data/${i.instance}`,
    mountPath: DATA,
    readOnly: false,
  };
  const mounts: HostMount[] = kube
    ? [
        {
          name: "varlogcontainers",
          hostPath: "/var/log/containers",
          mountPath: "/var/log/containers",
          readOnly: true,
        },
        { name: "varlogpods", hostPath: "/var/log/pods", mountPath: "/var/log/pods", readOnly: true },
        registry,
      ]
    : [
        {
          name: "dockercontainers",
          hostPath: "/var/lib/docker/containers",
          mountPath: "/var/lib/docker/containers",
          readOnly: true,
        },
        {
          name: "dockersock",
          hostPath: "/var/run/docker.sock",
          mountPath: "/var/run/docker.sock",
          readOnly: true,
        },
        registry,
      ];
  const secretFiles: SecretFileSpec[] = i.tls
    ? [
        { path: `${FILEBEAT_CERT_DIR}/ca.crt`, content: i.tls.ca },
        { path: `${FILEBEAT_CERT_DIR}/filebeat.crt`, content: i.tls.cert },
        { path: `${FILEBEAT_CERT_DIR}/filebeat.key`, content: i.tls.key },
      ]
    : [];
  const reason = kube
    ? "Filebeat reads every container's log files under /var/log/containers and /var/log/pods (read-only) and keeps its registry under /var/lib/filebeat-data on the host, so a restart resumes instead of resending everything"
    : "Filebeat reads every container's log files under /var/lib/docker/containers (read-only), asks the engine for container metadata through /var/run/docker.sock (read-only mount, but the socket is the full Docker API: root-equivalent on the engine host), and keeps its registry on the host so a restart resumes";
  return {
    name: LOGGING_WORKLOADS.filebeat,
    component: "logging",
    kind: "per-node",
    namespace: "privileged",
    replicas: 1,
    // The pod default is unprivileged; only the filebeat container runs as root (privileges below).
    user: { uid: 65534, gid: 65534 },
    containers: [
      {
        name: LOGGING_WORKLOADS.filebeat,
        image: i.spec.image,
        tools: "curl",
        args: ["-e", "-c", `${FILEBEAT_HOME}/filebeat.yml`],
        ports: [{ name: "http", port: FILEBEAT_HTTP_PORT }],
        probes: {
          readiness: { kind: "http", path: "/", port: "http", periodSeconds: 15 },
          liveness: { kind: "http", path: "/", port: "http", periodSeconds: 30, failureThreshold: 5 },
        },
        fieldEnv: kube ? { NODE_NAME: "node-name" } : undefined,
        resources: i.spec.resources,
        files: [
          {
            path: `${FILEBEAT_HOME}/filebeat.yml`,
            content: renderFilebeatYml({
              platform: i.platform,
              logstashHosts: i.logstashHosts,
              tls: !!i.tls,
            }),
          },
        ],
        secretFiles,
        hostMounts: mounts.map((m) => m.name),
        scratchDirs: ["/tmp"],
        privileges: {
          reason: kube
            ? "container log files on the node are owned by root with mode 0640, so only root reads them; all capabilities stay dropped"
            : "the engine's container log files and its socket are owned by root; all capabilities stay dropped",
          runAsRoot: true,
        },
      },
    ],
    hostAccess: { reason, container: LOGGING_WORKLOADS.filebeat, mounts },
    clusterRbac: kube
      ? [{ apiGroups: [""], resources: ["pods", "namespaces", "nodes"], verbs: ["get", "list", "watch"] }]
      : undefined,
    ingressFrom: [],
    after: [LOGGING_WORKLOADS.logstash],
  };
}

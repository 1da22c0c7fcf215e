/**
 * Kibana as a Workload (pure). It authenticates to Elasticsearch with the `elastic/kibana` service
 * account token, and every replica shares the same encryption keys (sessions, encrypted saved objects,
 * reporting), which is what lets two replicas serve one user (Elastic, "Use Kibana in a production
 * environment": "the same xpack.security.encryptionKey ... on every instance"). Secrets reach kibana.yml
 * through Kibana's own `${VAR}` substitution from a Secret-backed environment.
 */
import type * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import type { KibanaSpec, PlatformName } from "../../../stacks/spec";
import type { SecretFileSpec, Workload } from "../../platform/workload";
import { ELASTIC_USER, KIBANA_HOME, LOGGING_WORKLOADS, PORTS } from "../names";

export const KIBANA_ENV = {
  token: "KIBANA_ES_SERVICE_TOKEN",
  securityKey: "KIBANA_SECURITY_ENCRYPTION_KEY",
  savedObjectsKey: "KIBANA_SAVED_OBJECTS_ENCRYPTION_KEY",
  reportingKey: "KIBANA_REPORTING_ENCRYPTION_KEY",
} as const;

export interface KibanaSecrets {
  serviceToken: pulumi.Input<string>;
  securityKey: pulumi.Input<string>;
  savedObjectsKey: pulumi.Input<string>;
  reportingKey: pulumi.Input<string>;
}

export interface KibanaInputs {
  spec: KibanaSpec;
  platform: PlatformName;
  esUrl: string;
  caCert?: pulumi.Input<string>;
  secrets: KibanaSecrets;
  /** URL users reach Kibana at (ingress host, or the published port). */
  publicBaseUrl?: string;
  ingressFrom: string[];
  ingressFromNamespaces: string[];
}

const CA_PATH = `${KIBANA_HOME}/config/certs/ca.crt`;

export function renderKibanaYml(i: { esUrl: string; tls: boolean; publicBaseUrl?: string }): string {
  const env = (name: string) => `\${${name}}`;
  return stringify({
    "server.host": "0.0.0.0",
    "server.port": PORTS.kibana,
    "server.name": "kibana",
    ...(i.publicBaseUrl ? { "server.publicBaseUrl": i.publicBaseUrl.replace(/\/$/, "") } : {}),
    "elasticsearch.hosts": [i.esUrl],
    "elasticsearch.serviceAccountToken": env(KIBANA_ENV.token),
    ...(i.tls
      ? {
          "elasticsearch.ssl.certificateAuthorities": [CA_PATH],
          "elasticsearch.ssl.verificationMode": "full",
        }
      : {}),
    "xpack.security.encryptionKey": env(KIBANA_ENV.securityKey),
    "xpack.encryptedSavedObjects.encryptionKey": env(KIBANA_ENV.savedObjectsKey),
    "xpack.reporting.encryptionKey": env(KIBANA_ENV.reportingKey),
    "path.data": `${KIBANA_HOME}/data`,
    "telemetry.optIn": false,
  });
}

export function kibanaWorkload(i: KibanaInputs): Workload {
  const secretFiles: SecretFileSpec[] = i.caCert ? [{ path: CA_PATH, content: i.caCert }] : [];
  const ing = i.spec.ingress;
  return {
    name: LOGGING_WORKLOADS.kibana,
    component: "logging",
    kind: "stateless",
    namespace: "restricted",
    replicas: i.spec.replicas,
    user: ELASTIC_USER,
    containers: [
      {
        name: LOGGING_WORKLOADS.kibana,
        image: i.spec.image,
        tools: "curl",
        args: [],
        secretEnv: {
          [KIBANA_ENV.token]: i.secrets.serviceToken,
          [KIBANA_ENV.securityKey]: i.secrets.securityKey,
          [KIBANA_ENV.savedObjectsKey]: i.secrets.savedObjectsKey,
          [KIBANA_ENV.reportingKey]: i.secrets.reportingKey,
        },
        ports: [
          {
            name: "http",
            port: PORTS.kibana,
            hostPort: i.platform === "docker" ? i.spec.hostPort : undefined,
          },
        ],
        // /login answers 200 without credentials once the server is up (ECK probes the same path).
        probes: {
          readiness: { kind: "http", path: "/login", port: "http", periodSeconds: 10, failureThreshold: 3 },
          liveness: { kind: "http", path: "/login", port: "http", periodSeconds: 20, failureThreshold: 6 },
          startup: { kind: "http", path: "/login", port: "http", periodSeconds: 10, failureThreshold: 30 },
        },
        resources: i.spec.resources,
        files: [
          {
            path: `${KIBANA_HOME}/config/kibana.yml`,
            content: renderKibanaYml({
              esUrl: i.esUrl,
              tls: i.caCert !== undefined,
              publicBaseUrl: i.publicBaseUrl,
            }),
          },
        ],
        secretFiles,
        scratchDirs: [`${KIBANA_HOME}/data`, "/tmp"],
      },
    ],
    ingressFrom: i.ingressFrom,
    ingressFromNamespaces: ing ? i.ingressFromNamespaces : [],
    ingress: ing && {
      host: ing.host,
      port: "http",
      tlsSecretName: ing.tlsSecretName,
      className: ing.className,
      annotations: ing.clusterIssuer ? { "cert-manager.io/cluster-issuer": ing.clusterIssuer } : undefined,
    },
    after: [LOGGING_WORKLOADS.elasticsearch],
  };
}

/**
 * Logging (ELK): Elasticsearch, Logstash, Kibana, Filebeat, the Elasticsearch exporter and the setup
 * job that applies retention, each a pure Workload (the render modules beside this file) deployed by
 * the platform. This component owns the credentials (generated, kept in Secrets only) and, with TLS,
 * the PKI; it hands back what logging brings to monitoring: the exporter's scrape job, its rules and
 * dashboard, and Grafana's Elasticsearch datasource for the log data streams.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { StackSpec } from "../../stacks/spec";
import {
  contribution,
  scrapeTargetOf,
  type Contribution,
  type LogPipelineContribution,
} from "../contribution";
import { DASHBOARD_FOLDERS } from "../grafana/dashboards";
import { CONFIG_LOADER_IMAGE } from "../platform/docker/builders";
import type { Platform, WorkloadRef } from "../platform/platform";
import type { Workload } from "../platform/workload";
import { scrapeConfigs } from "../prometheus/scrape";
import {
  elasticsearchTier,
  elasticsearchWorkload,
  renderServiceTokens,
  renderUsersFile,
  serviceTokenBearer,
} from "./elasticsearch/render";
import { elasticsearchDashboard } from "./exporter/dashboard";
import { exporterMetricRelabels, exporterWorkload } from "./exporter/render";
import { loggingPack } from "./exporter/rules";
import { filebeatWorkload } from "./filebeat/render";
import { kibanaWorkload } from "./kibana/render";
import { logstashWorkload } from "./logstash/render";
import { ES_USERS, LOG_DATA_STREAMS, LOGGING_WORKLOADS, PORTS } from "./names";
import { requestFile, s3RepositoryBody, setupWorkload, slmPolicyBody } from "./setup/render";
import { expectedSnapshotGb, SnapshotBucket } from "./snapshots";
import { createCa, issueCert, type IssuedCert, type Pki } from "./tls";

export interface LoggingArgs {
  /** The resolved stack spec (logging settings, environment, names, platform details). */
  stack: StackSpec;
  /** Platform the workloads run on. */
  platform: Platform;
  /** Log pipelines services contribute: `name` is the service, `config` a Logstash filter body. */
  logPipelines: LogPipelineContribution[];
}

/** Uid and name of the Grafana datasource for the log data streams. */
export const LOGS_DATASOURCE = { uid: "logs", name: "Logs (Elasticsearch)" } as const;

export class Logging extends pulumi.ComponentResource {
  /** Every logging workload, as deployed. */
  readonly workloads: Workload[];
  /** The exporter's scrape job, the logging rules and dashboard, the logs datasource. */
  readonly contribution: Contribution;

  constructor(name: string, args: LoggingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:logging:Logging", name, {}, opts);
    const { stack, platform } = args;
    const spec = stack.logging;
    const kube = platform.name === "kubernetes";
    const W = LOGGING_WORKLOADS;

    const esTier = elasticsearchTier(spec.elasticsearch, platform.name);
    const esRef: WorkloadRef = { name: W.elasticsearch, namespace: esTier };
    const lsRef: WorkloadRef = { name: W.logstash, namespace: "restricted" };
    const kbRef: WorkloadRef = { name: W.kibana, namespace: "restricted" };
    const scheme = spec.tls ? "https" : "http";
    const esUrl = `${scheme}://${platform.serviceAddress(esRef, PORTS.esHttp)}`;
    const kibanaUrl = `http://${platform.serviceAddress(kbRef, PORTS.kibana)}`;

    // ---- credentials: generated, in the state as secrets, in the pods only through Secrets ----
    const password = (who: string, length = 32) =>
      new random.RandomPassword(`${name}-${who}`, { length, special: false }, { parent: this });
    const users = {
      [ES_USERS.elastic]: password("elastic-password"),
      [ES_USERS.logstash]: password("logstash-password"),
      [ES_USERS.monitor]: password("monitoring-password"),
      [ES_USERS.reader]: password("reader-password"),
    };
    const secret = (p: random.RandomPassword) => pulumi.secret(p.result);
    const usersFile = pulumi.secret(
      pulumi
        .all(Object.entries(users).map(([u, p]) => pulumi.all([u, p.bcryptHash])))
        .apply((pairs) => renderUsersFile(Object.fromEntries(pairs))),
    );
    const kibanaToken = password("kibana-token", 40);
    const serviceTokensFile = pulumi.secret(kibanaToken.bcryptHash.apply((h) => renderServiceTokens(h)));

    // ---- PKI (TLS on): one CA for the Elasticsearch layers, the Beats input and Filebeat's client cert ----
    let pki: Pki | undefined;
    let esCert: IssuedCert | undefined;
    let lsCert: IssuedCert | undefined;
    let fbCert: IssuedCert | undefined;
    if (spec.tls) {
      pki = createCa(`${name}-ca`, `${stack.namePrefix} logging CA`, this);
      const names = (ref: WorkloadRef, replicas: number) => {
        if (!kube) return [ref.name, ...Array.from({ length: replicas }, (_, i) => `${ref.name}-${i}`)];
        const ns = platform.namespaceName(ref.namespace);
        return [
          ref.name,
          `${ref.name}.${ns}`,
          `${ref.name}.${ns}.svc`,
          `${ref.name}-headless.${ns}.svc`,
          `*.${ref.name}-headless.${ns}.svc`,
        ];
      };
      esCert = issueCert(
        `${name}-elasticsearch-tls`,
        pki,
        {
          commonName: W.elasticsearch,
          dnsNames: [...names(esRef, spec.elasticsearch.replicas), "localhost"],
          ipAddresses: ["127.0.0.1"],
        },
        this,
      );
      lsCert = issueCert(
        `${name}-logstash-tls`,
        pki,
        { commonName: W.logstash, dnsNames: names(lsRef, spec.logstash.replicas) },
        this,
      );
      fbCert = issueCert(
        `${name}-filebeat-tls`,
        pki,
        { commonName: W.filebeat, dnsNames: [W.filebeat] },
        this,
      );
    }

    // ---- snapshots (prod on Kubernetes with AWS): the bucket and the role Elasticsearch assumes ----
    const clusterName = `${stack.namePrefix}-logs`;
    const snapshots =
      spec.snapshots &&
      new SnapshotBucket(
        `${name}-snapshots`,
        {
          stack,
          serviceAccount: { namespace: platform.namespaceName(esTier), name: W.elasticsearch },
          expectedSizeGb: expectedSnapshotGb(spec, spec.snapshots),
        },
        { parent: this },
      );

    // ---- workloads ----
    const esNodes = Array.from({ length: spec.elasticsearch.replicas }, (_, i) => `${W.elasticsearch}-${i}`);
    const elasticsearch = elasticsearchWorkload({
      spec: spec.elasticsearch,
      platform: platform.name,
      clusterName,
      seedHosts: kube ? platform.replicaAddresses(esRef, spec.elasticsearch.replicas, PORTS.esTransport) : [],
      nodeNames: esNodes,
      certs: pki && esCert && { ca: pki.caCert, cert: esCert.cert, key: esCert.key },
      usersFile,
      serviceTokensFile,
      probePassword: secret(users[ES_USERS.monitor]),
      sysctlImage: CONFIG_LOADER_IMAGE,
      ingressFrom: [W.logstash, W.kibana, W.exporter, W.setup, "grafana"],
      snapshotIdentity: snapshots && { region: snapshots.region, roleArn: snapshots.roleArn },
    });

    const logstash = logstashWorkload({
      spec: spec.logstash,
      platform: platform.name,
      environment: stack.environment,
      esHosts: [esUrl],
      writerPassword: secret(users[ES_USERS.logstash]),
      tls: pki && lsCert && { ca: pki.caCert, cert: lsCert.cert, key: lsCert.key },
      services: args.logPipelines,
      ingressFrom: [W.filebeat],
    });

    const kibanaKey = (which: string) => secret(password(`kibana-${which}-key`, 48));
    const kibanaPublicUrl = spec.kibana.ingress
      ? `https://${spec.kibana.ingress.host}/`
      : kube
        ? undefined
        : `http://${stack.docker.publishAddress}:${spec.kibana.hostPort}/`;
    const kibana = kibanaWorkload({
      spec: spec.kibana,
      platform: platform.name,
      esUrl,
      caCert: pki?.caCert,
      secrets: {
        serviceToken: pulumi.secret(kibanaToken.result.apply(serviceTokenBearer)),
        securityKey: kibanaKey("security"),
        savedObjectsKey: kibanaKey("saved-objects"),
        reportingKey: kibanaKey("reporting"),
      },
      publicBaseUrl: kibanaPublicUrl,
      ingressFrom: [W.setup],
      ingressFromNamespaces: kube ? stack.kubernetes.ingressNamespaces : [],
    });

    const exporter = exporterWorkload({
      image: spec.exporter.image,
      resources: spec.exporter.resources,
      platform: platform.name,
      esUrl,
      password: secret(users[ES_USERS.monitor]),
      caCert: pki?.caCert,
      ingressFrom: ["prometheus"],
    });

    const setup = setupWorkload({
      image: spec.elasticsearch.image,
      retentionDays: spec.retentionDays,
      esReplicas: spec.elasticsearch.replicas,
      esUrl,
      kibanaUrl,
      elasticPassword: secret(users[ES_USERS.elastic]),
      caCert: pki?.caCert,
      after: [W.elasticsearch, W.kibana],
      snapshots: snapshots &&
        spec.snapshots && {
          repository: requestFile(s3RepositoryBody({ bucket: snapshots.bucketName, basePath: clusterName })),
          slmPolicy: requestFile(slmPolicyBody(spec.snapshots, clusterName)),
        },
    });

    const workloads = [elasticsearch, logstash, kibana, exporter, setup];
    if (spec.filebeat.enabled) {
      workloads.push(
        filebeatWorkload({
          spec: spec.filebeat,
          platform: platform.name,
          logstashHosts: platform.replicaAddresses(lsRef, spec.logstash.replicas, PORTS.beats),
          tls: pki && fbCert && { ca: pki.caCert, cert: fbCert.cert, key: fbCert.key },
          instance: stack.namePrefix,
        }),
      );
    }
    for (const w of workloads) platform.deploy(`${name}-${w.name}`, w, this);
    this.workloads = workloads;

    // ---- what logging brings to monitoring ----
    const grafanaEsUrl = stack.grafana.mode === "external" ? (spec.grafanaUrl ?? esUrl) : esUrl;
    const [exporterJob] = scrapeConfigs({
      platform: platform.name,
      instance: stack.namePrefix,
      targets: [scrapeTargetOf(exporter, platform)],
      annotationDiscovery: false,
      extraJobs: [],
    });
    this.contribution = contribution({
      workloads,
      scrapeJobs: [{ ...exporterJob, metric_relabel_configs: exporterMetricRelabels() }],
      rulePacks: [loggingPack({ nodes: spec.elasticsearch.replicas })],
      dashboards: [
        {
          folder: DASHBOARD_FOLDERS.monitoring,
          fileName: "logging-elasticsearch.json",
          json: elasticsearchDashboard(),
        },
      ],
      datasources: [
        {
          name: LOGS_DATASOURCE.name,
          uid: LOGS_DATASOURCE.uid,
          type: "elasticsearch",
          // An external Grafana cannot resolve the stack's internal names.
          url: grafanaEsUrl,
          jsonData: {
            index: LOG_DATA_STREAMS,
            timeField: "@timestamp",
            logMessageField: "message",
            logLevelField: "log.level",
            maxConcurrentShardRequests: 5,
          },
          // The read-only user (roles.yml: read and view_index_metadata on the log data streams).
          basicAuth: { user: ES_USERS.reader, password: secret(users[ES_USERS.reader]) },
          // Our CA only where Grafana reaches Elasticsearch itself: the stack's address is in its
          // certificate. logging.grafanaUrl is an endpoint we do not serve (an ingress or proxy with its
          // own certificate, checked against Grafana's trust store); a TCP pass-through to Elasticsearch
          // would present a certificate naming only the stack's internal names and localhost, so our CA
          // alone would not make it verify either.
          caCert: pki && grafanaEsUrl === esUrl ? pki.caCert : undefined,
        },
      ],
    });
    this.registerOutputs({ elasticsearchUrl: esUrl, kibanaUrl: kibanaPublicUrl ?? kibanaUrl });
  }
}

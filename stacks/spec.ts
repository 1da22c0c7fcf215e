/**
 * The resolved stack spec: plain, fully defaulted data produced once from a stack's config by
 * `resolveStackSpec`. Everything below `stacks/` reads this and never re-checks config.
 */

export type Environment = "dev" | "prod";
export type PlatformName = "docker" | "kubernetes";

/** CPU/memory requests and limits in Kubernetes quantity syntax. */
export interface ResourcesSpec {
  requests: { cpu: string; memory: string };
  limits: { cpu?: string; memory: string };
}

export interface VolumeSizing {
  /** Size of each replica's volume in GiB. */
  sizeGi: number;
  /** Storage class (Kubernetes) - undefined means the cluster default. */
  storageClass?: string;
}

export interface KubernetesSpec {
  /** Namespace for the stack's workloads; host-access workloads go to `${namespace}-node`. */
  namespace: string;
  /** kubeconfig file path or contents; undefined uses the ambient KUBECONFIG. */
  kubeconfig?: string;
  /** kubeconfig context; undefined uses the current context. */
  context?: string;
  /** Default storage class for volumes that name none. */
  storageClass?: string;
  /** Namespaces (by name) whose pods may reach Grafana, e.g. the ingress controller's. */
  ingressNamespaces: string[];
}

export interface DockerSpec {
  /** Docker engine address; undefined uses DOCKER_HOST or the local socket. */
  host?: string;
  /** Host address published ports bind to. 127.0.0.1 keeps them off the network. */
  publishAddress: string;
}

export interface PrometheusSpec {
  image: string;
  replicas: number;
  scrapeInterval: string;
  evaluationInterval: string;
  retentionTime: string;
  /** Prometheus --storage.tsdb.retention.size value, e.g. "43520MB" (Prometheus reads MB/GB as base 2). */
  retentionSize: string;
  volume: VolumeSizing;
  /** How the volume size was obtained, for the plan summary and docs. */
  volumeSizing: { source: "given" | "computed"; explanation: string };
  resources: ResourcesSpec;
  /** Extra static scrape jobs. */
  extraScrapeJobs: { name: string; targets: string[]; metricsPath: string; scrapeInterval?: string }[];
  /** Scrape Kubernetes pods/services that opt in through prometheus.io/* annotations. */
  kubernetesDiscovery: boolean;
  /** Hours of local data kept before remote write is considered behind in alerts (informational). */
  remoteWrite?: { url: string; sigv4Region?: string };
}

export interface AlertmanagerSpec {
  image: string;
  replicas: number;
  volume: VolumeSizing;
  resources: ResourcesSpec;
  /** The route tree, receivers, inhibit rules and templates (rendered by components/alertmanager). */
  routing: AlertmanagerRouting;
}

/** Notification integrations of one receiver. Credentials are secret config keys, never values. */
export interface ReceiverSpec {
  name: string;
  email: {
    to: string;
    from: string;
    smarthost: string;
    authUsername?: string;
    authPasswordSecret?: string;
    requireTls: boolean;
    sendResolved: boolean;
  }[];
  slack: { apiUrlSecret: string; channel?: string; sendResolved: boolean }[];
  pagerduty: { routingKeySecret: string; sendResolved: boolean }[];
  webhook: { urlSecret: string; sendResolved: boolean; maxAlerts: number }[];
}

export interface RouteSpec {
  receiver: string;
  /** Alertmanager matchers, e.g. `severity="critical"`. */
  matchers: string[];
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  /** Keep matching sibling routes after this one. */
  continue: boolean;
}

export interface InhibitRuleSpec {
  sourceMatchers: string[];
  targetMatchers: string[];
  /** Labels that must be equal for the source to silence the target. */
  equal: string[];
}

export interface AlertmanagerRouting {
  /** Root route settings. */
  groupBy: string[];
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
  resolveTimeout: string;
  defaultReceiver: string;
  /** Child routes in order: Watchdog first, then user routes, then one per severity receiver. */
  routes: RouteSpec[];
  receivers: ReceiverSpec[];
  inhibitRules: InhibitRuleSpec[];
  /** Extra notification template files (name -> Go template text) beside the built-in one. */
  templates: Record<string, string>;
}

export interface NodeExporterSpec {
  enabled: boolean;
  image: string;
  resources: ResourcesSpec;
  /** Regex of mount points node-exporter ignores. */
  mountPointsExclude: string;
  /** Regex of filesystem types node-exporter ignores. */
  fsTypesExclude: string;
}

export interface CadvisorSpec {
  enabled: boolean;
  /** "container": run cAdvisor; "kubelet": scrape the kubelet's built-in cAdvisor (Kubernetes only). */
  source: "container" | "kubelet";
  image: string;
  resources: ResourcesSpec;
}

export interface RulesSpec {
  runbookBaseUrl: string;
}

export type GrafanaDatabase =
  | { type: "sqlite" }
  | {
      type: "postgres";
      host: string;
      port: number;
      name: string;
      user: string;
      passwordSecret: string;
      sslMode: "disable" | "require" | "verify-ca" | "verify-full";
    }
  | {
      type: "rds";
      vpcId: string;
      subnetIds: string[];
      allowedSecurityGroupIds: string[];
      allowedCidrs: string[];
      instanceClass: string;
      allocatedStorageGi: number;
      engineVersion: string;
      backupRetentionDays: number;
      multiAz: boolean;
      deletionProtection: boolean;
    };

export interface GrafanaOAuthSpec {
  provider: "generic" | "github" | "google";
  clientId: string;
  clientSecretSecret: string;
  authUrl?: string;
  tokenUrl?: string;
  apiUrl?: string;
  scopes?: string;
  allowedDomains: string[];
  allowedOrganizations: string[];
  roleAttributePath?: string;
  autoLogin: boolean;
}

export interface GrafanaSpec {
  /** self-hosted: deploy Grafana; external: provision an existing Grafana through its API; disabled. */
  mode: "self-hosted" | "external" | "disabled";
  image: string;
  replicas: number;
  resources: ResourcesSpec;
  volume: VolumeSizing;
  adminUser: string;
  /** Secret config key of the admin password, or undefined to generate one. */
  adminPasswordSecret?: string;
  secretKeySecret?: string;
  database: GrafanaDatabase;
  oauth?: GrafanaOAuthSpec;
  ldapConfigSecret?: string;
  ingress?: { host: string; tlsSecretName: string; className?: string; clusterIssuer?: string };
  hostPort: number;
  /** Datasources and dashboards are read-only in the UI (prod). */
  readOnlyProvisioning: boolean;
  external?: { url: string; authSecret: string; prometheusUrl: string; alertmanagerUrl?: string };
}

export interface StackSpec {
  /** Pulumi stack name. */
  stack: string;
  /** Environment profile whose defaults were applied. */
  environment: Environment;
  /** Short-lived review stack: nothing protected, everything destroyable. */
  ephemeral: boolean;
  platform: PlatformName;
  /** Cluster name used as the `cluster` external label. */
  cluster: string;
  /** Prefix for physical names shared on one engine or cluster, e.g. "monitoring-dev". */
  namePrefix: string;
  /** Tags/labels every resource carries (cost allocation). */
  tags: Record<string, string>;
  kubernetes: KubernetesSpec;
  docker: DockerSpec;
  prometheus: PrometheusSpec;
  alertmanager: AlertmanagerSpec;
  nodeExporter: NodeExporterSpec;
  cadvisor: CadvisorSpec;
  rules: RulesSpec;
  grafana: GrafanaSpec;
  /** AWS, when the stack has `aws:region`: Grafana gets a CloudWatch datasource (IAM role credentials). */
  aws?: { region: string };
}

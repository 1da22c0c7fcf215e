/**
 * The resolved stack spec: plain, fully defaulted data produced once from a stack's config by
 * `resolveStackSpec`. Everything below `stacks/` reads this and never re-checks config. Each section's
 * spec type lives with its section (stacks/sections/); this module gathers them.
 */
import type { SectionSpecs } from "./sections";
import type { Environment, PlatformName } from "./sections/section";

export type { ResourcesSpec, VolumeSizing } from "./fields";
export type { AlertmanagerSpec } from "./sections/alertmanager";
export type { CadvisorSpec, NodeExporterSpec } from "./sections/exporters";
export type { GrafanaDatabase, GrafanaOAuthSpec, GrafanaSpec } from "./sections/grafana";
export type {
  ElasticsearchSpec,
  FilebeatSpec,
  KibanaSpec,
  LoggingSpec,
  SnapshotsSpec,
  LogstashSpec,
} from "./sections/logging";
export type { KubeStateMetricsSpec } from "./sections/kube-state-metrics";
export type { DockerSpec, KubernetesSpec } from "./sections/platform";
export type { AwsSpec, ExtraAlarmSpec, LoadBalancerSpec } from "./sections/aws";
export type { PrometheusSpec, RemoteWriteQueue } from "./sections/prometheus";
export type {
  AlertOverrideSpec,
  CustomRuleGroupSpec,
  CustomScrapeJobSpec,
  PackSpec,
  PacksSpec,
  PostgresExporterSpec,
  RedisExporterSpec,
  SliSpec,
  SloSpec,
  TargetSpec,
} from "./sections/packs";
export type { AlertmanagerRouting, InhibitRuleSpec, ReceiverSpec, RouteSpec } from "./sections/routing";
export type { RulesSpec } from "./sections/rules";
export type { Environment, PlatformName } from "./sections/section";

export interface StackSpec extends SectionSpecs {
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
}

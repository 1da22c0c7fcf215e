/**
 * What the stack runs in AWS beside its workloads (only when `monitoring:aws` is on): alarm routing
 * through an SNS topic encrypted with a customer-managed key that CloudWatch may use, CloudWatch alarms
 * (Grafana's RDS database, the EKS nodes, load balancers, the AMP workspace, the topic's own deliveries,
 * extra alarms from config) with one composite "monitoring stack degraded" alarm, KMS-encrypted log
 * groups with retention, a CloudWatch dashboard, the Amazon Managed Service for Prometheus workspace,
 * and IAM roles for the pods (IRSA: each role trusts exactly one service account).
 *
 * IRSA rather than EKS Pod Identity: the trust policy itself names the service account (the OIDC `sub`
 * condition), so the scoping is in the role and checkable in the plan; it needs no Pod Identity Agent
 * add-on; and the SDKs in Prometheus (sigv4) and Grafana have read web-identity credentials for years.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AMP_RETENTION_TAG, AMP_SAMPLES_TAG, LOG_VOLUME_TAG } from "../../lib/cost-tags";
import type { LogGroupKind } from "../../stacks/sections/aws";
import type { AwsSpec, StackSpec } from "../../stacks/spec";
import { secretConfig } from "../../stacks";
import { JOBS } from "../../lib/jobs";
import { contribution, type Contribution } from "../contribution";
import { PROMETHEUS_NAME } from "../prometheus";
import {
  alarmDescription,
  ampAlarms,
  compositeRule,
  containerInsightsAlarms,
  extraAlarms,
  loadBalancerAlarms,
  rdsAlarms,
  snsAlarms,
  type AlarmDefinition,
} from "./alarms";
import { dashboardBody } from "./dashboard";
export { irsaAnnotations } from "./irsa";
import { accountRef, irsaRole, policyJson } from "./identity";
import {
  alarmTopicKeyPolicy,
  alarmTopicPolicy,
  ampQueryPolicy,
  ampRemoteWritePolicy,
  grafanaCloudWatchPolicy,
  logsKeyPolicy,
  type AccountRef,
  type PolicyDocument,
} from "./documents";

export interface AwsMonitoringArgs {
  /** The resolved stack spec; its `aws` section must be on. */
  stack: StackSpec;
}

/** Namespace and service account of the CloudWatch agent the amazon-cloudwatch-observability add-on installs. */
const CLOUDWATCH_AGENT_SA = { namespace: "amazon-cloudwatch", name: "cloudwatch-agent" };
/** AWS managed policy the add-on's agent needs (Amazon CloudWatch User Guide, "Install the CloudWatch agent with the Amazon CloudWatch Observability EKS add-on"). */
const CLOUDWATCH_AGENT_POLICY = "CloudWatchAgentServerPolicy";

const GROUPS: [string, string][] = [
  ["sns-", "Alarm delivery (SNS)"],
  ["amp-", "Amazon Managed Service for Prometheus"],
  ["rds-", "Grafana database (RDS)"],
  ["eks-", "EKS nodes (Container Insights)"],
  ["lb-", "Load balancers"],
];

export class AwsMonitoring extends pulumi.ComponentResource {
  readonly contribution: Contribution;
  /** The alarm topic every alarm notifies. */
  readonly topicArn: pulumi.Output<string>;
  /** Alarm names, in creation order (the composite alarm last). */
  readonly alarmNames: string[];
  /** Grafana: its pod role (when the cluster's OIDC provider is configured) and the AMP query endpoint. */
  readonly grafana: {
    region: string;
    roleArn?: pulumi.Output<string>;
    amp?: { queryUrl: pulumi.Output<string> };
  };
  /** Prometheus: remote write to the workspace with its own role (when AMP is on). */
  readonly prometheus?: {
    region: string;
    roleArn: pulumi.Output<string>;
    remoteWriteUrl: pulumi.Output<string>;
  };
  /** The RDS instance must depend on these: RDS creates a missing export group itself, without retention or key. */
  readonly rdsLogGroups: aws.cloudwatch.LogGroup[];

  constructor(name: string, args: AwsMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:aws:AwsMonitoring", name, {}, opts);
    const stack = args.stack;
    if (!stack.aws) throw new Error("AwsMonitoring needs monitoring:aws on");
    const spec: AwsSpec = stack.aws;
    const prefix = stack.namePrefix;
    const tags = stack.tags;
    const keep = stack.environment === "prod" && !stack.ephemeral;
    const child = { parent: this };

    const account = accountRef(spec.region, child);
    const json = (build: (a: AccountRef) => PolicyDocument) => policyJson(account, build);

    // ---- log groups, encrypted with a key only CloudWatch Logs may use, and only for them ----------
    const logGroups: { kind: LogGroupKind; name: string; retentionDays: number }[] = [];
    const retention = spec.logs.retentionDays;
    if (spec.rds)
      for (const type of spec.rds.logExports)
        logGroups.push({
          kind: "rds",
          name: `/aws/rds/instance/${spec.rds.identifier}/${type}`,
          retentionDays: retention,
        });
    const ciManaged = spec.eks?.containerInsights === "managed";
    if (ciManaged && spec.eks)
      for (const kind of ["application", "dataplane", "host", "performance"] as const)
        logGroups.push({
          kind,
          name: `/aws/containerinsights/${spec.eks.clusterName}/${kind}`,
          retentionDays: kind === "performance" ? spec.logs.performanceRetentionDays : retention,
        });
    // Vended logs go under /aws/vendedlogs/ so CloudWatch Logs' resource policy for log delivery stays small.
    if (spec.amp)
      logGroups.push({ kind: "amp", name: `/aws/vendedlogs/prometheus/${prefix}`, retentionDays: retention });

    const logGroupByKind = new Map<LogGroupKind, aws.cloudwatch.LogGroup[]>();
    if (logGroups.length > 0) {
      const logsKey = new aws.kms.Key(
        `${name}-logs-key`,
        {
          description: `Encrypts the log groups of ${prefix}`,
          enableKeyRotation: true,
          deletionWindowInDays: stack.ephemeral ? 7 : 30,
          policy: json((a) =>
            logsKeyPolicy(
              a,
              logGroups.map((g) => g.name),
            ),
          ),
          tags,
        },
        { ...child, protect: keep },
      );
      new aws.kms.Alias(
        `${name}-logs-key-alias`,
        { name: `alias/${prefix}-logs`, targetKeyId: logsKey.keyId },
        child,
      );
      logGroups.forEach((g, i) => {
        const declared = spec.logs.expectedIngestGbPerMonth[g.kind];
        const group = new aws.cloudwatch.LogGroup(
          `${name}-${g.kind}-logs${g.kind === "rds" ? `-${i}` : ""}`,
          {
            name: g.name,
            retentionInDays: g.retentionDays,
            kmsKeyId: logsKey.arn,
            tags: { ...tags, ...(declared !== undefined ? { [LOG_VOLUME_TAG]: String(declared) } : {}) },
          },
          { ...child, protect: keep },
        );
        logGroupByKind.set(g.kind, [...(logGroupByKind.get(g.kind) ?? []), group]);
      });
    }
    this.rdsLogGroups = logGroupByKind.get("rds") ?? [];

    // ---- alarm routing ----------------------------------------------------------------------------
    const alarmsKey = new aws.kms.Key(
      `${name}-alarms-key`,
      {
        description: `Encrypts the alarm topic of ${prefix}; CloudWatch alarms may use it to publish`,
        enableKeyRotation: true,
        deletionWindowInDays: stack.ephemeral ? 7 : 30,
        policy: json(alarmTopicKeyPolicy),
        tags,
      },
      child,
    );
    new aws.kms.Alias(
      `${name}-alarms-key-alias`,
      { name: `alias/${prefix}-alarms`, targetKeyId: alarmsKey.keyId },
      child,
    );
    const topicName = `${prefix}-alarms`;
    const topic = new aws.sns.Topic(
      `${name}-alarms-topic`,
      { name: topicName, displayName: `${prefix} alarms`, kmsMasterKeyId: alarmsKey.arn, tags },
      child,
    );
    this.topicArn = topic.arn;
    new aws.sns.TopicPolicy(
      `${name}-alarms-topic-policy`,
      {
        arn: topic.arn,
        policy: pulumi
          .all([account, topic.arn])
          .apply(([a, arn]) => JSON.stringify(alarmTopicPolicy(a, arn))),
      },
      child,
    );
    spec.notifications.emails.forEach((address, i) => {
      // Each address gets a confirmation mail; until confirmed the subscription stays pending (and
      // expires after three days), and a pending subscription cannot be deleted through the API.
      new aws.sns.TopicSubscription(
        `${name}-alarms-email-${i}`,
        { topic: topic.arn, protocol: "email", endpoint: address },
        child,
      );
    });
    spec.notifications.httpsEndpointSecrets.forEach((key, i) => {
      // The endpoint URL usually embeds an integration key: it stays a secret in state.
      new aws.sns.TopicSubscription(
        `${name}-alarms-https-${i}`,
        {
          topic: topic.arn,
          protocol: "https",
          endpoint: secretConfig(key),
          // Incident-management endpoints (PagerDuty, Opsgenie) confirm by themselves; a deploy fails
          // loudly if the endpoint does not, instead of leaving a subscription that never delivers.
          endpointAutoConfirms: true,
          confirmationTimeoutInMinutes: 5,
        },
        child,
      );
    });

    // ---- Amazon Managed Service for Prometheus --------------------------------------------------------
    let workspace: aws.amp.Workspace | undefined;
    if (spec.amp) {
      const ampLogs = logGroupByKind.get("amp")![0];
      workspace = new aws.amp.Workspace(
        `${name}-amp`,
        {
          alias: prefix,
          loggingConfiguration: { logGroupArn: pulumi.interpolate`${ampLogs.arn}:*` },
          tags: {
            ...tags,
            [AMP_SAMPLES_TAG]: String(Math.round(spec.amp.samplesPerSecond)),
            [AMP_RETENTION_TAG]: String(spec.amp.retentionDays),
          },
        },
        { ...child, protect: keep },
      );
      new aws.amp.WorkspaceConfiguration(
        `${name}-amp-configuration`,
        { workspaceId: workspace.id, retentionPeriodInDays: spec.amp.retentionDays },
        child,
      );
    }

    // ---- IAM roles for the pods (IRSA) ----------------------------------------------------------------
    const eks = spec.eks;
    const podRole = (
      suffix: string,
      serviceAccount: { namespace: string; name: string },
      description: string,
    ) =>
      irsaRole(
        `${name}-${suffix}-role`,
        {
          roleName: `${prefix}-${suffix}`,
          description,
          oidcProviderArn: eks!.oidcProviderArn!,
          oidcIssuer: eks!.oidcIssuer!,
          serviceAccount,
          tags,
        },
        child,
      );
    let grafanaRoleArn: pulumi.Output<string> | undefined;
    if (eks?.oidcProviderArn && stack.grafana.mode === "self-hosted") {
      const role = podRole(
        "grafana",
        { namespace: spec.namespace, name: JOBS.grafana },
        "Grafana's CloudWatch (and AMP) datasources, read-only",
      );
      new aws.iam.RolePolicy(
        `${name}-grafana-cloudwatch-policy`,
        { name: "cloudwatch-read", role: role.id, policy: json(grafanaCloudWatchPolicy) },
        child,
      );
      if (workspace)
        new aws.iam.RolePolicy(
          `${name}-grafana-amp-policy`,
          {
            name: "amp-query",
            role: role.id,
            policy: workspace.arn.apply((arn) => JSON.stringify(ampQueryPolicy(arn))),
          },
          child,
        );
      grafanaRoleArn = role.arn;
    }
    if (workspace && eks?.oidcProviderArn) {
      const role = podRole(
        "prometheus",
        { namespace: spec.namespace, name: PROMETHEUS_NAME },
        "Prometheus remote write to the stack's AMP workspace",
      );
      new aws.iam.RolePolicy(
        `${name}-prometheus-amp-policy`,
        {
          name: "amp-remote-write",
          role: role.id,
          policy: workspace.arn.apply((arn) => JSON.stringify(ampRemoteWritePolicy(arn))),
        },
        child,
      );
      this.prometheus = {
        region: spec.region,
        roleArn: role.arn,
        // The workspace endpoint ends with "/": https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/
        remoteWriteUrl: pulumi.interpolate`${workspace.prometheusEndpoint}api/v1/remote_write`,
      };
    }
    this.grafana = {
      region: spec.region,
      roleArn: grafanaRoleArn,
      amp: workspace && { queryUrl: workspace.prometheusEndpoint },
    };

    if (ciManaged && eks) {
      const role = podRole(
        "cloudwatch-agent",
        CLOUDWATCH_AGENT_SA,
        "CloudWatch agent and Fluent Bit of the Container Insights add-on",
      );
      const attachment = new aws.iam.RolePolicyAttachment(
        `${name}-cloudwatch-agent-policy`,
        {
          role: role.name,
          policyArn: account.apply((a) => `arn:${a.partition}:iam::aws:policy/${CLOUDWATCH_AGENT_POLICY}`),
        },
        child,
      );
      // The agent creates missing log groups without retention or key: ours must exist first.
      const ciLogGroups = (["application", "dataplane", "host", "performance"] as const).flatMap(
        (k) => logGroupByKind.get(k) ?? [],
      );
      new aws.eks.Addon(
        `${name}-container-insights`,
        {
          clusterName: eks.clusterName,
          addonName: "amazon-cloudwatch-observability",
          addonVersion: eks.addonVersion,
          serviceAccountRoleArn: role.arn,
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "PRESERVE",
          tags,
        },
        { ...child, dependsOn: [attachment, ...ciLogGroups] },
      );
    }

    // ---- alarms, the composite, the dashboard -----------------------------------------------------------
    const definitions: AlarmDefinition[] = [
      ...snsAlarms(topicName),
      ...(workspace ? ampAlarms(workspace.id) : []),
      ...(spec.rds ? rdsAlarms(spec.rds) : []),
      ...(eks && eks.containerInsights !== "off" ? containerInsightsAlarms(eks.clusterName) : []),
      ...spec.loadBalancers.flatMap(loadBalancerAlarms),
      ...extraAlarms(spec.alarms.extra),
    ];
    const actions = [topic.arn];
    const alarms = definitions.map((d) => {
      const alarmName = `${prefix}-${d.key}`;
      const alarm = new aws.cloudwatch.MetricAlarm(
        `${name}-${d.key}`,
        {
          name: alarmName,
          alarmDescription: alarmDescription(d, spec.runbookBaseUrl),
          comparisonOperator: d.comparison,
          threshold: d.threshold,
          thresholdMetricId: d.thresholdMetricId,
          evaluationPeriods: d.evaluationPeriods,
          datapointsToAlarm: d.datapointsToAlarm,
          treatMissingData: d.treatMissingData,
          ...(d.metric
            ? {
                namespace: d.metric.namespace,
                metricName: d.metric.metricName,
                dimensions: d.metric.dimensions,
                period: d.period,
                statistic: d.metric.statistic,
                extendedStatistic: d.metric.extendedStatistic,
              }
            : {
                metricQueries: (d.queries ?? []).map((q) => ({
                  id: q.id,
                  returnData: q.returnData,
                  label: q.label,
                  expression: q.expression,
                  metric: q.metric && {
                    namespace: q.metric.namespace,
                    metricName: q.metric.metricName,
                    dimensions: q.metric.dimensions,
                    stat: q.metric.stat,
                    period: q.metric.period,
                  },
                })),
              }),
          actionsEnabled: true,
          alarmActions: actions,
          okActions: actions,
          tags,
        },
        { ...child, dependsOn: [topic] },
      );
      return { definition: d, alarmName, alarm };
    });
    const critical = alarms.filter((a) => a.definition.critical);
    const compositeName = `${prefix}-monitoring-stack-degraded`;
    const composite = new aws.cloudwatch.CompositeAlarm(
      `${name}-monitoring-stack-degraded`,
      {
        alarmName: compositeName,
        alarmDescription:
          `The monitoring stack ${prefix} is degraded: ${critical.map((c) => c.definition.key).join(", ")} (any one in ALARM). ` +
          `Open the ${prefix}-monitoring dashboard, then the runbook of the alarm that fired. Runbook: ${spec.runbookBaseUrl}/monitoring-stack-degraded`,
        alarmRule: compositeRule(critical.map((c) => c.alarmName)),
        actionsEnabled: true,
        alarmActions: actions,
        okActions: actions,
        tags,
      },
      // The rule names alarms CloudWatch must already know.
      { ...child, dependsOn: critical.map((c) => c.alarm) },
    );
    this.alarmNames = [...alarms.map((a) => a.alarmName), compositeName];

    if (spec.dashboard) {
      const groupOf = (key: string) => GROUPS.find(([p]) => key.startsWith(p))?.[1] ?? "Extra alarms";
      new aws.cloudwatch.Dashboard(
        `${name}-dashboard`,
        {
          dashboardName: `${prefix}-monitoring`,
          dashboardBody: pulumi
            .all([composite.arn, ...alarms.map((a) => a.alarm.arn)])
            .apply(([compositeArn, ...arns]) =>
              dashboardBody({
                region: spec.region,
                title: `${prefix}: monitoring stack`,
                composite: compositeArn,
                alarms: alarms.map((a, i) => ({
                  arn: arns[i],
                  title: a.definition.key,
                  group: groupOf(a.definition.key),
                })),
              }),
            ),
        },
        child,
      );
    }

    this.contribution = contribution({});
    this.registerOutputs({ topicArn: this.topicArn });
  }
}

/**
 * The CloudWatch alarm catalogue as data (pure: no Pulumi at run time). Each definition follows AWS's
 * "Recommended alarms" page (Amazon CloudWatch User Guide, Best_Practice_Recommended_Alarms_AWS_Services)
 * where it has an entry: its metric, statistic, period, datapoints-to-alarm and, where AWS gives one, its
 * threshold; where AWS says "depends on your situation" the threshold is derived from what the stack
 * knows (the RDS class and storage) and the derivation is in the description. `treatMissingData` is
 * chosen per alarm and its reason kept in `missingDataReason`.
 */
import type { Input } from "@pulumi/pulumi";
import type { AwsSpec, ExtraAlarmSpec, LoadBalancerSpec } from "../../stacks/spec";
import type { ComparisonOperator, TreatMissingData } from "../../stacks/sections/aws";

export type Dimensions = Record<string, Input<string>>;

export interface MetricRef {
  namespace: string;
  metricName: string;
  dimensions: Dimensions;
}

/** One entry of an alarm's metric queries (metric math, anomaly detection). */
export interface AlarmQuery {
  id: string;
  returnData: boolean;
  label?: string;
  expression?: string;
  metric?: MetricRef & { stat: string; period: number };
}

export interface AlarmDefinition {
  /** Unique key; the alarm is named `${namePrefix}-${key}` and its runbook is `${runbookBase}/${key}`. */
  key: string;
  /** What fires and what to look at first (the runbook link is appended). */
  summary: string;
  /** Where the shape comes from ("AWS recommended alarms: Amazon RDS CPUUtilization", ...). */
  source: string;
  /** In the composite "monitoring stack degraded" alarm. */
  critical: boolean;
  /** A single-metric alarm... */
  metric?: MetricRef & { statistic?: string; extendedStatistic?: string };
  /** ...or metric queries (math, anomaly detection band). */
  queries?: AlarmQuery[];
  /** The query holding the anomaly detection band. */
  thresholdMetricId?: string;
  comparison: ComparisonOperator;
  threshold?: number;
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  treatMissingData: TreatMissingData;
  missingDataReason: string;
  /** Overrides `${runbookBase}/${key}` (extra alarms may name their own). */
  runbookUrl?: string;
}

const GIB = 2 ** 30;
const REC = "AWS recommended alarms";

/** RDS publishes every minute while the instance runs; a gap is no evidence of load. */
const RDS_MISSING =
  "missing: RDS publishes this every minute while the instance runs, so a gap is no evidence of the condition; a silent instance shows INSUFFICIENT_DATA on the dashboard (Grafana's own target-down alert pages for an unreachable database)";

/** The Grafana RDS instance (AWS recommended alarms, Amazon RDS section). */
export function rdsAlarms(rds: NonNullable<AwsSpec["rds"]>): AlarmDefinition[] {
  const metric = (metricName: string) => ({
    namespace: "AWS/RDS",
    metricName,
    dimensions: { DBInstanceIdentifier: rds.identifier },
  });
  const memoryFloor = Math.round(rds.memoryGiB * GIB * 0.25);
  const storageFloor = Math.round(rds.allocatedStorageGi * GIB * 0.1);
  const connections = Math.floor(rds.maxConnections * 0.9);
  const common = { period: 60, treatMissingData: "missing" as const, missingDataReason: RDS_MISSING };
  const alarms: AlarmDefinition[] = [
    {
      key: "rds-cpu-high",
      summary: `Grafana database ${rds.identifier}: CPU above 90 % for 5 minutes. Find the queries using it (Performance Insights or pg_stat_statements); if the load is legitimate, move to a larger class.`,
      source: `${REC}: Amazon RDS CPUUtilization (Average > 90, 60 s, 5 of 5)`,
      critical: false,
      metric: { ...metric("CPUUtilization"), statistic: "Average" },
      comparison: "GreaterThanThreshold",
      threshold: 90,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      ...common,
    },
    {
      key: "rds-freeable-memory-low",
      summary: `Grafana database ${rds.identifier}: freeable memory below 25 % of the ${rds.memoryGiB} GiB of ${rds.instanceClass} for 15 minutes; connections will start to be refused. Check SwapUsage and the connection count, then the class.`,
      source: `${REC}: Amazon RDS FreeableMemory (Average < 25 % of memory, 60 s, 15 of 15)`,
      critical: true,
      metric: { ...metric("FreeableMemory"), statistic: "Average" },
      comparison: "LessThanThreshold",
      threshold: memoryFloor,
      evaluationPeriods: 15,
      datapointsToAlarm: 15,
      ...common,
    },
    {
      key: "rds-free-storage-low",
      summary: `Grafana database ${rds.identifier}: free storage below 10 % of the ${rds.allocatedStorageGi} GiB first allocated for 5 minutes. Storage autoscaling grows the volume at this point (free space under 10 % for 5 minutes, at most every 6 hours); an alarm that stays means autoscaling is capped or cooling down: raise maxAllocatedStorage or free space.`,
      source: `${REC}: Amazon RDS FreeStorageSpace (Minimum < 10 % of allocated storage, 60 s, 5 of 5)`,
      critical: true,
      metric: { ...metric("FreeStorageSpace"), statistic: "Minimum" },
      comparison: "LessThanThreshold",
      threshold: storageFloor,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      ...common,
    },
    {
      key: "rds-connections-high",
      summary: `Grafana database ${rds.identifier}: more than ${connections} connections (90 % of max_connections ${rds.maxConnections}, from ${rds.maxConnectionsSource}) for 5 minutes. Look for leaked connections (idle in transaction) and Grafana's [database] max_open_conn per replica.`,
      source: `${REC}: Amazon RDS DatabaseConnections (Average > 90-95 % of max_connections, 60 s, 5 of 5)`,
      critical: true,
      metric: { ...metric("DatabaseConnections"), statistic: "Average" },
      comparison: "GreaterThanThreshold",
      threshold: connections,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      ...common,
    },
    {
      key: "rds-read-latency-high",
      summary: `Grafana database ${rds.identifier}: p90 read latency above 20 ms for 5 minutes. Compare ReadIOPS with the gp3 volume's provisioned IOPS and the EBS balances.`,
      source: `${REC}: Amazon RDS ReadLatency (p90 > 20 ms "likely a cause for investigation", 60 s, 5 of 5)`,
      critical: false,
      metric: { ...metric("ReadLatency"), extendedStatistic: "p90" },
      comparison: "GreaterThanThreshold",
      threshold: 0.02,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      ...common,
    },
    {
      key: "rds-write-latency-high",
      summary: `Grafana database ${rds.identifier}: p90 write latency above 20 ms for 5 minutes. Compare WriteIOPS with the volume's provisioned IOPS and the EBS balances.`,
      source: `${REC}: Amazon RDS WriteLatency (p90 > 20 ms, 60 s, 5 of 5)`,
      critical: false,
      metric: { ...metric("WriteLatency"), extendedStatistic: "p90" },
      comparison: "GreaterThanThreshold",
      threshold: 0.02,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      ...common,
    },
    {
      key: "rds-transaction-ids-high",
      summary: `Grafana database ${rds.identifier}: the oldest unvacuumed transaction is over 1 billion IDs old; PostgreSQL stops accepting writes near 2^31 to avoid wraparound. Find what blocks autovacuum (long transactions, abandoned replication slots).`,
      source: `${REC}: Amazon RDS MaximumUsedTransactionIDs (Average > 1e9, 60 s, 1 of 1)`,
      critical: true,
      metric: { ...metric("MaximumUsedTransactionIDs"), statistic: "Average" },
      comparison: "GreaterThanThreshold",
      threshold: 1e9,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      ...common,
    },
  ];
  if (rds.ebsBurst) {
    for (const [key, metricName, what] of [
      ["rds-ebs-byte-balance-low", "EBSByteBalance%", "throughput"],
      ["rds-ebs-io-balance-low", "EBSIOBalance%", "I/O"],
    ] as const)
      alarms.push({
        key,
        summary: `Grafana database ${rds.identifier}: under 10 % of the instance's EBS ${what} burst credits left for 3 minutes (${rds.instanceClass} bursts its EBS bandwidth); latency rises when they run out. A larger class has a higher baseline.`,
        source: `${REC}: Amazon RDS ${metricName} (Average < 10, 60 s, 3 of 3)`,
        critical: false,
        metric: { ...metric(metricName), statistic: "Average" },
        comparison: "LessThanThreshold",
        threshold: 10,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        ...common,
      });
  }
  return alarms;
}

const CI_MISSING =
  "missing: the CloudWatch agent reports every minute; when it stops the alarm holds its state and then shows INSUFFICIENT_DATA rather than paging on an absence of data";

/** Worker nodes of the EKS cluster through Container Insights (AWS recommended alarms, Amazon EKS with Container Insights). */
export function containerInsightsAlarms(clusterName: string): AlarmDefinition[] {
  const metric = (metricName: string) => ({
    namespace: "ContainerInsights",
    metricName,
    dimensions: { ClusterName: clusterName },
    statistic: "Maximum",
  });
  const common = {
    period: 60,
    evaluationPeriods: 5,
    datapointsToAlarm: 5,
    comparison: "GreaterThanThreshold" as const,
    threshold: 80,
    treatMissingData: "missing" as const,
    missingDataReason: CI_MISSING,
    critical: false,
  };
  return [
    {
      key: "eks-node-cpu-high",
      summary: `EKS cluster ${clusterName}: a worker node above 80 % CPU for 5 minutes (Maximum over nodes). Check the busiest pods on it (kubectl top pods) and whether the node group should scale out or up.`,
      source: `${REC}: Amazon EKS with Container Insights node_cpu_utilization (Maximum > 80, 60 s, 5 of 5)`,
      metric: metric("node_cpu_utilization"),
      ...common,
    },
    {
      key: "eks-node-memory-high",
      summary: `EKS cluster ${clusterName}: a worker node above 80 % memory for 5 minutes. The kubelet evicts pods under memory pressure; check requests against usage on that node.`,
      source: `${REC}: Amazon EKS with Container Insights node_memory_utilization (Maximum > 80, 60 s, 5 of 5)`,
      metric: metric("node_memory_utilization"),
      ...common,
    },
    {
      key: "eks-node-filesystem-high",
      summary: `EKS cluster ${clusterName}: a worker node's filesystem above 80 % for 5 minutes. The kubelet evicts pods once nodefs.available drops under 10 % (its default hard eviction threshold), so there is room to react: prune images, find pods writing to emptyDir, or grow the node volume.`,
      source: `${REC}: Amazon EKS with Container Insights node_filesystem_utilization (Maximum, 60 s, 5 of 5; threshold set before the kubelet's 10 % eviction line)`,
      metric: metric("node_filesystem_utilization"),
      ...common,
    },
    {
      key: "eks-nodes-failed",
      summary: `EKS cluster ${clusterName}: at least one worker node has been failing (NotReady) for 5 minutes; pods on it are not running. Describe the node and check the node group's instance health.`,
      source: "Container Insights cluster_failed_node_count (not in AWS's list; same 60 s, 5 of 5 shape)",
      metric: metric("cluster_failed_node_count"),
      ...common,
      threshold: 0,
    },
  ];
}

/** A load balancer named in config (ALB: 5XX share, p90 target response time; every target group: host health). */
export function loadBalancerAlarms(lb: LoadBalancerSpec): AlarmDefinition[] {
  const lbName = lb.name.split("/")[1];
  const ns = lb.type === "application" ? "AWS/ApplicationELB" : "AWS/NetworkELB";
  const dims = { LoadBalancer: lb.name };
  const alarms: AlarmDefinition[] = [];
  if (lb.type === "application") {
    const m = (id: string, metricName: string, stat: string): AlarmQuery => ({
      id,
      returnData: false,
      metric: { namespace: ns, metricName, dimensions: dims, stat, period: 60 },
    });
    alarms.push(
      {
        key: `lb-${lbName}-5xx-rate`,
        summary: `Load balancer ${lb.name}: more than ${lb.errorRatePercent} % of requests answered with a 5XX (targets' and the load balancer's own) for 5 minutes. Target 5XX: the application's logs; ELB 5XX (502/503/504): no healthy target, or targets closing connections.`,
        source: `${REC}: HTTPCode_Target_5XX_Count (Sum, about 5 % of traffic, 60 s, 5 of 5), as a share of RequestCount so it holds at any traffic level`,
        critical: true,
        queries: [
          m("target5xx", "HTTPCode_Target_5XX_Count", "Sum"),
          m("elb5xx", "HTTPCode_ELB_5XX_Count", "Sum"),
          m("requests", "RequestCount", "Sum"),
          {
            id: "errorRate",
            returnData: true,
            label: "5XX share of requests (%)",
            // The HTTPCode_* counts are only published when non-zero: FILL reads a gap as 0.
            expression: "100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests",
          },
        ],
        comparison: "GreaterThanThreshold",
        threshold: lb.errorRatePercent,
        period: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: "notBreaching",
        missingDataReason:
          "notBreaching: a minute without requests has no RequestCount and so no error rate; no traffic is not an error (host health alarms cover a load balancer with nothing behind it)",
      },
      {
        key: `lb-${lbName}-response-time`,
        summary: `Load balancer ${lb.name}: p90 target response time above ${lb.targetResponseTimeSeconds} s for 5 minutes. Check the targets' CPU and their dependencies.`,
        source: `${REC}: TargetResponseTime (60 s, 5 of 5; threshold "depends on your situation", p90 so a few slow requests do not page)`,
        critical: false,
        metric: {
          namespace: ns,
          metricName: "TargetResponseTime",
          dimensions: dims,
          extendedStatistic: "p90",
        },
        comparison: "GreaterThanThreshold",
        threshold: lb.targetResponseTimeSeconds,
        period: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: "notBreaching",
        missingDataReason:
          "notBreaching: TargetResponseTime is only published for minutes with requests; an idle load balancer is not a slow one",
      },
    );
  }
  for (const tg of lb.targetGroups) {
    const tgName = tg.split("/")[1];
    const tgDims = { LoadBalancer: lb.name, TargetGroup: tg };
    alarms.push(
      {
        key: `lb-${lbName}-${tgName}-unhealthy-hosts`,
        summary: `Load balancer ${lb.name}, target group ${tg}: at least one target failing health checks for 5 minutes. Check the target's health-check reason (describe-target-health).`,
        source:
          "Elastic Load Balancing UnHealthyHostCount (Maximum > 0; 60 s, 5 of 5 as AWS's load-balancer-backed recommendations)",
        critical: false,
        metric: { namespace: ns, metricName: "UnHealthyHostCount", dimensions: tgDims, statistic: "Maximum" },
        comparison: "GreaterThanThreshold",
        threshold: 0,
        period: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: "missing",
        missingDataReason:
          "missing: host counts are published every minute for a target group in use; a gap (group detached) keeps the state and the no-healthy-host alarm covers the outage",
      },
      {
        key: `lb-${lbName}-${tgName}-no-healthy-hosts`,
        summary: `Load balancer ${lb.name}, target group ${tg}: no healthy target for 3 minutes; every request to it fails. Check the workload behind it and its health check.`,
        source: "Elastic Load Balancing HealthyHostCount (Minimum < 1, 60 s, 3 of 3)",
        critical: true,
        metric: { namespace: ns, metricName: "HealthyHostCount", dimensions: tgDims, statistic: "Minimum" },
        comparison: "LessThanThreshold",
        threshold: 1,
        period: 60,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        treatMissingData: "breaching",
        missingDataReason:
          "breaching: a target group with no registered target stops reporting host counts, which is the outage this alarm is for",
      },
    );
  }
  return alarms;
}

/**
 * The dead man's switch outside the cluster: AMP ingesting nothing means no Prometheus replica is
 * writing (both down, credentials broken, network cut). AMP's usage metrics read a missing datapoint as
 * 0 ("Use CloudWatch metrics to monitor Amazon Managed Service for Prometheus resources"), hence breaching.
 */
export function ampAlarms(workspaceId: Input<string>): AlarmDefinition[] {
  return [
    {
      key: "amp-ingestion-stopped",
      summary:
        "Amazon Managed Service for Prometheus: no samples ingested for 10 minutes. Prometheus stopped writing: check both Prometheus pods, prometheus_remote_storage_samples_failed_total and the pods' IAM role (aps:RemoteWrite).",
      source:
        "AMP usage metric AWS/Usage ResourceCount{Resource=IngestionRate} (not in AWS's list: Maximum <= 0 over 2 x 300 s, robust to one- or five-minute publication)",
      critical: true,
      metric: {
        namespace: "AWS/Usage",
        metricName: "ResourceCount",
        dimensions: {
          Service: "Prometheus",
          Type: "Resource",
          Resource: "IngestionRate",
          Class: "None",
          ResourceId: workspaceId,
        },
        statistic: "Maximum",
      },
      comparison: "LessThanOrEqualToThreshold",
      threshold: 0,
      period: 300,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: "breaching",
      missingDataReason:
        "breaching: AMP publishes no IngestionRate datapoint when nothing is ingested (its docs: a missing metric is the same as 0), and silence is exactly what this alarm watches for",
    },
  ];
}

/** Failed deliveries of the alarm topic itself (AWS recommended alarms, Amazon SNS NumberOfNotificationsFailed). */
export function snsAlarms(topicName: Input<string>): AlarmDefinition[] {
  return [
    {
      key: "sns-notifications-failed",
      summary:
        "The alarm topic failed to deliver a notification: an HTTPS endpoint refused or timed out after SNS's retries. Alarms may not be reaching anyone; check the subscriptions' delivery status and the endpoint.",
      source: `${REC}: Amazon SNS NumberOfNotificationsFailed (Sum, 60 s, 5 periods; threshold 0 and 1 of 5 datapoints here because this topic only carries alarm notifications, which come in bursts, so five failing minutes in a row would never occur)`,
      critical: true,
      metric: {
        namespace: "AWS/SNS",
        metricName: "NumberOfNotificationsFailed",
        dimensions: { TopicName: topicName },
        statistic: "Sum",
      },
      comparison: "GreaterThanThreshold",
      threshold: 0,
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 1,
      treatMissingData: "notBreaching",
      missingDataReason:
        "notBreaching: SNS publishes delivery metrics only for minutes with deliveries; a quiet topic has not failed",
    },
  ];
}

/** Extra alarms from config: a metric against a threshold, metric math, or an anomaly detection band. */
export function extraAlarms(extra: ExtraAlarmSpec[]): AlarmDefinition[] {
  return extra.map((x): AlarmDefinition => {
    const base = {
      key: x.name,
      summary: x.description,
      source: "monitoring:aws.alarms.extra",
      critical: x.critical,
      comparison: x.comparison,
      period: x.period,
      evaluationPeriods: x.evaluationPeriods,
      datapointsToAlarm: x.datapointsToAlarm,
      treatMissingData: x.treatMissingData,
      missingDataReason: `${x.treatMissingData}: set in monitoring:aws.alarms.extra`,
      runbookUrl: x.runbookUrl,
    };
    const ref = (i: number) => ({
      namespace: x.metrics[i].namespace,
      metricName: x.metrics[i].metricName,
      dimensions: x.metrics[i].dimensions,
    });
    if (x.kind === "metric") {
      const stat = x.metrics[0].stat;
      const percentile = /^p/.test(stat);
      return {
        ...base,
        metric: { ...ref(0), ...(percentile ? { extendedStatistic: stat } : { statistic: stat }) },
        threshold: x.threshold,
      };
    }
    const metricQueries = x.metrics.map((m, i): AlarmQuery => ({
      id: m.id,
      returnData: x.kind === "anomaly",
      metric: { ...ref(i), stat: m.stat, period: x.period },
    }));
    if (x.kind === "anomaly")
      return {
        ...base,
        queries: [
          ...metricQueries,
          {
            id: "band",
            returnData: true,
            label: `expected band (${x.bandWidth} standard deviations)`,
            expression: `ANOMALY_DETECTION_BAND(${x.metrics[0].id}, ${x.bandWidth})`,
          },
        ],
        thresholdMetricId: "band",
      };
    return {
      ...base,
      queries: [...metricQueries, { id: "expr", returnData: true, label: x.name, expression: x.expression }],
      threshold: x.threshold,
    };
  });
}

/** The composite rule over the critical alarms' names: any of them in ALARM degrades the stack. */
export function compositeRule(alarmNames: string[]): string {
  if (alarmNames.length === 0) throw new Error("a composite alarm needs at least one alarm");
  return alarmNames.map((n) => `ALARM("${n}")`).join(" OR ");
}

/** Alarm description: the summary, where the shape comes from, the missing-data choice and the runbook. */
export function alarmDescription(a: AlarmDefinition, runbookBaseUrl: string): string {
  const runbook = a.runbookUrl ?? `${runbookBaseUrl}/${a.key}`;
  const text = `${a.summary} Source: ${a.source}. Missing data: ${a.missingDataReason}. Runbook: ${runbook}`;
  // PutMetricAlarm caps AlarmDescription at 1024 characters; the runbook link must survive.
  if (text.length <= 1024) return text;
  const tail = ` Runbook: ${runbook}`;
  return `${text.slice(0, 1024 - tail.length - 1)}…${tail}`;
}

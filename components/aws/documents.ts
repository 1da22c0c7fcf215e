/**
 * IAM and KMS policy documents as data (pure). Each grant names the AWS page it follows. Resolved
 * values (account, partition, ARNs) come in as plain strings: the component renders these inside an
 * apply, so the documents are testable without Pulumi.
 */

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow" | "Deny";
  Principal?: { AWS?: string | string[]; Service?: string | string[]; Federated?: string };
  Action: string[];
  /** Absent in trust policies (IAM refuses a Resource there). */
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

export interface AccountRef {
  accountId: string;
  partition: string;
  region: string;
}

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

/**
 * The key policy's first statement, as KMS writes it when a key is created without a policy (AWS KMS
 * Developer Guide, "Default key policy"): the account administers the key through IAM policies. Without
 * it the key can become unmanageable; it grants nothing by itself, IAM policies still have to allow use.
 */
function accountAdministers(a: AccountRef): PolicyStatement {
  return {
    Sid: "EnableIamPoliciesOfTheAccount",
    Effect: "Allow",
    Principal: { AWS: `arn:${a.partition}:iam::${a.accountId}:root` },
    Action: ["kms:*"],
    Resource: "*",
  };
}

/** A key only IAM policies of the account grant use of (the snapshot bucket's key: the role's policy names it). */
export function accountKeyPolicy(a: AccountRef): PolicyDocument {
  return doc(accountAdministers(a));
}

/** Service principal CloudWatch alarms publish to SNS as. */
export const CLOUDWATCH_PRINCIPAL = "cloudwatch.amazonaws.com";

/**
 * Key of the alarm topic. CloudWatch alarms publish to an SSE topic only if the key policy lets
 * cloudwatch.amazonaws.com generate data keys and decrypt; the AWS managed key alias/aws/sns cannot be
 * given that grant, so alarm actions on a topic encrypted with it fail ("CloudWatch Alarms does not have
 * authorization to access the SNS topic encryption key"). Amazon SNS Developer Guide, "Enable
 * compatibility between event sources from AWS services and encrypted topics"; AWS re:Post knowledge
 * center, "cloudwatch-configure-alarm-sns".
 */
export function alarmTopicKeyPolicy(a: AccountRef): PolicyDocument {
  return doc(accountAdministers(a), {
    Sid: "CloudWatchAlarmsPublishToTheEncryptedTopic",
    Effect: "Allow",
    Principal: { Service: CLOUDWATCH_PRINCIPAL },
    Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
    Resource: "*",
  });
}

export function logGroupArn(a: AccountRef, name: string): string {
  return `arn:${a.partition}:logs:${a.region}:${a.accountId}:log-group:${name}`;
}

/**
 * Key of the stack's log groups: CloudWatch Logs in this region may use it only for these log groups
 * (encryption context aws:logs:arn). Amazon CloudWatch Logs User Guide, "Encrypt log data in CloudWatch
 * Logs using AWS Key Management Service", step 2.
 */
export function logsKeyPolicy(a: AccountRef, logGroupNames: string[]): PolicyDocument {
  return doc(accountAdministers(a), {
    Sid: "CloudWatchLogsEncryptsTheStacksLogGroups",
    Effect: "Allow",
    Principal: { Service: `logs.${a.region}.amazonaws.com` },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    Resource: "*",
    Condition: {
      ArnLike: { "kms:EncryptionContext:aws:logs:arn": logGroupNames.map((n) => logGroupArn(a, n)) },
    },
  });
}

/**
 * Topic policy: CloudWatch alarms of this account and region may publish, nothing else is granted
 * (same-account principals still need IAM permissions). AWS re:Post knowledge center,
 * "cloudwatch-receive-sns-for-alarm-trigger" (aws:SourceArn / aws:SourceAccount against the confused deputy).
 */
export function alarmTopicPolicy(a: AccountRef, topicArn: string): PolicyDocument {
  return doc({
    Sid: "CloudWatchAlarmsOfThisAccountPublish",
    Effect: "Allow",
    Principal: { Service: CLOUDWATCH_PRINCIPAL },
    Action: ["sns:Publish"],
    Resource: topicArn,
    Condition: {
      StringEquals: { "aws:SourceAccount": a.accountId },
      ArnLike: { "aws:SourceArn": `arn:${a.partition}:cloudwatch:${a.region}:${a.accountId}:alarm:*` },
    },
  });
}

/**
 * Trust of a role for one Kubernetes service account through the cluster's IAM OIDC provider (IRSA):
 * the token's `sub` must be exactly system:serviceaccount:<namespace>:<name> and its audience STS.
 * Amazon EKS User Guide, "Assign IAM roles to Kubernetes service accounts" (the trust policy it writes).
 */
export function irsaTrustPolicy(
  oidcProviderArn: string,
  oidcIssuer: string,
  serviceAccount: { namespace: string; name: string },
): PolicyDocument {
  return doc({
    Sid: "OneServiceAccountOfTheCluster",
    Effect: "Allow",
    Principal: { Federated: oidcProviderArn },
    Action: ["sts:AssumeRoleWithWebIdentity"],
    Condition: {
      StringEquals: {
        [`${oidcIssuer}:sub`]: `system:serviceaccount:${serviceAccount.namespace}:${serviceAccount.name}`,
        [`${oidcIssuer}:aud`]: "sts.amazonaws.com",
      },
    },
  });
}

/**
 * Grafana's CloudWatch datasource, read-only: the actions of the AWS managed policy
 * AmazonGrafanaCloudWatchAccess (metrics, alarms, Logs Insights, EC2/tag lookups for dimension values)
 * without cross-account observability (oam:*), scoped to this account and region where the action has a
 * resource type (Service Authorization Reference for CloudWatch and CloudWatch Logs); the rest take "*"
 * because they have none.
 */
export function grafanaCloudWatchPolicy(a: AccountRef): PolicyDocument {
  const cw = `arn:${a.partition}:cloudwatch:${a.region}:${a.accountId}`;
  return doc(
    {
      Sid: "ReadMetrics",
      Effect: "Allow",
      Action: [
        "cloudwatch:DescribeAlarmsForMetric",
        "cloudwatch:GetMetricData",
        "cloudwatch:GetMetricStatistics",
        "cloudwatch:ListMetrics",
      ],
      Resource: "*",
    },
    {
      Sid: "ReadAlarmsOfThisRegion",
      Effect: "Allow",
      Action: ["cloudwatch:DescribeAlarmHistory", "cloudwatch:DescribeAlarms"],
      Resource: `${cw}:alarm:*`,
    },
    {
      Sid: "ReadContributorInsightsOfThisRegion",
      Effect: "Allow",
      Action: ["cloudwatch:GetInsightRuleReport"],
      Resource: `${cw}:insight-rule/*`,
    },
    {
      Sid: "QueryLogGroupsOfThisRegion",
      Effect: "Allow",
      Action: ["logs:DescribeLogGroups", "logs:GetLogEvents", "logs:GetLogGroupFields", "logs:StartQuery"],
      Resource: `arn:${a.partition}:logs:${a.region}:${a.accountId}:log-group:*`,
    },
    {
      Sid: "FollowLogsInsightsQueries",
      Effect: "Allow",
      Action: ["logs:GetQueryResults", "logs:StopQuery"],
      Resource: "*",
    },
    {
      Sid: "ResolveDimensionValues",
      Effect: "Allow",
      Action: ["ec2:DescribeInstances", "ec2:DescribeRegions", "ec2:DescribeTags", "tag:GetResources"],
      Resource: "*",
    },
  );
}

/** Grafana's AMP datasource: query one workspace (Amazon Managed Service for Prometheus User Guide, "IAM permissions": AmazonPrometheusQueryAccess actions). */
export function ampQueryPolicy(workspaceArn: string): PolicyDocument {
  return doc({
    Sid: "QueryTheStacksWorkspace",
    Effect: "Allow",
    Action: ["aps:GetLabels", "aps:GetMetricMetadata", "aps:GetSeries", "aps:QueryMetrics"],
    Resource: workspaceArn,
  });
}

/** Prometheus: remote write to one workspace, nothing else (AmazonPrometheusRemoteWriteAccess is aps:RemoteWrite on "*"). */
export function ampRemoteWritePolicy(workspaceArn: string): PolicyDocument {
  return doc({
    Sid: "RemoteWriteToTheStacksWorkspace",
    Effect: "Allow",
    Action: ["aps:RemoteWrite"],
    Resource: workspaceArn,
  });
}

/**
 * Bucket policy of the snapshot bucket: every request without TLS is refused, whoever sends it (Amazon S3
 * User Guide, "Security best practices for Amazon S3": enforce encryption in transit with aws:SecureTransport).
 */
export function tlsOnlyBucketPolicy(bucketArn: string): PolicyDocument {
  return doc({
    Sid: "DenyRequestsWithoutTls",
    Effect: "Deny",
    Principal: { AWS: "*" },
    Action: ["s3:*"],
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  });
}

/**
 * Elasticsearch's S3 snapshot repository: the bucket-level and object-level actions Elastic recommends
 * (Elasticsearch reference, "S3 repository" > "Recommended S3 permissions") on this one bucket, and the
 * bucket's KMS key for SSE-KMS objects (GenerateDataKey to write, Decrypt to read and to finish multipart
 * uploads), only through S3 in the stack's region (kms:ViaService).
 */
export function elasticsearchSnapshotPolicy(
  a: AccountRef,
  bucketArn: string,
  keyArn: string,
): PolicyDocument {
  return doc(
    {
      Sid: "ListTheSnapshotBucket",
      Effect: "Allow",
      Action: [
        "s3:GetBucketLocation",
        "s3:ListBucket",
        "s3:ListBucketMultipartUploads",
        "s3:ListBucketVersions",
      ],
      Resource: bucketArn,
    },
    {
      Sid: "ReadAndWriteSnapshots",
      Effect: "Allow",
      Action: [
        "s3:AbortMultipartUpload",
        "s3:DeleteObject",
        "s3:GetObject",
        "s3:ListMultipartUploadParts",
        "s3:PutObject",
      ],
      Resource: `${bucketArn}/*`,
    },
    {
      Sid: "UseTheBucketKeyThroughS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: keyArn,
      Condition: { StringEquals: { "kms:ViaService": `s3.${a.region}.amazonaws.com` } },
    },
  );
}

/**
 * AWS replacement rules: @pulumi/aws 7.x bridges hashicorp/terraform-provider-aws, whose schema marks the
 * attributes that force a new resource (ForceNew, or RequiresReplace plan modifiers in framework
 * resources). Each table names the upstream file and the commit of it that was read; the Pulumi input
 * names are those of @pulumi/aws 7.48 (e.g. aws_cloudwatch_metric_alarm's alarm_name is `name`,
 * aws_sns_topic_subscription's topic_arn is `topic`). Inputs the read version does not have (newer
 * attributes) are reported as unknown, never as safe.
 *
 * Every AWS resource also takes `region` since provider v6 ("enhanced region support"); changing it
 * forces replacement (hashicorp/terraform-provider-aws#43516 discusses the `forces replacement` it
 * plans), so `region` is force-new in every table.
 *
 * Physical names: pulumi-terraform-bridge pkg/tfbridge/provider.go Diff deletes before replacing when
 * an auto-nameable field was set by the program (schema.go nameRequiresDeleteBeforeReplace); for
 * required names nothing does, and the replacement would collide. Either way a set name is fixed.
 */
import { parsePath, type Segment } from "./paths";
import type { FieldTable, RuleInput } from "./rule-types";

const TF = "hashicorp/terraform-provider-aws internal/service/";
const TAGS = ["tags"];

/** aws_vpc_security_group_{ingress,egress}_rule ModifyPlan: switching the rule's source type replaces it. */
function ruleSourceSwitch(input: RuleInput): Segment[][] {
  const sources = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"];
  const source = (r: Record<string, unknown>) => sources.find((s) => r[s] !== undefined && r[s] !== null);
  const before = source(input.old.inputs);
  const after = source(input.new.inputs);
  if (before === after) return [];
  return input.changed.filter((c) => c[0] === before || c[0] === after);
}

/** aws_prometheus_workspace CustomizeDiff: once set, an alias cannot be unset without a new workspace. */
function ampAliasUnset(input: RuleInput): Segment[][] {
  const set = (v: unknown) => typeof v === "string" && v !== "";
  if (set(input.old.inputs.alias) && !set(input.new.inputs.alias)) return [parsePath("alias")];
  return [];
}

const SG_RULE: FieldTable = {
  source: `${TF}ec2/vpc_security_group_ingress_rule.go @00a32209 (egress shares it: vpc_security_group_egress_rule.go @050ac111)`,
  forceNew: ["securityGroupId"],
  updatable: [
    "cidrIpv4",
    "cidrIpv6",
    "description",
    "fromPort",
    "ipProtocol",
    "prefixListId",
    "referencedSecurityGroupId",
    "toPort",
    ...TAGS,
  ],
  conditional: ruleSourceSwitch,
};

const TABLES: Record<string, FieldTable> = {
  "aws:rds/instance:Instance": {
    source: `${TF}rds/instance.go @00e4b238`,
    forceNew: [
      "availabilityZone",
      "characterSetName",
      "customIamInstanceProfile",
      "dbName",
      "engine",
      "identifier",
      "identifierPrefix",
      "kmsKeyId",
      "ncharCharacterSetName",
      "restoreToPointInTime",
      "s3Import",
      "snapshotIdentifier",
      "storageEncrypted",
      "timezone",
      "username",
    ],
    updatable: [
      "allocatedStorage",
      "allowMajorVersionUpgrade",
      "applyImmediately",
      "autoMinorVersionUpgrade",
      "backupRetentionPeriod",
      "backupWindow",
      "caCertIdentifier",
      "copyTagsToSnapshot",
      "customerOwnedIpEnabled",
      "dbSubnetGroupName",
      "deleteAutomatedBackups",
      "deletionProtection",
      "domain",
      "domainIamRoleName",
      "enabledCloudwatchLogsExports",
      "engineVersion",
      "finalSnapshotIdentifier",
      "iamDatabaseAuthenticationEnabled",
      "instanceClass",
      "iops",
      "licenseModel",
      "maintenanceWindow",
      "maxAllocatedStorage",
      "monitoringInterval",
      "monitoringRoleArn",
      "multiAz",
      "networkType",
      "optionGroupName",
      "parameterGroupName",
      "password",
      "performanceInsightsEnabled",
      "performanceInsightsKmsKeyId",
      "performanceInsightsRetentionPeriod",
      "port",
      "publiclyAccessible",
      "replicaMode",
      "replicateSourceDb",
      "skipFinalSnapshot",
      "storageType",
      "vpcSecurityGroupIds",
      ...TAGS,
    ],
    nameFields: ["identifier"],
  },
  "aws:rds/subnetGroup:SubnetGroup": {
    source: `${TF}rds/subnet_group.go @01c08000`,
    forceNew: ["name", "namePrefix"],
    updatable: ["description", "subnetIds", ...TAGS],
    nameFields: ["name"],
  },
  "aws:rds/parameterGroup:ParameterGroup": {
    source: `${TF}rds/parameter_group.go @01606926`,
    forceNew: ["description", "family", "name", "namePrefix"],
    updatable: ["parameters", "skipDestroy", ...TAGS],
    nameFields: ["name"],
  },
  "aws:kms/key:Key": {
    source: `${TF}kms/key.go @00a35305`,
    forceNew: ["customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId"],
    updatable: [
      "bypassPolicyLockoutSafetyCheck",
      "deletionWindowInDays",
      "description",
      "enableKeyRotation",
      "isEnabled",
      "policy",
      "rotationPeriodInDays",
      ...TAGS,
    ],
  },
  "aws:kms/alias:Alias": {
    source: `${TF}kms/alias.go @01c08000`,
    forceNew: ["name", "namePrefix"],
    updatable: ["targetKeyId"],
    nameFields: ["name"],
  },
  "aws:ec2/securityGroup:SecurityGroup": {
    source: `${TF}ec2/vpc_security_group.go @01606926`,
    forceNew: ["description", "name", "namePrefix", "vpcId"],
    updatable: ["egress", "ingress", "revokeRulesOnDelete", ...TAGS],
    nameFields: ["name"],
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": SG_RULE,
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": SG_RULE,
  "aws:sns/topic:Topic": {
    source: `${TF}sns/topic.go @00a35305`,
    forceNew: ["fifoTopic", "name", "namePrefix"],
    updatable: [
      "applicationFailureFeedbackRoleArn",
      "applicationSuccessFeedbackRoleArn",
      "applicationSuccessFeedbackSampleRate",
      "archivePolicy",
      "contentBasedDeduplication",
      "deliveryPolicy",
      "displayName",
      "fifoThroughputScope",
      "firehoseFailureFeedbackRoleArn",
      "firehoseSuccessFeedbackRoleArn",
      "firehoseSuccessFeedbackSampleRate",
      "httpFailureFeedbackRoleArn",
      "httpSuccessFeedbackRoleArn",
      "httpSuccessFeedbackSampleRate",
      "kmsMasterKeyId",
      "lambdaFailureFeedbackRoleArn",
      "lambdaSuccessFeedbackRoleArn",
      "lambdaSuccessFeedbackSampleRate",
      "policy",
      "signatureVersion",
      "sqsFailureFeedbackRoleArn",
      "sqsSuccessFeedbackRoleArn",
      "sqsSuccessFeedbackSampleRate",
      "tracingConfig",
      ...TAGS,
    ],
    nameFields: ["name"],
  },
  "aws:sns/topicSubscription:TopicSubscription": {
    source: `${TF}sns/topic_subscription.go @04a2e6e5`,
    forceNew: ["endpoint", "protocol", "topic"],
    updatable: [
      "confirmationTimeoutInMinutes",
      "deliveryPolicy",
      "endpointAutoConfirms",
      "filterPolicy",
      "filterPolicyScope",
      "rawMessageDelivery",
      "redrivePolicy",
      "replayPolicy",
      "subscriptionRoleArn",
    ],
  },
  "aws:sns/topicPolicy:TopicPolicy": {
    source: `${TF}sns/topic_policy.go @00a35305`,
    forceNew: ["arn"],
    updatable: ["policy"],
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": {
    source: `${TF}cloudwatch/metric_alarm.go @055611a6`,
    forceNew: ["name"],
    updatable: [
      "actionsEnabled",
      "alarmActions",
      "alarmDescription",
      "comparisonOperator",
      "datapointsToAlarm",
      "dimensions",
      "evaluateLowSampleCountPercentiles",
      "evaluationPeriods",
      "extendedStatistic",
      "insufficientDataActions",
      "metricName",
      "metricQueries",
      "namespace",
      "okActions",
      "period",
      "statistic",
      "threshold",
      "thresholdMetricId",
      "treatMissingData",
      "unit",
      ...TAGS,
    ],
    nameFields: ["name"],
  },
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": {
    // In this version actions_enabled is ForceNew too.
    source: `${TF}cloudwatch/composite_alarm.go @050ac111`,
    forceNew: ["actionsEnabled", "alarmName"],
    updatable: [
      "alarmActions",
      "alarmDescription",
      "alarmRule",
      "insufficientDataActions",
      "okActions",
      ...TAGS,
    ],
    nameFields: ["alarmName"],
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    source: `${TF}logs/group.go @0073593e`,
    forceNew: ["logGroupClass", "name", "namePrefix"],
    updatable: ["kmsKeyId", "retentionInDays", "skipDestroy", ...TAGS],
    nameFields: ["name"],
  },
  "aws:cloudwatch/dashboard:Dashboard": {
    source: `${TF}cloudwatch/dashboard.go @0620f2a6`,
    forceNew: ["dashboardName"],
    updatable: ["dashboardBody"],
    nameFields: ["dashboardName"],
  },
  "aws:iam/role:Role": {
    source: `${TF}iam/role.go @0040ea69`,
    forceNew: ["name", "namePrefix", "path"],
    updatable: [
      "assumeRolePolicy",
      "description",
      "forceDetachPolicies",
      "inlinePolicies",
      "managedPolicyArns",
      "maxSessionDuration",
      "permissionsBoundary",
      ...TAGS,
    ],
    nameFields: ["name"],
  },
  "aws:iam/rolePolicy:RolePolicy": {
    source: `${TF}iam/role_policy.go @02f97af8`,
    forceNew: ["name", "namePrefix", "role"],
    updatable: ["policy"],
    nameFields: ["name"],
  },
  "aws:iam/policy:Policy": {
    source: `${TF}iam/policy.go @01ccd9a2`,
    forceNew: ["description", "name", "namePrefix", "path"],
    updatable: ["policy", ...TAGS],
    nameFields: ["name"],
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    source: `${TF}iam/role_policy_attachment.go @04c79849`,
    forceNew: ["policyArn", "role"],
    updatable: [],
  },
  "aws:amp/workspace:Workspace": {
    source: `${TF}amp/workspace.go @0620f2a6`,
    forceNew: ["kmsKeyArn"],
    updatable: ["alias", "loggingConfiguration", ...TAGS],
    conditional: ampAliasUnset,
  },
  // A framework resource: workspace_id is RequiresReplace; the rest update in place (UpdateWorkspaceConfiguration).
  "aws:amp/workspaceConfiguration:WorkspaceConfiguration": {
    source: `${TF}amp/workspace_configuration.go @108f85fd`,
    forceNew: ["workspaceId"],
    updatable: ["limitsPerLabelSets", "retentionPeriodInDays", "timeouts"],
  },
  // @pulumi/aws 7 names aws_s3_bucket `aws:s3/bucket:Bucket` (the former BucketV2 schema; BucketV2 remains
  // as a deprecated alias). Object Lock can only be turned on at creation, so both of its switches are
  // ForceNew; the deprecated inline blocks (acl, cors_rule, website, ...) update in place. A later
  // aws-sdk-go-v2 revision of bucket.go (stored without its commit) agrees. No stored revision has
  // bucket_namespace, so it is reported as unknown.
  "aws:s3/bucket:Bucket": {
    source: `${TF}s3/bucket.go @4c72bcc7`,
    forceNew: ["bucket", "bucketPrefix", "objectLockEnabled", "objectLockConfiguration.objectLockEnabled"],
    updatable: [
      "accelerationStatus",
      "acl",
      "corsRules",
      "forceDestroy",
      "grants",
      "lifecycleRules",
      "logging",
      "objectLockConfiguration",
      "policy",
      "replicationConfiguration",
      "requestPayer",
      "serverSideEncryptionConfiguration",
      "versioning",
      "website",
      ...TAGS,
    ],
    nameFields: ["bucket"],
  },
  // The bucket-level companions below are keyed by the bucket they configure: moving one to another
  // bucket (or another expected owner) replaces it; their configuration is a Put* call in place.
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
    source: `${TF}s3/bucket_ownership_controls.go @01c08000`,
    forceNew: ["bucket"],
    updatable: ["rule"],
  },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
    source: `${TF}s3/bucket_public_access_block.go @01606926`,
    forceNew: ["bucket"],
    updatable: [
      "blockPublicAcls",
      "blockPublicPolicy",
      "ignorePublicAcls",
      "restrictPublicBuckets",
      "skipDestroy",
    ],
  },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
    source: `${TF}s3/bucket_server_side_encryption_configuration.go @01606926`,
    forceNew: ["bucket", "expectedBucketOwner"],
    updatable: ["rules"],
  },
  // CustomizeDiff rejects (a plan error, not a replacement) a status change from Enabled/Suspended to Disabled.
  "aws:s3/bucketVersioning:BucketVersioning": {
    source: `${TF}s3/bucket_versioning.go @01c08000`,
    forceNew: ["bucket", "expectedBucketOwner"],
    updatable: ["mfa", "versioningConfiguration"],
  },
  // A framework resource at this commit (its @FrameworkResource annotation is in this file): bucket and
  // expected_bucket_owner are RequiresReplace; Update re-puts the whole configuration.
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
    source: `${TF}s3/bucket_lifecycle_configuration.go @01606926`,
    forceNew: ["bucket", "expectedBucketOwner"],
    updatable: ["rules", "timeouts", "transitionDefaultMinimumObjectSize"],
  },
  "aws:s3/bucketPolicy:BucketPolicy": {
    source: `${TF}s3/bucket_policy.go @0073593e`,
    forceNew: ["bucket"],
    updatable: ["policy"],
  },
  "aws:eks/addon:Addon": {
    source: `${TF}eks/addon.go @00a35305`,
    forceNew: ["addonName", "clusterName"],
    updatable: [
      "addonVersion",
      "configurationValues",
      "podIdentityAssociations",
      "preserve",
      "resolveConflictsOnCreate",
      "resolveConflictsOnUpdate",
      "serviceAccountRoleArn",
      ...TAGS,
    ],
    nameFields: ["addonName"],
  },
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": {
    source: `${TF}eks/pod_identity_association.go @00a35305`,
    forceNew: ["clusterName", "namespace", "serviceAccount"],
    updatable: ["disableSessionTags", "roleArn", "targetRoleArn", ...TAGS],
  },
};

export const AWS_RULES: Record<string, FieldTable> = Object.fromEntries(
  Object.entries(TABLES).map(([type, t]) => [type, { ...t, forceNew: [...t.forceNew, "region"] }]),
);

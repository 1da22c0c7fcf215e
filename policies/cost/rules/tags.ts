/** Cost-allocation tags on every taggable AWS resource. */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { at, describe } from "../read";
import { cfgStringMap, cfgStrings, config, DEFAULTS, stringList } from "./config";

// ---- required-cost-tags ----

/** AWS resource types that accept no tags (attachments, policies, sub-resources of a tagged parent). */
export const UNTAGGABLE_AWS_TYPES = new Set([
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/policyAttachment:PolicyAttachment",
  "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  "aws:sns/topicSubscription:TopicSubscription",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketVersioningV2:BucketVersioningV2",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
  "aws:kms/alias:Alias",
  "aws:kms/keyPolicy:KeyPolicy",
  "aws:cloudwatch/logStream:LogStream",
  "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
  "aws:cloudwatch/logMetricFilter:LogMetricFilter",
  "aws:cloudwatch/dashboard:Dashboard",
  "aws:ec2/securityGroupRule:SecurityGroupRule",
  "aws:amp/alertManagerDefinition:AlertManagerDefinition",
  "aws:amp/workspaceConfiguration:WorkspaceConfiguration",
]);

function tagsOf(args: ResourceValidationArgs): Record<string, string> {
  const own = cfgStringMap(args.props.tags);
  const providerDefaults = cfgStringMap(at(args.provider?.props, "defaultTags", "tags"));
  return { ...providerDefaults, ...own };
}

const requiredCostTags: ResourceValidationPolicy = {
  name: "required-cost-tags",
  description: "AWS resources that accept tags carry the cost-allocation tags (non-empty values).",
  configSchema: {
    properties: {
      requiredTags: stringList("Tag keys every taggable AWS resource carries", [...DEFAULTS.requiredTags]),
      skipTypes: stringList("Further AWS resource types that accept no tags", []),
    },
  },
  validateResource: (args, reportViolation) => {
    if (!args.type.startsWith("aws:") || UNTAGGABLE_AWS_TYPES.has(args.type)) return;
    const cfg = config(args);
    if (cfgStrings(cfg.skipTypes, []).includes(args.type)) return;
    const required = cfgStrings(cfg.requiredTags, [...DEFAULTS.requiredTags]);
    const tags = tagsOf(args);
    const missing = required.filter((k) => !tags[k]?.trim());
    if (missing.length === 0) return;
    reportViolation(
      `${describe(args.type, args.name, args.props)}: missing cost-allocation tag(s) ${missing.join(", ")}; add them to the stack's monitoring:tags config (or the resource's tags).`,
    );
  },
};

export const tagPolicies = [requiredCostTags];

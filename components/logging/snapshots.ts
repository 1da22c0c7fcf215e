/**
 * Where Elasticsearch's snapshots go (prod on Kubernetes with AWS): an S3 bucket encrypted with a
 * customer-managed key that rotates, public access blocked, ACLs disabled, TLS required, versioned so a
 * deleted snapshot file can be recovered for a week, and an IAM role only Elasticsearch's service
 * account may assume (IRSA) that may use this bucket and, through S3, its key. The setup job registers
 * the bucket as a repository with a lifecycle policy (setup/render.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SNAPSHOT_SIZE_TAG } from "../../lib/cost-tags";
import { GIB } from "../../lib/units";
import type { LoggingSpec, SnapshotsSpec, StackSpec } from "../../stacks/spec";
import { accountKeyPolicy, elasticsearchSnapshotPolicy, tlsOnlyBucketPolicy } from "../aws/documents";
import { accountRef, irsaRole, policyJson } from "../aws/identity";

export interface SnapshotBucketArgs {
  /** The resolved stack spec: `aws` (region, the cluster's OIDC provider) and `logging.snapshots` (the bucket's name) must be on. */
  stack: StackSpec;
  /** Elasticsearch's service account: the only one that may assume the role. */
  serviceAccount: { namespace: string; name: string };
  /** Declared size of the snapshots in GB, for the cost estimate (tag SNAPSHOT_SIZE_TAG). */
  expectedSizeGb: number;
}

/**
 * Days a deleted or overwritten object version stays before S3 removes it. Elasticsearch never reads
 * old versions, so they only guard against a mistaken deletion; S3 must not expire current objects
 * (Elasticsearch reference, "S3 repository": object expiry can make the repository unreadable).
 */
export const NONCURRENT_VERSION_DAYS = 7;
/**
 * Expected size of the snapshots, GB: what the cluster can hold once (every node's disk up to the 85 %
 * high watermark, halved when each shard has a replica), plus the segments snapshots keep after ILM
 * deleted them, a share of `snapshots.retentionDays` over the logs' `retentionDays`. An upper bound.
 */
export function expectedSnapshotGb(logging: LoggingSpec, snapshots: SnapshotsSpec): number {
  const es = logging.elasticsearch;
  const copies = es.replicas > 1 ? 2 : 1;
  const onceGb = (es.replicas * es.volume.sizeGi * (GIB / 1e9) * 0.85) / copies;
  return Math.ceil(onceGb * (1 + snapshots.retentionDays / logging.retentionDays));
}

export class SnapshotBucket extends pulumi.ComponentResource {
  readonly bucketName: string;
  /** The role Elasticsearch's pods assume (their AWS_ROLE_ARN). */
  readonly roleArn: pulumi.Output<string>;
  readonly region: string;

  constructor(name: string, args: SnapshotBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:logging:SnapshotBucket", name, {}, opts);
    const { stack } = args;
    const awsSpec = stack.aws;
    const oidcProviderArn = awsSpec?.eks?.oidcProviderArn;
    const oidcIssuer = awsSpec?.eks?.oidcIssuer;
    const snapshots = stack.logging.snapshots;
    if (!awsSpec || !oidcProviderArn || !oidcIssuer || !snapshots)
      throw new Error(
        "SnapshotBucket needs monitoring:aws with the cluster's OIDC provider (the config refuses this)",
      );
    const prefix = stack.namePrefix;
    const tags = stack.tags;
    // The backups are what a lost cluster is restored from: protected in prod; a review stack deletes everything.
    const keep = stack.environment === "prod" && !stack.ephemeral;
    const child = { parent: this };
    const account = accountRef(awsSpec.region, child);
    this.region = awsSpec.region;

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the Elasticsearch snapshots of ${prefix}`,
        enableKeyRotation: true,
        deletionWindowInDays: stack.ephemeral ? 7 : 30,
        policy: policyJson(account, accountKeyPolicy),
        tags,
      },
      { ...child, protect: keep },
    );
    new aws.kms.Alias(
      `${name}-key-alias`,
      { name: `alias/${prefix}-es-snapshots`, targetKeyId: key.keyId },
      child,
    );

    const bucket = new aws.s3.Bucket(
      name,
      {
        bucket: snapshots.bucket,
        // Only a review stack empties the bucket on destroy; elsewhere a non-empty bucket stops the delete.
        forceDestroy: stack.ephemeral,
        tags: {
          ...tags,
          purpose: "elasticsearch-snapshots",
          [SNAPSHOT_SIZE_TAG]: String(args.expectedSizeGb),
        },
      },
      { ...child, protect: keep },
    );
    this.bucketName = snapshots.bucket;
    const ownership = new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      child,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
            // One data key per bucket instead of per object: far fewer KMS requests (Amazon S3 User Guide, "S3 Bucket Keys").
            bucketKeyEnabled: true,
          },
        ],
      },
      child,
    );
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "old-versions-and-abandoned-uploads",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
            expiration: { expiredObjectDeleteMarker: true },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      // S3 applies a lifecycle rule on noncurrent versions only once versioning is on.
      { ...child, dependsOn: [versioning] },
    );
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      { bucket: bucket.id, policy: bucket.arn.apply((arn) => JSON.stringify(tlsOnlyBucketPolicy(arn))) },
      // S3 refuses concurrent changes to a bucket's access settings (OperationAborted).
      { ...child, dependsOn: [publicAccess, ownership] },
    );

    const role = irsaRole(
      `${name}-role`,
      {
        roleName: `${prefix}-es-snapshots`,
        description: "Elasticsearch's S3 snapshot repository: this bucket and its key only",
        oidcProviderArn,
        oidcIssuer,
        serviceAccount: args.serviceAccount,
        tags,
      },
      child,
    );
    new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        name: "snapshot-bucket",
        role: role.id,
        policy: pulumi
          .all([account, bucket.arn, key.arn])
          .apply(([a, bucketArn, keyArn]) =>
            JSON.stringify(elasticsearchSnapshotPolicy(a, bucketArn, keyArn)),
          ),
      },
      child,
    );
    this.roleArn = role.arn;
    this.registerOutputs({ bucketName: this.bucketName, roleArn: this.roleArn });
  }
}

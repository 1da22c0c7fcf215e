/**
 * What every AWS part of the stack needs to name itself and its pods' roles: the account it runs in and
 * IAM roles for service accounts (IRSA). One place, used by AwsMonitoring and the logging snapshots.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { irsaTrustPolicy, type AccountRef, type PolicyDocument } from "./documents";

/** The account, partition and region the stack's AWS provider works in. */
export function accountRef(region: string, opts: pulumi.InvokeOptions): pulumi.Output<AccountRef> {
  const identity = aws.getCallerIdentityOutput({}, opts);
  const partition = aws.getPartitionOutput({}, opts);
  return pulumi
    .all([identity.accountId, partition.partition])
    .apply(([accountId, p]) => ({ accountId, partition: p, region }));
}

/** A policy document rendered for the account, as the JSON string AWS resources take. */
export function policyJson(
  account: pulumi.Output<AccountRef>,
  build: (a: AccountRef) => PolicyDocument,
): pulumi.Output<string> {
  return account.apply((a) => JSON.stringify(build(a)));
}

/** IAM role names are at most 64 characters. */
export function iamName(name: string): string {
  return name.length <= 64 ? name : name.slice(0, 64);
}

export interface IrsaRoleArgs {
  /** Physical role name (cut to 64 characters). */
  roleName: string;
  description: string;
  /** The cluster's IAM OIDC provider and its issuer (host and path), as `monitoring:aws.eks` resolves them. */
  oidcProviderArn: string;
  oidcIssuer: string;
  /** The one service account that may assume the role. */
  serviceAccount: { namespace: string; name: string };
  tags: Record<string, string>;
}

/** A role only `serviceAccount`'s pods may assume, through the cluster's OIDC provider, for an hour at a time. */
export function irsaRole(name: string, args: IrsaRoleArgs, opts: pulumi.CustomResourceOptions): aws.iam.Role {
  return new aws.iam.Role(
    name,
    {
      name: iamName(args.roleName),
      description: args.description,
      assumeRolePolicy: JSON.stringify(
        irsaTrustPolicy(args.oidcProviderArn, args.oidcIssuer, args.serviceAccount),
      ),
      maxSessionDuration: 3600,
      tags: args.tags,
    },
    opts,
  );
}

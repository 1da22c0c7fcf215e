/** The ServiceAccount annotations of IAM roles for service accounts (IRSA), shared by the workloads that get a role. */
import type * as pulumi from "@pulumi/pulumi";

/** Annotations that make the EKS pod identity webhook hand the pods of a service account this role. */
export function irsaAnnotations(roleArn: pulumi.Input<string>): Record<string, pulumi.Input<string>> {
  return {
    "eks.amazonaws.com/role-arn": roleArn,
    // Regional STS endpoints for SDKs that still default to the global one (Amazon EKS User Guide,
    // "Configure the AWS Security Token Service endpoint for a service account").
    "eks.amazonaws.com/sts-regional-endpoints": "true",
  };
}

/**
 * The S3 replacement tables (scripts/plan/rules-aws.ts) through the plan diff: which bucket changes
 * update in place and which replace. The stack-wide check in test/aws/plan.test.ts covers only types the
 * stack creates, so the Args check for these tables is repeated here.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { diffPlans, type DiffEntry } from "../../scripts/plan/diff";
import { AWS_RULES } from "../../scripts/plan/rules-aws";
import type { PlannedResource } from "../../scripts/plan/types";
import { plannedResource, repoRoot } from "../helpers/plan";

const S3_TYPES = [
  "aws:s3/bucket:Bucket",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketPolicy:BucketPolicy",
];

const res = (type: string, inputs: Record<string, unknown>) => plannedResource(type, "r", inputs);

function diffOne(before: PlannedResource, change: (inputs: Record<string, unknown>) => void): DiffEntry {
  const after = structuredClone(before);
  change(after.inputs);
  return diffPlans([before], [after]).find((e) => e.urn === before.urn)!;
}

describe("S3 replacement tables", () => {
  it("name only inputs @pulumi/aws has (plus region)", () => {
    for (const type of S3_TYPES) {
      const cls = type.split(":")[2];
      const file = `${cls[0].toLowerCase()}${cls.slice(1)}.d.ts`;
      const dts = readFileSync(path.join(repoRoot, "node_modules/@pulumi/aws/s3", file), "utf8");
      const args = /export interface \w+Args \{([\s\S]*?)\n\}/.exec(dts)![1];
      const names = new Set([...args.matchAll(/^ {4}(\w+)\??:/gm)].map((m) => m[1]));
      const rules = AWS_RULES[type];
      expect(rules, type).toBeDefined();
      for (const field of [...rules.forceNew, ...rules.updatable])
        expect(names, `${type}.${field}`).toContain(field.split(/[.[]/)[0]);
    }
  });

  it("bucket: tags and forceDestroy update; the fixed name and Object Lock replace, deleting first", () => {
    const bucket = res("aws:s3/bucket:Bucket", {
      bucket: "monitoring-prod-backups",
      forceDestroy: false,
      tags: { team: "sre" },
    });
    expect(diffOne(bucket, (i) => (i.forceDestroy = true)).op).toBe("update");
    expect(diffOne(bucket, (i) => (i.tags = { team: "platform" })).op).toBe("update");
    expect(diffOne(bucket, (i) => (i.bucket = "monitoring-prod-backups-2")).op).toBe("replace");
    expect(diffOne(bucket, (i) => (i.objectLockEnabled = true))).toMatchObject({
      op: "replace",
      replaceBecause: ["objectLockEnabled"],
      deleteBeforeReplace: true,
    });
    const locked = res("aws:s3/bucket:Bucket", {
      bucket: "b",
      objectLockConfiguration: { objectLockEnabled: "Enabled", rule: { defaultRetention: { days: 1 } } },
    });
    const days = diffOne(locked, (i) => {
      (
        i.objectLockConfiguration as { rule: { defaultRetention: { days: number } } }
      ).rule.defaultRetention.days = 7;
    });
    expect(days.op).toBe("update");
    expect(days.notes.join()).not.toMatch(/replacement rules unknown/);
    const unlock = diffOne(
      locked,
      (i) => delete (i.objectLockConfiguration as Record<string, unknown>).objectLockEnabled,
    );
    expect(unlock).toMatchObject({
      op: "replace",
      replaceBecause: ["objectLockConfiguration.objectLockEnabled"],
    });
    // Not in any revision read: reported, never silently safe.
    const ns = diffOne(bucket, (i) => (i.bucketNamespace = "account-regional"));
    expect(ns.notes.join()).toMatch(
      /replacement rules unknown for aws:s3\/bucket:Bucket input bucketNamespace/,
    );
  });

  it("bucket companions: configuration updates in place; another bucket or owner replaces", () => {
    const cases: [string, Record<string, unknown>, (i: Record<string, unknown>) => void][] = [
      [
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        { bucket: "b", rule: { objectOwnership: "BucketOwnerEnforced" } },
        (i) => (i.rule = { objectOwnership: "BucketOwnerPreferred" }),
      ],
      [
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        { bucket: "b", blockPublicAcls: true, restrictPublicBuckets: true },
        (i) => (i.restrictPublicBuckets = false),
      ],
      [
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        { bucket: "b", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        (i) => (i.rules = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }]),
      ],
      [
        "aws:s3/bucketVersioning:BucketVersioning",
        { bucket: "b", versioningConfiguration: { status: "Enabled" } },
        (i) => (i.versioningConfiguration = { status: "Suspended" }),
      ],
      [
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        { bucket: "b", rules: [{ id: "expire", status: "Enabled", expiration: { days: 30 } }] },
        (i) => (i.rules = [{ id: "expire", status: "Enabled", expiration: { days: 90 } }]),
      ],
      ["aws:s3/bucketPolicy:BucketPolicy", { bucket: "b", policy: "{}" }, (i) => (i.policy = '{"a":1}')],
    ];
    for (const [type, inputs, configure] of cases) {
      const r = res(type, inputs);
      const updated = diffOne(r, configure);
      expect(updated.op, type).toBe("update");
      expect(updated.notes.join(), type).not.toMatch(/replacement rules unknown/);
      expect(diffOne(r, (i) => (i.bucket = "other")).op, type).toBe("replace");
      expect(diffOne(r, (i) => (i.region = "eu-west-1")).op, type).toBe("replace");
      if (AWS_RULES[type].forceNew.includes("expectedBucketOwner"))
        expect(diffOne(r, (i) => (i.expectedBucketOwner = "123456789012")).op, type).toBe("replace");
    }
  });
});

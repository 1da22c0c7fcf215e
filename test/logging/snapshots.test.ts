/**
 * Elasticsearch snapshots to S3 (prod on Kubernetes with AWS): the config at the door (defaults, what is
 * refused), the request bodies the setup job sends, and the prod plan — an encrypted, private, versioned
 * bucket whose lifecycle never expires current objects, a role only Elasticsearch's service account may
 * assume and that reaches only this bucket and key, the web identity token where Elasticsearch reads it,
 * the job registering the repository and the SLM policy; dev has none of it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  s3RepositoryBody,
  setupScript,
  slmPolicyBody,
  SLM_POLICY,
  SNAPSHOT_REPOSITORY,
} from "../../components/logging/setup/render";
import { S3_WEB_IDENTITY_TOKEN } from "../../components/logging/elasticsearch/render";
import { expectedSnapshotGb, NONCURRENT_VERSION_DAYS } from "../../components/logging/snapshots";
import { ConfigError, type ConfigProblem } from "../../stacks/errors";
import { resolveStackSpec } from "../../stacks/resolve";
import { cronProblem, defaultSnapshotBucket, SNAPSHOT_DEFAULTS } from "../../stacks/sections/logging";
import { runPlan, type PlanRun } from "../helpers/plan";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- plan JSON

const ACCOUNT = "123456789012";
const OIDC = `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9`;
const PROD = { environment: "prod", platform: "kubernetes", grafana: { mode: "disabled" } };
const EKS = { aws: { eks: { clusterName: "prod-eks", oidcProviderArn: OIDC } } };

const resolve = (values: Record<string, unknown>, awsRegion?: string, stack = "prod") =>
  resolveStackSpec(values, { stack, secretKeys: new Set<string>(), awsRegion });

function problems(values: Record<string, unknown>, awsRegion?: string, stack = "prod"): ConfigProblem[] {
  try {
    resolve(values, awsRegion, stack);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error("config was accepted but should have been rejected");
}

describe("logging.snapshots at the door", () => {
  it("is on in prod on Kubernetes with AWS and the cluster's OIDC provider, with the documented defaults", () => {
    const s = resolve({ ...PROD, ...EKS }, "us-west-2").logging.snapshots;
    expect(s).toEqual({
      bucket: `monitoring-prod-es-snapshots-${ACCOUNT}-us-west-2`,
      schedule: "0 30 1 * * ?",
      retentionDays: 14,
      minCount: 3,
      maxCount: 50,
    });
    expect(SNAPSHOT_DEFAULTS.schedule).toBe(s?.schedule);
  });

  it("is off without AWS, on Docker, in dev and when logging is off", () => {
    expect(resolve(PROD).logging.snapshots).toBeUndefined();
    expect(resolve({}, undefined, "dev").logging.snapshots).toBeUndefined();
    expect(resolve({ aws: {} }, "us-west-2", "dev").logging.snapshots).toBeUndefined();
    expect(
      resolve({ ...EKS, environment: "dev", platform: "kubernetes" }, "us-west-2", "kube-dev").logging
        .snapshots,
    ).toBeUndefined();
    expect(
      resolve({ ...PROD, aws: {}, logging: { enabled: false } }, "us-west-2").logging.snapshots,
    ).toBeUndefined();
  });

  it("refuses snapshots it cannot deliver, naming the key and the way out", () => {
    // prod with AWS but no OIDC provider: on by default, so the stack must say how the pods get a role.
    const noOidc = problems({ ...PROD, aws: {} }, "us-west-2");
    expect(noOidc.map((p) => p.path)).toEqual(["monitoring:logging.snapshots.enabled"]);
    expect(noOidc[0].message).toContain("aws.eks.oidcProviderArn");
    expect(noOidc[0].message).toContain("logging.snapshots.enabled: false");
    expect(
      resolve({ ...PROD, aws: {}, logging: { snapshots: { enabled: false } } }, "us-west-2").logging
        .snapshots,
    ).toBeUndefined();

    const onDocker = problems({ logging: { snapshots: { enabled: true } } }, undefined, "dev");
    expect(onDocker.map((p) => p.path)).toEqual(["monitoring:logging.snapshots.enabled"]);
    expect(onDocker[0].message).toContain("kubernetes");
    const noAws = problems({ ...PROD, logging: { snapshots: { enabled: true } } });
    expect(noAws[0].message).toContain("monitoring:aws");
  });

  it("refuses bad schedules, counts, days and bucket names", () => {
    const bad = (snapshots: Record<string, unknown>) =>
      problems({ ...PROD, ...EKS, logging: { snapshots } }, "us-west-2").map((p) => p.path);
    expect(bad({ schedule: "30 1 * * *" })).toEqual(["monitoring:logging.snapshots.schedule"]);
    expect(bad({ minCount: 10, maxCount: 5 })).toEqual(["monitoring:logging.snapshots.minCount"]);
    expect(bad({ retentionDays: 0 })).toEqual(["monitoring:logging.snapshots.retentionDays"]);
    expect(bad({ retentionDays: 1.5 })).toEqual(["monitoring:logging.snapshots.retentionDays"]);
    expect(bad({ bucket: "Has_Upper" })).toEqual(["monitoring:logging.snapshots.bucket"]);
    expect(bad({ bucket: "with.dots.breaks.tls" })).toEqual(["monitoring:logging.snapshots.bucket"]);
    expect(bad({ bucket: "ab" })).toEqual(["monitoring:logging.snapshots.bucket"]);
    expect(bad({ everyDay: true })).toHaveLength(1);
  });

  it("checks Elasticsearch cron expressions: six or seven fields, ranges, ? in exactly one day field", () => {
    for (const ok of [
      "0 30 1 * * ?",
      "0 0 */6 ? * MON-FRI",
      "0 15 2 ? * SUN 2027",
      "0 0,30 1-5 1 * ?",
      "0 0 12 L * ?",
    ])
      expect(cronProblem(ok), ok).toBeUndefined();
    const problemOf = (e: string) => cronProblem(e) ?? "";
    expect(problemOf("30 1 * * *")).toContain("seconds minutes hours");
    expect(problemOf("0 30 1 * * *")).toContain('"?"');
    expect(problemOf("0 30 1 ? * ?")).toContain('"?"');
    expect(problemOf("0 61 1 * * ?")).toContain("minutes");
    expect(problemOf("0 30 24 * * ?")).toContain("hours");
    expect(problemOf("60 30 1 * * ?")).toContain("seconds");
    expect(problemOf("0 30 1 * * ? ;rm")).toContain("unexpected");
  });

  it("fits the default bucket name into S3's 63 characters, cutting the stack prefix only", () => {
    const name = defaultSnapshotBucket(`monitoring-${"x".repeat(60)}`, ACCOUNT, "ap-southeast-2");
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name.endsWith(`-es-snapshots-${ACCOUNT}-ap-southeast-2`)).toBe(true);
    expect(name).toMatch(/^[a-z0-9][a-z0-9-]+[a-z0-9]$/);
  });
});

describe("the snapshot requests (typed against @elastic/elasticsearch)", () => {
  it("registers the bucket with the only canned ACL a bucket without ACLs accepts", () => {
    expect(s3RepositoryBody({ bucket: "b", basePath: "c" })).toEqual({
      type: "s3",
      settings: { bucket: "b", base_path: "c", canned_acl: "bucket-owner-full-control" },
    });
  });

  it("snapshots the log data streams with the cluster and feature states, with SLM retention from config", () => {
    const body = slmPolicyBody(
      { bucket: "b", schedule: "0 0 3 * * ?", retentionDays: 9, minCount: 2, maxCount: 20 },
      "c",
    );
    expect(body).toMatchObject({
      schedule: "0 0 3 * * ?",
      name: "<c-{now/d}>",
      repository: SNAPSHOT_REPOSITORY,
      config: { indices: ["logs-*-*"], include_global_state: true, partial: false },
      retention: { expire_after: "9d", min_count: 2, max_count: 20 },
    });
  });

  it("the job sends them only when snapshots are on: repository, policy, and the repository check last", () => {
    const on = setupScript({
      esUrl: "https://es:9200",
      kibanaUrl: "http://kb:5601",
      tls: true,
      snapshots: true,
    });
    const repo = on.indexOf(`/_snapshot/${SNAPSHOT_REPOSITORY}`);
    const slm = on.indexOf(`/_slm/policy/${SLM_POLICY}`);
    expect(repo).toBeGreaterThan(0);
    expect(slm).toBeGreaterThan(repo);
    // Registered without its own check, then verified last, retried while the nodes roll out the role.
    expect(on).toContain(`/_snapshot/${SNAPSHOT_REPOSITORY}?verify=false`);
    const verify = on.indexOf(
      `retry c -X POST -o /dev/null "https://es:9200/_snapshot/${SNAPSHOT_REPOSITORY}/_verify"`,
    );
    expect(verify).toBeGreaterThan(on.indexOf("/api/data_views/data_view"));
    expect(on.trimEnd().endsWith("echo setup applied")).toBe(true);
    const off = setupScript({
      esUrl: "http://es:9200",
      kibanaUrl: "http://kb:5601",
      tls: false,
      snapshots: false,
    });
    expect(off).not.toContain("_snapshot");
    expect(off).not.toContain("_slm");
  });

  it("expects the cluster's data once plus the share kept past ILM deletion", () => {
    const logging = resolve({ ...PROD, ...EKS }, "us-west-2").logging;
    // 3 x 50 GiB x 85 % / 2 copies = 68.5 GB, x (1 + 14/30)
    expect(expectedSnapshotGb(logging, logging.snapshots!)).toBe(101);
  });
});

describe("prod plan: the snapshot bucket and Elasticsearch's access to it", () => {
  const plans: Record<string, PlanRun> = {};
  beforeAll(() => {
    for (const stack of ["prod", "dev"]) {
      plans[stack] = runPlan(stack);
      if (plans[stack].status !== 0) throw new Error(`plan ${stack}: ${plans[stack].stderr}`);
    }
  }, 240_000);
  const of = (run: PlanRun, type: string) => run.resources.filter((r) => r.type === type);
  const one = (run: PlanRun, type: string): Obj => {
    const hits = of(run, type);
    expect(hits, type).toHaveLength(1);
    return hits[0] as Obj;
  };
  const BUCKET = `monitoring-prod-es-snapshots-${ACCOUNT}-us-west-2`;
  const urnOf = (r: Obj) => r.urn as string;

  it("creates one bucket with a fixed name, protected, tagged with its purpose and expected size", () => {
    const bucket = one(plans.prod, "aws:s3/bucket:Bucket");
    expect(bucket.inputs).toMatchObject({
      bucket: BUCKET,
      forceDestroy: false,
      tags: { purpose: "elasticsearch-snapshots", "expected-size-gb": "101", environment: "prod" },
    });
    expect(bucket.protect).toBe(true);
  });

  it("encrypts with its own rotating key (S3 Bucket Key), blocks public access, disables ACLs, requires TLS", () => {
    const key = of(plans.prod, "aws:kms/key:Key").find((k) => k.name.endsWith("snapshots-key")) as Obj;
    expect(key.inputs).toMatchObject({ enableKeyRotation: true });
    expect(key.protect).toBe(true);
    const sse = one(
      plans.prod,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    );
    expect(sse.inputs.rules[0]).toMatchObject({
      applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" },
      bucketKeyEnabled: true,
    });
    expect(sse.propertyDependencies?.rules ?? sse.dependencies).toEqual(expect.arrayContaining([urnOf(key)]));
    expect(one(plans.prod, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(one(plans.prod, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs.rule).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
    const policy = JSON.parse(one(plans.prod, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy as string);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    ]);
  });

  it("versions objects and expires only old versions and abandoned uploads, never current objects", () => {
    expect(
      one(plans.prod, "aws:s3/bucketVersioning:BucketVersioning").inputs.versioningConfiguration,
    ).toEqual({
      status: "Enabled",
    });
    const rules = one(plans.prod, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs
      .rules as Obj[];
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      status: "Enabled",
      noncurrentVersionExpiration: { noncurrentDays: NONCURRENT_VERSION_DAYS },
      abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
    });
    // A current object never expires: only the marker left behind by a deletion does.
    expect(rules[0].expiration).toEqual({ expiredObjectDeleteMarker: true });
    expect(rules[0].transitions ?? []).toEqual([]);
  });

  it("lets exactly Elasticsearch's service account assume the role, which reaches only this bucket and key", () => {
    const sts = plans.prod.resources.find(
      (r) => r.name === "monitoring-logging-elasticsearch-statefulset",
    ) as Obj;
    const namespace = sts.inputs.metadata.namespace as string;
    const role = of(plans.prod, "aws:iam/role:Role").find((r) => r.name.endsWith("snapshots-role")) as Obj;
    const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
    expect(trust.Statement).toHaveLength(1);
    expect(Object.values(trust.Statement[0].Condition.StringEquals)).toEqual(
      expect.arrayContaining([`system:serviceaccount:${namespace}:elasticsearch`, "sts.amazonaws.com"]),
    );
    const policy = of(plans.prod, "aws:iam/rolePolicy:RolePolicy").find((r) =>
      r.name.endsWith("snapshots-role-policy"),
    ) as Obj;
    const statements = JSON.parse(policy.inputs.policy as string).Statement as Obj[];
    const resources = statements.flatMap((s) => [s.Resource].flat());
    expect(resources.filter((r: string) => r.startsWith("arn:aws:s3"))).toEqual([
      `arn:aws:s3:::${BUCKET}`,
      `arn:aws:s3:::${BUCKET}/*`,
    ]);
    expect(statements.flatMap((s) => s.Action)).not.toContain("s3:*");
    const kms = statements.find((s) => s.Sid === "UseTheBucketKeyThroughS3") as Obj;
    expect(kms.Condition).toEqual({ StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } });
  });

  it("gives Elasticsearch the role and a web identity token where its S3 client reads it", () => {
    const sts = plans.prod.resources.find(
      (r) => r.name === "monitoring-logging-elasticsearch-statefulset",
    ) as Obj;
    const pod = sts.inputs.spec.template.spec;
    const main = pod.containers[0];
    const env = Object.fromEntries(
      (main.env as Obj[]).filter((e) => "value" in e).map((e) => [e.name, e.value]),
    );
    expect(env).toMatchObject({
      AWS_WEB_IDENTITY_TOKEN_FILE: S3_WEB_IDENTITY_TOKEN,
      AWS_REGION: "us-west-2",
      AWS_STS_REGIONAL_ENDPOINTS: "regional",
    });
    expect(env.AWS_ROLE_ARN).toBeDefined();
    const tokenVolume = (pod.volumes as Obj[]).find(
      (v) => v.projected?.sources?.[0]?.serviceAccountToken,
    ) as Obj;
    expect(tokenVolume.projected.sources[0].serviceAccountToken).toEqual({
      audience: "sts.amazonaws.com",
      expirationSeconds: 86400,
      path: "aws-web-identity-token-file",
    });
    // The directory is mounted whole (a subPath mount would never see the kubelet's renewals).
    expect(main.volumeMounts).toContainEqual({
      name: tokenVolume.name,
      mountPath: "/usr/share/elasticsearch/config/repository-s3",
      readOnly: true,
    });
    // The pod still cannot call the Kubernetes API: the STS token has the wrong audience for it.
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it("registers the repository and the lifecycle policy through the setup job", () => {
    const file = (suffix: string) => [...plans.prod.files].find(([p]) => p.endsWith(suffix))?.[1] ?? "";
    expect(JSON.parse(file("snapshot-repository.json")).settings.bucket).toBe(BUCKET);
    expect(JSON.parse(file("slm-policy.json")).retention).toEqual({
      expire_after: "14d",
      min_count: 3,
      max_count: 50,
    });
    const job = one(plans.prod, "kubernetes:batch/v1:Job");
    expect(job.inputs.spec.template.spec.containers[0].args[0]).toContain(`_slm/policy/${SLM_POLICY}`);
  });

  it("dev has no bucket, no role and no snapshot requests", () => {
    expect(plans.dev.resources.filter((r) => r.type.startsWith("aws:"))).toEqual([]);
    expect([...plans.dev.files].filter(([p]) => /snapshot|slm/.test(p))).toEqual([]);
  });
});

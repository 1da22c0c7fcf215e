/**
 * AWS: KMS encryption at rest (SNS, CloudWatch Logs, RDS, S3) with keys that rotate, S3 public access
 * blocked and snapshot buckets versioned, RDS private and (in prod) protected from deletion, log groups
 * with retention, security groups that keep database ports off the internet, IAM policies without
 * wildcard actions or iam:PassRole on every role, and role trust policies that name who may assume.
 */
import type { Policies, PolicyResource, ResourceValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import {
  bool,
  configOf,
  num,
  obj,
  objs,
  resourceLabel,
  resourceRule,
  SECRET_PLACEHOLDER,
  str,
  stringMap,
  strs,
} from "./read";

const nonEmpty = (v: unknown): boolean => typeof v === "string" && v.trim() !== "";

const snsKms = resourceRule({
  name: "aws-sns-topic-kms-encrypted",
  description: "SNS topics must be encrypted with a KMS key (kmsMasterKeyId).",
  types: ["aws:sns/topic:Topic"],
  validate: (args, report) => {
    if (!nonEmpty(args.props.kmsMasterKeyId)) {
      report(
        `${resourceLabel(args)} is not encrypted at rest. Fix: set kmsMasterKeyId to a customer-managed KMS key (or alias/aws/sns).`,
      );
    }
  },
});

const LOG_GROUP = ["aws:cloudwatch/logGroup:LogGroup"];

const logGroupKms = resourceRule({
  name: "aws-log-group-kms-encrypted",
  description: "CloudWatch log groups must be encrypted with a KMS key (kmsKeyId).",
  types: LOG_GROUP,
  validate: (args, report) => {
    if (!nonEmpty(args.props.kmsKeyId)) {
      report(
        `${resourceLabel(args)} is not encrypted with a KMS key. Fix: set kmsKeyId to a KMS key ARN whose policy allows CloudWatch Logs.`,
      );
    }
  },
});

const logGroupRetention = resourceRule({
  name: "aws-log-group-retention",
  description: "CloudWatch log groups must expire their events (retentionInDays set, not 0 = forever).",
  types: LOG_GROUP,
  validate: (args, report) => {
    const days = num(args.props.retentionInDays);
    if (days === undefined || days <= 0) {
      report(`${resourceLabel(args)} keeps logs forever. Fix: set retentionInDays (e.g. 30).`);
    }
  },
});

const RDS_STORAGE = ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"];

const rdsEncrypted = resourceRule({
  name: "aws-rds-storage-encrypted",
  description: "RDS storage must be encrypted with a customer-managed KMS key (storageEncrypted + kmsKeyId).",
  types: RDS_STORAGE,
  validate: (args, report) => {
    const missing = [
      ...(bool(args.props.storageEncrypted) === true ? [] : ["storageEncrypted: true"]),
      ...(nonEmpty(args.props.kmsKeyId) ? [] : ["kmsKeyId"]),
    ];
    if (missing.length > 0) {
      report(`${resourceLabel(args)} storage is not KMS-encrypted. Fix: set ${missing.join(" and ")}.`);
    }
  },
});

const rdsPrivate = resourceRule({
  name: "aws-rds-not-publicly-accessible",
  description: "RDS instances must not be reachable from the internet (publiclyAccessible: false).",
  types: ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"],
  validate: (args, report) => {
    if (bool(args.props.publiclyAccessible) === true) {
      report(
        `${resourceLabel(args)} is publicly accessible. Fix: set publiclyAccessible: false and reach it from inside the VPC.`,
      );
    }
  },
});

const rdsDeletionProtection = resourceRule({
  name: "aws-rds-deletion-protection",
  description: "RDS databases must have deletion protection on (required in prod).",
  types: RDS_STORAGE,
  validate: (args, report) => {
    if (bool(args.props.deletionProtection) !== true) {
      report(`${resourceLabel(args)} can be deleted by accident. Fix: set deletionProtection: true.`);
    }
  },
});

// ---- IAM ---------------------------------------------------------------------------------------

const IAM_POLICY_DOCS: Record<string, (props: Record<string, unknown>) => unknown[]> = {
  "aws:iam/policy:Policy": (p) => [p.policy],
  "aws:iam/rolePolicy:RolePolicy": (p) => [p.policy],
  "aws:iam/userPolicy:UserPolicy": (p) => [p.policy],
  "aws:iam/groupPolicy:GroupPolicy": (p) => [p.policy],
  "aws:iam/role:Role": (p) => objs(p.inlinePolicies).map((i) => i.policy),
};

interface Statement {
  index: number;
  effect: string;
  actions: string[];
  notActions: string[];
  resources: string[];
}

/** Statements of a policy document given as JSON text or an object; empty for unknown/secret values. */
function statements(doc: unknown): Statement[] {
  let parsed: unknown = doc;
  if (typeof doc === "string") {
    if (doc === SECRET_PLACEHOLDER || doc.trim() === "") return [];
    try {
      parsed = JSON.parse(doc);
    } catch {
      return [];
    }
  }
  const raw = obj(parsed)?.Statement;
  const list = Array.isArray(raw) ? raw : [raw];
  const asList = (v: unknown) => (typeof v === "string" ? [v] : strs(v));
  return list.flatMap((s, index) => {
    const o = obj(s);
    if (!o) return [];
    return [
      {
        index,
        effect: str(o.Effect) ?? "Allow",
        actions: asList(o.Action),
        notActions: asList(o.NotAction),
        resources: asList(o.Resource),
      },
    ];
  });
}

function policyStatements(args: ResourceValidationArgs): Statement[] {
  const read = IAM_POLICY_DOCS[args.type];
  return read ? read(args.props).flatMap(statements) : [];
}

const iamNoWildcardActions = resourceRule({
  name: "aws-iam-no-wildcard-actions",
  description:
    'IAM policies must not allow "*" or whole-service ("svc:*") actions, nor use Allow + NotAction.',
  types: Object.keys(IAM_POLICY_DOCS),
  validate: (args, report) => {
    for (const s of policyStatements(args)) {
      if (s.effect !== "Allow") continue;
      const wild = s.actions.filter((a) => a === "*" || /^[a-z0-9-]+:\*$/i.test(a));
      if (wild.length > 0) {
        report(
          `${resourceLabel(args)} statement ${s.index + 1} allows ${wild.join(", ")}. Fix: list the specific actions needed.`,
        );
      }
      if (s.notActions.length > 0) {
        report(
          `${resourceLabel(args)} statement ${s.index + 1} allows everything except NotAction. Fix: use Action with the specific actions needed.`,
        );
      }
    }
  },
});

const PASS_ROLE = /^(\*|iam:\*|iam:Pass\*|iam:PassRole)$/i;

const iamNoPassRoleWildcard = resourceRule({
  name: "aws-iam-no-pass-role-on-wildcard",
  description:
    'IAM policies must not allow iam:PassRole on Resource "*" (lets the holder hand any role to a service).',
  types: Object.keys(IAM_POLICY_DOCS),
  validate: (args, report) => {
    for (const s of policyStatements(args)) {
      if (s.effect !== "Allow") continue;
      if (
        s.actions.some((a) => PASS_ROLE.test(a)) &&
        s.resources.some((r) => r === "*" || r === "arn:aws:iam::*:role/*")
      ) {
        report(
          `${resourceLabel(args)} statement ${s.index + 1} allows iam:PassRole on every role. Fix: restrict Resource to the ARNs of the roles that must be passed.`,
        );
      }
    }
  },
});

// ---- S3 (stack rules: the settings live in companion resources) --------------------------------

const BUCKET = new Set(["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]);
const SSE = new Set([
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
]);
const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const VERSIONING = new Set([
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketVersioningV2:BucketVersioningV2",
]);

/** The companion resources of `bucket` among `all`: those whose `bucket` input is the bucket's name or id. */
function companions(bucket: PolicyResource, all: PolicyResource[], types: Set<string>): PolicyResource[] {
  const ids = new Set(
    [str(bucket.props.bucket), bucket.name, `${bucket.name}-id`, bucket.urn].filter((x): x is string => !!x),
  );
  return all.filter((r) => {
    if (!types.has(r.type)) return false;
    const target = str(r.props.bucket);
    if (target && ids.has(target)) return true;
    return (r.propertyDependencies?.bucket ?? []).some((d) => d.urn === bucket.urn);
  });
}

function bucketLabel(b: PolicyResource): string {
  return `${b.type.split(":").pop()} "${b.name}"`;
}

const KMS_ALGORITHMS = new Set(["aws:kms", "aws:kms:dsse"]);

function sseAlgorithms(config: unknown): string[] {
  const o = obj(config);
  if (!o) return [];
  const single = obj(o.rule);
  const rules = [...objs(o.rules), ...objs(o.rule), ...(single ? [single] : [])];
  return rules
    .map((rule) => str(obj(rule.applyServerSideEncryptionByDefault)?.sseAlgorithm))
    .filter((a): a is string => !!a);
}

const s3Encrypted: StackValidationPolicy = {
  name: "aws-s3-bucket-kms-encrypted",
  description:
    "S3 buckets must have default server-side encryption with KMS (a BucketServerSideEncryptionConfiguration).",
  validateStack: (args, report) => {
    for (const b of args.resources) {
      if (!BUCKET.has(b.type)) continue;
      const algorithms = [
        ...companions(b, args.resources, SSE).flatMap((c) => sseAlgorithms(c.props)),
        ...sseAlgorithms(b.props.serverSideEncryptionConfiguration),
      ];
      if (!algorithms.some((a) => KMS_ALGORITHMS.has(a))) {
        report(
          `${bucketLabel(b)} has no KMS default encryption${algorithms.length > 0 ? ` (uses ${algorithms.join(", ")})` : ""}. Fix: add an aws.s3.BucketServerSideEncryptionConfiguration for it with sseAlgorithm "aws:kms" and a kmsMasterKeyId.`,
          b.urn,
        );
      }
    }
  },
};

const PAB_FLAGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
] as const;

const s3PublicAccessBlocked: StackValidationPolicy = {
  name: "aws-s3-public-access-blocked",
  description: "Every S3 bucket needs a BucketPublicAccessBlock with all four flags on.",
  validateStack: (args, report) => {
    for (const b of args.resources) {
      if (!BUCKET.has(b.type)) continue;
      const blocks = companions(b, args.resources, new Set([PUBLIC_ACCESS_BLOCK]));
      if (blocks.length === 0) {
        report(
          `${bucketLabel(b)} has no public access block. Fix: add an aws.s3.BucketPublicAccessBlock with ${PAB_FLAGS.join(", ")} all true.`,
          b.urn,
        );
        continue;
      }
      for (const block of blocks) {
        const off = PAB_FLAGS.filter((f) => bool(block.props[f]) !== true);
        if (off.length > 0) {
          report(
            `${bucketLabel(b)}'s public access block "${block.name}" leaves ${off.join(", ")} off. Fix: set all four flags to true.`,
            block.urn,
          );
        }
      }
    }
  },
};

const snapshotSchema = {
  properties: {
    snapshotBucketPatterns: {
      type: "array" as const,
      items: { type: "string" as const },
      default: ["snapshot", "backup"],
      description:
        "Case-insensitive regular expressions; a bucket whose name, bucket name or purpose tag matches holds snapshots.",
    },
  },
};

const s3SnapshotVersioning: StackValidationPolicy = {
  name: "aws-s3-snapshot-bucket-versioning",
  description: "Buckets that hold snapshots or backups must have versioning enabled.",
  configSchema: snapshotSchema,
  validateStack: (args, report) => {
    const { snapshotBucketPatterns } = configOf(args, { snapshotBucketPatterns: ["snapshot", "backup"] });
    const patterns = snapshotBucketPatterns.map((p) => new RegExp(p, "i"));
    for (const b of args.resources) {
      if (!BUCKET.has(b.type)) continue;
      const tags = stringMap(b.props.tags);
      const names = [
        b.name,
        str(b.props.bucket),
        str(b.props.bucketPrefix),
        tags.purpose,
        tags.Purpose,
      ].filter((x): x is string => !!x);
      if (!names.some((n) => patterns.some((p) => p.test(n)))) continue;
      const enabled =
        companions(b, args.resources, VERSIONING).some(
          (v) => str(obj(v.props.versioningConfiguration)?.status) === "Enabled",
        ) || bool(obj(b.props.versioning)?.enabled) === true;
      if (!enabled) {
        report(
          `${bucketLabel(b)} holds snapshots but has no versioning. Fix: add an aws.s3.BucketVersioning with versioningConfiguration.status "Enabled".`,
          b.urn,
        );
      }
    }
  },
};

// ---- KMS ---------------------------------------------------------------------------------------

const kmsKeyRotation = resourceRule({
  name: "aws-kms-key-rotation",
  description:
    "Symmetric customer-managed KMS keys rotate their key material automatically (enableKeyRotation: true).",
  types: ["aws:kms/key:Key"],
  validate: (args, report) => {
    // Automatic rotation exists only for symmetric encryption keys (AWS KMS Developer Guide, "Rotating
    // AWS KMS keys"): asymmetric and HMAC keys are left alone.
    const usage = str(args.props.keyUsage) ?? "ENCRYPT_DECRYPT";
    const spec = str(args.props.customerMasterKeySpec) ?? str(args.props.keySpec) ?? "SYMMETRIC_DEFAULT";
    if (usage !== "ENCRYPT_DECRYPT" || spec !== "SYMMETRIC_DEFAULT") return;
    if (bool(args.props.enableKeyRotation) !== true) {
      report(
        `${resourceLabel(args)} never rotates its key material. Fix: set enableKeyRotation: true (yearly by default; rotationPeriodInDays to shorten it).`,
      );
    }
  },
});

// ---- security groups ------------------------------------------------------------------------------

/** Ports of the database and search engines the stack (or its users) run. */
const DATABASE_PORTS = [
  1433, 1521, 3306, 5432, 5439, 5984, 6379, 7000, 7001, 8182, 9042, 9200, 9300, 11211, 27017,
];
const INTERNET = new Set(["0.0.0.0/0", "::/0"]);

interface IngressRange {
  where: string;
  protocol: string;
  from: number;
  to: number;
  sources: string[];
}

const ALL_PROTOCOLS = new Set(["-1", "all"]);

function ranges(args: ResourceValidationArgs): IngressRange[] {
  const p = args.props;
  const range = (
    where: string,
    protocol: unknown,
    from: unknown,
    to: unknown,
    sources: string[],
  ): IngressRange => {
    const proto = String(protocol ?? "tcp").toLowerCase();
    const all = ALL_PROTOCOLS.has(proto);
    return {
      where,
      protocol: proto,
      from: all ? 0 : (num(from) ?? 0),
      to: all ? 65535 : (num(to) ?? 65535),
      sources,
    };
  };
  if (args.type === "aws:ec2/securityGroup:SecurityGroup")
    return objs(p.ingress).map((r, i) =>
      range(`ingress[${i}]`, r.protocol, r.fromPort, r.toPort, [
        ...strs(r.cidrBlocks),
        ...strs(r.ipv6CidrBlocks),
      ]),
    );
  if (args.type === "aws:ec2/securityGroupRule:SecurityGroupRule")
    return str(p.type) === "ingress"
      ? [range("rule", p.protocol, p.fromPort, p.toPort, [...strs(p.cidrBlocks), ...strs(p.ipv6CidrBlocks)])]
      : [];
  if (args.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    return [
      range(
        "rule",
        p.ipProtocol,
        p.fromPort,
        p.toPort,
        [str(p.cidrIpv4), str(p.cidrIpv6)].filter((c): c is string => !!c),
      ),
    ];
  return [];
}

const portsSchema = {
  properties: {
    databasePorts: {
      type: "array" as const,
      items: { type: "integer" as const },
      default: DATABASE_PORTS,
      description: "TCP ports that must not be open to 0.0.0.0/0 or ::/0.",
    },
  },
};

const sgNoPublicDatabasePorts = resourceRule({
  name: "aws-sg-no-public-database-ports",
  description:
    "Security groups do not admit the internet (0.0.0.0/0, ::/0) on database ports (PostgreSQL, MySQL, SQL Server, Oracle, Redis, MongoDB, Elasticsearch, ...).",
  types: [
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/securityGroupRule:SecurityGroupRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  ],
  configSchema: portsSchema,
  validate: (args, report) => {
    const { databasePorts } = configOf(args, { databasePorts: DATABASE_PORTS });
    for (const r of ranges(args)) {
      if (r.protocol !== "tcp" && r.protocol !== "6" && !ALL_PROTOCOLS.has(r.protocol)) continue;
      const open = r.sources.filter((c) => INTERNET.has(c));
      if (open.length === 0) continue;
      const hit = databasePorts.filter((port) => port >= r.from && port <= r.to);
      if (hit.length > 0) {
        report(
          `${resourceLabel(args)} ${r.where} admits ${open.join(" and ")} on database port${hit.length > 1 ? "s" : ""} ${hit.join(", ")}. Fix: admit only the clients (their security groups, or the VPC's / pod network's CIDR blocks).`,
        );
      }
    }
  },
});

// ---- role trust ----------------------------------------------------------------------------------

interface TrustStatement {
  index: number;
  effect: string;
  principal: unknown;
  actions: string[];
  conditions: Record<string, Record<string, unknown>>;
}

function trustStatements(doc: unknown): TrustStatement[] {
  let parsed: unknown = doc;
  if (typeof doc === "string") {
    if (doc === SECRET_PLACEHOLDER || doc.trim() === "") return [];
    try {
      parsed = JSON.parse(doc);
    } catch {
      return [];
    }
  }
  const raw = obj(parsed)?.Statement;
  const list = Array.isArray(raw) ? raw : [raw];
  return list.flatMap((s, index) => {
    const o = obj(s);
    if (!o) return [];
    const conditions: Record<string, Record<string, unknown>> = {};
    for (const [op, block] of Object.entries(obj(o.Condition) ?? {})) conditions[op] = obj(block) ?? {};
    return [
      {
        index,
        effect: str(o.Effect) ?? "Allow",
        principal: o.Principal,
        actions: typeof o.Action === "string" ? [o.Action] : strs(o.Action),
        conditions,
      },
    ];
  });
}

const asList = (v: unknown): string[] => (typeof v === "string" ? [v] : strs(v));

/** Condition keys that tie a wildcard principal to an account, organisation or source. */
const SCOPING_KEYS = new Set(
  [
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
  ].map((k) => k.toLowerCase()),
);

function conditionKeys(s: TrustStatement): string[] {
  return Object.values(s.conditions).flatMap((block) => Object.keys(block));
}

/** The values one condition key is matched against, with the operator, across the statement. */
function conditionValues(s: TrustStatement, key: string): { op: string; values: string[] }[] {
  return Object.entries(s.conditions).flatMap(([op, block]) =>
    Object.entries(block)
      .filter(([k]) => k.toLowerCase() === key.toLowerCase())
      .map(([, v]) => ({ op, values: asList(v) })),
  );
}

const roleTrustScoped = resourceRule({
  name: "aws-iam-role-trust-scoped",
  description:
    "Role trust policies name who may assume the role: no wildcard principal without an account or organisation condition, and an OIDC provider's roles (IRSA) only for one exact subject (service account).",
  types: ["aws:iam/role:Role"],
  validate: (args, report) => {
    for (const s of trustStatements(args.props.assumeRolePolicy)) {
      if (s.effect !== "Allow") continue;
      const principal = s.principal;
      const p = obj(principal);
      const wildcard = principal === "*" || (p !== undefined && asList(p.AWS).includes("*"));
      if (wildcard && !conditionKeys(s).some((k) => SCOPING_KEYS.has(k.toLowerCase()))) {
        report(
          `${resourceLabel(args)} trust statement ${s.index + 1} lets any AWS principal assume the role. Fix: name the principals (account or role ARNs), or add an aws:PrincipalOrgID / aws:PrincipalAccount condition.`,
        );
      }
      for (const provider of asList(p?.Federated).filter((f) => f.includes(":oidc-provider/"))) {
        if (!s.actions.some((a) => /^sts:(AssumeRoleWithWebIdentity|\*)$/i.test(a) || a === "*")) continue;
        const issuer = provider.slice(provider.indexOf(":oidc-provider/") + ":oidc-provider/".length);
        const subs = conditionValues(s, `${issuer}:sub`);
        const exact =
          subs.length > 0 &&
          subs.every(
            (c) =>
              /^StringEquals(IgnoreCase)?$|^StringLike$/.test(c.op) &&
              c.values.length > 0 &&
              c.values.every((v) => !/[*?]/.test(v)),
          );
        if (!exact) {
          report(
            `${resourceLabel(args)} trust statement ${s.index + 1} lets ${subs.length === 0 ? "any identity" : "a wildcard set of identities"} of ${issuer} assume the role (for an EKS cluster: any service account in it). Fix: add a StringEquals condition on ${issuer}:sub with the exact subject, e.g. system:serviceaccount:<namespace>:<name>, and on ${issuer}:aud = sts.amazonaws.com.`,
          );
        }
      }
    }
  },
});

export const awsPolicies: Policies = [
  snsKms,
  logGroupKms,
  logGroupRetention,
  rdsEncrypted,
  rdsPrivate,
  rdsDeletionProtection,
  iamNoWildcardActions,
  iamNoPassRoleWildcard,
  roleTrustScoped,
  kmsKeyRotation,
  sgNoPublicDatabasePorts,
  s3Encrypted,
  s3PublicAccessBlocked,
  s3SnapshotVersioning,
];

/**
 * Runs a Pulumi program under Pulumi's mock runtime and records every resource registration with its
 * parent, dependencies, protect/retainOnDelete flags and inputs (secrets redacted). Used by the offline
 * plan and by the tests: the mocks stand in for the cloud, the program itself runs unchanged.
 */
import { createHash, createHmac } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { disabledDefaultProviders, EngineChecks } from "./engine-checks";
import { formatPath, type Segment } from "./paths";
import type { PlannedResource } from "./types";
import { SECRET_PLACEHOLDER } from "./types";

// Internal runtime entry points (stable in @pulumi/pulumi 3.x): the mock monitor slot and the RPC drain.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const state = require("@pulumi/pulumi/runtime/state") as { getStore(): Record<string, unknown> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as {
  setMockOptions(monitor: unknown, project?: string, stack?: string, preview?: boolean): void;
  waitForRPCs(): Promise<void>;
};

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** Converts the wire form of resource inputs to plain JSON, secrets replaced by the placeholder. */
export function redactWireValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactWireValue);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) return SECRET_PLACEHOLDER;
    if (obj[SIG_KEY] === RESOURCE_SIG) return { resource: obj.urn };
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, redactWireValue(v)]));
  }
  return value;
}

// The digest key: PLAN_SECRET_DIGEST_KEY when set (CI can keep one), else a fixed project key. The plan
// never holds a real secret (config secrets are stand-ins, generated passwords are mocks), so the digest
// only has to tell "changed" from "same" between two plans made with the same key.
const DIGEST_KEY = process.env.PLAN_SECRET_DIGEST_KEY || "monitoring-offline-plan";
const DIGEST_KEY_ID = createHash("sha256").update(DIGEST_KEY).digest("hex").slice(0, 8);

/** "k<key id>:<hmac>" of a secret's value; two plans compare digests only when the key ids match. */
export function secretDigest(value: unknown): string {
  const mac = createHmac("sha256", DIGEST_KEY).update(JSON.stringify(value)).digest("hex").slice(0, 32);
  return `k${DIGEST_KEY_ID}:${mac}`;
}

/** Digests of every secret in a wire value, by input path. */
export function secretDigests(
  value: unknown,
  at: Segment[] = [],
  out: Record<string, string> = {},
): Record<string, string> {
  if (Array.isArray(value)) value.forEach((v, i) => secretDigests(v, [...at, i], out));
  else if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) {
      const secret = obj.value;
      // A secret map (a Kubernetes Secret's stringData, say) gets one digest per key, so the diff names
      // the key that changed and manifests.yaml can keep the keys.
      if (secret && typeof secret === "object" && !Array.isArray(secret)) {
        for (const [k, v] of Object.entries(secret)) out[formatPath([...at, k])] = secretDigest(v);
      } else out[formatPath(at)] = secretDigest(secret);
    } else if (obj[SIG_KEY] !== RESOURCE_SIG)
      for (const [k, v] of Object.entries(obj)) secretDigests(v, [...at, k], out);
  }
  return out;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean;
  getReplaceonchangesList(): string[];
  getIgnorechangesList(): string[];
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

const MOCK_ACCOUNT = "123456789012";
const MOCK_REGION = "us-west-2";

/**
 * The ARN (and other read-backs) AWS returns for the types the program reads them from: key and topic
 * ARNs in policies and subscriptions, log group ARNs for AMP logging, alarm ARNs for the dashboard, role
 * ARNs for ServiceAccount annotations, bucket ARNs in bucket and role policies, the AMP workspace's endpoint for remote write. Formats as AWS
 * documents them; ids are the mock's `<name>-id`.
 */
function awsReadBacks(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const id = `${name}-id`;
  const named = (key: string) => (typeof inputs[key] === "string" ? (inputs[key] as string) : name);
  const at = (service: string, resource: string) =>
    `arn:aws:${service}:${MOCK_REGION}:${MOCK_ACCOUNT}:${resource}`;
  switch (type) {
    case "aws:kms/key:Key":
      return { arn: at("kms", `key/${id}`), keyId: id };
    case "aws:sns/topic:Topic":
      return { arn: at("sns", named("name")) };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { arn: at("logs", `log-group:${named("name")}`) };
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return { arn: at("cloudwatch", `alarm:${named("name")}`) };
    case "aws:cloudwatch/compositeAlarm:CompositeAlarm":
      return { arn: at("cloudwatch", `alarm:${named("alarmName")}`) };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::${MOCK_ACCOUNT}:role/${named("name")}` };
    case "aws:s3/bucket:Bucket":
      // S3 ARNs carry neither region nor account (Amazon S3 User Guide, "Policy resources").
      return { arn: `arn:aws:s3:::${named("bucket")}`, bucket: named("bucket") };
    case "aws:amp/workspace:Workspace":
      return {
        arn: at("aps", `workspace/${id}`),
        prometheusEndpoint: `https://aps-workspaces.${MOCK_REGION}.amazonaws.com/workspaces/${id}/`,
      };
    default:
      return {};
  }
}

/** The mocks: resources echo their inputs as state; a few read-backs a program needs are filled in. */
const mocks: pulumi.runtime.Mocks = {
  newResource(args) {
    const state: Record<string, unknown> = {
      ...args.inputs,
      ...awsReadBacks(args.type, args.name, args.inputs),
    };
    if (args.type === "docker:index/remoteImage:RemoteImage") state.imageId = `sha256:mock-${args.name}`;
    if (args.type === "random:index/randomPassword:RandomPassword") {
      state.result = `mock-password-${args.name}`;
      state.bcryptHash = `$2a$10$mock-bcrypt-hash-of-${args.name}`;
    }
    // TLS material the program hands to pods (logging's PKI): placeholders, redacted as secrets.
    if (args.type === "tls:index/privateKey:PrivateKey") {
      state.privateKeyPem = `mock-private-key-${args.name}`;
      state.privateKeyPemPkcs8 = `mock-private-key-pkcs8-${args.name}`;
    }
    if (args.type === "tls:index/certRequest:CertRequest") state.certRequestPem = `mock-csr-${args.name}`;
    if (
      args.type === "tls:index/selfSignedCert:SelfSignedCert" ||
      args.type === "tls:index/locallySignedCert:LocallySignedCert"
    )
      state.certPem = `mock-certificate-${args.name}`;
    if (args.type === "aws:rds/instance:Instance") {
      state.address = `${args.name}.mock.rds.amazonaws.com`;
      state.endpoint = `${args.name}.mock.rds.amazonaws.com:5432`;
      state.port = 5432;
    }
    return { id: `${args.name}-id`, state };
  },
  call(args) {
    if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
      return { accountId: MOCK_ACCOUNT, arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/mock`, userId: "mock" };
    }
    if (args.token === "aws:index/getRegion:getRegion") return { name: MOCK_REGION, region: MOCK_REGION };
    if (args.token === "aws:index/getPartition:getPartition")
      return { partition: "aws", dnsSuffix: "amazonaws.com" };
    return args.inputs;
  },
};

class RecordingMonitor extends MockMonitor {
  readonly planned: PlannedResource[] = [];
  readonly checks: EngineChecks;

  constructor(mocks: pulumi.runtime.Mocks, disabledDefaults: string[]) {
    super(mocks);
    this.checks = new EngineChecks(disabledDefaults);
  }

  async registerResource(
    req: RegisterRequest,
    callback: (err: unknown, resp: unknown) => void,
  ): Promise<void> {
    const wire = req.getObject()?.toJavaScript() ?? {};
    const provider = req.getProvider();
    const record = {
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() || null,
      dependencies: req.getDependenciesList(),
      protect: req.getProtect() ?? false,
      retainOnDelete: req.getRetainondelete() ?? false,
      inputs: (redactWireValue(wire) as Record<string, unknown>) ?? {},
      custom: req.getCustom(),
      // A provider reference is "<urn>::<id>"; the id is the mock's, so only the URN is kept.
      provider: provider ? provider.slice(0, provider.lastIndexOf("::")) : null,
      deleteBeforeReplace: req.getDeletebeforereplace(),
      replaceOnChanges: req.getReplaceonchangesList(),
      ignoreChanges: req.getIgnorechangesList(),
      secretDigests: secretDigests(wire),
    };
    return super.registerResource(req, (err: unknown, resp: unknown) => {
      if (!err && resp) {
        const r = resp as { getUrn(): string; getId(): string };
        const urn = r.getUrn();
        // The engine refuses these before any provider is called; the mock monitor does not. The plan
        // records them and fails after the program settles (scripts/plan.ts), naming each one.
        this.checks.register({
          urn,
          type: record.type,
          name: record.name,
          parent: req.getParent(),
          custom: record.custom,
          provider,
          dependencies: record.dependencies,
          id: r.getId(),
        });
        this.planned.push({ urn, ...record });
      }
      callback(err, resp);
    });
  }
}

export interface MockRunOptions {
  project: string;
  stack: string;
  /** Full config map as the engine passes it: "monitoring:prometheus" -> JSON text, etc. */
  config: Record<string, string>;
  /** Keys of `config` holding secrets. */
  secretKeys: string[];
}

/** Installs the recording mock runtime with the given config. Call before importing the program. */
export function installMockRuntime(opts: MockRunOptions): {
  resources(): PlannedResource[];
  /** What the engine would refuse (engine-checks.ts), in registration order. */
  engineErrors(): string[];
  settle(): Promise<void>;
} {
  const monitor = new RecordingMonitor(mocks, disabledDefaultProviders(opts.config));
  settings.setMockOptions(monitor, opts.project, opts.stack, true);
  // The feature switches pulumi.runtime.setMocks turns on (setMockOptions resets them): without
  // supportsSecrets the SDK would send secret values as plain text.
  Object.assign(state.getStore(), {
    supportsSecrets: true,
    supportsResourceReferences: true,
    supportsOutputValues: false,
    supportsDeletedWith: true,
    supportsReplaceWith: true,
    supportsAliasSpecs: true,
    supportsTransforms: true,
    supportsInvokeTransforms: true,
    supportsParameterization: true,
    supportsResourceHooks: true,
    supportsErrorHooks: true,
    supportsInvokeDependsOn: false,
  });
  pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);
  return {
    resources: () => [...monitor.planned].sort((a, b) => a.urn.localeCompare(b.urn)),
    engineErrors: () => [...monitor.checks.errors],
    settle: async () => {
      // Registrations chain on each other's outputs: drain until nothing new arrives.
      let before = -1;
      while (before !== monitor.planned.length) {
        before = monitor.planned.length;
        await settings.waitForRPCs();
        await new Promise((r) => setImmediate(r));
      }
    },
  };
}

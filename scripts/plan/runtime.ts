/**
 * Runs a Pulumi program under Pulumi's mock runtime and records every resource registration with its
 * parent, dependencies, protect/retainOnDelete flags and inputs (secrets redacted). Used by the offline
 * plan and by the tests: the mocks stand in for the cloud, the program itself runs unchanged.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
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

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/** The mocks: resources echo their inputs as state; a few read-backs a program needs are filled in. */
const mocks: pulumi.runtime.Mocks = {
  newResource(args) {
    const state: Record<string, unknown> = { ...args.inputs };
    if (args.type === "docker:index/remoteImage:RemoteImage") state.imageId = `sha256:mock-${args.name}`;
    if (args.type === "random:index/randomPassword:RandomPassword")
      state.result = `mock-password-${args.name}`;
    if (args.type === "aws:rds/instance:Instance") {
      state.address = `${args.name}.mock.rds.amazonaws.com`;
      state.endpoint = `${args.name}.mock.rds.amazonaws.com:5432`;
      state.port = 5432;
    }
    return { id: `${args.name}-id`, state };
  },
  call(args) {
    if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
      return { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/mock", userId: "mock" };
    }
    if (args.token === "aws:index/getRegion:getRegion") return { name: "us-west-2", region: "us-west-2" };
    if (args.token === "aws:index/getPartition:getPartition")
      return { partition: "aws", dnsSuffix: "amazonaws.com" };
    return args.inputs;
  },
};

class RecordingMonitor extends MockMonitor {
  readonly planned: PlannedResource[] = [];

  async registerResource(
    req: RegisterRequest,
    callback: (err: unknown, resp: unknown) => void,
  ): Promise<void> {
    const record = {
      type: req.getType(),
      name: req.getName(),
      parent: req.getParent() || null,
      dependencies: req.getDependenciesList(),
      protect: req.getProtect() ?? false,
      retainOnDelete: req.getRetainondelete() ?? false,
      inputs: (redactWireValue(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>) ?? {},
    };
    return super.registerResource(req, (err: unknown, resp: unknown) => {
      if (!err && resp) {
        const urn = (resp as { getUrn(): string }).getUrn();
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
  settle(): Promise<void>;
} {
  const monitor = new RecordingMonitor(mocks);
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

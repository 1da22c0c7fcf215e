/**
 * Docker (dev stacks): no privileged containers, no host namespaces or host bind mounts without an
 * exemption, a non-root user, dropped capabilities and no-new-privileges, loopback-only published
 * ports, pinned images, memory limits.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import type { PolicyConfigSchema } from "@pulumi/policy";
import { DEFAULT_FLOATING_TAGS, DEFAULT_REGISTRIES, registryAllowed, unpinnedReason } from "./images";
import { at, bool, configOf, num, objs, resourceLabel, resourceRule, str, strs } from "./read";
import { registriesSchema } from "./workloads";

const CONTAINER = "docker:index/container:Container";
const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";

function containerRule(
  name: string,
  description: string,
  validate: (args: ResourceValidationArgs, report: (message: string) => void) => void,
  configSchema?: PolicyConfigSchema,
): ResourceValidationPolicy {
  return resourceRule({
    name,
    description,
    types: [CONTAINER],
    exemptable: true,
    ...(configSchema ? { configSchema } : {}),
    validate,
  });
}

const noPrivileged = containerRule(
  "docker-no-privileged",
  "Docker containers must not run privileged.",
  (args, report) => {
    if (bool(args.props.privileged) === true) {
      report(
        `${resourceLabel(args)} runs privileged. Fix: remove privileged: true (grant a single capability if one is really needed), or add a named exemption with its reason.`,
      );
    }
  },
);

const NAMESPACE_MODES = ["pidMode", "ipcMode", "networkMode", "usernsMode", "cgroupnsMode"] as const;

const noHostNamespaces = containerRule(
  "docker-no-host-namespaces",
  "Docker containers must not share the host's PID, IPC, network or user namespaces.",
  (args, report) => {
    for (const mode of NAMESPACE_MODES) {
      if (str(args.props[mode]) === "host") {
        report(
          `${resourceLabel(args)} sets ${mode}: host. Fix: remove ${mode}, or add a named exemption with its reason.`,
        );
      }
    }
  },
);

const noHostBindMounts = containerRule(
  "docker-no-host-bind-mounts",
  "Docker containers must not bind-mount host paths (use named volumes or uploads).",
  (args, report) => {
    for (const m of objs(args.props.mounts)) {
      if (str(m.type) === "bind") {
        report(
          `${resourceLabel(args)} bind-mounts the host path "${str(m.source) ?? "?"}" at "${str(m.target) ?? "?"}". Fix: use a named volume or an upload, or add a named exemption with its reason.`,
        );
      }
    }
    for (const v of objs(args.props.volumes)) {
      const hostPath = str(v.hostPath);
      if (hostPath) {
        report(
          `${resourceLabel(args)} mounts the host path "${hostPath}". Fix: use a named volume, or add a named exemption with its reason.`,
        );
      }
    }
  },
);

const runAsNonRoot = containerRule(
  "docker-run-as-non-root",
  "Docker containers must run as an explicit non-root user.",
  (args, report) => {
    const user = str(args.props.user)?.trim() ?? "";
    const name = user.split(":")[0];
    if (name === "") {
      report(
        `${resourceLabel(args)} sets no user, so it runs as the image's default (often root). Fix: set user to a non-zero "uid:gid".`,
      );
    } else if (name === "0" || name === "root") {
      report(
        `${resourceLabel(args)} runs as root (user "${user}"). Fix: set user to a non-zero "uid:gid", or add a named exemption with its reason.`,
      );
    }
  },
);

const dropAll = containerRule(
  "docker-capabilities-drop-all",
  "Docker containers must drop all capabilities and set no-new-privileges.",
  (args, report) => {
    const drops = strs(at(args.props, "capabilities", "drops")).map((d) => d.toUpperCase());
    if (!drops.includes("ALL")) {
      report(
        `${resourceLabel(args)} keeps Docker's default capabilities. Fix: set capabilities.drops: ["ALL"].`,
      );
    }
    const added = strs(at(args.props, "capabilities", "adds")).filter(
      (c) => !/^(CAP_)?NET_BIND_SERVICE$/i.test(c),
    );
    if (added.length > 0) {
      report(
        `${resourceLabel(args)} adds capabilities ${added.join(", ")}. Fix: remove them from capabilities.adds.`,
      );
    }
    if (!strs(args.props.securityOpts).some((o) => /^no-new-privileges(:true|=true)?$/.test(o))) {
      report(
        `${resourceLabel(args)} allows privilege escalation. Fix: add "no-new-privileges:true" to securityOpts.`,
      );
    }
  },
);

const portsSchema: PolicyConfigSchema = {
  properties: {
    allowedAddresses: {
      type: "array",
      items: { type: "string" },
      default: ["127.0.0.1", "::1"],
      description: "Host addresses published ports may bind to.",
    },
  },
};

const loopbackPorts = containerRule(
  "docker-ports-loopback-only",
  "Published ports must bind to 127.0.0.1 (or another configured address), not every interface.",
  (args, report) => {
    const { allowedAddresses } = configOf(args, { allowedAddresses: ["127.0.0.1", "::1"] });
    for (const p of objs(args.props.ports)) {
      const ip = str(p.ip) ?? "0.0.0.0";
      if (!allowedAddresses.includes(ip)) {
        report(
          `${resourceLabel(args)} publishes port ${num(p.external) ?? num(p.internal) ?? "?"} on ${ip}. Fix: set ports[].ip to "127.0.0.1" (or list the address in allowedAddresses).`,
        );
      }
    }
  },
  portsSchema,
);

const memoryLimit = containerRule(
  "docker-memory-limit",
  "Docker containers must have a memory limit.",
  (args, report) => {
    const memory = num(args.props.memory);
    if (memory === undefined || memory <= 0) {
      report(`${resourceLabel(args)} has no memory limit. Fix: set memory (MB).`);
    }
  },
);

const pinnedSchema: PolicyConfigSchema = {
  properties: {
    floatingTags: { type: "array", items: { type: "string" }, default: DEFAULT_FLOATING_TAGS },
  },
};

const imagePinned = resourceRule({
  name: "docker-image-pinned",
  description: "Docker images must be pinned to a version tag or digest (no :latest, no untagged).",
  types: [CONTAINER, REMOTE_IMAGE],
  exemptable: true,
  configSchema: pinnedSchema,
  validate: (args, report) => {
    const { floatingTags } = configOf(args, { floatingTags: DEFAULT_FLOATING_TAGS });
    const field = args.type === CONTAINER ? "image" : "name";
    const image = str(args.props[field]);
    if (image === undefined) return;
    const why = unpinnedReason(image, floatingTags);
    if (why) {
      report(
        `${resourceLabel(args)} ${field} "${image}" ${why}. Fix: pin it to a release tag or a digest (repo@sha256:...).`,
      );
    }
  },
});

const imageRegistry = resourceRule({
  name: "docker-image-allowed-registry",
  description: "Docker images must come from an allowed registry.",
  types: [CONTAINER, REMOTE_IMAGE],
  exemptable: true,
  configSchema: registriesSchema,
  validate: (args, report) => {
    const { allowedRegistries } = configOf(args, { allowedRegistries: DEFAULT_REGISTRIES });
    const image = str(args.props[args.type === CONTAINER ? "image" : "name"]);
    if (image && !registryAllowed(image, allowedRegistries)) {
      report(
        `${resourceLabel(args)} image "${image}" is not from an allowed registry (${allowedRegistries.join(", ")}). Fix: mirror it to an allowed registry, or add its registry to allowedRegistries.`,
      );
    }
  },
});

export const dockerPolicies: ResourceValidationPolicy[] = [
  noPrivileged,
  noHostNamespaces,
  noHostBindMounts,
  runAsNonRoot,
  dropAll,
  loopbackPorts,
  memoryLimit,
  imagePinned,
  imageRegistry,
];

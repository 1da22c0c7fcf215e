/**
 * Kubernetes workload rules: Pod Security Standards "restricted" plus common practice (resources,
 * probes, pinned images from known registries). They read the pod spec of every workload kind, init
 * and ephemeral containers included, and accept exemptions per workload or, for container findings,
 * per container.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { ScopedReport } from "../../common/exemptions";
import { DEFAULT_FLOATING_TAGS, DEFAULT_REGISTRIES, registryAllowed, unpinnedReason } from "./images";
import { containerLabel, K8S_WORKLOAD_TYPES, LONG_RUNNING_KINDS, readWorkload } from "./k8s";
import type { K8sWorkload } from "./k8s";
import { at, bool, configOf, num, obj, objs, resourceRule, str, strs } from "./read";

function workloadRule(
  name: string,
  description: string,
  check: (w: K8sWorkload, report: ScopedReport, args: ResourceValidationArgs) => void,
  configSchema?: PolicyConfigSchema,
): ResourceValidationPolicy {
  return resourceRule({
    name,
    description,
    types: K8S_WORKLOAD_TYPES,
    exemptable: true,
    ...(configSchema ? { configSchema } : {}),
    validate: (args, report) => {
      const w = readWorkload(args);
      if (w) check(w, report, args);
    },
  });
}

const noPrivileged = workloadRule(
  "k8s-no-privileged-containers",
  "Containers must not run privileged (full access to the host's devices and kernel).",
  (w, report) => {
    for (const c of w.containers) {
      if (bool(c.securityContext.privileged) === true) {
        report(
          `${w.label} ${containerLabel(c)} runs privileged. Fix: remove securityContext.privileged (or set it to false), or add a named exemption with its reason.`,
          { container: c.name },
        );
      }
    }
  },
);

function hostNamespaceRule(field: "hostPID" | "hostIPC" | "hostNetwork", rule: string, what: string) {
  return workloadRule(rule, `Pods must not share the host's ${what} namespace (${field}).`, (w, report) => {
    if (bool(w.podSpec[field]) === true) {
      report(
        `${w.label} sets ${field}: true and shares the host's ${what} namespace. Fix: remove spec.${field}, or add a named exemption with its reason.`,
      );
    }
  });
}

const noHostPath = workloadRule(
  "k8s-no-host-path-volumes",
  "Pods must not mount host directories (hostPath volumes).",
  (w, report) => {
    for (const v of objs(w.podSpec.volumes)) {
      const hostPath = obj(v.hostPath);
      if (hostPath) {
        report(
          `${w.label} mounts the host path "${str(hostPath.path) ?? "?"}" as volume "${str(v.name) ?? "?"}". Fix: use a configMap, secret, emptyDir or persistent volume instead, or add a named exemption with its reason.`,
        );
      }
    }
  },
);

const noHostPorts = workloadRule(
  "k8s-no-host-ports",
  "Containers must not bind ports on the node (hostPort).",
  (w, report) => {
    for (const c of w.containers) {
      for (const p of objs(c.raw.ports)) {
        const hostPort = num(p.hostPort);
        if (hostPort !== undefined && hostPort > 0) {
          report(
            `${w.label} ${containerLabel(c)} binds host port ${hostPort}. Fix: remove ports[].hostPort and reach the pod through a Service, or add a named exemption with its reason.`,
            { container: c.name },
          );
        }
      }
    }
  },
);

const capabilitiesSchema: PolicyConfigSchema = {
  properties: {
    allowedCapabilities: {
      type: "array",
      items: { type: "string" },
      default: ["NET_BIND_SERVICE"],
      description:
        "Capabilities a container may add (Pod Security Standards restricted allows NET_BIND_SERVICE).",
    },
  },
};

const noAddedCapabilities = workloadRule(
  "k8s-no-added-capabilities",
  "Containers may add no Linux capability beyond the restricted set (NET_BIND_SERVICE).",
  (w, report, args) => {
    const { allowedCapabilities } = configOf(args, { allowedCapabilities: ["NET_BIND_SERVICE"] });
    const allowed = new Set(allowedCapabilities.map((c) => c.toUpperCase().replace(/^CAP_/, "")));
    for (const c of w.containers) {
      const added = strs(at(c.securityContext, "capabilities", "add"));
      const extra = added.filter((cap) => !allowed.has(cap.toUpperCase().replace(/^CAP_/, "")));
      if (extra.length > 0) {
        report(
          `${w.label} ${containerLabel(c)} adds capabilities ${extra.join(", ")}. Fix: remove them from securityContext.capabilities.add (only ${[...allowed].join(", ") || "none"} allowed), or add a named exemption with its reason.`,
          { container: c.name },
        );
      }
    }
  },
  capabilitiesSchema,
);

const dropAll = workloadRule(
  "k8s-capabilities-drop-all",
  "Containers must drop all Linux capabilities (securityContext.capabilities.drop: [ALL]).",
  (w, report) => {
    for (const c of w.containers) {
      const dropped = strs(at(c.securityContext, "capabilities", "drop")).map((d) => d.toUpperCase());
      if (!dropped.includes("ALL")) {
        report(
          `${w.label} ${containerLabel(c)} does not drop ALL capabilities. Fix: set securityContext.capabilities.drop: ["ALL"] (add back only NET_BIND_SERVICE if needed).`,
          { container: c.name },
        );
      }
    }
  },
);

const runAsNonRoot = workloadRule(
  "k8s-run-as-non-root",
  "Containers must run as a non-root user (runAsNonRoot: true, runAsUser not 0).",
  (w, report) => {
    const podNonRoot = bool(w.podSecurityContext.runAsNonRoot);
    const podUser = num(w.podSecurityContext.runAsUser);
    for (const c of w.containers) {
      const nonRoot = bool(c.securityContext.runAsNonRoot) ?? podNonRoot;
      const user = num(c.securityContext.runAsUser) ?? podUser;
      if (user === 0) {
        report(
          `${w.label} ${containerLabel(c)} runs as root (runAsUser: 0). Fix: set runAsUser to a non-zero UID and runAsNonRoot: true in the pod or container securityContext, or add a named exemption with its reason.`,
          { container: c.name },
        );
      } else if (nonRoot !== true) {
        report(
          `${w.label} ${containerLabel(c)} may run as root (runAsNonRoot is not true). Fix: set securityContext.runAsNonRoot: true and a non-zero runAsUser, or add a named exemption with its reason.`,
          { container: c.name },
        );
      }
    }
  },
);

const noPrivilegeEscalation = workloadRule(
  "k8s-no-privilege-escalation",
  "Containers must set allowPrivilegeEscalation: false.",
  (w, report) => {
    for (const c of w.containers) {
      if (bool(c.securityContext.allowPrivilegeEscalation) !== false) {
        report(
          `${w.label} ${containerLabel(c)} allows privilege escalation. Fix: set securityContext.allowPrivilegeEscalation: false.`,
          { container: c.name },
        );
      }
    }
  },
);

const SECCOMP_OK = new Set(["RuntimeDefault", "Localhost"]);
const seccomp = workloadRule(
  "k8s-seccomp-profile",
  "Pods must run with the RuntimeDefault (or a Localhost) seccomp profile, never Unconfined.",
  (w, report) => {
    const podType = str(at(w.podSecurityContext, "seccompProfile", "type"));
    for (const c of w.containers) {
      const own = str(at(c.securityContext, "seccompProfile", "type"));
      const effective = own ?? podType;
      if (!effective || !SECCOMP_OK.has(effective)) {
        report(
          `${w.label} ${containerLabel(c)} has seccomp profile ${effective ?? "unset"}. Fix: set securityContext.seccompProfile.type: RuntimeDefault on the pod (and no Unconfined override on containers).`,
          { container: c.name },
        );
      }
    }
  },
);

const readOnlyRoot = workloadRule(
  "k8s-read-only-root-filesystem",
  "Containers must run with a read-only root filesystem.",
  (w, report) => {
    for (const c of w.containers) {
      if (c.role === "ephemeral container") continue;
      if (bool(c.securityContext.readOnlyRootFilesystem) !== true) {
        report(
          `${w.label} ${containerLabel(c)} has a writable root filesystem. Fix: set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes.`,
          { container: c.name },
        );
      }
    }
  },
);

const requests = workloadRule(
  "k8s-resource-requests",
  "Containers must request CPU and memory so the scheduler can place them.",
  (w, report) => {
    for (const c of w.containers) {
      if (c.role === "ephemeral container") continue;
      const req = obj(at(c.raw, "resources", "requests")) ?? {};
      const missing = ["cpu", "memory"].filter(
        (k) => req[k] === undefined || req[k] === null || req[k] === "",
      );
      if (missing.length > 0) {
        report(
          `${w.label} ${containerLabel(c)} has no ${missing.join(" and ")} request. Fix: set resources.requests.${missing.join(" and resources.requests.")}.`,
          { container: c.name },
        );
      }
    }
  },
);

const limits = workloadRule(
  "k8s-resource-limits",
  "Containers must set a memory limit so one process cannot exhaust its node.",
  (w, report) => {
    for (const c of w.containers) {
      if (c.role === "ephemeral container") continue;
      const limit = at(c.raw, "resources", "limits", "memory");
      if (limit === undefined || limit === null || limit === "") {
        report(`${w.label} ${containerLabel(c)} has no memory limit. Fix: set resources.limits.memory.`, {
          container: c.name,
        });
      }
    }
  },
);

const probes = workloadRule(
  "k8s-health-probes",
  "Long-running containers must have liveness and readiness probes.",
  (w, report) => {
    if (!LONG_RUNNING_KINDS.has(w.kind)) return;
    for (const c of w.containers) {
      if (c.role !== "container") continue;
      const missing = ["livenessProbe", "readinessProbe"].filter((p) => !obj(c.raw[p]));
      if (missing.length > 0) {
        report(
          `${w.label} ${containerLabel(c)} has no ${missing.join(" or ")}. Fix: define ${missing.join(" and ")}.`,
          { container: c.name },
        );
      }
    }
  },
);

const pinnedSchema: PolicyConfigSchema = {
  properties: {
    floatingTags: {
      type: "array",
      items: { type: "string" },
      default: DEFAULT_FLOATING_TAGS,
      description: "Tags that move and therefore do not pin an image.",
    },
  },
};

const pinned = workloadRule(
  "k8s-image-pinned",
  "Container images must be pinned to a version tag or digest (no :latest, no untagged).",
  (w, report, args) => {
    const { floatingTags } = configOf(args, { floatingTags: DEFAULT_FLOATING_TAGS });
    for (const c of w.containers) {
      const image = str(c.raw.image);
      if (!image) {
        report(
          `${w.label} ${containerLabel(c)} names no image. Fix: set image to a pinned reference (repo:version or repo@sha256:...).`,
          { container: c.name },
        );
        continue;
      }
      const why = unpinnedReason(image, floatingTags);
      if (why) {
        report(
          `${w.label} ${containerLabel(c)} image "${image}" ${why}. Fix: pin it to a release tag or a digest (repo@sha256:...).`,
          { container: c.name },
        );
      }
    }
  },
  pinnedSchema,
);

export const registriesSchema: PolicyConfigSchema = {
  properties: {
    allowedRegistries: {
      type: "array",
      items: { type: "string" },
      default: DEFAULT_REGISTRIES,
      description: "Registries (host, or host/path prefix) images may come from.",
    },
  },
};

const registries = workloadRule(
  "k8s-image-allowed-registry",
  "Container images must come from an allowed registry.",
  (w, report, args) => {
    const { allowedRegistries } = configOf(args, { allowedRegistries: DEFAULT_REGISTRIES });
    for (const c of w.containers) {
      const image = str(c.raw.image);
      if (image && !registryAllowed(image, allowedRegistries)) {
        report(
          `${w.label} ${containerLabel(c)} image "${image}" is not from an allowed registry (${allowedRegistries.join(", ")}). Fix: mirror the image to an allowed registry, or add its registry to the allowedRegistries config.`,
          { container: c.name },
        );
      }
    }
  },
  registriesSchema,
);

/** Containers that read the value of env var `name`, with the literal value when there is one. */
export function envLiterals(w: K8sWorkload): Array<{ container: string; name: string; value: string }> {
  const out: Array<{ container: string; name: string; value: string }> = [];
  for (const c of w.containers) {
    for (const e of objs(c.raw.env)) {
      const name = str(e.name);
      const value = str(e.value);
      if (name !== undefined && value !== undefined && e.valueFrom === undefined) {
        out.push({ container: containerLabel(c), name, value });
      }
    }
  }
  return out;
}

/** `args` and `command` of every container, as strings. */
export function commandLines(w: K8sWorkload): Array<{ container: string; argv: string[] }> {
  return w.containers.map((c) => ({
    container: containerLabel(c),
    argv: [...strs(c.raw.command), ...strs(c.raw.args)],
  }));
}

export const workloadPolicies: ResourceValidationPolicy[] = [
  noPrivileged,
  hostNamespaceRule("hostPID", "k8s-no-host-pid", "process"),
  hostNamespaceRule("hostIPC", "k8s-no-host-ipc", "IPC"),
  hostNamespaceRule("hostNetwork", "k8s-no-host-network", "network"),
  noHostPath,
  noHostPorts,
  noAddedCapabilities,
  dropAll,
  runAsNonRoot,
  noPrivilegeEscalation,
  seccomp,
  readOnlyRoot,
  requests,
  limits,
  probes,
  pinned,
  registries,
];

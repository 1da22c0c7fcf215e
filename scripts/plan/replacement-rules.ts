/**
 * Which input changes make a provider replace a resource, per resource type, taken from the providers'
 * own sources (each table names its file). Pure: given the old and new recorded resource and the changed
 * input paths, says which paths force a replacement, whether the replacement must delete first, and
 * what the reviewer should know. Types without a table are never called safe: their changes count as
 * updates and the result says the rules are unknown.
 */
import { formatPath, getPath, hasPath, isPrefix, parsePath, type Segment } from "./paths";
import type { PlannedResource } from "./types";
import { AWS_RULES } from "./rules-aws";
import type { FieldTable, RuleInput } from "./rule-types";

export type { RuleInput };

export interface RuleResult {
  /** Changed paths that force a replacement. */
  replaceBecause: Segment[][];
  /** True when the provider itself deletes the old object before creating the new one. */
  providerDeletesFirst: boolean;
  /** Why the physical name is fixed (a replacement cannot create the new one beside the old), if it is. */
  fixedName?: string;
  notes: string[];
  /** False when the plan has no replacement rules for the type. */
  known: boolean;
}

function truthy(v: unknown): boolean {
  return v === true || v === "true";
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Changed paths matched by JSONPath-style force-new paths (".spec.selector", ".spec.containers[*].image"). */
function matchForceNew(input: RuleInput, forceNew: string[]): Segment[][] {
  const patterns = forceNew.map((p) => parsePath(p.replace(/^\./, "")));
  return input.changed.filter((changed) =>
    patterns.some(
      (f) =>
        isPrefix(f, changed) ||
        // The change is above the force-new path (a whole block added, removed or retyped).
        (isPrefix(changed, f) && (hasPath(input.new.inputs, f) || hasPath(input.old.inputs, f))),
    ),
  );
}

// ---------------------------------------------------------------------------------------------------
// Kubernetes: pulumi-kubernetes provider/pkg/provider/diff.go (forceNewProperties and its tables) and
// provider/pkg/provider/provider.go Diff (Patch resources; deleteBeforeReplace). Server-side apply does
// not change these rules: Diff only drops the stale resourceVersion when serverSideApplyMode is on.

const LABEL_SELECTOR = (p: string) => [
  p,
  `${p}.matchExpressions`,
  `${p}.matchExpressions.key`,
  `${p}.matchExpressions.operator`,
  `${p}.matchExpressions.values`,
  `${p}.matchLabels`,
];

const CONTAINER_FIELDS = [
  "args",
  "command",
  "env",
  "env.value",
  "image",
  "imagePullPolicy",
  "lifecycle",
  "livenessProbe",
  "ports",
  "readinessProbe",
  "resources",
  "securityContext",
  "stdin",
  "stdinOnce",
  "terminationMessagePath",
  "terminationMessagePolicy",
  "tty",
  "volumeDevices",
  "volumeMounts",
  "workingDir",
];

const STATEFUL_SET = [
  ".spec.podManagementPolicy",
  ".spec.revisionHistoryLimit",
  ".spec.serviceName",
  ".spec.volumeClaimTemplates",
  ...LABEL_SELECTOR(".spec.selector"),
];
const SELECTOR_ONLY = LABEL_SELECTOR(".spec.selector");
const JOB = [".spec.completions", ".spec.parallelism", ".spec.template", ...LABEL_SELECTOR(".spec.selector")];
const ROLE_BINDING = [".roleRef"];

const CORE_V1: Record<string, string[]> = {
  PersistentVolume: [
    "awsElasticBlockStore",
    "azureDisk",
    "azureFile",
    "cephfs",
    "cinder",
    "csi",
    "fc",
    "flexVolume",
    "flocker",
    "gcePersistentDisk",
    "glusterfs",
    "hostPath",
    "iscsi",
    "local",
    "nfs",
    "photonPersistentDisk",
    "portworxVolume",
    "quobyte",
    "rbd",
    "scaleIO",
    "storageos",
    "vsphereVolume",
  ].map((f) => `.spec.${f}`),
  PersistentVolumeClaim: [
    ".spec.accessModes",
    ".spec.storageClassName",
    ".spec.volumeName",
    ...LABEL_SELECTOR(".spec.selector"),
  ],
  Pod: [
    ...[
      "affinity",
      "automountServiceAccountToken",
      "dnsConfig",
      "dnsPolicy",
      "enableServiceLinks",
      "hostAliases",
      "hostIPC",
      "hostNetwork",
      "hostPID",
      "hostname",
      "imagePullSecrets",
      "nodeName",
      "nodeSelector",
      "overhead",
      "preemptionPolicy",
      "priority",
      "priorityClassName",
      "readinessGates",
      "restartPolicy",
      "runtimeClassName",
      "schedulerName",
      "securityContext",
      "serviceAccount",
      "serviceAccountName",
      "shareProcessNamespace",
      "subdomain",
      "terminationGracePeriodSeconds",
      "volumes",
    ].map((f) => `.spec.${f}`),
    ...CONTAINER_FIELDS.map((f) => `.spec.containers[*].${f}`),
    ...CONTAINER_FIELDS.map((f) => `.spec.initContainers[*].${f}`),
  ],
  ResourceQuota: [".spec.scopes"],
  Secret: [".type"],
  Service: [".spec.clusterIP"],
};

/** group -> version -> kind -> force-new paths (diff.go `forceNew`; core is listed as "core" and ""). */
const K8S_FORCE_NEW: Record<string, Record<string, Record<string, string[]>>> = {
  apps: {
    v1beta1: { StatefulSet: STATEFUL_SET },
    v1beta2: { DaemonSet: SELECTOR_ONLY, Deployment: SELECTOR_ONLY, StatefulSet: STATEFUL_SET },
    v1: { DaemonSet: SELECTOR_ONLY, Deployment: SELECTOR_ONLY, StatefulSet: STATEFUL_SET },
  },
  core: { v1: CORE_V1 },
  "": { v1: CORE_V1 },
  policy: { v1beta1: { PodDisruptionBudget: [".spec"] } },
  "rbac.authorization.k8s.io": {
    v1alpha1: { ClusterRoleBinding: ROLE_BINDING, RoleBinding: ROLE_BINDING },
    v1beta1: { ClusterRoleBinding: ROLE_BINDING, RoleBinding: ROLE_BINDING },
    v1: { ClusterRoleBinding: ROLE_BINDING, RoleBinding: ROLE_BINDING },
  },
  "storage.k8s.io": { v1: { StorageClass: [".parameters", ".provisioner"] } },
  batch: { v1beta1: { Job: JOB }, v1: { Job: JOB }, v2alpha1: { Job: JOB } },
};

/** diff.go forceNewProperties for one object, given the provider's mutability flags. */
export function kubernetesForceNew(
  obj: Record<string, unknown>,
  typeToken: string,
  flags: { enableConfigMapMutable: boolean; enableSecretMutable: boolean },
): string[] {
  const props = [".metadata.name", ".metadata.namespace"];
  const kind = str(obj.kind) ?? "";
  // kinds/util.go IsPatchResource: `<Kind>Patch` types update everything else in place.
  if (typeToken.split(":").pop() === `${kind}Patch`) return props;
  const apiVersion = str(obj.apiVersion) ?? "";
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const versions = K8S_FORCE_NEW[group]?.[version];
  if (!versions) return props;
  const immutable = obj.immutable === true;
  const isSecret = group === "" && kind === "Secret";
  const isConfigMap = group === "" && kind === "ConfigMap";
  if (isSecret && (!flags.enableSecretMutable || immutable))
    return [...props, ".type", ".stringData", ".data"];
  if (versions[kind]) return [...props, ...versions[kind]];
  if (isConfigMap && (!flags.enableConfigMapMutable || immutable)) return [...props, ".binaryData", ".data"];
  return props;
}

function kubernetesRules(input: RuleInput): RuleResult {
  const p = input.provider?.inputs ?? {};
  const forceNew = kubernetesForceNew(input.new.inputs, input.new.type, {
    enableConfigMapMutable: truthy(p.enableConfigMapMutable),
    enableSecretMutable: truthy(p.enableSecretMutable),
  });
  const replaceBecause = matchForceNew(input, forceNew);
  const meta = (r: PlannedResource) => (r.inputs.metadata ?? {}) as Record<string, unknown>;
  const notes: string[] = [];
  for (const r of [input.new, input.old]) {
    const policy = (meta(r).annotations as Record<string, unknown> | undefined)?.[
      "pulumi.com/deletionPropagationPolicy"
    ];
    if (typeof policy === "string") {
      notes.push(`pulumi.com/deletionPropagationPolicy: ${policy} (how dependents are deleted with it)`);
      break;
    }
  }
  // provider.go Diff: delete first when the object is named (not auto-named) and keeps name and namespace.
  const name = str(meta(input.new).name);
  const sameNamespace =
    (str(meta(input.new).namespace) ?? "default") === (str(meta(input.old).namespace) ?? "default");
  const keepsName = name !== undefined && name === str(meta(input.old).name) && sameNamespace;
  return {
    replaceBecause,
    providerDeletesFirst: replaceBecause.length > 0 && keepsName,
    fixedName: keepsName ? `metadata.name "${name}" is fixed` : undefined,
    notes,
    known: true,
  };
}

/**
 * The Kubernetes provider resource: pulumi-kubernetes provider.go DiffConfig. A replaced provider
 * replaces every resource it manages (pulumi/pulumi pkg/resource/deploy/step_generator.go providerChanged).
 */
function kubernetesProviderRules(input: RuleInput): RuleResult {
  const changedKeys = new Set(input.changed.map((c) => String(c[0])));
  const notes: string[] = [];
  const id = "clusterIdentifier";
  const oldId = input.old.inputs[id];
  const newId = input.new.inputs[id];
  const byKey = (keys: string[]) => input.changed.filter((c) => keys.includes(String(c[0])));
  if (oldId !== undefined && newId !== undefined && oldId === newId) {
    return { replaceBecause: [], providerDeletesFirst: false, notes, known: true };
  }
  const replaceKeys: string[] = [];
  if (oldId !== undefined && newId !== undefined && changedKeys.has(id)) replaceKeys.push(id);
  const cluster = ["kubeconfig", "context", "cluster"].filter((k) => changedKeys.has(k));
  if (cluster.length > 0) {
    replaceKeys.push(...cluster);
    notes.push(
      "the provider replaces only when the kubeconfig's active cluster changes; the plan cannot read the kubeconfig and assumes it does",
    );
  }
  if (changedKeys.has("renderYamlToDirectory")) replaceKeys.push("renderYamlToDirectory");
  return { replaceBecause: byKey(replaceKeys), providerDeletesFirst: false, notes, known: true };
}

// ---------------------------------------------------------------------------------------------------
// Docker (pulumi-docker bridges kreuzwerker/terraform-provider-docker; pulumi-docker provider/resources.go
// pins upstream 5074970c = v4.5.0 and sets DeleteBeforeReplace on docker_container). The tables list the
// Pulumi names of the upstream schema's ForceNew attributes in internal/provider/resource_docker_*.go.

/** resource_docker_container.go: ForceNew top-level attributes (Pulumi names). */
const CONTAINER_FORCE_NEW = [
  "name",
  "readOnly",
  "image",
  "hostname",
  "domainname",
  "command",
  "entrypoints",
  "user",
  "dns",
  "dnsOpts",
  "dnsSearches",
  "publishAllPorts",
  "workingDir",
  "capabilities",
  "securityOpts",
  "runtime",
  "platform",
  "stopSignal",
  "stopTimeout",
  "mounts",
  "volumes",
  "ports",
  "hosts",
  "ulimits",
  "envs",
  "privileged",
  "devices",
  "deviceRequests",
  "labels",
  "shmSize",
  "logDriver",
  "logOpts",
  "networkMode",
  "networksAdvanced",
  "pidMode",
  "usernsMode",
  "uploads",
  "sysctls",
  "ipcMode",
  "groupAdds",
  "tty",
  "stdinOpen",
  "storageOpts",
  "gpus",
  "cpus",
  "cgroupnsMode",
  "cgroupParent",
];
/** resource_docker_container.go: attributes the provider updates in place. */
const CONTAINER_UPDATABLE = [
  "rm",
  "start",
  "wait",
  "waitTimeout",
  "attach",
  "logs",
  "mustRun",
  "restart",
  "maxRetryCount",
  "removeVolumes",
  "tmpfs",
  "deviceReadBps",
  "deviceReadIops",
  "deviceWriteBps",
  "deviceWriteIops",
  "destroyGraceSeconds",
  "memory",
  "memoryReservation",
  "memorySwap",
  "cpuShares",
  "cpuSet",
  "healthcheck",
  "containerReadRefreshTimeoutMilliseconds",
  "init",
  "cpuPeriod",
  "cpuQuota",
];

export const DOCKER_RULES: Record<string, FieldTable> = {
  "docker:index/container:Container": {
    source: "kreuzwerker/terraform-provider-docker internal/provider/resource_docker_container.go",
    forceNew: CONTAINER_FORCE_NEW,
    updatable: CONTAINER_UPDATABLE,
    nameFields: ["name"],
    deleteFirst: true,
  },
  "docker:index/volume:Volume": {
    source: "kreuzwerker/terraform-provider-docker internal/provider/resource_docker_volume.go",
    forceNew: [
      "name",
      "labels",
      "driver",
      "driverOpts",
      "cluster.scope",
      "cluster.sharing",
      "cluster.type",
      "cluster.topologyPreferred",
      "cluster.topologyRequired",
      "cluster.requiredBytes",
      "cluster.limitBytes",
      "cluster.group",
    ],
    updatable: ["cluster.availability"],
    nameFields: ["name"],
  },
  "docker:index/network:Network": {
    source: "kreuzwerker/terraform-provider-docker internal/provider/resource_docker_network.go",
    forceNew: [
      "name",
      "labels",
      "driver",
      "options",
      "internal",
      "attachable",
      "ingress",
      "ipv6",
      "ipamDriver",
      "ipamOptions",
      "ipamConfigs",
    ],
    updatable: [],
    nameFields: ["name"],
  },
  "docker:index/remoteImage:RemoteImage": {
    source: "kreuzwerker/terraform-provider-docker internal/provider/resource_docker_image.go",
    forceNew: ["name", "pullTriggers", "triggers", "platform"],
    updatable: ["keepLocally", "forceRemove", "build"],
  },
};

/**
 * Random (hashicorp/terraform-provider-random internal/provider/resource_password.go @0117aa60,
 * passwordSchemaV3; resource_string.go has the same plan modifiers): every argument, keepers included,
 * has a RequiresReplace plan modifier; override_special replaces unless it goes from "" to unset.
 */
const RANDOM_TYPES = new Set([
  "random:index/randomPassword:RandomPassword",
  "random:index/randomString:RandomString",
]);

function randomRules(input: RuleInput): RuleResult {
  const emptyToUnset = (c: Segment[]) =>
    c.length === 1 &&
    c[0] === "overrideSpecial" &&
    input.old.inputs.overrideSpecial === "" &&
    input.new.inputs.overrideSpecial === undefined;
  return {
    replaceBecause: input.changed.filter((c) => !emptyToUnset(c)),
    providerDeletesFirst: false,
    notes: [],
    known: true,
  };
}

// Grafana (@pulumiverse/grafana bridges grafana/terraform-provider-grafana): org_id is ForceNew on every
// org-scoped resource (internal/resources/grafana/oss_org_id.go orgIDAttribute).
const GRAFANA_SOURCE = "grafana/terraform-provider-grafana internal/resources/grafana/";
export const GRAFANA_RULES: Record<string, FieldTable> = {
  "grafana:oss/dashboard:Dashboard": {
    source: `${GRAFANA_SOURCE}resource_dashboard.go @0a5efe6b`,
    forceNew: ["folder", "orgId"],
    updatable: ["configJson", "overwrite", "message"],
  },
  "grafana:oss/folder:Folder": {
    source: `${GRAFANA_SOURCE}resource_folder.go @000e61d2`,
    forceNew: ["orgId", "uid", "parentFolderUid"],
    updatable: ["title", "preventDestroyIfNotEmpty"],
    nameFields: ["uid"],
  },
  "grafana:oss/dataSource:DataSource": {
    source: `${GRAFANA_SOURCE}resource_data_source.go @056e8f1e`,
    forceNew: ["orgId", "uid"],
    updatable: [
      "accessMode",
      "basicAuthEnabled",
      "basicAuthUsername",
      "databaseName",
      "httpHeaders",
      "isDefault",
      "jsonDataEncoded",
      "name",
      "privateDataSourceConnectNetworkId",
      "secureJsonDataEncoded",
      "type",
      "url",
      "username",
    ],
    nameFields: ["uid"],
  },
  // The version read has no ForceNew attribute: name and every notifier list update in place. Newer
  // inputs (orgId, disableProvenance, newer notifiers) are reported as unknown.
  "grafana:alerting/contactPoint:ContactPoint": {
    source: `${GRAFANA_SOURCE}resource_alerting_contact_point.go @0a5efe6b`,
    forceNew: [],
    updatable: [
      "name",
      "alertmanagers",
      "dingdings",
      "discords",
      "emails",
      "googlechats",
      "kafkas",
      "opsgenies",
      "pagerduties",
      "pushovers",
      "sensugos",
      "slacks",
      "teams",
      "telegrams",
      "threemas",
      "victorops",
      "webhooks",
      "wecoms",
    ],
  },
};

function fieldTableRules(input: RuleInput, table: FieldTable): RuleResult {
  const forceNew = table.forceNew.map(parsePath);
  const updatable = table.updatable.map(parsePath);
  const replaceBecause = input.changed.filter((c) =>
    forceNew.some(
      (f) =>
        isPrefix(f, c) || (isPrefix(c, f) && (hasPath(input.new.inputs, f) || hasPath(input.old.inputs, f))),
    ),
  );
  for (const c of table.conditional?.(input) ?? []) {
    if (!replaceBecause.some((r) => formatPath(r) === formatPath(c))) replaceBecause.push(c);
  }
  const unknown = input.changed.filter(
    (c) => !replaceBecause.includes(c) && !updatable.some((u) => isPrefix(u, c) || isPrefix(c, u)),
  );
  const notes = unknown.map(
    (c) =>
      `replacement rules unknown for ${input.new.type} input ${String(c[0])} (not in ${table.source}); counted as an update`,
  );
  const named = (table.nameFields ?? []).find(
    (f) => str(getPath(input.new.inputs, parsePath(f))) !== undefined,
  );
  const fixed =
    named && getPath(input.new.inputs, parsePath(named)) === getPath(input.old.inputs, parsePath(named))
      ? `${named} "${String(getPath(input.new.inputs, parsePath(named)))}" is fixed`
      : undefined;
  return {
    replaceBecause,
    providerDeletesFirst: replaceBecause.length > 0 && !!table.deleteFirst,
    fixedName: fixed,
    notes,
    known: true,
  };
}

/** The rules for one resource change. Components and unknown types never replace. */
export function replacementRules(input: RuleInput): RuleResult {
  const type = input.new.type;
  if (input.new.custom === false) {
    // pulumi/pulumi step_generator.go diff: a component has no provider; changed inputs are an update.
    return { replaceBecause: [], providerDeletesFirst: false, notes: [], known: true };
  }
  if (type === "pulumi:providers:kubernetes") return kubernetesProviderRules(input);
  if (type === "pulumi:providers:docker") {
    // pulumi-terraform-bridge pkg/tfbridge/provider.go DiffConfig replaces only ForcesProviderReplace
    // fields; pulumi-docker provider/resources.go marks none.
    return { replaceBecause: [], providerDeletesFirst: false, notes: [], known: true };
  }
  if (type.startsWith("kubernetes:")) return kubernetesRules(input);
  if (DOCKER_RULES[type]) return fieldTableRules(input, DOCKER_RULES[type]);
  if (AWS_RULES[type]) return fieldTableRules(input, AWS_RULES[type]);
  if (GRAFANA_RULES[type]) return fieldTableRules(input, GRAFANA_RULES[type]);
  if (RANDOM_TYPES.has(type)) return randomRules(input);
  return {
    replaceBecause: [],
    providerDeletesFirst: false,
    notes: [`replacement rules unknown for ${type}; every change counted as an update`],
    known: false,
  };
}

export type { FieldTable };

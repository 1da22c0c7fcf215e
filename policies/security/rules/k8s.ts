/** Readers for Kubernetes workload inputs: the pod spec inside every workload kind, and its containers. */
import { at, obj, objs, str, stringMap } from "./read";
import type { Obj } from "./read";

/** Workload types whose inputs carry a pod spec, and where it sits. */
const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** Type tokens of Kubernetes workloads (any served API version). */
export const K8S_WORKLOAD_TYPES =
  /^kubernetes:(core\/v1:(Pod|ReplicationController)|apps\/v1(beta[12])?:(Deployment|StatefulSet|DaemonSet|ReplicaSet)|extensions\/v1beta1:(Deployment|DaemonSet|ReplicaSet)|batch\/v1(beta1)?:(Job|CronJob))$/;

/** Long-running kinds (probes make sense; Jobs run to completion). */
export const LONG_RUNNING_KINDS = new Set(["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]);

export type ContainerRole = "container" | "init container" | "ephemeral container";

export interface Container {
  role: ContainerRole;
  name: string;
  raw: Obj;
  securityContext: Obj;
}

export interface K8sWorkload {
  kind: string;
  /** `Kind "pulumi-name"`, for messages. */
  label: string;
  namespace: string;
  podSpec: Obj;
  podSecurityContext: Obj;
  /** Pod template (or Pod) metadata. */
  podMetadata: Obj;
  containers: Container[];
}

export function kindOf(type: string): string {
  return type.split(":").pop() ?? type;
}

export function readWorkload(args: { type: string; name: string; props: Obj }): K8sWorkload | undefined {
  if (!K8S_WORKLOAD_TYPES.test(args.type)) return undefined;
  const kind = kindOf(args.type);
  const path = POD_SPEC_PATHS[kind];
  if (!path) return undefined;
  const podSpec = obj(at(args.props, ...path));
  if (!podSpec) return undefined;
  const podMetadata =
    obj(kind === "Pod" ? args.props.metadata : at(args.props, ...path.slice(0, -1), "metadata")) ?? {};
  const containers: Container[] = [];
  const add = (role: ContainerRole, list: unknown) => {
    for (const c of objs(list)) {
      containers.push({
        role,
        name: str(c.name) ?? "(unnamed)",
        raw: c,
        securityContext: obj(c.securityContext) ?? {},
      });
    }
  };
  add("init container", podSpec.initContainers);
  add("container", podSpec.containers);
  add("ephemeral container", podSpec.ephemeralContainers);
  return {
    kind,
    label: `${kind} "${args.name}"`,
    namespace: str(at(args.props, "metadata", "namespace")) ?? "default",
    podSpec,
    podSecurityContext: obj(podSpec.securityContext) ?? {},
    podMetadata,
    containers,
  };
}

/** `container "x"` / `init container "x"`, for messages. */
export function containerLabel(c: Container): string {
  return `${c.role} "${c.name}"`;
}

/** Labels of a workload's own metadata and of its pod template. */
export function workloadLabelsAndAnnotations(
  props: Obj,
  w?: K8sWorkload,
): Array<[string, Record<string, string>]> {
  const meta = obj(props.metadata) ?? {};
  const out: Array<[string, Record<string, string>]> = [
    ["label", stringMap(meta.labels)],
    ["annotation", stringMap(meta.annotations)],
  ];
  if (w && w.kind !== "Pod") {
    out.push(["pod template label", stringMap(w.podMetadata.labels)]);
    out.push(["pod template annotation", stringMap(w.podMetadata.annotations)]);
  }
  return out;
}

/** Whether a label selector (`matchLabels` + `matchExpressions`) selects the given labels. */
export function selectorMatches(selector: Obj | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const matchLabels = stringMap(selector.matchLabels);
  const expressions = objs(selector.matchExpressions);
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) return true;
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  for (const e of expressions) {
    const key = str(e.key) ?? "";
    const values = Array.isArray(e.values) ? e.values.filter((x): x is string => typeof x === "string") : [];
    const has = key in labels;
    switch (str(e.operator)) {
      case "In":
        if (!has || !values.includes(labels[key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/**
 * Small typed readers over provider inputs (plain JSON as the engine or the offline plan hands them
 * over). Every cost rule and the estimate read resources through these, so `props` never leaks as any.
 */
import { cpuCores, quantityBytes, quantityGi } from "../../lib/units";

import type { Obj } from "../common/read";
import { at, bool, arr as list, num, obj as record, str } from "../common/read";

export type { Obj };
export { at, bool, list, num, record, str };

/**
 * A planned resource as the estimate reads it: structurally the offline runner's ResourceUnderTest
 * (policies/common/runner.ts), declared here so the pack loads without the runner.
 */
export interface CostResource {
  urn: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export const T = {
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  deployment: "kubernetes:apps/v1:Deployment",
  daemonSet: "kubernetes:apps/v1:DaemonSet",
  replicaSet: "kubernetes:apps/v1:ReplicaSet",
  pod: "kubernetes:core/v1:Pod",
  job: "kubernetes:batch/v1:Job",
  cronJob: "kubernetes:batch/v1:CronJob",
  pvc: "kubernetes:core/v1:PersistentVolumeClaim",
  service: "kubernetes:core/v1:Service",
  configMap: "kubernetes:core/v1:ConfigMap",
  storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
  dockerContainer: "docker:index/container:Container",
  dockerVolume: "docker:index/volume:Volume",
  rdsInstance: "aws:rds/instance:Instance",
  rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
  ebsVolume: "aws:ebs/volume:Volume",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  compositeAlarm: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  esIndexLifecycle: "elasticstack:elasticsearch/indexLifecycle:IndexLifecycle",
} as const;

/** Kinds whose pods run `spec.replicas` times. */
const REPLICATED = new Set<string>([T.statefulSet, T.deployment, T.replicaSet]);
/** Every Kubernetes type that carries a pod template (or is a pod). */
const POD_BEARING = new Set<string>([...REPLICATED, T.daemonSet, T.pod, T.job, T.cronJob]);

export function isPodBearing(type: string): boolean {
  return POD_BEARING.has(type);
}

/** "StatefulSet "prometheus" (monitoring-prometheus-statefulset)": how messages name a resource. */
export function describe(type: string, name: string, props: Obj): string {
  const kind = type.split(":").pop() ?? type;
  const inner = str(at(props, "metadata", "name")) ?? str(props.name) ?? str(props.identifier);
  return inner && inner !== name ? `${kind} "${inner}" (${name})` : `${kind} "${name}"`;
}

export function podSpecOf(type: string, props: Obj): Obj | undefined {
  if (type === T.pod) return record(props.spec);
  if (type === T.cronJob) return record(at(props, "spec", "jobTemplate", "spec", "template", "spec"));
  if (POD_BEARING.has(type)) return record(at(props, "spec", "template", "spec"));
  return undefined;
}

/** Pods a workload runs: spec.replicas (Kubernetes default 1), "per-node" for DaemonSets, 1 for pods and jobs. */
export function replicasOf(type: string, props: Obj): number | "per-node" {
  if (type === T.daemonSet) return "per-node";
  if (REPLICATED.has(type)) return num(at(props, "spec", "replicas")) ?? 1;
  return 1;
}

export interface ContainerFacts {
  name: string;
  image: string;
  /** command followed by args, as the process sees them. */
  argv: string[];
  cpuRequest?: number;
  memoryRequestBytes?: number;
}

function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === "string");
}

/** The containers of a pod spec, with requests (a limit stands in for a missing request, as in Kubernetes). */
export function containersOf(podSpec: Obj | undefined): ContainerFacts[] {
  return list(podSpec?.containers).flatMap((c): ContainerFacts[] => {
    const container = record(c);
    if (!container) return [];
    const requests = record(at(container, "resources", "requests"));
    const limits = record(at(container, "resources", "limits"));
    return [
      {
        name: str(container.name) ?? "?",
        image: str(container.image) ?? "",
        argv: [...strings(container.command), ...strings(container.args)],
        cpuRequest: cpuCores(requests?.cpu ?? limits?.cpu),
        memoryRequestBytes: quantityBytes(requests?.memory ?? limits?.memory),
      },
    ];
  });
}

/** A Docker container as a ContainerFacts: `command` holds the args, `memory` is MB, `cpus` a decimal string. */
export function dockerContainerFacts(props: Obj): ContainerFacts {
  const memoryMb = num(props.memory);
  return {
    name: str(props.name) ?? "?",
    image: str(props.image) ?? "",
    argv: [...strings(props.entrypoints), ...strings(props.command)],
    cpuRequest: num(props.cpus),
    memoryRequestBytes: memoryMb === undefined ? undefined : memoryMb * 2 ** 20,
  };
}

export interface ClaimFacts {
  /** "volumeClaimTemplates[data]" or "PersistentVolumeClaim". */
  where: string;
  /** Requested size in GiB; undefined when absent or unreadable. */
  sizeGi?: number;
  rawSize?: string;
  /** storageClassName; undefined means the cluster's default class. */
  storageClass?: string;
  /** How many volumes of this shape exist (StatefulSet replicas). */
  count: number;
}

function claimFacts(spec: Obj | undefined, where: string, count: number): ClaimFacts {
  const raw = at(spec, "resources", "requests", "storage");
  return {
    where,
    sizeGi: quantityGi(raw),
    rawSize: typeof raw === "string" || typeof raw === "number" ? String(raw) : undefined,
    storageClass: str(spec?.storageClassName),
    count,
  };
}

/** Persistent volume claims a resource creates: a PVC, or a StatefulSet's templates times its replicas. */
export function claimsOf(type: string, props: Obj): ClaimFacts[] {
  if (type === T.pvc) return [claimFacts(record(props.spec), "PersistentVolumeClaim", 1)];
  if (type === T.statefulSet) {
    const replicas = num(at(props, "spec", "replicas")) ?? 1;
    return list(at(props, "spec", "volumeClaimTemplates")).map((t) => {
      const template = record(t);
      const name = str(at(template, "metadata", "name")) ?? "?";
      return claimFacts(record(template?.spec), `volumeClaimTemplates[${name}]`, replicas);
    });
  }
  return [];
}

/** Size of a Docker volume, when its driver options declare one (`driverOpts.size`). */
export function dockerVolumeGi(props: Obj): number | undefined {
  return quantityGi(at(props, "driverOpts", "size"));
}

export interface RdsFacts {
  instanceClass?: string;
  allocatedStorageGb?: number;
  maxAllocatedStorageGb?: number;
  multiAz: boolean;
  /** AWS default when unset: io1 with iops, else gp2. */
  storageType: string;
  iops?: number;
}

export function rdsFacts(props: Obj): RdsFacts {
  const iops = num(props.iops);
  return {
    instanceClass: str(props.instanceClass),
    allocatedStorageGb: num(props.allocatedStorage),
    maxAllocatedStorageGb: num(props.maxAllocatedStorage),
    multiAz: bool(props.multiAz) ?? false,
    storageType: str(props.storageType) ?? (iops ? "io1" : "gp2"),
    iops,
  };
}

/**
 * Value of a command-line flag given as `--flag=value` or `--flag value`; the last occurrence wins,
 * as with Prometheus' flag parser.
 */
export function flagValue(argv: string[], flag: string): string | undefined {
  let value: string | undefined;
  argv.forEach((arg, i) => {
    if (arg.startsWith(`${flag}=`)) value = arg.slice(flag.length + 1);
    else if (arg === flag && i + 1 < argv.length) value = argv[i + 1];
  });
  return value;
}

/** Compute rules: replica cap per workload, CPU and memory caps per container. */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { withExemptions, withStackExemptions, workloadOf } from "../../common/exemptions";
import { at, describe, num, str, T } from "../read";
import { cpuCores, formatGi, quantityBytes } from "../../../lib/units";
import { cfgNumber, cfgNumberMap, cfgString, config, containersOfResource, DEFAULTS } from "./config";

// ---- max-replicas ----

interface ReplicaCount {
  workload: string;
  replicas: number;
  urn: string;
  what: string;
}

function replicaCounts(resources: PolicyResource[]): ReplicaCount[] {
  const counts: ReplicaCount[] = [];
  const docker = new Map<string, ReplicaCount>();
  for (const r of resources) {
    const who = describe(r.type, r.name, r.props);
    if (r.type === T.deployment || r.type === T.statefulSet || r.type === T.replicaSet) {
      const workload = workloadOf(r.props) ?? str(at(r.props, "metadata", "name")) ?? r.name;
      counts.push({ workload, replicas: num(at(r.props, "spec", "replicas")) ?? 1, urn: r.urn, what: who });
    } else if (r.type === T.dockerContainer) {
      const workload = workloadOf(r.props) ?? str(r.props.name) ?? r.name;
      const seen = docker.get(workload);
      if (seen) seen.replicas++;
      else
        docker.set(workload, {
          workload,
          replicas: 1,
          urn: r.urn,
          what: `Docker containers of "${workload}"`,
        });
    }
  }
  return [...counts, ...docker.values()];
}

const maxReplicas: StackValidationPolicy = withStackExemptions({
  name: "max-replicas",
  description:
    "Workloads (Deployments, StatefulSets, numbered Docker containers) run no more replicas than the cap.",
  configSchema: {
    properties: {
      maxReplicas: {
        type: "integer",
        minimum: 1,
        default: DEFAULTS.maxReplicas,
        description: "Replica cap per workload",
      },
      perWorkload: {
        type: "object",
        additionalProperties: { type: "integer", minimum: 1 },
        default: {},
        description: "Cap per workload name (app.kubernetes.io/name), overriding maxReplicas",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const cfg = config(args);
    const cap = cfgNumber(cfg.maxReplicas, DEFAULTS.maxReplicas);
    const perWorkload = cfgNumberMap(cfg.perWorkload);
    for (const c of replicaCounts(args.resources)) {
      const max = perWorkload[c.workload] ?? cap;
      if (c.replicas > max)
        reportViolation(
          `${c.what} (workload "${c.workload}") runs ${c.replicas} replicas, over the cap of ${max}; lower its replicas in the stack config or raise max-replicas.${c.workload in perWorkload ? `perWorkload.${c.workload}` : "maxReplicas"}.`,
          c.urn,
        );
    }
  },
});

// ---- container-request-caps ----

const containerRequestCaps: ResourceValidationPolicy = withExemptions({
  name: "container-request-caps",
  description: "Each container's CPU and memory requests (Docker: cpus and memory limits) stay under caps.",
  configSchema: {
    properties: {
      maxCpu: {
        type: "string",
        default: DEFAULTS.maxCpu,
        description: "CPU cap per container, Kubernetes quantity (e.g. 500m, 2)",
      },
      maxMemory: {
        type: "string",
        default: DEFAULTS.maxMemory,
        description: "Memory cap per container, Kubernetes quantity (e.g. 2Gi)",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const cfg = config(args);
    const cpuText = cfgString(cfg.maxCpu, DEFAULTS.maxCpu);
    const memText = cfgString(cfg.maxMemory, DEFAULTS.maxMemory);
    const maxCpu = cpuCores(cpuText) ?? (cpuCores(DEFAULTS.maxCpu) as number);
    const maxMem = quantityBytes(memText) ?? (quantityBytes(DEFAULTS.maxMemory) as number);
    const who = describe(args.type, args.name, args.props);
    const docker = args.type === T.dockerContainer;
    for (const c of containersOfResource(args.type, args.props)) {
      const what = docker ? "" : ` container "${c.name}"`;
      if (c.cpuRequest !== undefined && c.cpuRequest > maxCpu)
        reportViolation(
          `${who}${what}: ${docker ? "cpus" : "CPU request"} ${c.cpuRequest} exceeds the cap of ${cpuText}; lower it in the stack config (resources) or raise container-request-caps.maxCpu.`,
          { container: c.name },
        );
      if (c.memoryRequestBytes !== undefined && c.memoryRequestBytes > maxMem)
        reportViolation(
          `${who}${what}: ${docker ? "memory" : "memory request"} ${formatGi(c.memoryRequestBytes)} exceeds the cap of ${memText}; lower it in the stack config (resources) or raise container-request-caps.maxMemory.`,
          { container: c.name },
        );
    }
  },
});

export const computePolicies = [maxReplicas, containerRequestCaps];

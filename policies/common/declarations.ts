/**
 * The workloads' own exemption declaration: the platform layer writes, on each pod template
 * (`spec.template.metadata.annotations`) and on each Docker container (as a label), the key
 * `monitoring.pulumi.io/security-exemptions` holding JSON:
 *
 *   [{ "container": "node-exporter", "exemptions": ["host-pid", "host-path"],
 *      "reason": "...", "hostPaths": ["/proc:ro", "/sys:ro"] }]
 *
 * Pod-level exemptions (host-pid, host-network, host-path) are listed on the container that needs
 * them. The parser is tolerant: it returns what it could read and a list of problems, never throws.
 */
import { dockerContainerName, dockerLabel, workloadOf } from "./exemptions";
import { at, obj, objs, str } from "./read";
import type { Obj } from "./read";

export const DECLARATION_KEY = "monitoring.pulumi.io/security-exemptions";

/** The fixed set of names a workload may declare. */
export const EXEMPTION_NAMES = [
  "host-pid",
  "host-network",
  "host-port",
  "host-path",
  "run-as-root",
  "privileged",
  "writable-root-filesystem",
  "added-capabilities",
  "sysctls",
] as const;
export type ExemptionName = (typeof EXEMPTION_NAMES)[number];

export function isExemptionName(value: string): value is ExemptionName {
  return (EXEMPTION_NAMES as readonly string[]).indexOf(value) >= 0;
}

export interface HostPath {
  path: string;
  readOnly: boolean;
}

export interface DeclaredExemption {
  container: string;
  exemptions: ExemptionName[];
  reason: string;
  hostPaths: HostPath[];
}

export interface ParsedDeclaration {
  declarations: DeclaredExemption[];
  problems: string[];
}

/** Same floor as a pack exemption's reason (EXEMPTIONS_SCHEMA), since one becomes the other. */
const MIN_REASON = 10;
const HOST_PATH = /^(\/[^:]*):(ro|rw)$/;
const KNOWN_KEYS = ["container", "exemptions", "reason", "hostPaths"];

function parseEntry(entry: Obj, where: string, problems: string[]): DeclaredExemption | undefined {
  for (const key of Object.keys(entry))
    if (KNOWN_KEYS.indexOf(key) < 0) problems.push(`${where}: unknown key "${key}"`);
  const container = str(entry.container);
  if (!container) {
    problems.push(`${where}: "container" must be a non-empty string`);
    return undefined;
  }
  const who = `${where} (container "${container}")`;
  const exemptions: ExemptionName[] = [];
  if (!Array.isArray(entry.exemptions)) problems.push(`${who}: "exemptions" must be an array of names`);
  else {
    for (const name of entry.exemptions) {
      if (typeof name !== "string" || !isExemptionName(name))
        problems.push(
          `${who}: unknown exemption ${JSON.stringify(name)} (known: ${EXEMPTION_NAMES.join(", ")})`,
        );
      else if (exemptions.indexOf(name) >= 0) problems.push(`${who}: "${name}" listed twice`);
      else exemptions.push(name);
    }
    if (entry.exemptions.length === 0) problems.push(`${who}: "exemptions" is empty`);
  }
  const reason = str(entry.reason) ?? "";
  if (reason.trim().length < MIN_REASON)
    problems.push(`${who}: "reason" must say why, in at least ${MIN_REASON} characters`);
  const hostPaths: HostPath[] = [];
  if (entry.hostPaths !== undefined && !Array.isArray(entry.hostPaths))
    problems.push(`${who}: "hostPaths" must be an array of "path:ro" / "path:rw"`);
  else if (Array.isArray(entry.hostPaths)) {
    for (const p of entry.hostPaths) {
      const m = typeof p === "string" ? HOST_PATH.exec(p) : null;
      if (!m) problems.push(`${who}: host path ${JSON.stringify(p)} is not "/absolute/path:ro" or ":rw"`);
      else hostPaths.push({ path: m[1], readOnly: m[2] === "ro" });
    }
  }
  const declaresHostPath = exemptions.indexOf("host-path") >= 0;
  if (declaresHostPath && hostPaths.length === 0)
    problems.push(`${who}: "host-path" needs the paths it mounts in "hostPaths"`);
  if (!declaresHostPath && Array.isArray(entry.hostPaths))
    problems.push(`${who}: "hostPaths" given without the "host-path" exemption`);
  return { container, exemptions, reason, hostPaths };
}

/** Parses the annotation/label value. */
export function parseDeclaration(text: string): ParsedDeclaration {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { declarations: [], problems: [`not JSON (${why}): ${JSON.stringify(text.slice(0, 80))}`] };
  }
  if (!Array.isArray(value))
    return { declarations: [], problems: ["must be a JSON array of { container, exemptions, reason }"] };
  const problems: string[] = [];
  const declarations: DeclaredExemption[] = [];
  value.forEach((item, i) => {
    const entry = obj(item);
    if (!entry) {
      problems.push(`entry ${i}: not an object`);
      return;
    }
    const parsed = parseEntry(entry, `entry ${i}`, problems);
    if (!parsed) return;
    if (declarations.some((d) => d.container === parsed.container))
      problems.push(`entry ${i}: container "${parsed.container}" is declared twice`);
    declarations.push(parsed);
  });
  return { declarations, problems };
}

export type Platform = "kubernetes" | "docker";

/** A resource that carries a declaration, with what the agreement check needs to know about it. */
export interface ResourceDeclaration extends ParsedDeclaration {
  urn: string;
  platform: Platform;
  workload?: string;
  /** Names of the containers the resource runs (on Docker: the one container). */
  containers: string[];
}

const DOCKER_CONTAINER = "docker:index/container:Container";

/** Where the pod template (or the Pod's own) metadata and spec sit, per Kubernetes kind. */
const POD_PATHS: Record<string, string[]> = {
  Pod: [],
  Deployment: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  ReplicationController: ["spec", "template"],
  Job: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
};

function podOf(type: string, props: Obj): Obj | undefined {
  if (type.indexOf("kubernetes:") !== 0) return undefined;
  const path = POD_PATHS[type.split(":").pop() ?? ""];
  if (!path) return undefined;
  return path.length === 0 ? props : obj(at(props, ...path));
}

/** The declaration a resource carries, or undefined when it carries none. */
export function declarationOf(resource: {
  urn: string;
  type: string;
  inputs: Record<string, unknown>;
}): ResourceDeclaration | undefined {
  const props = resource.inputs;
  const workload = workloadOf(props);
  if (resource.type === DOCKER_CONTAINER) {
    const text = dockerLabel(props, DECLARATION_KEY);
    if (text === undefined) return undefined;
    const name = dockerContainerName(props);
    return {
      urn: resource.urn,
      platform: "docker",
      ...(workload ? { workload } : {}),
      containers: name ? [name] : [],
      ...parseDeclaration(text),
    };
  }
  const pod = podOf(resource.type, props);
  const text = str(at(pod, "metadata", "annotations", DECLARATION_KEY));
  if (!pod || text === undefined) return undefined;
  const spec = obj(pod.spec) ?? {};
  const containers = [spec.initContainers, spec.containers, spec.ephemeralContainers]
    .map((list) => objs(list).map((c) => str(c.name) ?? ""))
    .reduce((a: string[], b) => a.concat(b), []);
  return {
    urn: resource.urn,
    platform: "kubernetes",
    ...(workload ? { workload } : {}),
    containers,
    ...parseDeclaration(text),
  };
}

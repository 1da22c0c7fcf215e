/**
 * Explicit exemptions shared by both packs. Every policy that accepts exemptions declares an
 * `exemptions` config property: a list of `{ workload, container?, reason }` for that rule. The
 * per-environment policy config files carry the lists, so the engine (`--policy-pack-config`) and the
 * offline plan read the same data. An exempted finding is never dropped silently: it goes to the
 * exemption sink (the offline report; the engine's log when run under `pulumi preview`).
 *
 * Container-level rules say which container a finding is about (`report(message, { container })`), so
 * an exemption naming a container waives only that container's findings; one without a container
 * waives the rule for the whole workload (what pod-level findings such as hostPID need).
 */
import type {
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

/** One exemption as written in a policy config file. */
export interface Exemption {
  /** Workload name (the `app.kubernetes.io/name` label, or the same label on a Docker container). */
  workload: string;
  /**
   * Only findings about this container are waived (a name in the pod's containers, initContainers or
   * ephemeralContainers; on Docker the container's `monitoring.pulumi.io/container` label). Absent: the
   * whole workload, pod-level findings included.
   */
  container?: string;
  /** Why the rule does not apply to this workload; shown in every report. */
  reason: string;
}

/** What a finding is about: a container of the workload, or (no container) the workload as a whole. */
export interface FindingScope {
  container?: string;
}

/**
 * How exemptable rules report: the engine's message plus the finding's scope. The wrappers below turn
 * it back into the engine's `reportViolation(message, urn?)`.
 */
export type ScopedReport = (message: string, scope?: FindingScope) => void;

export type ScopedResourceValidation = (
  args: ResourceValidationArgs,
  report: ScopedReport,
) => void | Promise<void>;

/** A resource policy whose validations report with a scope (input of `withExemptions`). */
export interface ExemptableResourcePolicy extends Omit<ResourceValidationPolicy, "validateResource"> {
  validateResource: ScopedResourceValidation | ScopedResourceValidation[];
}

export interface ExemptedFinding {
  policy: string;
  urn: string;
  workload: string;
  /** The container the finding is about, when it is about one. */
  container?: string;
  message: string;
  reason: string;
}

type Sink = (finding: ExemptedFinding) => void;

let sink: Sink = (f) => {
  // Under the engine a policy pack's stdout is shown with the preview, which keeps exemptions visible.
  const where = f.container ? ` container "${f.container}"` : "";
  console.log(`[exempted] ${f.policy} ${f.urn}${where}: ${f.message} (reason: ${f.reason})`);
};

/** Routes exempted findings elsewhere (the offline runner collects them); returns the previous sink. */
export function setExemptionSink(next: Sink): Sink {
  const previous = sink;
  sink = next;
  return previous;
}

/** JSON schema fragment for the `exemptions` config property. */
export const EXEMPTIONS_SCHEMA: PolicyConfigJSONSchema = {
  type: "array",
  items: {
    type: "object",
    properties: {
      workload: { type: "string", minLength: 1 },
      container: {
        type: "string",
        minLength: 1,
        description: "Waive only findings about this container; without it, the whole workload",
      },
      reason: { type: "string", minLength: 10 },
    },
    required: ["workload", "reason"],
    additionalProperties: false,
  },
  default: [],
};

const WORKLOAD_LABEL = "app.kubernetes.io/name";
/** Docker container label naming the container within its workload. */
export const CONTAINER_LABEL = "monitoring.pulumi.io/container";
const DOCKER_CONTAINER = "docker:index/container:Container";

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The workload a resource belongs to, read from its labels: Kubernetes metadata or pod template
 * labels, or Docker container labels (a list of `{label, value}`).
 */
export function workloadOf(props: Record<string, unknown>): string | undefined {
  const metadata = record(props.metadata);
  const labels = record(metadata?.labels);
  const fromMeta = labels?.[WORKLOAD_LABEL];
  if (typeof fromMeta === "string") return fromMeta;
  const template = record(record(record(props.spec)?.template)?.metadata);
  const fromTemplate = record(template?.labels)?.[WORKLOAD_LABEL];
  if (typeof fromTemplate === "string") return fromTemplate;
  return dockerLabel(props, WORKLOAD_LABEL);
}

/** A label of a Docker container (a list of `{label, value}`). */
export function dockerLabel(props: Record<string, unknown>, key: string): string | undefined {
  if (!Array.isArray(props.labels)) return undefined;
  for (const entry of props.labels) {
    const l = record(entry);
    if (l?.label === key && typeof l.value === "string") return l.value;
  }
  return undefined;
}

/**
 * The container a Docker container resource is within its workload: its `monitoring.pulumi.io/container`
 * label, else the workload's name (a single-container workload's container is named after it).
 */
export function dockerContainerName(props: Record<string, unknown>): string | undefined {
  return dockerLabel(props, CONTAINER_LABEL) ?? workloadOf(props);
}

/** The exemption covering a finding: one naming its container first, else a workload-wide one. */
function exemptionFor(
  exemptions: Exemption[] | undefined,
  workload: string | undefined,
  container: string | undefined,
): Exemption | undefined {
  if (!workload || !exemptions) return undefined;
  const own = exemptions.filter((e) => e.workload === workload);
  return (
    (container === undefined ? undefined : own.find((e) => e.container === container)) ??
    own.find((e) => e.container === undefined)
  );
}

/**
 * Wraps a resource policy so that findings on exempted workloads (or containers) go to the exemption
 * sink instead of `reportViolation`. The rule still runs on exempted workloads (so the report shows
 * what was waived), and every other rule still applies to them. A Docker container resource is one
 * container, so every finding on it is about that container, whatever scope the rule passed.
 */
export function withExemptions(policy: ExemptableResourcePolicy): ResourceValidationPolicy {
  const validations = policy.validateResource;
  const list = Array.isArray(validations) ? validations : [validations];
  const schema = policy.configSchema ?? { properties: {} };
  return {
    ...policy,
    configSchema: { ...schema, properties: { ...schema.properties, exemptions: EXEMPTIONS_SCHEMA } },
    validateResource: async (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      const { exemptions } = args.getConfig<{ exemptions?: Exemption[] }>();
      const workload = workloadOf(args.props);
      const docker = args.type === DOCKER_CONTAINER ? dockerContainerName(args.props) : undefined;
      const report: ScopedReport = (message, scope) => {
        const container = docker ?? scope?.container;
        const exemption = exemptionFor(exemptions, workload, container);
        if (!exemption) {
          reportViolation(message);
          return;
        }
        sink({
          policy: policy.name,
          urn: args.urn,
          workload: workload ?? "",
          ...(container === undefined ? {} : { container }),
          message,
          reason: exemption.reason,
        });
      };
      for (const validate of list) await validate(args, report);
    },
  };
}

/**
 * Same as `withExemptions` for stack policies: a finding naming an exempted workload's resource is
 * waived. Stack findings are about workloads, so only workload-wide exemptions (no container) apply.
 */
export function withStackExemptions(policy: StackValidationPolicy): StackValidationPolicy {
  const schema = policy.configSchema ?? { properties: {} };
  return {
    ...policy,
    configSchema: { ...schema, properties: { ...schema.properties, exemptions: EXEMPTIONS_SCHEMA } },
    validateStack: async (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const { exemptions } = args.getConfig<{ exemptions?: Exemption[] }>();
      const byUrn = new Map(args.resources.map((r) => [r.urn, r]));
      const report: ReportViolation = (message, urn) => {
        const resource = urn ? byUrn.get(urn) : undefined;
        const workload = resource ? workloadOf(resource.props) : undefined;
        const exemption = exemptionFor(exemptions, workload, undefined);
        if (exemption && urn) {
          sink({ policy: policy.name, urn, workload: workload ?? "", message, reason: exemption.reason });
        } else {
          reportViolation(message, urn);
        }
      };
      await policy.validateStack(args, report);
    },
  };
}

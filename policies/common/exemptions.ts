/**
 * Explicit exemptions shared by both packs. Every policy that accepts exemptions declares an
 * `exemptions` config property: a list of `{ workload, reason }` for that rule. The per-environment
 * policy config files carry the lists, so the engine (`--policy-pack-config`) and the offline plan read
 * the same data. An exempted finding is never dropped silently: it goes to the exemption sink
 * (the offline report; the engine's log when run under `pulumi preview`).
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
  /** Why the rule does not apply to this workload; shown in every report. */
  reason: string;
}

export interface ExemptedFinding {
  policy: string;
  urn: string;
  workload: string;
  message: string;
  reason: string;
}

type Sink = (finding: ExemptedFinding) => void;

let sink: Sink = (f) => {
  // Under the engine a policy pack's stdout is shown with the preview, which keeps exemptions visible.
  console.log(`[exempted] ${f.policy} ${f.urn}: ${f.message} (reason: ${f.reason})`);
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
    properties: { workload: { type: "string" }, reason: { type: "string", minLength: 10 } },
    required: ["workload", "reason"],
    additionalProperties: false,
  },
  default: [],
};

const WORKLOAD_LABEL = "app.kubernetes.io/name";

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
  if (Array.isArray(props.labels)) {
    for (const entry of props.labels) {
      const l = record(entry);
      if (l?.label === WORKLOAD_LABEL && typeof l.value === "string") return l.value;
    }
  }
  return undefined;
}

function exemptionFor(
  exemptions: Exemption[] | undefined,
  workload: string | undefined,
): Exemption | undefined {
  if (!workload || !exemptions) return undefined;
  return exemptions.find((e) => e.workload === workload);
}

/**
 * Wraps a resource policy so that findings on exempted workloads go to the exemption sink instead of
 * `reportViolation`. The rule still runs on exempted workloads (so the report shows what was waived),
 * and every other rule still applies to them.
 */
export function withExemptions(policy: ResourceValidationPolicy): ResourceValidationPolicy {
  const validations = policy.validateResource;
  if (!validations) return policy;
  const list = Array.isArray(validations) ? validations : [validations];
  const schema = policy.configSchema ?? { properties: {} };
  return {
    ...policy,
    configSchema: { ...schema, properties: { ...schema.properties, exemptions: EXEMPTIONS_SCHEMA } },
    validateResource: async (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      const { exemptions } = args.getConfig<{ exemptions?: Exemption[] }>();
      const workload = workloadOf(args.props);
      const exemption = exemptionFor(exemptions, workload);
      const report: ReportViolation = exemption
        ? (message) =>
            sink({
              policy: policy.name,
              urn: args.urn,
              workload: workload ?? "",
              message,
              reason: exemption.reason,
            })
        : reportViolation;
      for (const validate of list) await validate(args, report);
    },
  };
}

/** Same as `withExemptions` for stack policies: a finding naming an exempted workload's resource is waived. */
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
        const exemption = exemptionFor(exemptions, workload);
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

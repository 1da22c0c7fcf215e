/**
 * Do the packs' exemptions and the workloads' own declarations agree? Pure: planned resources and pack
 * configs in, problems out.
 *
 * - Every exemption a workload declares in an environment's plan needs, for each rule it waives there
 *   (EXEMPTION_RULES), a pack exemption in that environment's config: same rule and workload, naming
 *   the container for container-level rules and no container for pod-level ones.
 * - Every pack exemption must be declared by some shipped plan (any environment: the dev config also
 *   carries the Kubernetes rules' exemptions, which only the prod plan declares).
 * - A declaration must parse, name its workload, and name containers the resource runs.
 */
import { declarationOf } from "./declarations";
import type { ResourceDeclaration } from "./declarations";
import { EXEMPTION_RULES } from "./exemption-map";
import { obj, objs, str } from "./read";

export interface PlannedStack {
  environment: string;
  resources: Array<{ urn: string; type: string; inputs: Record<string, unknown> }>;
}

/** Environment -> pack directory ("security", "cost") -> that pack's config.<env>.json document. */
export type PackConfigs = Record<string, Record<string, Record<string, unknown>>>;

export type AgreementProblemKind = "declaration" | "missing-pack-exemption" | "undeclared-pack-exemption";

export interface AgreementProblem {
  kind: AgreementProblemKind;
  environment: string;
  message: string;
}

/** A pack exemption a declaration requires. */
interface Required {
  environment: string;
  pack: string;
  rule: string;
  workload: string;
  container?: string;
  /** e.g. `DaemonSet ... declares "host-pid" for container "node-exporter"`. */
  because: string;
}

interface ConfigExemption {
  workload?: string;
  container?: string;
}

function exemptionsIn(config: Record<string, unknown> | undefined, rule: string): ConfigExemption[] {
  return objs(obj(config?.[rule])?.exemptions).map((e) => {
    const workload = str(e.workload);
    const container = str(e.container);
    return { ...(workload ? { workload } : {}), ...(container ? { container } : {}) };
  });
}

const scoped = (container: string | undefined) => (container ? ` container "${container}"` : "");

function declarationProblems(environment: string, d: ResourceDeclaration): AgreementProblem[] {
  const out = d.problems.map((p) => ({
    kind: "declaration" as const,
    environment,
    message: `${d.urn}: exemption declaration ${p}`,
  }));
  if (!d.workload)
    out.push({
      kind: "declaration",
      environment,
      message: `${d.urn}: declares exemptions but has no app.kubernetes.io/name label`,
    });
  for (const decl of d.declarations)
    if (d.containers.indexOf(decl.container) < 0)
      out.push({
        kind: "declaration",
        environment,
        message: `${d.urn}: declares exemptions for container "${decl.container}", which it does not run (it runs ${d.containers.map((c) => `"${c}"`).join(", ") || "none"})`,
      });
  return out;
}

function requiredBy(environment: string, d: ResourceDeclaration): Required[] {
  const workload = d.workload;
  if (!workload) return [];
  const out: Required[] = [];
  for (const decl of d.declarations) {
    for (const name of decl.exemptions) {
      for (const w of EXEMPTION_RULES[d.platform][name]) {
        out.push({
          environment,
          pack: w.pack,
          rule: w.rule,
          workload,
          ...(w.scope === "container" ? { container: decl.container } : {}),
          because: `${d.urn} declares "${name}" for container "${decl.container}"`,
        });
      }
    }
  }
  return out;
}

const key = (pack: string, rule: string, workload: string | undefined, container: string | undefined) =>
  JSON.stringify([pack, rule, workload ?? "", container ?? ""]);

/** Problems with the agreement between `plans` and `configs`; empty when they agree. */
export function exemptionAgreement(plans: PlannedStack[], configs: PackConfigs): AgreementProblem[] {
  const problems: AgreementProblem[] = [];
  const required: Required[] = [];
  for (const plan of plans) {
    for (const resource of plan.resources) {
      const d = declarationOf(resource);
      if (!d) continue;
      problems.push(...declarationProblems(plan.environment, d));
      required.push(...requiredBy(plan.environment, d));
    }
  }

  // Declared -> pack exemption in the same environment's config.
  const reported = new Set<string>();
  for (const r of required) {
    const id = JSON.stringify([r.environment, key(r.pack, r.rule, r.workload, r.container)]);
    if (reported.has(id)) continue;
    const envConfigs = configs[r.environment];
    const entries = exemptionsIn(envConfigs?.[r.pack], r.rule).filter((e) => e.workload === r.workload);
    if (entries.some((e) => e.container === r.container)) continue;
    reported.add(id);
    const want = r.container ? `container "${r.container}"` : "no container (the rule is pod-level)";
    const have = entries.length
      ? `; it has ${entries.map((e) => (e.container ? `container "${e.container}"` : "a workload-wide one")).join(", ")}`
      : "";
    problems.push({
      kind: "missing-pack-exemption",
      environment: r.environment,
      message: `${r.because}, but ${r.pack}/config.${r.environment}.json has no "${r.rule}" exemption for workload "${r.workload}" with ${want}${have}`,
    });
  }

  // Pack exemption -> declared by some shipped plan.
  const declared = new Set(required.map((r) => key(r.pack, r.rule, r.workload, r.container)));
  const waivable = new Set(required.map((r) => r.rule));
  for (const environment of Object.keys(configs)) {
    for (const pack of Object.keys(configs[environment])) {
      const config = configs[environment][pack];
      for (const rule of Object.keys(config)) {
        for (const e of exemptionsIn(config, rule)) {
          if (declared.has(key(pack, rule, e.workload, e.container))) continue;
          const hint = waivable.has(rule)
            ? ""
            : " (no shipped workload declares any exemption that waives this rule)";
          problems.push({
            kind: "undeclared-pack-exemption",
            environment,
            message: `${pack}/config.${environment}.json exempts workload "${e.workload ?? "?"}"${scoped(e.container)} from "${rule}", but no shipped plan declares it${hint}`,
          });
        }
      }
    }
  }
  return problems;
}

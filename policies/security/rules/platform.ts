/** Stack-wide Kubernetes rules: a NetworkPolicy in every workload namespace, PDBs for replicated workloads. */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { withStackExemptions } from "../../common/exemptions";
import { readWorkload, selectorMatches } from "./k8s";
import { at, num, obj, str, stringMap } from "./read";

const NETWORK_POLICY = /^kubernetes:networking\.k8s\.io\/v1:NetworkPolicy$/;
const PDB = /^kubernetes:policy\/v1(beta1)?:PodDisruptionBudget$/;
const REPLICATED = /^kubernetes:apps\/v1(beta[12])?:(Deployment|StatefulSet)$/;

function namespaceOf(r: PolicyResource): string {
  return str(at(r.props, "metadata", "namespace")) ?? "default";
}

const networkPolicyPerNamespace = withStackExemptions({
  name: "k8s-network-policy-per-namespace",
  description:
    "Every namespace that runs a workload must have a NetworkPolicy (default-open pod networking otherwise).",
  validateStack: (args, report) => {
    const covered = new Set(args.resources.filter((r) => NETWORK_POLICY.test(r.type)).map(namespaceOf));
    for (const r of args.resources) {
      const w = readWorkload(r);
      if (!w || covered.has(w.namespace)) continue;
      report(
        `${w.label} runs in namespace "${w.namespace}", which has no NetworkPolicy. Fix: add a NetworkPolicy in "${w.namespace}" that admits only the traffic the workload needs.`,
        r.urn,
      );
    }
  },
});

const pdbForReplicated = withStackExemptions({
  name: "k8s-pdb-for-replicated-workloads",
  description:
    "Every Deployment or StatefulSet with more than one replica must be covered by a PodDisruptionBudget.",
  validateStack: (args, report) => {
    const pdbs = args.resources.filter((r) => PDB.test(r.type));
    for (const r of args.resources) {
      if (!REPLICATED.test(r.type)) continue;
      const replicas = num(at(r.props, "spec", "replicas")) ?? 1;
      if (replicas <= 1) continue;
      const w = readWorkload(r);
      if (!w) continue;
      const labels = stringMap(w.podMetadata.labels);
      const covered = pdbs.some(
        (p) =>
          namespaceOf(p) === w.namespace && selectorMatches(obj(at(p.props, "spec", "selector")), labels),
      );
      if (!covered) {
        report(
          `${w.label} runs ${replicas} replicas in "${w.namespace}" without a PodDisruptionBudget selecting its pods. Fix: add a PodDisruptionBudget (e.g. maxUnavailable: 1) whose selector matches the pod template labels.`,
          r.urn,
        );
      }
    }
  },
});

export const platformPolicies: StackValidationPolicy[] = [networkPolicyPerNamespace, pdbForReplicated];

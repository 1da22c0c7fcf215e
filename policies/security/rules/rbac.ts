/** RBAC: no wildcards, no cluster-admin bindings, no unnamed read access to Secrets. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { at, objs, resourceLabel, resourceRule, str, strs } from "./read";

const ROLE = /^kubernetes:rbac\.authorization\.k8s\.io\/v1(beta1|alpha1)?:(Role|ClusterRole)$/;
const BINDING =
  /^kubernetes:rbac\.authorization\.k8s\.io\/v1(beta1|alpha1)?:(RoleBinding|ClusterRoleBinding)$/;

const noWildcards = resourceRule({
  name: "rbac-no-wildcards",
  description: 'Roles must name their verbs, resources and API groups: no "*".',
  types: ROLE,
  validate: (args, report) => {
    objs(args.props.rules).forEach((rule, i) => {
      const wild = (["verbs", "resources", "apiGroups", "nonResourceURLs"] as const).filter((f) =>
        strs(rule[f]).some((v) => v === "*" || (f !== "apiGroups" && v.endsWith("/*"))),
      );
      if (wild.length > 0) {
        report(
          `${resourceLabel(args)} rule ${i + 1} uses "*" in ${wild.join(", ")}. Fix: list the exact verbs, resources and API groups the workload needs.`,
        );
      }
    });
  },
});

const PRIVILEGED_GROUPS = new Set(["system:masters"]);

const noClusterAdmin = resourceRule({
  name: "rbac-no-cluster-admin-binding",
  description: "Nothing may be bound to cluster-admin (or the system:masters group).",
  types: BINDING,
  validate: (args, report) => {
    const role = str(at(args.props, "roleRef", "name"));
    if (role === "cluster-admin") {
      report(
        `${resourceLabel(args)} binds the cluster-admin ClusterRole. Fix: bind a Role/ClusterRole with only the permissions the subjects need.`,
      );
    }
    for (const s of objs(args.props.subjects)) {
      const name = str(s.name);
      if (str(s.kind) === "Group" && name && PRIVILEGED_GROUPS.has(name)) {
        report(
          `${resourceLabel(args)} grants to the ${name} group. Fix: bind named service accounts or groups instead.`,
        );
      }
    }
  },
});

const READ_VERBS = new Set(["get", "list", "watch", "*"]);

const noSecretRead = resourceRule({
  name: "rbac-no-unrestricted-secret-read",
  description: "Roles may read Secrets only when restricted to named ones (resourceNames).",
  types: ROLE,
  validate: (args, report) => {
    objs(args.props.rules).forEach((rule, i) => {
      const groups = strs(rule.apiGroups);
      const coreGroup = groups.length === 0 || groups.includes("") || groups.includes("*");
      const resources = strs(rule.resources);
      const secrets = resources.includes("secrets") || resources.includes("*");
      const verbs = strs(rule.verbs).filter((v) => READ_VERBS.has(v));
      const named = strs(rule.resourceNames).length > 0;
      if (coreGroup && secrets && verbs.length > 0 && !named) {
        report(
          `${resourceLabel(args)} rule ${i + 1} lets subjects ${verbs.join("/")} every Secret in its scope. Fix: restrict the rule to the named secrets it needs (resourceNames).`,
        );
      }
    });
  },
});

export const rbacPolicies: ResourceValidationPolicy[] = [noWildcards, noClusterAdmin, noSecretRead];

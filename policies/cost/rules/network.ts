/** Network rules: no billed cloud load balancers. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { withExemptions } from "../../common/exemptions";
import { at, describe, record, str, T } from "../read";
import { cfgBool, config, DEFAULTS } from "./config";

// ---- no-loadbalancer-services ----

const INTERNAL_LB_ANNOTATIONS: [string, string][] = [
  ["service.beta.kubernetes.io/aws-load-balancer-internal", "true"],
  ["service.beta.kubernetes.io/aws-load-balancer-scheme", "internal"],
];

const noLoadBalancerServices: ResourceValidationPolicy = withExemptions({
  name: "no-loadbalancer-services",
  description: "No Service of type LoadBalancer (each one provisions a billed cloud load balancer).",
  configSchema: {
    properties: {
      allowInternal: {
        type: "boolean",
        default: DEFAULTS.allowInternalLoadBalancers,
        description: "Accept internal load balancers (AWS internal annotation or scheme)",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== T.service || str(at(args.props, "spec", "type")) !== "LoadBalancer") return;
    const allowInternal = cfgBool(config(args).allowInternal, DEFAULTS.allowInternalLoadBalancers);
    const annotations = record(at(args.props, "metadata", "annotations")) ?? {};
    const internal = INTERNAL_LB_ANNOTATIONS.some(([k, v]) => str(annotations[k])?.toLowerCase() === v);
    if (allowInternal && internal) return;
    reportViolation(
      `${describe(args.type, args.name, args.props)}: type LoadBalancer provisions a billed cloud load balancer; use ClusterIP with the shared ingress (or kubectl port-forward in dev).`,
    );
  },
});

export const networkPolicies = [noLoadBalancerServices];

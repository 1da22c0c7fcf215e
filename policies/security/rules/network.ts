/** Services and Ingresses: no open load balancers, TLS on every Ingress host, no NodePorts. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { at, obj, objs, resourceLabel, resourceRule, str, stringMap, strs } from "./read";

const SERVICE = /^kubernetes:core\/v1:Service$/;
const INGRESS = /^kubernetes:(networking\.k8s\.io\/v1(beta1)?|extensions\/v1beta1):Ingress$/;

/** Annotations that make a cloud load balancer internal, with the values that mean "internal". */
const INTERNAL_ANNOTATIONS: Record<string, RegExp> = {
  "service.beta.kubernetes.io/aws-load-balancer-internal": /^(true|0\.0\.0\.0\/0)$/i,
  "service.beta.kubernetes.io/aws-load-balancer-scheme": /^internal$/i,
  "networking.gke.io/load-balancer-type": /^internal$/i,
  "cloud.google.com/load-balancer-type": /^internal$/i,
  "service.beta.kubernetes.io/azure-load-balancer-internal": /^true$/i,
  "service.beta.kubernetes.io/oci-load-balancer-internal": /^true$/i,
  "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type": /^private$/i,
};

const OPEN_RANGES = new Set(["0.0.0.0/0", "::/0"]);

const noOpenLoadBalancer = resourceRule({
  name: "k8s-no-unrestricted-load-balancer",
  description:
    "A LoadBalancer Service must be internal (annotation) or restrict its clients with loadBalancerSourceRanges.",
  types: SERVICE,
  validate: (args, report) => {
    if (str(at(args.props, "spec", "type")) !== "LoadBalancer") return;
    const annotations = stringMap(at(args.props, "metadata", "annotations"));
    const internal = Object.entries(INTERNAL_ANNOTATIONS).some(([k, re]) => re.test(annotations[k] ?? ""));
    if (internal) return;
    const ranges = strs(at(args.props, "spec", "loadBalancerSourceRanges"));
    const open = ranges.filter((r) => OPEN_RANGES.has(r.trim()));
    if (ranges.length === 0 || open.length > 0) {
      report(
        `${resourceLabel(args)} is a public LoadBalancer ${ranges.length === 0 ? "without loadBalancerSourceRanges" : `open to ${open.join(", ")}`}. Fix: set spec.loadBalancerSourceRanges to the client CIDRs, or make it internal (e.g. service.beta.kubernetes.io/aws-load-balancer-scheme: internal).`,
      );
    }
  },
});

const ingressTls = resourceRule({
  name: "k8s-ingress-tls",
  description: "Every Ingress host must be served over TLS (listed in spec.tls[].hosts).",
  types: INGRESS,
  validate: (args, report) => {
    const spec = obj(args.props.spec) ?? {};
    const tls = objs(spec.tls);
    const tlsHosts = new Set(tls.flatMap((t) => strs(t.hosts)));
    const rules = objs(spec.rules);
    const hosts = rules.map((r) => str(r.host)).filter((h): h is string => !!h);
    const hostless =
      rules.some((r) => !str(r.host)) || (rules.length === 0 && spec.defaultBackend !== undefined);
    const plain = hosts.filter(
      (h) => !tlsHosts.has(h) && !tlsHosts.has(`*.${h.split(".").slice(1).join(".")}`),
    );
    if (plain.length > 0) {
      report(
        `${resourceLabel(args)} serves ${plain.join(", ")} without TLS. Fix: add the host(s) to spec.tls[].hosts with a certificate secret (e.g. via cert-manager).`,
      );
    }
    if (hostless && tls.length === 0) {
      report(
        `${resourceLabel(args)} has a host-less rule and no TLS section. Fix: add spec.tls with a certificate secret.`,
      );
    }
  },
});

const noNodePort = resourceRule({
  name: "k8s-no-node-port",
  description: "Services must not be exposed on every node's address (type NodePort).",
  types: SERVICE,
  validate: (args, report) => {
    const spec = obj(args.props.spec) ?? {};
    const type = str(spec.type);
    const explicit = objs(spec.ports).filter((p) => p.nodePort !== undefined && p.nodePort !== null);
    if (type === "NodePort" || (type !== "LoadBalancer" && explicit.length > 0)) {
      report(
        `${resourceLabel(args)} is exposed as a NodePort on every node. Fix: use a ClusterIP Service behind an Ingress (or an internal LoadBalancer).`,
      );
    }
  },
});

export const networkPolicies: ResourceValidationPolicy[] = [noOpenLoadBalancer, ingressTls, noNodePort];

/**
 * Secrets stay secrets: no credential in a ConfigMap, an uploaded config file, an env literal, a label or
 * an annotation; Grafana's admin password is never the default; Elasticsearch security stays on;
 * Prometheus's admin API stays off.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { workloadOf } from "../../common/exemptions";
import { secretKeyValue, secretShape, secretsInText, splitEnv } from "./detect";
import { containerLabel, K8S_WORKLOAD_TYPES, readWorkload, workloadLabelsAndAnnotations } from "./k8s";
import type { K8sWorkload } from "./k8s";
import { objs, resourceLabel, resourceRule, SECRET_PLACEHOLDER, str, stringMap, strs } from "./read";
import { commandLines, envLiterals } from "./workloads";

const CONFIGMAP = "kubernetes:core/v1:ConfigMap";
const CONTAINER = "docker:index/container:Container";

/** Config files a resource carries in plain text: ConfigMap data, Docker container uploads. */
function configFiles(args: ResourceValidationArgs): Array<{ file: string; content: string }> {
  if (args.type === CONFIGMAP) {
    return Object.entries(stringMap(args.props.data)).map(([file, content]) => ({ file, content }));
  }
  if (args.type === CONTAINER) {
    return objs(args.props.uploads).flatMap((u) => {
      const content = str(u.content);
      return content !== undefined && content !== SECRET_PLACEHOLDER
        ? [{ file: str(u.file) ?? "(upload)", content }]
        : [];
    });
  }
  return [];
}

/** Docker container env entries as name/value (secret entries are redacted and skipped). */
function dockerEnv(args: ResourceValidationArgs): Array<{ name: string; value: string }> {
  return strs(args.props.envs).flatMap((e) => {
    const kv = splitEnv(e);
    return kv ? [kv] : [];
  });
}

const noSecretsInConfigFiles = resourceRule({
  name: "no-secrets-in-config-files",
  description:
    "ConfigMaps and files uploaded into containers must not hold passwords, tokens, API keys or webhook URLs.",
  types: [CONFIGMAP, CONTAINER],
  validate: (args, report) => {
    for (const { file, content } of configFiles(args)) {
      for (const f of secretsInText(content)) {
        report(
          `${resourceLabel(args)} file "${file}" holds ${f.what} at ${f.where}. Fix: move the value into a Kubernetes Secret / Pulumi secret and reference it (a *_file setting, $__env{...} or secretKeyRef).`,
        );
      }
    }
  },
});

const noSecretsInEnv = resourceRule({
  name: "no-secrets-in-env-literals",
  description:
    "Container env vars must not carry secrets as literal values; use secretKeyRef or Pulumi secrets.",
  types: new RegExp(`${K8S_WORKLOAD_TYPES.source}|^docker:index/container:Container$`),
  validate: (args, report) => {
    const w = readWorkload(args);
    const entries = w
      ? envLiterals(w).map((e) => ({ where: `${e.container} env ${e.name}`, name: e.name, value: e.value }))
      : dockerEnv(args).map((e) => ({ where: `env ${e.name}`, name: e.name, value: e.value }));
    for (const e of entries) {
      const what = secretKeyValue(e.name, e.value);
      if (what) {
        report(
          `${resourceLabel(args)} ${e.where} holds ${what} in plain text. Fix: read it from a Secret (env[].valueFrom.secretKeyRef) or pass it as a Pulumi secret.`,
        );
      }
    }
  },
});

function metadataMaps(args: ResourceValidationArgs): Array<[string, Record<string, string>]> {
  if (args.type.startsWith("docker:")) {
    const labels: Record<string, string> = {};
    for (const l of objs(args.props.labels)) {
      const k = str(l.label);
      const v = str(l.value);
      if (k !== undefined && v !== undefined) labels[k] = v;
    }
    return [["label", labels]];
  }
  const w = readWorkload(args);
  return workloadLabelsAndAnnotations(args.props, w);
}

const noSecretsInMetadata = resourceRule({
  name: "no-secrets-in-labels-annotations",
  description: "Labels and annotations are readable by anyone who can list the resource: no secrets in them.",
  types: /^(kubernetes|docker):/,
  validate: (args, report) => {
    for (const [kind, map] of metadataMaps(args)) {
      for (const [key, value] of Object.entries(map)) {
        const what = secretKeyValue(key, value) ?? secretShape(value);
        if (what) {
          report(
            `${resourceLabel(args)} ${kind} "${key}" holds ${what}. Fix: remove it from the ${kind}s and keep it in a Secret.`,
          );
        }
      }
    }
  },
});

const GRAFANA_IMAGE = /(^|\/)grafana\/grafana(-oss|-enterprise)?([:@]|$)/;

/** `[section]` → key → value of an INI text. */
function iniValue(text: string, section: string, key: string): string | undefined {
  let current = "";
  let found: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const s = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (s) {
      current = s[1].trim();
      continue;
    }
    const kv = /^\s*([A-Za-z0-9_.]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (kv && current === section && kv[1] === key) found = kv[2].replace(/^"(.*)"$/, "$1");
  }
  return found;
}

function iniFindings(
  label: string,
  file: string,
  content: string,
): { message?: string; setsPassword: boolean } {
  const password = iniValue(content, "security", "admin_password");
  const noInitialAdmin = iniValue(content, "security", "disable_initial_admin_creation") === "true";
  if (password !== undefined && password.trim() === "admin") {
    return {
      message: `${label} file "${file}" sets the Grafana admin_password to the default "admin". Fix: generate a password (random.RandomPassword), store it in a Secret and pass it as GF_SECURITY_ADMIN_PASSWORD.`,
      setsPassword: true,
    };
  }
  return { setsPassword: noInitialAdmin || (password !== undefined && password.trim() !== "") };
}

function grafanaK8s(w: K8sWorkload, report: (message: string) => void) {
  for (const c of w.containers) {
    if (c.role !== "container" || !GRAFANA_IMAGE.test(str(c.raw.image) ?? "")) continue;
    const env = objs(c.raw.env);
    const pw = env.find((e) => str(e.name) === "GF_SECURITY_ADMIN_PASSWORD");
    const pwFile = env.find((e) => str(e.name) === "GF_SECURITY_ADMIN_PASSWORD__FILE");
    const literal = pw && pw.valueFrom === undefined ? str(pw.value) : undefined;
    if (literal !== undefined && (literal.trim() === "" || literal.trim() === "admin")) {
      report(
        `${w.label} ${containerLabel(c)} sets GF_SECURITY_ADMIN_PASSWORD to the default/empty value. Fix: generate a password and read it from a Secret (valueFrom.secretKeyRef).`,
      );
    } else if (!pw && !pwFile && objs(c.raw.envFrom).length === 0) {
      report(
        `${w.label} ${containerLabel(c)} sets no admin password, so Grafana starts with admin/admin. Fix: set GF_SECURITY_ADMIN_PASSWORD from a Secret (valueFrom.secretKeyRef) or GF_SECURITY_ADMIN_PASSWORD__FILE.`,
      );
    }
  }
}

function isDockerGrafana(args: ResourceValidationArgs): boolean {
  // The platform's one-shot config loader stages grafana.ini but runs busybox, not Grafana.
  if (workloadOf(args.props)?.endsWith("-config-loader")) return false;
  return (
    workloadOf(args.props) === "grafana" ||
    dockerEnv(args).some((e) => e.name.startsWith("GF_")) ||
    configFiles(args).some((f) => f.file.endsWith("grafana.ini"))
  );
}

const grafanaAdminPassword = resourceRule({
  name: "grafana-admin-password-not-default",
  description: 'Grafana\'s admin password must be set from a secret and never be the default "admin".',
  types: new RegExp(
    `${K8S_WORKLOAD_TYPES.source}|^docker:index/container:Container$|^kubernetes:core/v1:ConfigMap$`,
  ),
  validate: (args, report) => {
    const label = resourceLabel(args);
    if (args.type === CONFIGMAP) {
      for (const f of configFiles(args)) {
        const { message } = iniFindings(label, f.file, f.content);
        if (message) report(message);
      }
      return;
    }
    const w = readWorkload(args);
    if (w) {
      grafanaK8s(w, report);
      return;
    }
    if (!isDockerGrafana(args)) return;
    let setsPassword = strs(args.props.envs).includes(SECRET_PLACEHOLDER);
    for (const e of dockerEnv(args)) {
      if (e.name === "GF_SECURITY_ADMIN_PASSWORD") {
        if (e.value.trim() === "" || e.value.trim() === "admin") {
          report(
            `${label} env GF_SECURITY_ADMIN_PASSWORD is the default/empty value. Fix: generate a password and pass it as a Pulumi secret.`,
          );
        }
        setsPassword = true;
      }
      if (e.name === "GF_SECURITY_ADMIN_PASSWORD__FILE") setsPassword = true;
    }
    for (const f of configFiles(args)) {
      const found = iniFindings(label, f.file, f.content);
      if (found.message) report(found.message);
      setsPassword = setsPassword || found.setsPassword;
    }
    if (!setsPassword) {
      report(
        `${label} runs Grafana without an admin password, so it starts with admin/admin. Fix: pass GF_SECURITY_ADMIN_PASSWORD as a Pulumi secret env var.`,
      );
    }
  },
});

const ES_ENV = /^(xpack\.security\.enabled|XPACK_SECURITY_ENABLED)$/;
const ES_FLAT = /^\s*xpack\.security\.enabled\s*:\s*["']?false["']?\s*$/m;
const ES_NESTED =
  /^\s*xpack\s*:\s*\n(?:\s+.*\n)*?\s+security\s*:\s*\n(?:\s+.*\n)*?\s+enabled\s*:\s*["']?false\b/m;
const ES_DOTTED = /^\s*xpack\.security\s*:\s*\n(?:\s+.*\n)*?\s+enabled\s*:\s*["']?false\b/m;

const elasticsearchSecurity = resourceRule({
  name: "elasticsearch-security-enabled",
  description:
    "Elasticsearch must run with security (authentication, TLS) on: xpack.security.enabled is never false.",
  types: new RegExp(
    `${K8S_WORKLOAD_TYPES.source}|^docker:index/container:Container$|^kubernetes:core/v1:ConfigMap$`,
  ),
  validate: (args, report) => {
    const label = resourceLabel(args);
    const w = readWorkload(args);
    const env = w
      ? envLiterals(w).map((e) => ({ where: `${e.container} env ${e.name}`, name: e.name, value: e.value }))
      : dockerEnv(args).map((e) => ({ where: `env ${e.name}`, name: e.name, value: e.value }));
    for (const e of env) {
      if (ES_ENV.test(e.name) && e.value.trim().toLowerCase() === "false") {
        report(
          `${label} ${e.where} turns Elasticsearch security off. Fix: remove it or set it to "true" and configure TLS and users.`,
        );
      }
    }
    for (const f of configFiles(args)) {
      const text = f.content.endsWith("\n") ? f.content : `${f.content}\n`;
      if (ES_FLAT.test(text) || ES_NESTED.test(text) || ES_DOTTED.test(text)) {
        report(
          `${label} file "${f.file}" sets xpack.security.enabled: false. Fix: enable security (xpack.security.enabled: true) with TLS and built-in users.`,
        );
      }
    }
  },
});

const ADMIN_API = /^--?web\.enable-admin-api(=(true|1))?$/;

const prometheusAdminApi = resourceRule({
  name: "prometheus-admin-api-disabled",
  description: "Prometheus must not expose its admin API (--web.enable-admin-api lets anyone delete series).",
  types: new RegExp(`${K8S_WORKLOAD_TYPES.source}|^docker:index/container:Container$`),
  validate: (args, report) => {
    const w = readWorkload(args);
    const lines = w
      ? commandLines(w)
      : [{ container: "container", argv: [...strs(args.props.entrypoints), ...strs(args.props.command)] }];
    for (const l of lines) {
      if (l.argv.some((a) => ADMIN_API.test(a.trim()))) {
        report(
          `${resourceLabel(args)} ${l.container} passes --web.enable-admin-api. Fix: remove the flag from the args.`,
        );
      }
    }
  },
});

export const secretPolicies: ResourceValidationPolicy[] = [
  noSecretsInConfigFiles,
  noSecretsInEnv,
  noSecretsInMetadata,
  grafanaAdminPassword,
  elasticsearchSecurity,
  prometheusAdminApi,
];

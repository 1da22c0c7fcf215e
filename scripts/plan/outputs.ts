/** Turns the recorded resources into the plan's files: manifests.yaml, files/ and the summary. Pure. */
import { stringify } from "yaml";
import { cpuCores, quantityGi } from "../../lib/units";
import type { PlannedResource } from "./types";
import { SECRET_PLACEHOLDER } from "./types";

const NAME_LABEL = "app.kubernetes.io/name";

const SECRET_MAPS = ["data", "stringData"];

/**
 * A Secret's data/stringData as a map of key -> "[secret]": when the whole map was a secret its keys are
 * taken from the recorded digests (one per key), so the manifest stays a valid Secret without values.
 */
export function redactedSecret(r: PlannedResource): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r.inputs };
  for (const field of SECRET_MAPS) {
    const value = out[field];
    if (value === undefined) continue;
    if (value && typeof value === "object" && !Array.isArray(value)) {
      out[field] = Object.fromEntries(Object.keys(value).map((k) => [k, SECRET_PLACEHOLDER]));
      continue;
    }
    const keys = Object.keys(r.secretDigests ?? {})
      .filter((p) => p.startsWith(`${field}.`) || p.startsWith(`${field}[`))
      .map((p) => {
        const rest = p.slice(field.length);
        return rest.startsWith(".") ? rest.slice(1) : (JSON.parse(rest.slice(1, -1)) as string);
      });
    out[field] = Object.fromEntries(keys.map((k) => [k, SECRET_PLACEHOLDER]));
  }
  return out;
}

/** Every Kubernetes object as it would be applied, in a stable order; Secret values redacted, keys kept. */
export function kubernetesManifests(resources: PlannedResource[]): Record<string, unknown>[] {
  return resources
    .filter((r) => r.type.startsWith("kubernetes:") && typeof r.inputs.kind === "string")
    .map((r) => (r.inputs.kind === "Secret" ? redactedSecret(r) : r.inputs));
}

export function manifestsYaml(resources: PlannedResource[]): string {
  return kubernetesManifests(resources)
    .map((m) => stringify(m, { lineWidth: 0 }))
    .join("---\n");
}

interface Meta {
  name?: string;
  labels?: Record<string, string>;
}

/**
 * Rendered config files by component: ConfigMap keys (Kubernetes), container uploads (Docker) and
 * dashboards/datasources sent through the Grafana provider. Secret contents are never written.
 */
export function renderedFiles(resources: PlannedResource[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const r of resources) {
    if (r.type === "kubernetes:core/v1:ConfigMap") {
      const meta = (r.inputs.metadata ?? {}) as Meta;
      const app = meta.labels?.[NAME_LABEL] ?? "other";
      const dir = (meta.name ?? r.name).replace(new RegExp(`^${app}-`), "");
      for (const [key, content] of Object.entries((r.inputs.data ?? {}) as Record<string, string>)) {
        files.set(`${app}/${dir}/${key}`, content);
      }
    } else if (r.type === "docker:index/container:Container") {
      const labels = (r.inputs.labels ?? []) as { label: string; value: string }[];
      const app = labels.find((l) => l.label === NAME_LABEL)?.value ?? "other";
      for (const u of (r.inputs.uploads ?? []) as { file: string; content?: string }[]) {
        if (typeof u.content !== "string" || u.content === SECRET_PLACEHOLDER) continue;
        files.set(`${app}${u.file}`, u.content);
      }
    } else if (
      r.type === "grafana:oss/dashboard:Dashboard" ||
      r.type === "grafana:index/dashboard:Dashboard"
    ) {
      const json = r.inputs.configJson;
      if (typeof json === "string") files.set(`grafana/external/dashboards/${r.name}.json`, json);
    }
  }
  return files;
}

/** Resource counts by type, most frequent first. */
export function countsByType(resources: PlannedResource[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** What the stack's Kubernetes workloads request in total (DaemonSets counted once per node). */
export function requestedTotals(
  resources: PlannedResource[],
  nodes: number,
): { storageGi: number; cpu: number; memoryGi: number } {
  const totals = { storageGi: 0, cpu: 0, memoryGi: 0 };
  for (const r of resources) {
    if (!/^kubernetes:apps\/v1:(StatefulSet|Deployment|DaemonSet)$/.test(r.type)) continue;
    const spec = (r.inputs.spec ?? {}) as {
      replicas?: number;
      template?: {
        spec?: { containers?: { resources?: { requests?: { cpu?: string; memory?: string } } }[] };
      };
      volumeClaimTemplates?: { spec?: { resources?: { requests?: { storage?: string } } } }[];
    };
    const copies = r.type.endsWith("DaemonSet") ? nodes : (spec.replicas ?? 1);
    for (const c of spec.template?.spec?.containers ?? []) {
      totals.cpu += copies * (cpuCores(c.resources?.requests?.cpu) ?? 0);
      totals.memoryGi += copies * (quantityGi(c.resources?.requests?.memory) ?? 0);
    }
    for (const v of spec.volumeClaimTemplates ?? [])
      totals.storageGi += copies * (quantityGi(v.spec?.resources?.requests?.storage) ?? 0);
  }
  return totals;
}

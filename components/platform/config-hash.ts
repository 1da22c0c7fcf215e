/** The config hash both platforms put on a workload's pods/containers so a start-time config change rolls them. */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { allContainers, type ContainerSpec, type Workload } from "./workload";

/**
 * Hash of everything a running pod reads only at start: a change rolls the pods (a rolling update)
 * instead of leaving them on stale config. Files the service reloads by itself are left out.
 */
export function configHash(w: Workload): pulumi.Output<string> {
  const main = w.containers[0];
  // The main container's entries carry no prefix, so single-container hashes stay what they were.
  const prefix = (c: ContainerSpec) => (c === main ? "" : `${c.name}:`);
  const containers = allContainers(w);
  const hashed = containers.flatMap((c) =>
    (c.files ?? []).filter((f) => !f.reloadable).map((f) => ({ c, f })),
  );
  // Files known when the program runs hash as they always did; deploy-time contents join the outputs below.
  const staticPart = JSON.stringify(
    hashed
      .filter(({ f }) => typeof f.content === "string")
      .map(({ c, f }) => [`${prefix(c)}${f.path}`, f.content]),
  );
  const secretParts = containers.flatMap((c) => [
    ...hashed
      .filter((h) => h.c === c && typeof h.f.content !== "string")
      .map(({ f }) => pulumi.output(f.content).apply((v) => `${prefix(c)}${f.path}:${v}`)),
    ...(c.secretFiles ?? []).map((f) => pulumi.output(f.content).apply((v) => `${prefix(c)}${f.path}=${v}`)),
    ...Object.entries(c.secretEnv ?? {}).map(([n, v]) =>
      pulumi.output(v).apply((s) => `${prefix(c)}${n}=${s}`),
    ),
  ]);
  // A digest of secret material is not the secret; unsecret keeps the annotation readable in diffs.
  return pulumi.unsecret(
    pulumi
      .all(secretParts)
      .apply((parts) =>
        createHash("sha256").update(staticPart).update(parts.join("\n")).digest("hex").slice(0, 32),
      ),
  );
}

/**
 * Shared fixtures of the pack tests: a pack's parameters as the config section resolves them (with
 * example static targets for every job), and the packs as rule packs with their defaults.
 */
import { secretLookup } from "../../stacks/errors";
import { PACK_DEFINITIONS, PACK_KEYS } from "../../packs/catalog";
import type { PackKey } from "../../packs/model";
import { packsSection } from "../../stacks/sections/packs";
import type { SectionContext } from "../../stacks/sections/section";
import type { PackSpec, PacksSpec } from "../../stacks/spec";

export function sectionContext(over: Partial<SectionContext> = {}): SectionContext {
  return {
    stack: "dev",
    environment: "dev",
    ephemeral: false,
    platform: "docker",
    secretKeys: secretLookup(new Set<string>()),
    problems: [],
    resolved: {},
    ...over,
  };
}

/** Example raw parameters switching a pack on: a static target per scrape job, exporters for the databases. */
export function exampleRaw(key: PackKey): Record<string, unknown> {
  const def = PACK_DEFINITIONS[key];
  const targets: Record<string, unknown> = {};
  const exporters: Record<string, unknown> = {};
  for (const [k, j] of Object.entries(def.jobs)) {
    if (j.exporter === "redis") exporters[k] = { address: `redis:${j.defaultPort}` };
    else if (j.exporter === "postgres")
      exporters[k] = { address: `postgres:${j.defaultPort}`, user: "monitor" };
    else targets[k] = { static: [`${k}:${j.defaultPort}`] };
  }
  return { targets, ...(Object.keys(exporters).length ? { exporters } : {}) };
}

/** Resolves a raw `monitoring:packs` value; throws with the problems when there are any. */
export function resolvePacks(raw: unknown, over: Partial<SectionContext> = {}): PacksSpec {
  const ctx = sectionContext(over);
  const parsed = raw === undefined ? undefined : packsSection.schema.safeParse(raw);
  if (parsed && !parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  const spec = packsSection.resolve(parsed?.data, ctx);
  if (ctx.problems.length) throw new Error(JSON.stringify(ctx.problems));
  return spec;
}

/** One pack with its default parameters (example targets). */
export function defaultPackSpec(key: PackKey, extra: Record<string, unknown> = {}): PackSpec {
  const spec = resolvePacks({ [key]: { ...exampleRaw(key), ...extra } });
  return spec.packs[0];
}

export const ALL_PACK_KEYS = PACK_KEYS;

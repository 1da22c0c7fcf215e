/**
 * What a runbook page of a pack alert is generated from (docs/runbooks): the alert's identity and
 * routing (pack, severity, `for`, threshold with its unit and meaning, the labels it carries), its
 * texts, its runbook notes and the seed rule it consolidates, with the overrides of a stack applied.
 * The page's URL is the alert's `runbook_url`: <runbook base>/<pack>/<alert lowercased>. Pure.
 */
import type { PackSpec } from "../stacks/spec";
import { PACK_DEFINITIONS } from "./catalog";
import type { PackSeverity, RunbookNotes, ThresholdUnit } from "./model";
import { exprContext } from "./render";

export interface RunbookEntry {
  pack: string;
  packTitle: string;
  alert: string;
  /** Path of the page below the runbook base URL. */
  slug: string;
  severity: PackSeverity;
  for: string;
  threshold?: { value: number; default: number; unit: ThresholdUnit; meaning: string };
  /** Labels every instance carries besides its expression's (service, team). */
  labels: Record<string, string>;
  expr: string;
  summary: string;
  description: string;
  notes: RunbookNotes;
  /** The seed rule(s) it consolidates, e.g. "002:291 HighErrorRate". */
  source: string;
  enabled: boolean;
}

/** One entry per alert of a pack, as the stack's parameters make it. */
export function runbookEntries(spec: PackSpec): RunbookEntry[] {
  const def = PACK_DEFINITIONS[spec.key];
  return def.alerts.map((a) => {
    const o = spec.alerts[a.alert];
    const value = o?.threshold ?? a.threshold?.default ?? 0;
    const ctx = exprContext(def, spec.labels, value);
    return {
      pack: def.name,
      packTitle: def.title,
      alert: a.alert,
      slug: `${def.name}/${a.alert.toLowerCase()}`,
      severity: o?.severity ?? a.severity,
      for: o?.for ?? a.for,
      ...(a.threshold
        ? {
            threshold: {
              value,
              default: a.threshold.default,
              unit: a.threshold.unit,
              meaning: a.threshold.meaning,
            },
          }
        : {}),
      labels: { service: spec.service, ...(spec.team ? { team: spec.team } : {}) },
      expr: a.expr(ctx),
      summary: a.summary,
      description: a.description(ctx),
      notes: a.runbook,
      source: a.source,
      enabled: o?.enabled ?? true,
    };
  });
}

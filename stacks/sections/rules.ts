/** `monitoring:rules`: settings of the shipped alert rule packs. */
import { z } from "zod";
import { DEFAULT_RUNBOOK_BASE_URL } from "../../lib/repository";
import { section } from "./section";

export interface RulesSpec {
  runbookBaseUrl: string;
}

export const rulesSection = section({
  key: "rules",
  schema: z.strictObject({
    runbookBaseUrl: z.url({ protocol: /^https?$/, message: "expected an http(s) URL" }).optional(),
  }),
  resolve: (raw): RulesSpec => ({
    runbookBaseUrl: raw?.runbookBaseUrl ?? DEFAULT_RUNBOOK_BASE_URL,
  }),
});

import type { PackKey } from "../../../packs/model";
import type { RuleTestCase } from "../../rules/cases/types";
import { aiAssistantCases } from "./ai-assistant";
import { bgeIclCases } from "./bge-icl";
import { llmProxyCases } from "./llm-proxy";
import { ragPipelineCases } from "./rag-pipeline";
import { vectorDbCases } from "./vector-db";

/** promtool unit-test cases of every pack alert with its default parameters, by pack. */
export const PACK_CASES: Record<PackKey, RuleTestCase[]> = {
  bgeIcl: bgeIclCases,
  vectorDb: vectorDbCases,
  aiAssistant: aiAssistantCases,
  ragPipeline: ragPipelineCases,
  llmProxy: llmProxyCases,
};

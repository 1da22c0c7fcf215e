/**
 * Every service pack's definition, by config key, in a stable order. Pure data (no components/
 * imports): the config section validates pack parameters against it.
 */
import { aiAssistantDefinition } from "./ai-assistant/definition";
import { bgeIclDefinition } from "./bge-icl/definition";
import { llmProxyDefinition } from "./llm-proxy/definition";
import type { PackDefinition, PackKey } from "./model";
import { ragPipelineDefinition } from "./rag-pipeline/definition";
import { vectorDbDefinition } from "./vector-db/definition";

export const PACK_DEFINITIONS: Record<PackKey, PackDefinition> = {
  bgeIcl: bgeIclDefinition,
  vectorDb: vectorDbDefinition,
  aiAssistant: aiAssistantDefinition,
  ragPipeline: ragPipelineDefinition,
  llmProxy: llmProxyDefinition,
};

export const PACK_KEYS = Object.keys(PACK_DEFINITIONS) as PackKey[];

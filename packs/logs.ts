/**
 * The packs' Logstash pipelines. Each is a filter-only fragment for the logging stack's pipeline
 * directory: Logstash concatenates every file of a pipeline's `path.config` glob into one pipeline
 * (Logstash reference, "Glob pattern support" / pipeline configuration files), so the fragment sits
 * between the logging stack's Beats input and its Elasticsearch output, which own ports and
 * credentials. Each fragment only touches its own service's events, recognised by the shipper's
 * metadata for the pack's targets (Docker container names; Kubernetes namespace and pod labels, which
 * Filebeat dedots by default; `fields.service` for hosts shipping their own files; systemd units for
 * journald), and sets `service` and `environment` from the stack, never hard-coded.
 *
 * Seed bug fixed: the embedding server's Python format writes `time - logger - LEVEL - message`
 * (000:828) while the seed's grok expected the level first (000:905); both orders parse.
 * Pure: no Pulumi.
 */
import type { LogPipelineContribution } from "../components/contribution";
import type { PackSpec, TargetSpec } from "../stacks/spec";
import { PACK_DEFINITIONS } from "./catalog";

/** A Logstash string literal. */
const q = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** Filebeat's add_kubernetes_metadata replaces dots in label keys with underscores (labels.dedot). */
const dedot = (k: string) => k.replace(/\./g, "_");

function targetCondition(t: TargetSpec, service: string): string {
  if (t.kind === "docker")
    return `[container][name] in [${t.containers.map((c) => q(c.container)).join(", ")}]`;
  if (t.kind === "kubernetes")
    return [
      `[kubernetes][namespace] == ${q(t.namespace)}`,
      ...Object.entries(t.selector).map(([k, v]) => `[kubernetes][labels][${dedot(k)}] == ${q(v)}`),
    ].join(" and ");
  return `[fields][service] == ${q(service)}`;
}

/** Events of the pack's own targets (any of its jobs). */
export function packLogCondition(spec: PackSpec): string {
  const conditions = Object.values(spec.targets).map((t) => `(${targetCondition(t, spec.service)})`);
  const unique = [...new Set(conditions)];
  return unique.length > 0 ? unique.join(" or ") : `[fields][service] == ${q(spec.service)}`;
}

const fields = (spec: PackSpec, environment: string) =>
  `    mutate { replace => { "service" => ${q(spec.service)} "environment" => ${q(environment)} } }`;

function bgeIclFilter(spec: PackSpec, environment: string): string {
  return [
    `    # Python logging: "%(asctime)s - %(name)s - %(levelname)s - %(message)s" (either order of name/level).`,
    `    grok {`,
    `      match => { "message" => [`,
    `        "^%{TIMESTAMP_ISO8601:timestamp} - %{LOGLEVEL:level} - %{DATA:logger} - %{GREEDYDATA:log_message}$",`,
    `        "^%{TIMESTAMP_ISO8601:timestamp} - %{DATA:logger} - %{LOGLEVEL:level} - %{GREEDYDATA:log_message}$"`,
    `      ] }`,
    `    }`,
    `    date { match => ["timestamp", "yyyy-MM-dd HH:mm:ss,SSS", "ISO8601"] }`,
    `    if [log_message] =~ /^Performance:/ {`,
    `      grok {`,
    `        match => { "log_message" => "Performance: %{NUMBER:response_time:float}s, %{NUMBER:throughput:float} emb/s, cache_hit_rate: %{NUMBER:cache_hit_rate:float}" }`,
    `        add_tag => ["performance"]`,
    `      }`,
    `    }`,
    `    if [level] == "ERROR" {`,
    `      grok { match => { "log_message" => "Error: %{GREEDYDATA:error_message}" } tag_on_failure => [] }`,
    `    }`,
    fields(spec, environment),
  ].join("\n");
}

/** JSON application logs (001's StructuredFormatter, 002's structlog JSON renderer). */
function jsonFilter(spec: PackSpec, environment: string, structlog: boolean): string {
  return [
    `    json { source => "message" target => "app" }`,
    `    date { match => ["[app][timestamp]", "ISO8601"] }`,
    `    if [app][level] =~ /(?i)^error$/ { mutate { add_tag => ["error"] } }`,
    ...(structlog
      ? [
          `    # structlog puts the message under "event".`,
          `    mutate { rename => { "[app][event]" => "[app][message]" } }`,
        ]
      : [
          `    if [app][operation_type] { mutate { add_tag => ["v1_operation", "%{[app][operation_type]}"] } }`,
        ]),
    fields(spec, environment),
  ].join("\n");
}

function journaldFilter(spec: PackSpec, environment: string): string {
  return [
    `    # Unit name without ".service" names the microservice (llm-proxy, context-service, health-worker).`,
    `    mutate { copy => { "[systemd][unit]" => "component" } }`,
    `    mutate { gsub => ["component", "\\.service$", ""] }`,
    fields(spec, environment),
  ].join("\n");
}

const JOURNALD_UNITS = ["llm-proxy.service", "context-service.service", "health-worker.service"];

/** The pack's pipeline fragment, or undefined when the pack has none or it is switched off. */
export function packLogPipeline(spec: PackSpec, environment: string): LogPipelineContribution | undefined {
  const def = PACK_DEFINITIONS[spec.key];
  if (!def.logs || !spec.logs) return undefined;
  let condition = packLogCondition(spec);
  let body: string;
  switch (spec.key) {
    case "bgeIcl":
      body = bgeIclFilter(spec, environment);
      break;
    case "vectorDb":
      body = jsonFilter(spec, environment, false);
      break;
    case "aiAssistant":
      body = jsonFilter(spec, environment, true);
      break;
    case "llmProxy":
      condition = `[systemd][unit] in [${JOURNALD_UNITS.map(q).join(", ")}]`;
      body = journaldFilter(spec, environment);
      break;
    default:
      return undefined;
  }
  const config = [
    `# Service pack "${def.name}" (seed ${def.seed}), generated by packs/logs.ts: a filter fragment of the`,
    `# logging stack's pipeline; its input and output live in the logging stack's own files.`,
    `filter {`,
    `  if ${condition} {`,
    body,
    `  }`,
    `}`,
    ``,
  ].join("\n");
  return { name: `pack-${def.name}`, config };
}

/**
 * Logstash pipelines from typed config (pure): a small model of the filters the stack uses, rendered
 * to Logstash's config language, and the grok pattern definitions the stack ships (its own names, so
 * what the tests expand is exactly what Logstash runs).
 *
 * Logstash strings are taken literally (`config.support_escapes` is off by default): a backslash stays
 * a backslash, and a double quote cannot be written at all, so the renderer refuses one.
 */

/** A field reference in Logstash syntax, e.g. `[log][level]` or `message`. */
export type FieldRef = string;

export type Condition =
  | { field: FieldRef; equals: string }
  | { field: FieldRef; notEquals: string }
  /** Regex match; the pattern is written between slashes (Ruby regex, a subset JS shares). */
  | { field: FieldRef; matches: string }
  | { exists: FieldRef }
  | { not: Condition }
  | { all: Condition[] };

export type Filter =
  | {
      grok: {
        field: FieldRef;
        /** Tried in order; the first that matches wins (grok's `break_on_match`). */
        patterns: string[];
        overwrite?: FieldRef[];
        /** Tags added when no pattern matches (grok's default is `_grokparsefailure`). */
        tagOnFailure?: string[];
      };
    }
  | { json: { source: FieldRef; target: FieldRef; tagOnFailure?: string[] } }
  | { date: { field: FieldRef; formats: string[]; timezone?: string; removeSource?: boolean } }
  | {
      mutate: {
        /** Applied in this order: copy (source -> destination), lowercase, gsub, replace, tags, removals. */
        copy?: Record<FieldRef, FieldRef>;
        lowercase?: FieldRef[];
        gsub?: [FieldRef, string, string][];
        replace?: Record<FieldRef, string>;
        addTag?: string[];
        removeField?: FieldRef[];
      };
    }
  | { if: Condition; then: Filter[]; else?: Filter[] };

/** A whole pipeline: Logstash config text sections. */
export interface PipelineText {
  id: string;
  input: string;
  filter: Filter[] | string;
  output: string;
}

// ---- grok patterns ----

/** Where the shipped pattern file is mounted; grok filters read it through `patterns_dir`. */
export const PATTERNS_DIR = "/usr/share/logstash/patterns";

/**
 * The stack's grok patterns (Oniguruma syntax limited to what JavaScript regexes also mean the same
 * way). Python's logging `asctime` writes "2024-01-15 10:30:45,123", ISO 8601 writers use "T" and a zone.
 */
export const GROK_PATTERNS: Record<string, string> = {
  MON_TIMESTAMP: String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?`,
  MON_LOGLEVEL: String.raw`(?:TRACE|DEBUG|INFO|NOTICE|WARNING|WARN|ERROR|CRITICAL|FATAL|trace|debug|info|notice|warning|warn|error|critical|fatal)`,
  MON_LOGGER: String.raw`[^\s]+`,
  MON_NUMBER: String.raw`[+-]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?`,
  MON_REST: String.raw`.*`,
};

/** The pattern file (`NAME regex` per line). */
export function renderPatternsFile(patterns: Record<string, string> = GROK_PATTERNS): string {
  return `${Object.entries(patterns)
    .map(([name, re]) => `${name} ${re}`)
    .join("\n")}\n`;
}

// ---- rendering ----

function quote(s: string): string {
  if (s.includes('"'))
    throw new Error(`Logstash strings cannot hold a double quote (escapes are off): ${JSON.stringify(s)}`);
  return `"${s}"`;
}

const list = (items: string[]) => `[${items.map(quote).join(", ")}]`;
const hash = (entries: [string, string][]) =>
  `{ ${entries.map(([k, v]) => `${quote(k)} => ${quote(v)}`).join(" ")} }`;

function field(ref: FieldRef): string {
  if (!/^(\[[^\]"]+\])+$|^[A-Za-z_@][A-Za-z0-9_@.-]*$/.test(ref))
    throw new Error(`not a field reference: ${ref}`);
  return ref.startsWith("[") ? ref : `[${ref}]`;
}

function condition(c: Condition): string {
  if ("equals" in c) return `${field(c.field)} == ${quote(c.equals)}`;
  if ("notEquals" in c) return `${field(c.field)} != ${quote(c.notEquals)}`;
  if ("matches" in c) {
    if (/(^|[^\\])\//.test(c.matches)) throw new Error(`escape "/" in a Logstash regex: ${c.matches}`);
    return `${field(c.field)} =~ /${c.matches}/`;
  }
  if ("exists" in c) return field(c.exists);
  if ("not" in c) return `!(${condition(c.not)})`;
  return c.all.map((x) => `(${condition(x)})`).join(" and ");
}

function indent(text: string, by = "  "): string {
  return text
    .split("\n")
    .map((l) => (l ? by + l : l))
    .join("\n");
}

function plugin(name: string, options: [string, string][]): string {
  return [`${name} {`, ...options.map(([k, v]) => `  ${k} => ${v}`), "}"].join("\n");
}

export function renderFilter(f: Filter): string {
  if ("grok" in f) {
    const g = f.grok;
    return plugin("grok", [
      ["match", `{ ${quote(g.field)} => ${list(g.patterns)} }`],
      ["patterns_dir", list([PATTERNS_DIR])],
      ...(g.overwrite ? ([["overwrite", list(g.overwrite)]] as [string, string][]) : []),
      ...(g.tagOnFailure ? ([["tag_on_failure", list(g.tagOnFailure)]] as [string, string][]) : []),
    ]);
  }
  if ("json" in f)
    return plugin("json", [
      ["source", quote(f.json.source)],
      ["target", quote(f.json.target)],
      ...(f.json.tagOnFailure ? ([["tag_on_failure", list(f.json.tagOnFailure)]] as [string, string][]) : []),
    ]);
  if ("date" in f)
    return plugin("date", [
      ["match", list([f.date.field, ...f.date.formats])],
      ...(f.date.timezone ? ([["timezone", quote(f.date.timezone)]] as [string, string][]) : []),
      ...(f.date.removeSource ? ([["remove_field", list([f.date.field])]] as [string, string][]) : []),
    ]);
  if ("mutate" in f) {
    const m = f.mutate;
    // One mutate block per operation, in the model's order: inside one block Logstash applies its
    // options in a fixed order of its own (replace, gsub, lowercase, ..., copy; tags and removals last).
    const blocks: [string, string][] = [];
    if (m.copy) blocks.push(["copy", hash(Object.entries(m.copy))]);
    if (m.lowercase) blocks.push(["lowercase", list(m.lowercase)]);
    if (m.gsub) blocks.push(["gsub", list(m.gsub.flat())]);
    if (m.replace) blocks.push(["replace", hash(Object.entries(m.replace))]);
    if (m.addTag) blocks.push(["add_tag", list(m.addTag)]);
    if (m.removeField) blocks.push(["remove_field", list(m.removeField)]);
    return blocks.map((option) => plugin("mutate", [option])).join("\n");
  }
  const body = f.then.map(renderFilter).join("\n");
  const otherwise = f.else ? ` else {\n${indent(f.else.map(renderFilter).join("\n"))}\n}` : "";
  return `if ${condition(f.if)} {\n${indent(body)}\n}${otherwise}`;
}

export function renderPipeline(p: PipelineText): string {
  const filter = typeof p.filter === "string" ? p.filter : p.filter.map(renderFilter).join("\n");
  return [
    `# Pipeline ${p.id}: rendered by the monitoring stack.`,
    `input {\n${indent(p.input)}\n}`,
    `filter {\n${indent(filter)}\n}`,
    `output {\n${indent(p.output)}\n}`,
    "",
  ].join("\n");
}

// ---- the stack's pipelines ----

/** Where the service name of an event comes from, first present wins. */
export const SERVICE_SOURCES: FieldRef[] = [
  "[kubernetes][labels][app_kubernetes_io/name]",
  "[container][labels][app_kubernetes_io/name]",
  "[kubernetes][container][name]",
  "[container][name]",
];

/**
 * The plain-text line, in both orders the seeds use: the grok pipeline's `timestamp - level - logger -
 * message` and Python's `%(asctime)s - %(name)s - %(levelname)s - %(message)s` (logger before level).
 */
export const PLAIN_LINE_PATTERNS = [
  "^%{MON_TIMESTAMP:timestamp} - %{MON_LOGLEVEL:[log][level]} - %{MON_LOGGER:[log][logger]} - %{MON_REST:message}$",
  "^%{MON_TIMESTAMP:timestamp} - %{MON_LOGGER:[log][logger]} - %{MON_LOGLEVEL:[log][level]} - %{MON_REST:message}$",
];
/** The embedding server's performance line (seed 000). */
export const PERFORMANCE_PATTERN =
  "Performance: %{MON_NUMBER:[performance][response_time]:float}s, %{MON_NUMBER:[performance][throughput]:float} emb/s, cache_hit_rate: %{MON_NUMBER:[performance][cache_hit_rate]:float}";
export const ERROR_PATTERN = "Error: %{MON_REST:[error][message]}";

export const TIMESTAMP_FORMATS = [
  "ISO8601",
  "yyyy-MM-dd HH:mm:ss,SSS",
  "yyyy-MM-dd HH:mm:ss.SSS",
  "yyyy-MM-dd HH:mm:ss",
];

/** Level, logger and time moved into ECS fields, the level lower-cased. */
const normalise: Filter[] = [
  { mutate: { lowercase: ["[log][level]"] } },
  { date: { field: "timestamp", formats: TIMESTAMP_FORMATS, timezone: "UTC", removeSource: true } },
];

/**
 * The default parsing: JSON application logs (001's StructuredFormatter: timestamp, level, logger,
 * message and extras, kept under `app`) or the seeds' plain-text line with the performance and error
 * sub-parses (000's embedding server).
 */
export function defaultFilters(): Filter[] {
  return [
    {
      if: { field: "message", matches: "^\\s*\\{" },
      then: [
        { json: { source: "message", target: "[app]", tagOnFailure: ["_jsonparsefailure"] } },
        {
          if: { exists: "[app][message]" },
          then: [
            {
              mutate: {
                copy: {
                  "[app][message]": "message",
                  "[app][level]": "[log][level]",
                  "[app][logger]": "[log][logger]",
                  "[app][timestamp]": "timestamp",
                },
              },
            },
            {
              mutate: {
                removeField: ["[app][message]", "[app][level]", "[app][logger]", "[app][timestamp]"],
              },
            },
            ...normalise,
          ],
        },
      ],
      else: [
        {
          grok: { field: "message", patterns: PLAIN_LINE_PATTERNS, overwrite: ["message"], tagOnFailure: [] },
        },
        {
          if: { exists: "[log][level]" },
          then: [
            ...normalise,
            {
              if: { field: "message", matches: "Performance" },
              then: [
                {
                  grok: {
                    field: "message",
                    patterns: [PERFORMANCE_PATTERN],
                    tagOnFailure: ["_performance_parse_failure"],
                  },
                },
              ],
            },
          ],
        },
      ],
    },
    {
      if: { field: "[log][level]", equals: "error" },
      then: [
        { grok: { field: "message", patterns: [ERROR_PATTERN], tagOnFailure: [] } },
        { mutate: { addTag: ["error"] } },
      ],
    },
    { if: { exists: "[performance][response_time]" }, then: [{ mutate: { addTag: ["performance"] } }] },
  ];
}

/** Fields every event gets from the stack, and its data stream `logs-<service>-<environment>`. */
export function shipFilters(environment: string): Filter[] {
  return [
    {
      if: { not: { exists: "[service][name]" } },
      then: [{ mutate: { replace: { "[service][name]": "unknown" } } }],
    },
    {
      mutate: {
        replace: {
          "[service][environment]": environment,
          "[data_stream][type]": "logs",
          "[data_stream][dataset]": "%{[service][name]}",
          "[data_stream][namespace]": environment,
        },
      },
    },
    // Data stream names: lower case, no "-" inside the dataset (it separates type-dataset-namespace).
    {
      mutate: {
        lowercase: ["[data_stream][dataset]"],
        gsub: [["[data_stream][dataset]", "[^a-z0-9_.]", "_"]],
      },
    },
  ];
}

/** The service name from the shipper's metadata (first source present). */
export function serviceNameFilters(): Filter[] {
  const chain = (sources: FieldRef[]): Filter[] => {
    const [first, ...rest] = sources;
    if (!first) return [];
    return [
      {
        if: { exists: first },
        then: [{ mutate: { copy: { [first]: "[service][name]" } } }],
        ...(rest.length > 0 ? { else: chain(rest) } : {}),
      },
    ];
  };
  return [{ if: { not: { exists: "[service][name]" } }, then: chain(SERVICE_SOURCES) }];
}

export interface LogstashPipelinesInput {
  environment: string;
  /** Beats input TLS (server certificate, and the CA client certificates must chain to). */
  tls?: { ca: string; cert: string; key: string };
  /** Elasticsearch output. */
  esHosts: string[];
  esCa?: string;
  /** Environment variable holding the writer's password (Logstash substitutes `${VAR}`). */
  passwordEnv: string;
  user: string;
  /** Service pipelines contributed by service packs: `name` is the service, `config` a filter body. */
  services: { name: string; config: string }[];
}

export const PIPELINE_IDS = { beats: "beats", default: "default", ship: "ship" } as const;
export const serviceAddress = (name: string) => `svc-${name}`;

export function logstashPipelines(i: LogstashPipelinesInput): PipelineText[] {
  const seen = new Set<string>();
  for (const s of i.services) {
    if (!/^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$/.test(s.name))
      throw new Error(`log pipeline name "${s.name}" must be a service name (lower case, digits, "-")`);
    if (seen.has(s.name)) throw new Error(`log pipeline "${s.name}" is contributed twice`);
    seen.add(s.name);
  }
  const beatsOptions: [string, string][] = [["port", "5044"]];
  if (i.tls)
    beatsOptions.push(
      ["ssl_enabled", "true"],
      ["ssl_certificate", quote(i.tls.cert)],
      ["ssl_key", quote(i.tls.key)],
      ["ssl_certificate_authorities", list([i.tls.ca])],
      // Only shippers holding a certificate from the stack's CA may send.
      ["ssl_client_authentication", quote("required")],
    );
  const send = (to: string) => `pipeline { send_to => ${list([to])} }`;
  const routes = [
    ...i.services.map(
      (s) => `if [service][name] == ${quote(s.name)} {\n  ${send(serviceAddress(s.name))}\n}`,
    ),
  ];
  const route =
    routes.length === 0
      ? send(PIPELINE_IDS.default)
      : `${routes.join(" else ")} else {\n  ${send(PIPELINE_IDS.default)}\n}`;
  const esOptions: [string, string][] = [
    ["hosts", list(i.esHosts)],
    ["data_stream", quote("true")],
    ["user", quote(i.user)],
    ["password", quote(`\${${i.passwordEnv}}`)],
    ...(i.esCa
      ? ([
          ["ssl_enabled", "true"],
          ["ssl_certificate_authorities", list([i.esCa])],
        ] as [string, string][])
      : []),
  ];
  return [
    {
      id: PIPELINE_IDS.beats,
      input: plugin("beats", beatsOptions),
      filter: serviceNameFilters(),
      output: route,
    },
    {
      id: PIPELINE_IDS.default,
      input: `pipeline { address => ${quote(PIPELINE_IDS.default)} }`,
      filter: defaultFilters(),
      output: send(PIPELINE_IDS.ship),
    },
    ...i.services.map((s): PipelineText => ({
      id: serviceAddress(s.name),
      input: `pipeline { address => ${quote(serviceAddress(s.name))} }`,
      filter: s.config,
      output: send(PIPELINE_IDS.ship),
    })),
    {
      id: PIPELINE_IDS.ship,
      input: `pipeline { address => ${quote(PIPELINE_IDS.ship)} }`,
      filter: shipFilters(i.environment),
      output: plugin("elasticsearch", esOptions),
    },
  ];
}

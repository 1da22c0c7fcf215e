/**
 * The Logstash pipelines: sample log lines from the seeds run through the grok patterns the stack ships
 * (expanded to JavaScript regular expressions from the shipped definitions) and the typed filters, and
 * the rendered config text (patterns file, routing of contributed pipelines, fields from the stack).
 */
import { describe, expect, it } from "vitest";
import {
  defaultFilters,
  ERROR_PATTERN,
  GROK_PATTERNS,
  logstashPipelines,
  PERFORMANCE_PATTERN,
  PLAIN_LINE_PATTERNS,
  renderFilter,
  renderPatternsFile,
  renderPipeline,
  serviceNameFilters,
  shipFilters,
} from "../../components/logging/logstash/pipeline";
import { compileGrok, getField, runFilters, type Event } from "./logstash-model";

/** An event as Filebeat sends it from Kubernetes: the line in `message`, the pod's labels. */
const fromPod = (message: string, app = "bge-icl"): Event => ({
  message,
  kubernetes: { labels: { "app_kubernetes_io/name": app }, container: { name: "server" } },
});

function parse(message: string): Event {
  const e = fromPod(message);
  runFilters(e, serviceNameFilters(), GROK_PATTERNS);
  runFilters(e, defaultFilters(), GROK_PATTERNS);
  runFilters(e, shipFilters("prod"), GROK_PATTERNS);
  return e;
}

describe("shipped grok patterns", () => {
  it("every pattern compiles as a JavaScript regular expression and the file lists them all", () => {
    for (const [name, re] of Object.entries(GROK_PATTERNS)) expect(() => new RegExp(re), name).not.toThrow();
    const file = renderPatternsFile();
    for (const name of Object.keys(GROK_PATTERNS)) expect(file).toMatch(new RegExp(`^${name} `, "m"));
  });

  it("every pattern the pipelines use is defined (an unknown name fails)", () => {
    for (const p of [...PLAIN_LINE_PATTERNS, PERFORMANCE_PATTERN, ERROR_PATTERN])
      expect(() => compileGrok(p, GROK_PATTERNS)).not.toThrow();
    expect(() => compileGrok("%{NO_SUCH:x}", GROK_PATTERNS)).toThrow(/not defined/);
  });

  it("the timestamp pattern reads Python's asctime and ISO 8601, not a bare date", () => {
    const ts = new RegExp(`^${GROK_PATTERNS.MON_TIMESTAMP}$`);
    for (const ok of ["2024-01-15 10:30:45,123", "2024-01-15T10:30:45.123456Z", "2024-01-15T10:30:45+02:00"])
      expect(ts.test(ok), ok).toBe(true);
    for (const bad of ["2024-01-15", "10:30:45", "15/01/2024 10:30:45"])
      expect(ts.test(bad), bad).toBe(false);
  });
});

describe("the seeds' plain-text lines (000: embedding server)", () => {
  it("timestamp - level - logger - message, with the performance sub-parse as floats", () => {
    const e = parse(
      "2024-01-15 10:30:45,123 - INFO - bge_icl.server - Performance: 0.245s, 156.3 emb/s, cache_hit_rate: 0.85",
    );
    expect(getField(e, "[log][level]")).toBe("info");
    expect(getField(e, "[log][logger]")).toBe("bge_icl.server");
    expect(e.message).toBe("Performance: 0.245s, 156.3 emb/s, cache_hit_rate: 0.85");
    expect(e.performance).toEqual({ response_time: 0.245, throughput: 156.3, cache_hit_rate: 0.85 });
    expect(e["@timestamp"]).toBe("2024-01-15T10:30:45.123Z");
    expect(e.timestamp).toBeUndefined();
    expect(e.tags).toEqual(["performance"]);
  });

  it("Python's own order (asctime - name - levelname - message) and the error sub-parse", () => {
    const e = parse(
      "2024-01-15 10:31:02,007 - __main__ - ERROR - Error: CUDA out of memory while embedding batch 12",
    );
    expect(getField(e, "[log][logger]")).toBe("__main__");
    expect(getField(e, "[log][level]")).toBe("error");
    expect(getField(e, "[error][message]")).toBe("CUDA out of memory while embedding batch 12");
    expect(e.tags).toEqual(["error"]);
  });

  it("the health monitor's lines (000:737-769) parse without sub-parses", () => {
    const e = parse("2024-01-15 10:32:00,500 - __main__ - INFO - Health check results: 4/5 healthy");
    expect(getField(e, "[log][level]")).toBe("info");
    expect(e.message).toBe("Health check results: 4/5 healthy");
    expect(e.performance).toBeUndefined();
    expect(e.error).toBeUndefined();
    expect(e.tags).toBeUndefined();
  });

  it("an ERROR line without the 'Error:' prefix is tagged but has no error message; a bad performance line is tagged", () => {
    const err = parse("2024-01-15 10:33:00,000 - __main__ - ERROR - Critical health check failures: 1");
    expect(err.tags).toEqual(["error"]);
    expect(err.error).toBeUndefined();
    const perf = parse("2024-01-15 10:33:00,000 - INFO - bge - Performance: degraded");
    expect(perf.tags).toEqual(["_performance_parse_failure"]);
  });

  it("a line in neither format keeps its message and gets no parse-failure noise", () => {
    const e = parse("Traceback (most recent call last):");
    expect(e.message).toBe("Traceback (most recent call last):");
    expect(e.log).toBeUndefined();
    expect(e.tags).toBeUndefined();
  });
});

describe("JSON application logs (001: StructuredFormatter)", () => {
  it("message, level and logger become ECS fields, the extras stay under app", () => {
    const line = JSON.stringify({
      timestamp: "2024-01-15T10:30:45.123456",
      level: "ERROR",
      logger: "app.requests",
      message: "Request failed",
      module: "middleware",
      function: "__call__",
      line: 42,
      request_id: "0f8fad5b-d9cb-469f-a165-70867728950e",
      duration_ms: 12.5,
      status: "error",
    });
    const e = parse(line);
    expect(e.message).toBe("Request failed");
    expect(getField(e, "[log][level]")).toBe("error");
    expect(getField(e, "[log][logger]")).toBe("app.requests");
    expect(e["@timestamp"]).toBe("2024-01-15T10:30:45.123Z");
    expect(e.app).toEqual({
      module: "middleware",
      function: "__call__",
      line: 42,
      request_id: "0f8fad5b-d9cb-469f-a165-70867728950e",
      duration_ms: 12.5,
      status: "error",
    });
    expect(e.tags).toEqual(["error"]);
  });

  it("broken JSON is tagged and kept as it came", () => {
    const e = parse('{"level": "INFO", "message": ');
    expect(e.message).toBe('{"level": "INFO", "message": ');
    expect(e.tags).toEqual(["_jsonparsefailure"]);
  });
});

describe("fields from the stack", () => {
  it("service from the pod's app label (else the container), environment and data stream from the stack", () => {
    const e = parse("2024-01-15 10:30:45,123 - INFO - x - hello");
    expect(e.service).toEqual({ name: "bge-icl", environment: "prod" });
    // Data stream dataset: no "-" (it separates logs-<dataset>-<namespace>).
    expect(e.data_stream).toEqual({ type: "logs", dataset: "bge_icl", namespace: "prod" });
    const docker: Event = { message: "x", container: { name: "Monitoring-Dev-Grafana" } };
    runFilters(docker, [...serviceNameFilters(), ...shipFilters("dev")], GROK_PATTERNS);
    expect(getField(docker, "[service][name]")).toBe("Monitoring-Dev-Grafana");
    expect(getField(docker, "[data_stream][dataset]")).toBe("monitoring_dev_grafana");
  });

  it("the environment is the one given, never a literal in the filters", () => {
    const dev = renderPipeline(logstashPipelines(input("dev")).find((p) => p.id === "ship")!);
    const prod = renderPipeline(logstashPipelines(input("prod")).find((p) => p.id === "ship")!);
    expect(dev).toContain('"[service][environment]" => "dev"');
    expect(prod).toContain('"[service][environment]" => "prod"');
    expect(prod).not.toMatch(/production/);
  });
});

function input(environment: string, services: { name: string; config: string }[] = []) {
  return {
    environment,
    esHosts: ["https://elasticsearch.monitoring.svc:9200"],
    esCa: "/usr/share/logstash/config/certs/ca.crt",
    tls: { ca: "/c/ca.crt", cert: "/c/logstash.crt", key: "/c/logstash.key" },
    passwordEnv: "LOGSTASH_ES_PASSWORD",
    user: "logstash_writer",
    services,
  };
}

describe("rendered pipelines", () => {
  it("Beats on 5044 with client certificates, Elasticsearch over TLS with the writer's own credentials", () => {
    const all = logstashPipelines(input("prod")).map(renderPipeline).join("\n");
    expect(all).toMatch(/beats \{\n\s+port => 5044\n\s+ssl_enabled => true/);
    expect(all).toContain('ssl_client_authentication => "required"');
    expect(all).toContain('user => "logstash_writer"');
    expect(all).toContain('password => "${LOGSTASH_ES_PASSWORD}"');
    expect(all).toContain('data_stream => "true"');
    expect(all).toContain('patterns_dir => ["/usr/share/logstash/patterns"]');
    // The grok text Logstash runs is the text the tests expand.
    for (const p of PLAIN_LINE_PATTERNS) expect(all).toContain(`"${p}"`);
    expect(all).not.toMatch(/stdout|rubydebug/);
  });

  it("contributed pipelines get their own pipeline, routed by service name; others go to the default parsing", () => {
    const services = [{ name: "bge-icl", config: 'mutate { add_tag => ["bge"] }' }];
    const pipelines = logstashPipelines(input("prod", services));
    expect(pipelines.map((p) => p.id)).toEqual(["beats", "default", "svc-bge-icl", "ship"]);
    const beats = renderPipeline(pipelines[0]);
    expect(beats).toMatch(
      /if \[service\]\[name\] == "bge-icl" \{\n\s+pipeline \{ send_to => \["svc-bge-icl"\] \}/,
    );
    expect(beats).toMatch(/else \{\n\s+pipeline \{ send_to => \["default"\] \}/);
    expect(renderPipeline(pipelines[2])).toContain('mutate { add_tag => ["bge"] }');
    expect(() => logstashPipelines(input("prod", [...services, ...services]))).toThrow(/twice/);
    expect(() => logstashPipelines(input("prod", [{ name: "Bad Name", config: "" }]))).toThrow(
      /service name/,
    );
  });

  it("refuses a double quote (Logstash has no escapes) and an unescaped slash in a regex", () => {
    expect(() =>
      logstashPipelines({ ...input("prod"), esHosts: ['https://x"y'] }).map(renderPipeline),
    ).toThrow(/double quote/);
    expect(() => renderFilter({ if: { field: "message", matches: "a/b" }, then: [] })).toThrow(/escape/);
    expect(renderFilter({ if: { field: "message", matches: "a\\/b" }, then: [] })).toContain("=~ /a\\/b/");
  });
});

/**
 * Property: a mutant of a shipped stack file (type swaps, deletions, extremes, empty values, misspelt
 * keys, repeated list entries, edited strings) either resolves to a spec whose rendered files hold no
 * leaked undefined/NaN/Infinity/null and that the real promtool and amtool accept, or is refused with
 * a ConfigError whose every problem names a `monitoring:` key. Anything else thrown is a crash.
 *
 * Besides the two shipped files, a third base adds to the prod file what they leave out.
 *
 * Bounded: MUTANTS mutants in-process (fixed seed, FC_SEED to explore others), then the real tools on
 * TOOL_SAMPLE of the accepted ones whose rendered files differ from the shipped stack's.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { prometheusDurationSeconds, prometheusSizeBytes } from "../../lib/units";
import { isConfigError } from "../../stacks/errors";
import type { StackSpec } from "../../stacks/spec";
import { scratchDir } from "../helpers/scratch";
import { toolPath } from "../helpers/tools";
import { renderAll, type Rendered } from "./render";
import { resolveStack, shippedStack, type Json, type StackConfig } from "./stack-files";

const MUTANTS = Number(process.env.FC_RUNS ?? 500);
const TOOL_SAMPLE = Number(process.env.FC_TOOL_SAMPLE ?? 30);
const SEED = Number(process.env.FC_SEED ?? 20251128);

/** Text that means a value was lost on the way (JS undefined/NaN/Infinity, or a null where text belongs). */
const LEAK = /\b(undefined|NaN|Infinity|null)\b/g;

type Mutation =
  | { kind: "delete" | "empty"; pick: number }
  | { kind: "replace"; pick: number; value: Json }
  | { kind: "rename"; pick: number; typo: number; at: number }
  | { kind: "duplicate"; pick: number; index: number }
  | { kind: "addKey"; pick: number; key: string; value: Json }
  | { kind: "editString"; pick: number; edit: string; front: boolean }
  | { kind: "tweak"; pick: number; choice: number };

const extremes: Json[] = [
  0,
  -1,
  1.5,
  1e308,
  2 ** 53 + 2,
  -(2 ** 31),
  "0",
  "0s",
  "-1s",
  "0ms",
  "1ms",
  "300y",
  "292y",
  "99999999999999999999d",
  "30m1h",
  "1e400",
  "1e3Gi",
  "0.5m",
  "0.0001",
  "NaN",
  "Infinity",
  "-Infinity",
  "undefined",
  "null",
  "",
  " ",
  "x".repeat(5000),
  "ééé",
  "a\nb",
  "{{ .Oops",
  "(?!x)",
  ".*",
  "[",
  "\\d",
  'a="b',
  "https://user:pw@example.com/x",
  "true",
  "[]",
  "{}",
];
const typeSwaps: Json[] = ["text", 42, true, false, {}, [], { a: 1 }, ["x"], [1, 2], null];
const edits = [
  " ",
  "x",
  "0",
  "{",
  "}",
  "\\",
  '"',
  "'",
  "/",
  "-",
  ".",
  "é",
  "\n",
  "*",
  "=",
  "~",
  ":",
  "Gi",
  "ms",
];

/** Plausible edits a user makes, mostly valid: they make the accepted mutants varied. */
const durations = ["1s", "5s", "15s", "1m", "2m", "5m", "1h30m", "45d", "1y", "500ms", "0s"];
const sizes = ["1Gi", "3Gi", "64Mi", "500Gi", "64Ti", "1G", "1e9", "100Mi"];

function tweaked(value: Json, choice: number): Json | undefined {
  if (typeof value === "boolean") return !value;
  if (typeof value === "number") return [value + 1, value * 2, Math.max(0, value - 1), 1, 3][choice % 5];
  if (typeof value !== "string") return undefined;
  if (/^\d+(ms|s|m|h|d|w|y)/.test(value)) return durations[choice % durations.length];
  if (/^\d+(\.\d+)?(Ki|Mi|Gi|Ti|m)?$/.test(value)) return sizes[choice % sizes.length];
  return [value.toUpperCase(), `${value}-2`, value.slice(1), "x"][choice % 4];
}

const jsonValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom(...extremes),
  fc.constantFrom(...typeSwaps),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant("tweak" as const), pick: fc.nat(), choice: fc.nat() }),
  },
  fc.record({ kind: fc.constantFrom("delete" as const, "empty" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("replace" as const), pick: fc.nat(), value: jsonValue }),
  fc.record({ kind: fc.constant("rename" as const), pick: fc.nat(), typo: fc.nat(3), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), pick: fc.nat(), index: fc.nat() }),
  fc.record({
    kind: fc.constant("addKey" as const),
    pick: fc.nat(),
    key: fc.constantFrom("extra", "retention", "Replicas", "enable", "size", "url"),
    value: jsonValue,
  }),
  fc.record({
    kind: fc.constant("editString" as const),
    pick: fc.nat(),
    edit: fc.constantFrom(...edits),
    front: fc.boolean(),
  }),
);

type Container = Record<string, Json> | Json[];
interface Node {
  parent: Container;
  key: string | number;
  value: Json;
}

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Every value in the tree with its parent (top-level keys included). */
function nodes(root: Record<string, Json>): Node[] {
  const out: Node[] = [];
  const walk = (parent: Container, key: string | number, value: Json) => {
    out.push({ parent, key, value });
    if (Array.isArray(value)) value.forEach((v, i) => walk(value, i, v));
    else if (isObject(value)) for (const [k, v] of Object.entries(value)) walk(value, k, v);
  };
  for (const [k, v] of Object.entries(root)) walk(root, k, v);
  return out;
}

function typo(key: string, kind: number, at: number): string {
  const i = at % Math.max(1, key.length);
  switch (kind) {
    case 0:
      return key.slice(0, i) + key.slice(i + 1); // dropped letter
    case 1:
      return key.slice(0, i) + key[i] + key.slice(i); // doubled letter
    case 2:
      return i + 1 < key.length ? key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2) : `${key}s`;
    default:
      return (
        key.slice(0, i) +
        (key[i] === key[i].toUpperCase() ? key[i].toLowerCase() : key[i].toUpperCase()) +
        key.slice(i + 1)
      );
  }
}

function set(parent: Container, key: string | number, value: Json) {
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else parent[key] = value;
}

/** Applies one mutation in place; a mutation that does not fit the picked node leaves the tree unchanged. */
function apply(root: Record<string, Json>, m: Mutation): void {
  const all = nodes(root);
  if (all.length === 0) return;
  const node = all[m.pick % all.length];
  const { parent, key, value } = node;
  // The namespace of a top-level key stays: a misspelt namespace has its own test.
  const topLevel = parent === root;
  switch (m.kind) {
    case "delete":
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      return;
    case "empty":
      set(parent, key, m.pick % 2 === 0 ? "" : null);
      return;
    case "replace":
      set(parent, key, structuredClone(m.value)); // generated values are shared between runs
      return;
    case "rename": {
      if (Array.isArray(parent) || typeof key !== "string") return;
      const [ns, name] = topLevel
        ? [key.slice(0, key.indexOf(":") + 1), key.slice(key.indexOf(":") + 1)]
        : ["", key];
      if (topLevel && ns !== "monitoring:") return;
      const renamed = ns + typo(name, m.typo, m.at);
      delete parent[key];
      parent[renamed] = value;
      return;
    }
    case "duplicate": {
      const lists = all.filter(
        (n): n is Node & { value: Json[] } => Array.isArray(n.value) && n.value.length > 0,
      );
      if (lists.length === 0) return;
      const list = lists[m.pick % lists.length].value;
      list.push(structuredClone(list[m.index % list.length]));
      return;
    }
    case "addKey":
      if (isObject(value)) value[m.key] = structuredClone(m.value);
      return;
    case "editString":
      if (typeof value === "string") set(parent, key, m.front ? m.edit + value : value + m.edit);
      return;
    case "tweak": {
      const next = tweaked(value, m.choice);
      if (next !== undefined) set(parent, key, next);
      return;
    }
  }
}

/** Every string in a JSON value (keys too): leaked-looking text the user typed may come back. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === "object")
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      strings(v, out);
    }
  return out;
}

const leaks = (text: string) => new Set(text.match(LEAK) ?? []);

/** Leak tokens in `text` that neither the baseline nor the user's own strings explain. */
function unexplained(text: string, baseline: string, typed: string): string[] {
  const allowed = new Set([...leaks(baseline), ...leaks(typed)]);
  return [...leaks(text)].filter((t) => !allowed.has(t));
}

/** Numbers that are not finite, nulls and unexplained leak text anywhere in the spec. */
function specLeaks(spec: StackSpec, typed: string): string[] {
  const found: string[] = [];
  const walk = (v: unknown, at: string) => {
    if (v === null) found.push(`${at} is null`);
    else if (typeof v === "number" && !Number.isFinite(v)) found.push(`${at} is ${v}`);
    else if (typeof v === "string") for (const t of unexplained(v, "", typed)) found.push(`${at} has ${t}`);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${at}.${k}`);
  };
  walk(spec, "spec");
  return found;
}

function renderedText(r: Rendered): Record<string, string> {
  return {
    "prometheus.yml": r.prometheusYml,
    "alertmanager.yml": r.alertmanagerYml,
    args: r.args.join("\n"),
    ...Object.fromEntries(Object.entries(r.rules).map(([k, v]) => [`rules/${k}`, v])),
    ...Object.fromEntries(Object.entries(r.templates).map(([k, v]) => [`templates/${k}`, v])),
  };
}

interface Accepted {
  file: string;
  mutations: Mutation[];
  spec: StackSpec;
  key: string;
}

/**
 * The prod file with the settings the shipped files leave out (extra jobs, remote write, routes with
 * regex matchers, inhibit rules, templates, email, excludes, the kubelet's cAdvisor), so mutants reach
 * every part of the renderers too.
 */
function featured(): StackConfig {
  const prod = shippedStack("prod");
  const section = (key: string) => prod.config[`monitoring:${key}`] as Record<string, Json>;
  Object.assign(section("prometheus"), {
    evaluationInterval: "1m",
    retentionSize: "60Gi",
    extraScrapeJobs: [
      {
        name: "api",
        targets: ["api.internal:8080", "[::1]:9100"],
        metricsPath: "/stats",
        scrapeInterval: "5s",
      },
    ],
    remoteWrite: { url: "https://aps.example.com/api/v1/remote_write", sigv4Region: "us-west-2" },
  });
  Object.assign(section("alertmanager").routing as Record<string, Json>, {
    groupBy: ["alertname", "cluster"],
    groupWait: "10s",
    routes: [
      {
        matchers: ['team="db"', 'alertname=~"Postgres.*|Mysql\\\\d+"'],
        receiver: "mail",
        continue: true,
        repeatInterval: "1h",
      },
    ],
    inhibitRules: [
      {
        sourceMatchers: ['alertname="NodeDown"'],
        targetMatchers: ['severity!="critical"'],
        equal: ["instance"],
      },
    ],
    templates: { "extra.tmpl": '{{ define "extra.title" }}{{ .Status }}{{ end }}' },
  });
  ((section("alertmanager").routing as Record<string, Json>).receivers as Record<string, Json>).mail = {
    email: [
      {
        to: "oncall@example.com",
        from: "am@example.com",
        smarthost: "smtp.example.com:587",
        authUsername: "am",
        authPasswordSecret: "smtpPassword",
      },
    ],
  };
  prod.config["monitoring:nodeExporter"] = {
    mountPointsExclude: "^/(dev|proc|sys)($|/)",
    fsTypesExclude: "^(tmpfs|overlay)$",
  };
  prod.config["monitoring:cadvisor"] = { source: "kubelet" };
  prod.secrets.push("monitoring:smtpPassword");
  return prod;
}

const files: Record<string, StackConfig> = {
  dev: shippedStack("dev"),
  prod: shippedStack("prod"),
  featured: featured(),
};
const baseline: Record<string, Record<string, string>> = {};
const accepted: Accepted[] = [];
const counts = { accepted: 0, refused: 0, unchanged: 0 };

/** One mutant through the program; fails on a crash, a bad problem or a leak in the spec or files. */
function check(name: string, mutations: Mutation[]): void {
  const file = files[name];
  const config = structuredClone(file.config);
  for (const m of mutations) apply(config, m);
  const typed = strings(config).join("\n");
  const mutant: StackConfig = { ...file, config };
  let spec: StackSpec;
  try {
    spec = resolveStack(mutant);
  } catch (err) {
    if (!isConfigError(err)) throw new Error(`crash on ${JSON.stringify(mutations)}: ${String(err)}`);
    counts.refused++;
    expect(err.problems.length).toBeGreaterThan(0);
    for (const p of err.problems) {
      // aws:region is the one key outside monitoring: that the program reads (the CloudWatch datasource).
      expect(p.path).toMatch(/^(monitoring:[A-Za-z]|aws:region$)/);
      expect(p.message.length).toBeGreaterThan(10);
      expect(unexplained(p.message, "", typed), p.message).toEqual([]);
    }
    expect(err.message).not.toMatch(/\n\s+at /);
    return;
  }
  expect(specLeaks(spec, typed)).toEqual([]);
  const text = renderedText(renderAll(spec));
  for (const [f, content] of Object.entries(text))
    expect(
      unexplained(content, baseline[name][f] ?? "", typed),
      `${f} of ${JSON.stringify(mutations)}`,
    ).toEqual([]);
  // The command line values Prometheus parses itself.
  expect(prometheusDurationSeconds(spec.prometheus.retentionTime)).toBeGreaterThan(0);
  expect(prometheusSizeBytes(spec.prometheus.retentionSize)).toBeGreaterThan(0);
  for (const v of [spec.prometheus.volume, spec.alertmanager.volume, spec.grafana.volume])
    expect(Number.isInteger(v.sizeGi) && v.sizeGi >= 1).toBe(true);
  const key = text["prometheus.yml"] + text["alertmanager.yml"] + text.args;
  const base = baseline[name]["prometheus.yml"] + baseline[name]["alertmanager.yml"] + baseline[name].args;
  if (key === base) counts.unchanged++;
  else {
    counts.accepted++;
    accepted.push({ file: name, mutations, spec, key });
  }
}

/** Writes the rendered files where the tools read them and runs promtool and amtool on them. */
function runTools(spec: StackSpec) {
  const dir = scratchDir("mutant-");
  const rulesDir = path.join(dir, "rules");
  const templatesDir = path.join(dir, "templates");
  mkdirSync(rulesDir);
  mkdirSync(templatesDir);
  const r = renderAll(spec, { rulesDir, templatesDir });
  for (const [f, content] of Object.entries(r.rules)) writeFileSync(path.join(rulesDir, f), content);
  for (const [f, content] of Object.entries(r.templates)) writeFileSync(path.join(templatesDir, f), content);
  // The kubelet job reads the pod's service-account files, which promtool checks exist.
  const sa = path.join(dir, "serviceaccount");
  mkdirSync(sa);
  writeFileSync(path.join(sa, "token"), "token\n");
  writeFileSync(path.join(sa, "ca.crt"), "");
  writeFileSync(
    path.join(dir, "prometheus.yml"),
    r.prometheusYml.split("/var/run/secrets/kubernetes.io/serviceaccount").join(sa),
  );
  writeFileSync(path.join(dir, "alertmanager.yml"), r.alertmanagerYml);
  const promtool = spawnSync(toolPath("promtool"), ["check", "config", path.join(dir, "prometheus.yml")], {
    encoding: "utf8",
  });
  const amtool = spawnSync(toolPath("amtool"), ["check-config", path.join(dir, "alertmanager.yml")], {
    encoding: "utf8",
  });
  return { promtool, amtool };
}

describe("mutants of the shipped stack files", () => {
  beforeAll(() => {
    for (const name of Object.keys(files))
      baseline[name] = renderedText(renderAll(resolveStack(files[name])));
  });

  it(`${MUTANTS} mutants: a spec without leaks, or a ConfigError naming monitoring: keys; never a crash`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(files)),
        fc.array(mutation, { minLength: 1, maxLength: 2 }),
        check,
      ),
      { numRuns: MUTANTS, seed: SEED },
    );
    console.log(`mutants: ${JSON.stringify(counts)}`);
    // Both outcomes must be exercised, or the property says little.
    expect(counts.refused).toBeGreaterThan(MUTANTS / 4);
    expect(counts.accepted).toBeGreaterThanOrEqual(TOOL_SAMPLE);
  });

  it(`the real promtool and amtool accept the files of up to ${TOOL_SAMPLE} distinct accepted mutants`, () => {
    // Distinct rendered outcomes (several mutants may render the same files); at least 20 are sampled.
    const distinct = [...new Map(accepted.map((a) => [a.key, a])).values()];
    expect(distinct.length).toBeGreaterThanOrEqual(Math.min(TOOL_SAMPLE, 20));
    const size = Math.min(TOOL_SAMPLE, distinct.length);
    const sample = Array.from({ length: size }, (_, i) => distinct[Math.floor((i * distinct.length) / size)]);
    for (const a of sample) {
      const { promtool, amtool } = runTools(a.spec);
      const what = `${a.file} ${JSON.stringify(a.mutations)}`;
      expect(promtool.status, `${what}\n${promtool.stdout}${promtool.stderr}`).toBe(0);
      expect(amtool.status, `${what}\n${amtool.stdout}${amtool.stderr}`).toBe(0);
      // Alertmanager reads every matcher with its new parser, not the classic fallback.
      expect(amtool.stderr, what).not.toMatch(/level=WARN/);
    }
  }, 120_000);

  it.each(Object.keys(files))("the tools accept the %s base itself", (name) => {
    // The featured base has an extra job scraped every 5s under the 30s global interval: Prometheus
    // then takes the job's timeout as min(global scrape_timeout 10s, 5s), so no scrape_timeout is needed.
    const { promtool, amtool } = runTools(resolveStack(files[name]));
    expect(promtool.status, promtool.stdout + promtool.stderr).toBe(0);
    expect(amtool.status, amtool.stdout + amtool.stderr).toBe(0);
    expect(amtool.stderr).not.toMatch(/level=WARN/);
  });

  it("the tool check can fail: a rendered file the tools refuse is reported", () => {
    const spec = resolveStack(files.prod);
    const broken: StackSpec = {
      ...spec,
      prometheus: { ...spec.prometheus, scrapeInterval: "30m1h" },
      alertmanager: {
        ...spec.alertmanager,
        routing: { ...spec.alertmanager.routing, groupBy: ["alertname", "alertname"] },
      },
    };
    const { promtool, amtool } = runTools(broken);
    expect(promtool.status).not.toBe(0);
    expect(amtool.stdout + amtool.stderr).toMatch(/duplicated label "alertname" in group_by/);
  });
});

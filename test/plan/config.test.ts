/**
 * The plan reads stack config as the Pulumi CLI does (pulumi/pulumi pkg/workspace/config.go and
 * sdk/go/common/workspace): the shipped stacks and a review stack copied from dev pass; what the CLI
 * refuses is refused in its words, before the program runs.
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readStackConfig, REDACTED, validateConfigValue } from "../../scripts/plan/config";
import { repoRoot, runPlan } from "../helpers/plan";
import { scratchDir } from "../helpers/scratch";

/** A project directory with the given Pulumi.yaml and stack files. */
function project(projectYaml: string, stacks: Record<string, string>): string {
  const dir = scratchDir("plan-config-");
  writeFileSync(path.join(dir, "Pulumi.yaml"), projectYaml);
  for (const [stack, text] of Object.entries(stacks))
    writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
  return dir;
}

const shippedProject = readFileSync(path.join(repoRoot, "Pulumi.yaml"), "utf8");
const shippedDev = readFileSync(path.join(repoRoot, "Pulumi.dev.yaml"), "utf8");

/** The Pulumi.yaml this branch started from: twelve declared keys, none with a default. */
const OLD_PROJECT = `name: monitoring
runtime: nodejs
config:
  environment:
    type: string
  ephemeral:
    type: boolean
  platform:
    type: string
  cluster:
    type: string
  tags:
    description: object
  kubernetes:
    description: object
  docker:
    description: object
  prometheus:
    description: object
  alertmanager:
    description: object
  nodeExporter:
    description: object
  cadvisor:
    description: object
  rules:
    description: object
`;

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect((err as Error).name).toBe("StackFileError");
    return (err as Error).message;
  }
  throw new Error("expected the stack config to be refused");
}

describe("the shipped project and stacks", () => {
  it("the old Pulumi.yaml made the CLI refuse dev: declared keys without a default must be set", () => {
    const dir = project(OLD_PROJECT, { dev: shippedDev });
    expect(refusal(() => readStackConfig(dir, "dev"))).toBe(
      "Pulumi.dev.yaml: Stack 'dev' is missing configuration values 'alertmanager', 'cadvisor', 'docker', 'ephemeral', 'kubernetes', 'nodeExporter', 'platform' and 'rules'",
    );
  });

  it.each(["dev", "prod"])("%s passes the CLI's checks with the shipped Pulumi.yaml", (stack) => {
    const cfg = readStackConfig(repoRoot, stack);
    expect(cfg.project).toBe("monitoring");
    expect(cfg.warnings).toEqual([]);
    // Project defaults fill what the stack leaves out, with the program's own meaning.
    expect(cfg.config["monitoring:ephemeral"]).toBe("false");
    expect(cfg.config["monitoring:docker"]).toBe("{}");
    // No placeholder ciphertext is shipped: the CLI would fail decrypting it.
    expect(cfg.secretKeys).toEqual([]);
  });

  it("a review stack copied from dev (`pulumi stack init pr-7 --copy-config-from dev`) passes", () => {
    const dir = scratchDir("plan-pr7-");
    copyFileSync(path.join(repoRoot, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    copyFileSync(path.join(repoRoot, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.pr-7.yaml"));
    const cfg = readStackConfig(dir, "pr-7");
    expect(JSON.parse(cfg.config["monitoring:prometheus"])).toEqual({
      retentionTime: "15d",
      volume: { size: "20Gi" },
    });
  });

  it("a stack that sets nothing passes (every declared key has a default)", () => {
    const dir = project(shippedProject, { empty: "" });
    expect(readStackConfig(dir, "empty").config["monitoring:tags"]).toBe("{}");
  });
});

describe("stack values against the project's declared types", () => {
  const decl = `name: monitoring
runtime: nodejs
config:
  tags:
    type: object
    default: {}
  ephemeral:
    type: boolean
    default: false
  replicas:
    type: integer
    default: 1
  zones:
    type: array
    items:
      type: string
    default: []
  token:
    type: string
    secret: true
    default: none
  loose:
    description: no type, so no type check
    default: x
`;

  it.each([
    ["monitoring:tags: team", "Stack 'x' with configuration key 'tags' must be of type 'object'"],
    ["monitoring:ephemeral: maybe", "Stack 'x' with configuration key 'ephemeral' must be of type 'boolean'"],
    ["monitoring:replicas: 1.5", "Stack 'x' with configuration key 'replicas' must be of type 'integer'"],
    ["monitoring:zones: [a, 1]", "Stack 'x' with configuration key 'zones' must be of type 'array<string>'"],
    ["monitoring:token: plain", "Stack 'x' with configuration key 'token' must be encrypted as it's secret"],
  ])("%s is refused", (line, message) => {
    // The secret key is set encrypted unless it is the one under test.
    const token = line.includes("token") ? "" : "  monitoring:token:\n    secure: AAEA\n";
    const dir = project(decl, { x: `config:\n  ${line}\n${token}` });
    expect(refusal(() => readStackConfig(dir, "x"))).toBe(`Pulumi.x.yaml: ${message}`);
  });

  it("accepts what the CLI accepts: text booleans and integers, objects, typed arrays, untyped anything", () => {
    const dir = project(decl, {
      x: 'config:\n  monitoring:ephemeral: "true"\n  monitoring:replicas: "3"\n  monitoring:zones: [a, b]\n  monitoring:loose: [1, {a: 2}]\n  monitoring:token:\n    secure: AAEA\n',
    });
    const cfg = readStackConfig(dir, "x");
    expect(cfg.config["monitoring:replicas"]).toBe("3");
    expect(cfg.config["monitoring:token"]).toBe(REDACTED);
    expect(cfg.secretKeys).toEqual(["monitoring:token"]);
  });

  it("ValidateConfigValue: integers as numbers or decimal text, strings only as text", () => {
    expect(validateConfigValue("integer", undefined, "-42")).toBe(true);
    expect(validateConfigValue("integer", undefined, "4.0")).toBe(false);
    expect(validateConfigValue("integer", undefined, 4)).toBe(true);
    expect(validateConfigValue("string", undefined, { a: 1 })).toBe(false);
    expect(validateConfigValue("array", { type: "integer" }, [1, 2])).toBe(true);
    expect(validateConfigValue("array", undefined, [1, 2])).toBe(false);
  });

  it("a missing key is one error listing every missing key, sorted, as the CLI words it", () => {
    const dir = project("name: p\nruntime: nodejs\nconfig:\n  b:\n    type: string\n  a: {}\n  c: {}\n", {
      s: "",
    });
    expect(refusal(() => readStackConfig(dir, "s"))).toBe(
      "Pulumi.s.yaml: Stack 's' is missing configuration values 'a', 'b' and 'c'",
    );
    const one = project("name: p\nruntime: nodejs\nconfig:\n  only: {}\n", { s: "" });
    expect(refusal(() => readStackConfig(one, "s"))).toBe(
      "Pulumi.s.yaml: Stack 's' is missing configuration value 'only'",
    );
  });

  it("refuses declarations the CLI refuses: an array without items, a default of the wrong type", () => {
    const arr = project("name: p\nruntime: nodejs\nconfig:\n  l:\n    type: array\n    default: []\n", {
      s: "",
    });
    expect(refusal(() => readStackConfig(arr, "s"))).toBe(
      "could not unmarshal 'Pulumi.yaml': The configuration key 'l' declares an array but does not specify the underlying type via the 'items' attribute",
    );
    const def = project("name: p\nruntime: nodejs\nconfig:\n  n:\n    type: integer\n    default: many\n", {
      s: "",
    });
    expect(refusal(() => readStackConfig(def, "s"))).toBe(
      "could not unmarshal 'Pulumi.yaml': The default value specified for configuration key 'n' is not of the expected type 'integer'",
    );
  });
});

describe("reading a stack file as the CLI does", () => {
  it("a key left empty is the empty string (not the text null), with the CLI's warning", () => {
    const dir = project(shippedProject, { x: "config:\n  monitoring:cluster:\n" });
    const cfg = readStackConfig(dir, "x");
    expect(cfg.config["monitoring:cluster"]).toBe("");
    expect(cfg.warnings).toEqual([
      'No value for configuration key "monitoring:cluster". This is currently treated as an empty string `""`, but will be treated as `null` in a future version of pulumi.\nSet the value to `""` to avoid this warning.',
    ]);
  });

  it("unqualified keys belong to the project namespace; <ns>:config:<name> is the legacy form", () => {
    const dir = project(shippedProject, { x: "config:\n  cluster: c1\n  aws:config:region: eu-west-1\n" });
    const cfg = readStackConfig(dir, "x");
    expect(cfg.config["monitoring:cluster"]).toBe("c1");
    expect(cfg.config["aws:region"]).toBe("eu-west-1");
  });

  it.each([
    ["- a\n- b\n", "'[]interface {}'"],
    ["just text\n", "'string'"],
  ])("a file that is not a mapping (%j) is refused", (text, type) => {
    const dir = project(shippedProject, { x: text });
    expect(refusal(() => readStackConfig(dir, "x"))).toContain(
      `Pulumi.x.yaml: expected project to be an object, was ${type}`,
    );
  });

  it("duplicate keys are refused at any depth, with yaml.v3's wording and lines", () => {
    const dir = project(shippedProject, {
      x: "config:\n  monitoring:cluster: a\n  monitoring:prometheus:\n    replicas: 1\n    replicas: 2\n  monitoring:cluster: b\n",
    });
    expect(refusal(() => readStackConfig(dir, "x"))).toBe(
      'Pulumi.x.yaml: yaml: unmarshal errors:\n  line 6: mapping key "monitoring:cluster" already defined at line 2\n  line 5: mapping key "replicas" already defined at line 4',
    );
  });

  it("a key that is not <namespace>:<name> is refused with config.ParseKey's wording", () => {
    const dir = project(shippedProject, { x: "config:\n  a:b:c:d: 1\n" });
    expect(refusal(() => readStackConfig(dir, "x"))).toBe(
      "Pulumi.x.yaml: could not unmarshal map: could not parse a:b:c:d as a configuration key (configuration keys should be of the form `<namespace>:<name>`)",
    );
  });
});

describe("npm run plan on config the CLI refuses", () => {
  it("exits 2 naming the file and the key, without a stack trace, and writes nothing", () => {
    const dir = scratchDir("plan-dup-");
    const file = path.join(dir, "Pulumi.dup.yaml");
    writeFileSync(file, `${shippedDev}  monitoring:cluster: again\n`);
    const r = runPlan("dup", ["--config", file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^error: Pulumi\.dup\.yaml: yaml: unmarshal errors:\n {2}line \d+: mapping key "monitoring:cluster" already defined at line \d+\n$/,
    );
    expect(r.resources).toEqual([]);
  });
});

/**
 * What the Pulumi engine refuses before any provider runs, which Pulumi's mock monitor accepts: each
 * check is tripped by a tiny synthetic program run under the plan's runtime (never the shipped stacks).
 */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { EngineChecks } from "../../scripts/plan/engine-checks";
import { installMockRuntime } from "../../scripts/plan/runtime";
import { repoRoot, runPlan } from "../helpers/plan";
import { scratchDir } from "../helpers/scratch";

/** Runs `program` under the plan's mock runtime and returns what the engine would refuse. */
async function engineErrors(program: () => void, config: Record<string, string> = {}): Promise<string[]> {
  const runtime = installMockRuntime({ project: "p", stack: "s", config, secretKeys: [] });
  program();
  await runtime.settle();
  return runtime.engineErrors();
}

const urn = (type: string, name: string) => `urn:pulumi:s::p::${type}::${name}`;

// The SDK's resource classes are abstract in its typings; these are the plainest concrete ones.
class Custom extends pulumi.CustomResource {
  constructor(
    type: string,
    name: string,
    props: pulumi.Inputs = {},
    opts: pulumi.CustomResourceOptions = {},
  ) {
    super(type, name, props, opts);
  }
}
class Component extends pulumi.ComponentResource {
  constructor(type: string, name: string, opts: pulumi.ComponentResourceOptions = {}) {
    super(type, name, {}, opts);
  }
}
class Provider extends pulumi.ProviderResource {
  constructor(pkg: string, name: string, opts: pulumi.ResourceOptions = {}) {
    super(pkg, name, {}, opts);
  }
}

describe("engine refusals under the plan's runtime", () => {
  it("a healthy program: a provider, a component parent, a dependency", async () => {
    const errors = await engineErrors(() => {
      const parent = new Component("x:index:Group", "group");
      const provider = new Provider("x", "explicit", { parent });
      const first = new Custom("x:index:Thing", "first", {}, { parent, provider });
      new Custom("x:index:Thing", "second", {}, { parent, provider, dependsOn: [first] });
    });
    expect(errors).toEqual([]);
  });

  it("duplicate URN (step_generator.go generateURN)", async () => {
    const errors = await engineErrors(() => {
      new Custom("x:index:Thing", "same", { replica: 0 });
      new Custom("x:index:Thing", "same", { replica: 1 });
    });
    expect(errors).toEqual([
      `Duplicate resource URN '${urn("x:index:Thing", "same")}'; try giving it a unique name`,
    ]);
  });

  it("a parent that was never registered (step_generator.go checkParent)", async () => {
    const ghost = urn("x:index:Group", "ghost");
    const errors = await engineErrors(() => {
      new Component("x:index:Child", "child", { parent: new pulumi.DependencyResource(ghost) });
    });
    expect(errors).toEqual([`could not find parent resource ${ghost}`]);
  });

  it("a dependency on a resource that was never registered (snapshot.go VerifyIntegrity)", async () => {
    const ghost = urn("x:index:Thing", "ghost");
    const errors = await engineErrors(() => {
      new Custom("x:index:Thing", "dependent", {}, { dependsOn: [new pulumi.DependencyResource(ghost)] });
    });
    expect(errors).toEqual([
      `resource ${urn("x:index:Thing", "dependent")}'s dependency ${ghost} refers to missing resource`,
    ]);
  });

  it("a provider that was never registered (step_generator.go loadResourceProvider, 2007)", async () => {
    const ref = `${urn("pulumi:providers:x", "ghost")}::ghost-id`;
    const errors = await engineErrors(() => {
      new Custom("x:index:Thing", "orphan", {}, { provider: new pulumi.DependencyProviderResource(ref) });
    });
    expect(errors).toEqual([`unknown provider '${ref}' for resource '${urn("x:index:Thing", "orphan")}'`]);
  });

  it("a default provider the stack disabled (default_providers.go shouldDenyRequest, 2015)", async () => {
    const program = () => void new Custom("random:index/randomPassword:RandomPassword", "pw", {});
    expect(await engineErrors(program)).toEqual([]);
    expect(await engineErrors(program, { "pulumi:disable-default-providers": '["random"]' })).toEqual([
      `Default provider for 'random' disabled. '${urn("random:index/randomPassword:RandomPassword", "pw")}' must use an explicit provider.`,
    ]);
    expect(await engineErrors(program, { "pulumi:disable-default-providers": '["*"]' })).toHaveLength(1);
  });

  it("a custom resource without a three-part type token (source_eval.go RegisterResource)", async () => {
    const errors = await engineErrors(() => {
      new Custom("thing", "bad", {});
      new Component("anything goes for components", "fine");
    });
    expect(errors).toEqual(["Type 'thing' is not a valid type token (must have format '*:*:*')"]);
  });
});

describe("EngineChecks (pure)", () => {
  it("a malformed provider reference is a bad provider reference (2006)", () => {
    const checks = new EngineChecks();
    checks.register({
      urn: urn("x:index:T", "a"),
      type: "x:index:T",
      name: "a",
      parent: "",
      custom: true,
      provider: "nonsense",
      dependencies: [],
    });
    expect(checks.errors).toEqual([
      `bad provider reference 'nonsense' for resource '${urn("x:index:T", "a")}': expected '::' in provider reference 'nonsense'`,
    ]);
  });

  it("a provider reference whose id differs from the registered provider's is unknown", () => {
    const checks = new EngineChecks();
    const prov = urn("pulumi:providers:x", "p");
    checks.register({
      urn: prov,
      type: "pulumi:providers:x",
      name: "p",
      parent: "",
      custom: true,
      provider: "",
      dependencies: [],
      id: "id-1",
    });
    checks.register({
      urn: urn("x:index:T", "a"),
      type: "x:index:T",
      name: "a",
      parent: "",
      custom: true,
      provider: `${prov}::id-1`,
      dependencies: [],
    });
    checks.register({
      urn: urn("x:index:T", "b"),
      type: "x:index:T",
      name: "b",
      parent: "",
      custom: true,
      provider: `${prov}::id-2`,
      dependencies: [],
    });
    expect(checks.errors).toEqual([
      `unknown provider '${prov}::id-2' for resource '${urn("x:index:T", "b")}'`,
    ]);
  });
});

describe("npm run plan with a program the engine refuses", () => {
  it("exits 1 with the engine's wording and writes nothing", () => {
    const dir = scratchDir("plan-engine-");
    const program = path.join(dir, "program.ts");
    writeFileSync(
      program,
      `import * as pulumi from "${path.join(repoRoot, "node_modules/@pulumi/pulumi")}";\n` +
        `class Thing extends pulumi.CustomResource {}\n` +
        `for (const i of [0, 1]) new Thing("x:index:Thing", "replica", { i });\n`,
    );
    const r = runPlan("dev", ["--program", program]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      "error: Duplicate resource URN 'urn:pulumi:dev::monitoring::x:index:Thing::replica'; try giving it a unique name",
    );
    expect(r.stderr).toContain("plan refused: 1 error(s) the Pulumi engine reports before any provider runs");
    expect(r.resources).toEqual([]);
  });
});

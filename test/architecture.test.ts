/**
 * The layering holds: no import cycle anywhere in the program, stacks/ and lib/ import nothing from
 * components/, pure render modules import nothing from Pulumi, and there is one units module.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const LAYERS = ["lib", "stacks", "components", "policies", "scripts", "index.ts"];

function sources(dir: string): string[] {
  const full = path.join(root, dir);
  if (statSync(full).isFile()) return [dir];
  return readdirSync(full, { withFileTypes: true }).flatMap((e) =>
    e.name === "node_modules"
      ? []
      : e.isDirectory()
        ? sources(path.join(dir, e.name))
        : e.name.endsWith(".ts")
          ? [path.join(dir, e.name)]
          : [],
  );
}

/** Relative imports of a module (static `import`/`export ... from` and `require`), resolved to files. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), "utf8");
  const specs = [
    ...text.matchAll(/(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|require\(["']([^"']+)["']\)/g),
  ].map((m) => m[1] ?? m[2]);
  return specs
    .filter((s) => s.startsWith("."))
    .map((s) => {
      const base = path.join(path.dirname(file), s);
      for (const candidate of [`${base}.ts`, path.join(base, "index.ts")])
        if (statSync(path.join(root, candidate), { throwIfNoEntry: false })?.isFile()) return candidate;
      throw new Error(`${file}: cannot resolve ${s}`);
    });
}

const files = LAYERS.flatMap(sources);
const graph = new Map(files.map((f) => [f, importsOf(f)]));

/** Every cycle, as the list of modules on it (Tarjan's strongly connected components of size > 1). */
function cycles(g: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of g.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (g.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const v of g.keys()) if (!idx.has(v)) visit(v);
  return out;
}

describe("architecture", () => {
  it("the import graph covers the program", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(graph.get("index.ts")).toContain(path.join("components", "stack.ts"));
  });

  it("has no import cycle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("the cycle check finds a cycle when there is one", () => {
    const g = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(cycles(g)).toEqual([["a", "b", "c"]]);
  });

  it("stacks/ and lib/ import nothing from components/ (config is validated before anything is built)", () => {
    const offenders = files
      .filter((f) => f.startsWith("stacks") || f.startsWith("lib"))
      .flatMap((f) =>
        graph
          .get(f)!
          .filter((i) => i.startsWith("components"))
          .map((i) => `${f} -> ${i}`),
      );
    expect(offenders).toEqual([]);
  });

  it("pure modules (render functions, builders, lib/, the resolved spec) import nothing from Pulumi at run time", () => {
    const pure = files.filter(
      (f) =>
        /(^|\/)(render|builders|provisioning|ini)\.ts$/.test(f) ||
        f.startsWith("lib") ||
        f.startsWith(path.join("stacks", "sections")),
    );
    expect(pure.length).toBeGreaterThan(8);
    const offenders = pure.filter((f) =>
      /^import (?!type )[^;]*from ["']@pulumi\//m.test(readFileSync(path.join(root, f), "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("one units module: no other module parses durations or quantities", () => {
    const parsers = files.filter((f) =>
      /function (durationSeconds|quantityBytes|cpuCores|prometheusDurationSeconds)\b/.test(
        readFileSync(path.join(root, f), "utf8"),
      ),
    );
    expect(parsers).toEqual([path.join("lib", "units.ts")]);
  });
});

/**
 * Benchmark of the offline plan: `npm run bench [-- --runs N] [stack ...]`.
 *
 * For each shipped stack (a Pulumi.<stack>.yaml beside Pulumi.yaml) it prints the wall time of
 * `scripts/plan.ts <stack>` (a child process, as `npm run plan` runs it: program, policy packs, files)
 * beside the floor: a bare child process, started the same way, that registers as many trivial custom
 * resources as that plan registered under `pulumi.runtime.setMocks`. Medians of N runs (default 5, after
 * one untimed warm-up run of each) and their ratio. Figures only: nothing is asserted.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import * as path from "node:path";

const root = path.resolve(__dirname, "..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

/** Child mode: register `count` trivial custom resources under the mock runtime, then exit. */
async function floor(count: number): Promise<void> {
  const pulumi = await import("@pulumi/pulumi");
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => args.inputs,
    },
    "monitoring",
    "bench",
    true,
  );
  class Thing extends pulumi.CustomResource {
    constructor(name: string, value: number) {
      super("bench:index:Thing", name, { value });
    }
  }
  const urns: Promise<string>[] = [];
  for (let i = 0; i < count; i++) {
    const r = new Thing(`thing-${i}`, i);
    urns.push(new Promise<string>((resolve) => r.urn.apply((u: string) => resolve(u))));
  }
  const registered = new Set(await Promise.all(urns));
  // The parent checks this line: a floor that registered nothing would measure nothing.
  console.log(`registered ${registered.size}`);
}

function seconds(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function mustSucceed(what: string, r: ReturnType<typeof spawnSync>, ok: number[] = [0]): void {
  if (r.status === null || !ok.includes(r.status)) {
    throw new Error(`${what} exited ${r.status ?? r.signal}:\n${String(r.stderr ?? "")}`);
  }
}

function shippedStacks(): string[] {
  return readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

function main(): void {
  const argv = process.argv.slice(2);
  const runsAt = argv.indexOf("--runs");
  const runs = runsAt >= 0 ? Number.parseInt(argv[runsAt + 1] ?? "", 10) : 5;
  if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs takes a positive integer");
  const named = argv.filter((a, i) => !a.startsWith("--") && argv[i - 1] !== "--runs");
  const stacks = named.length > 0 ? named : shippedStacks();

  const scratch = mkdtempSync(path.join(tmpdir(), "bench-"));
  try {
    console.log(`offline plan benchmark: median of ${runs} run(s) per figure, wall time of a child process`);
    console.log(`node ${process.version}, ${cpus().length} CPU(s): ${cpus()[0]?.model ?? "unknown"}\n`);
    const rows: string[][] = [
      ["stack", "resources", "plan (median)", "plan (min-max)", "floor (median)", "plan/floor"],
    ];
    for (const stack of stacks) {
      const out = path.join(scratch, stack);
      const planTimes: number[] = [];
      // One untimed run first of each kind: tsx's transform cache and the OS file cache warm up on it.
      for (let i = -1; i < runs; i++) {
        planTimes.push(
          seconds(() => {
            // Exit 1 (a mandatory policy violation) is still a complete plan.
            const r = spawnSync(tsx, [path.join(root, "scripts", "plan.ts"), stack, "--out", out], {
              cwd: root,
              encoding: "utf8",
            });
            mustSucceed(`plan ${stack}`, r, [0, 1]);
          }),
        );
      }
      planTimes.shift(); // the warm-up
      const resources = (JSON.parse(readFileSync(path.join(out, "resources.json"), "utf8")) as unknown[])
        .length;
      const floorTimes: number[] = [];
      for (let i = -1; i < runs; i++) {
        floorTimes.push(
          seconds(() => {
            const r = spawnSync(tsx, [__filename, "--floor", String(resources)], {
              cwd: root,
              encoding: "utf8",
            });
            mustSucceed(`floor ${resources}`, r);
            if (!r.stdout.includes(`registered ${resources}\n`)) {
              throw new Error(`the floor process did not register ${resources} resources: ${r.stdout}`);
            }
          }),
        );
      }
      floorTimes.shift(); // the warm-up
      const p = median(planTimes);
      const f = median(floorTimes);
      rows.push([
        stack,
        String(resources),
        `${p.toFixed(2)} s`,
        `${Math.min(...planTimes).toFixed(2)}-${Math.max(...planTimes).toFixed(2)} s`,
        `${f.toFixed(2)} s`,
        `${(p / f).toFixed(2)}x`,
      ]);
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    for (const r of rows)
      console.log(r.map((v, c) => (c < 2 ? v.padEnd(widths[c]) : v.padStart(widths[c]))).join("  "));
    console.log(
      "\nfloor: a bare process registering as many trivial custom resources under pulumi.runtime.setMocks;" +
        "\nplan: config validation, the program, both policy packs, writing resources.json, manifests and files.",
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--floor") {
  floor(Number.parseInt(process.argv[3] ?? "0", 10)).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main();
}

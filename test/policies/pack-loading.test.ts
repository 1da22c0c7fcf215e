/**
 * Loads every policy pack under policies/ (each directory with a PulumiPolicy.yaml) the way the engine
 * does under `pulumi preview --policy-pack`: Pulumi's own policy-pack host
 * (`@pulumi/pulumi/cmd/run-policy-pack <engine-address> <pack>`, which compiles index.ts with its
 * type-checking ts-node) is started in the pack directory, must print the port of its analyzer gRPC
 * server, and must answer GetAnalyzerInfo with the pack's policies; an error logged while loading fails
 * the pack. The engine address is a closed port: loading needs no engine. A deliberately broken copy of
 * a pack proves the check catches a pack that would crash.
 */
import { spawn } from "node:child_process";
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerInfo } from "@pulumi/pulumi/proto/analyzer_pb";
import type { Policies } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../helpers/scratch";

const root = path.resolve(__dirname, "../..");
const runPolicyPack = path.join(root, "node_modules/@pulumi/pulumi/cmd/run-policy-pack");
const LOAD_TIMEOUT_MS = 90_000;
const GRACE_MS = 1_500;

interface LoadResult {
  port?: number;
  exitCode: number | null;
  stderr: string;
  packName?: string;
  policyNames?: string[];
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function analyzerInfo(port: number): Promise<AnalyzerInfo> {
  const client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  return new Promise<AnalyzerInfo>((resolve, reject) => {
    client.makeUnaryRequest(
      "/pulumirpc.Analyzer/GetAnalyzerInfo",
      () => Buffer.alloc(0),
      (bytes: Buffer) => AnalyzerInfo.deserializeBinary(bytes),
      {},
      { deadline: Date.now() + 15_000 },
      (err, info) => {
        client.close();
        if (err || !info) reject(err ?? new Error("no analyzer info"));
        else resolve(info);
      },
    );
  });
}

/** Starts the engine's policy-pack host on `dir`, reads the port, asks for the analyzer info, stops it. */
async function loadPack(dir: string): Promise<LoadResult> {
  const engine = `127.0.0.1:${await closedPort()}`;
  const child = spawn(process.execPath, [runPolicyPack, engine, "."], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  let exitCode: number | null = null;
  let done = false;
  void exited.then((code) => {
    exitCode = code;
    done = true;
  });
  try {
    const deadline = Date.now() + LOAD_TIMEOUT_MS;
    let port: number | undefined;
    while (!done && Date.now() < deadline) {
      const m = /^(\d+)\s*$/m.exec(stdout);
      if (m) {
        port = Number(m[1]);
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (port === undefined)
      return { exitCode, stderr: stderr || (done ? "" : "timed out waiting for the port") };
    const info = await analyzerInfo(port);
    await new Promise((r) => setTimeout(r, GRACE_MS));
    return {
      port,
      exitCode,
      stderr,
      packName: info.getName(),
      policyNames: info.getPoliciesList().map((p) => p.getName()),
    };
  } finally {
    if (!done) {
      child.kill("SIGKILL");
      await exited;
    }
  }
}

/** A pack loaded cleanly: served, no error logged, still running. */
function expectHealthy(r: LoadResult) {
  expect(r.stderr, r.stderr).not.toMatch(/error|exception/i);
  expect(r.port, r.stderr).toBeGreaterThan(0);
  expect(r.exitCode).toBeNull();
}

const packs = readdirSync(path.join(root, "policies"), { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(path.join(root, "policies", e.name, "PulumiPolicy.yaml")))
  .map((e) => e.name);

/** A copy of pack `name` in a temp tree that still sees policies/common and node_modules. */
function tempCopy(name: string): string {
  const tmp = scratchDir("pack-load-");
  mkdirSync(path.join(tmp, "policies"));
  cpSync(path.join(root, "policies", name), path.join(tmp, "policies", name), {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}node_modules`),
  });
  symlinkSync(path.join(root, "policies/common"), path.join(tmp, "policies/common"));
  symlinkSync(path.join(root, "node_modules"), path.join(tmp, "node_modules"));
  return path.join(tmp, "policies", name);
}

describe("policy packs load under the engine's policy-pack host", () => {
  it("finds the security pack", () => {
    expect(packs).toContain("security");
  });

  it.each(packs)(
    "policies/%s serves its analyzer with every policy of its policies.ts",
    async (name) => {
      const dir = path.join(root, "policies", name);
      const r = await loadPack(dir);
      expectHealthy(r);
      const { policies } = (await import(path.join(dir, "policies"))) as { policies: Policies };
      expect(r.policyNames?.sort()).toEqual(policies.map((p) => p.name).sort());
      const manifest = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
        version?: string;
      };
      expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
      if (name === "security") expect(r.packName).toBe("monitoring-security");
    },
    LOAD_TIMEOUT_MS + 30_000,
  );

  it(
    "fails a pack whose rules throw while loading (no port, non-zero exit, the error shown)",
    async () => {
      const dir = tempCopy("security");
      const file = path.join(dir, "policies.ts");
      writeFileSync(file, `throw new Error("deliberately broken rules");\n${readFileSync(file, "utf8")}`);
      const r = await loadPack(dir);
      expect(r.port).toBeUndefined();
      expect(r.exitCode).not.toBe(0);
      expect(r.exitCode).not.toBeNull();
      expect(r.stderr).toContain("deliberately broken rules");
    },
    LOAD_TIMEOUT_MS + 30_000,
  );

  it(
    "fails a pack whose index.ts throws after constructing the PolicyPack (it serves, but logs the error)",
    async () => {
      const dir = tempCopy("security");
      appendFileSync(path.join(dir, "index.ts"), `\nthrow new Error("deliberately broken index");\n`);
      const r = await loadPack(dir);
      expect(r.stderr).toContain("deliberately broken index");
      expect(() => expectHealthy(r)).toThrow();
    },
    LOAD_TIMEOUT_MS + 30_000,
  );

  it(
    "fails a pack that does not type-check (the host compiles with type checking)",
    async () => {
      const dir = tempCopy("security");
      appendFileSync(path.join(dir, "index.ts"), `\nconst n: number = "not a number";\nexport { n };\n`);
      const r = await loadPack(dir);
      expect(r.port).toBeUndefined();
      expect(r.stderr).toMatch(/TS2322|not assignable/);
    },
    LOAD_TIMEOUT_MS + 30_000,
  );
});

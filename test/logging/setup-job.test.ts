/**
 * The setup job's script, run by bash and curl against a stand-in Elasticsearch and Kibana on
 * 127.0.0.1: the requests it sends, in order, with the bodies of the job's own files and the `elastic`
 * credentials; waiting out a Kibana that is not ready yet; retrying the snapshot repository check while
 * it fails, and failing the job when it never passes. `sleep` is a no-op on PATH so the bounded retries
 * run at once.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  requestFile,
  s3RepositoryBody,
  SETUP_DIR,
  setupWorkload,
  SLM_POLICY,
  slmPolicyBody,
  SNAPSHOT_REPOSITORY,
} from "../../components/logging/setup/render";
import { SNAPSHOT_DEFAULTS } from "../../stacks/sections/logging";
import { HOST } from "../helpers/processes";
import { scratchDir } from "../helpers/scratch";

const PASSWORD = "pw-with-$-and-'quotes'";

interface Seen {
  method: string;
  url: string;
  body: string;
  auth?: string;
  xsrf?: string;
}

/** How the stand-in answers: Kibana's status 503 the first `kibanaBusy` times, the repository check failing `verifyFailures` times. */
interface Behaviour {
  kibanaBusy: number;
  verifyFailures: number;
}

let server: Server;
let port = 0;
let seen: Seen[] = [];
let behaviour: Behaviour = { kibanaBusy: 0, verifyFailures: 0 };

const bodyOf = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = "";
    req.on("data", (chunk: Buffer) => (data += chunk.toString()));
    req.on("end", () => resolve(data));
  });

beforeAll(async () => {
  server = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      const url = req.url ?? "";
      seen.push({
        method: req.method ?? "",
        url,
        body,
        auth: req.headers.authorization,
        xsrf: req.headers["kbn-xsrf"] as string | undefined,
      });
      let status = 200;
      if (url === "/api/status" && behaviour.kibanaBusy-- > 0) status = 503;
      if (url.endsWith("/_verify") && behaviour.verifyFailures-- > 0) status = 500;
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(status === 200 ? '{"acknowledged":true}' : '{"error":"not yet"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The job as the stack renders it (snapshots on or off), its files under `dir` instead of SETUP_DIR. */
function job(snapshots: boolean, dir: string) {
  const url = `http://${HOST}:${port}`;
  const w = setupWorkload({
    image: "docker.elastic.co/elasticsearch/elasticsearch:9.5.6",
    retentionDays: 30,
    esReplicas: 3,
    esUrl: url,
    kibanaUrl: url,
    elasticPassword: PASSWORD,
    after: [],
    snapshots: snapshots
      ? {
          repository: requestFile(s3RepositoryBody({ bucket: "snaps", basePath: "c" })),
          slmPolicy: requestFile(slmPolicyBody({ bucket: "snaps", ...SNAPSHOT_DEFAULTS }, "c")),
        }
      : undefined,
  });
  const main = w.containers[0];
  const files = new Map<string, string>();
  for (const f of main.files ?? []) {
    const at = f.path.replace(SETUP_DIR, dir);
    mkdirSync(path.dirname(at), { recursive: true });
    writeFileSync(at, f.content as string);
    files.set(path.basename(f.path), f.content as string);
  }
  return { script: main.args[0].split(SETUP_DIR).join(dir), files };
}

/** Runs the script with bash, `sleep` stubbed out; bounded by a timeout. */
function run(script: string, dir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const bin = path.join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, "sleep"), "#!/bin/sh\nexit 0\n");
  chmodSync(path.join(bin, "sleep"), 0o755);
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-c", script], {
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ELASTIC_PASSWORD: PASSWORD },
      timeout: 60_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const basic = `Basic ${Buffer.from(`elastic:${PASSWORD}`).toString("base64")}`;
const calls = () => seen.map((s) => `${s.method} ${s.url.split("?")[0]}`);

describe("the setup job's script against a stand-in Elasticsearch and Kibana", () => {
  it("applies retention, registers the repository and the SLM policy, creates the data view, then verifies", async () => {
    const dir = scratchDir("setup-job-");
    const { script, files } = job(true, dir);
    seen = [];
    behaviour = { kibanaBusy: 2, verifyFailures: 3 };
    const r = await run(script, dir);
    expect(r.code).toBe(0);
    // The job's log shows each failed attempt that was waited out, and nothing else.
    const codes = r.stderr
      .trim()
      .split("\n")
      .map((line) => /^curl: \(22\) .* (\d{3})\s*$/.exec(line)?.[1] ?? line);
    expect(codes).toEqual(["503", "503", "500", "500", "500"]);
    expect(r.stdout.trim().split("\n").pop()).toBe("setup applied");
    expect(calls()).toEqual([
      "GET /_cluster/health",
      "PUT /_ilm/policy/monitoring-logs",
      "PUT /_component_template/logs@custom",
      `PUT /_snapshot/${SNAPSHOT_REPOSITORY}`,
      `PUT /_slm/policy/${SLM_POLICY}`,
      "GET /api/status",
      "GET /api/status",
      "GET /api/status",
      "POST /api/data_views/data_view",
      ...Array(4).fill(`POST /_snapshot/${SNAPSHOT_REPOSITORY}/_verify`),
    ]);
    // Every request as `elastic`, the password intact (quotes and `$` survive the shell).
    expect(seen.every((s) => s.auth === basic)).toBe(true);
    // The bodies are the job's own files, byte for byte.
    const sent = (url: string) => seen.find((s) => s.url.startsWith(url))!.body;
    expect(sent("/_ilm/policy/")).toBe(files.get("ilm-policy.json"));
    expect(sent(`/_snapshot/${SNAPSHOT_REPOSITORY}?verify=false`)).toBe(
      files.get("snapshot-repository.json"),
    );
    expect(sent("/_slm/policy/")).toBe(files.get("slm-policy.json"));
    expect(seen.find((s) => s.url === "/api/data_views/data_view")?.xsrf).toBe("true");
  });

  it("fails the job when the repository check never passes (a missing permission)", async () => {
    const dir = scratchDir("setup-job-");
    const { script } = job(true, dir);
    seen = [];
    behaviour = { kibanaBusy: 0, verifyFailures: 1000 };
    const r = await run(script, dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("gave up");
    expect(calls().filter((c) => c.endsWith("/_verify"))).toHaveLength(60);
  });

  it("sends no snapshot request when snapshots are off", async () => {
    const dir = scratchDir("setup-job-");
    const { script } = job(false, dir);
    seen = [];
    behaviour = { kibanaBusy: 0, verifyFailures: 0 };
    const r = await run(script, dir);
    expect(r.code).toBe(0);
    expect(calls().some((c) => c.includes("_snapshot") || c.includes("_slm"))).toBe(false);
    expect(calls()).toContain("POST /api/data_views/data_view");
  });
});

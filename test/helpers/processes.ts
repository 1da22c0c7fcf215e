/**
 * Process harness for live tests: starts the real binaries on 127.0.0.1 with logs in a work dir,
 * waits with bounded polls that fail fast (with logs) when a process dies, and stops everything.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import * as path from "node:path";
import { toolPath, toolsDir } from "./tools";

export const HOST = "127.0.0.1";

export interface Proc {
  name: string;
  child: ChildProcess;
  logFile: string;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ProcessGroup {
  readonly procs: Proc[] = [];

  constructor(readonly workDir: string) {}

  start(name: string, command: string, args: string[], env?: Record<string, string>): Proc {
    const logFile = path.join(this.workDir, `${name}.log`);
    const log = createWriteStream(logFile, { flags: "a" });
    const child = spawn(command, args, {
      cwd: this.workDir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const p = { name, child, logFile };
    this.procs.push(p);
    return p;
  }

  logTail(p: Proc, lines = 15): string {
    if (!existsSync(p.logFile)) return "";
    return readFileSync(p.logFile, "utf8").trim().split("\n").slice(-lines).join("\n");
  }

  /** Throws with the process' log when one that should run has exited. */
  assertRunning(): void {
    for (const p of this.procs) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) {
        if (stopped.has(p)) continue;
        throw new Error(`${p.name} exited (${p.child.exitCode ?? p.child.signalCode}):\n${this.logTail(p)}`);
      }
    }
  }

  /** SIGTERM, then SIGKILL after 5 s. */
  async stop(p: Proc): Promise<void> {
    stopped.add(p);
    if (p.child.exitCode !== null || p.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => p.child.once("exit", () => resolve()));
    p.child.kill("SIGTERM");
    const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 5_000));
    if ((await Promise.race([exited, timer])) === "timeout") {
      p.child.kill("SIGKILL");
      await exited;
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.procs.map((p) => this.stop(p)));
  }

  /** Polls `probe` until it returns a value; bounded, failing fast when a process dies. */
  async waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    for (;;) {
      this.assertRunning();
      try {
        const v = await probe();
        if (v !== undefined) return v;
      } catch (e) {
        last = String(e);
      }
      if (Date.now() > deadline) {
        const logs = this.procs.map((p) => `--- ${p.name}\n${this.logTail(p)}`).join("\n");
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} ${last}\n${logs}`);
      }
      await sleep(500);
    }
  }
}

const stopped = new WeakSet<Proc>();

/** `n` distinct free TCP ports on 127.0.0.1. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<ReturnType<typeof createNetServer>>((resolve, reject) => {
          const s = createNetServer();
          s.once("error", reject);
          s.listen(0, HOST, () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

export async function httpOk(url: string): Promise<true | undefined> {
  const r = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return r.ok ? true : undefined;
}

/**
 * Command line for Alertmanager. Debian's build loads its default notification templates from
 * /usr/share/prometheus/alertmanager and exits without them; when the tools are only unpacked under
 * .tools, the process gets a private mount namespace with .tools/usr/share overlaid on /usr/share
 * (nothing on the host changes).
 */
export function alertmanagerCommand(args: string[]): { command: string; args: string[] } {
  const bin = toolPath("prometheus-alertmanager");
  if (existsSync("/usr/share/prometheus/alertmanager/default.tmpl")) return { command: bin, args };
  const share = path.join(toolsDir, "usr", "share");
  const quoted = [bin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return {
    command: "unshare",
    args: [
      "--mount",
      "sh",
      "-c",
      `mount -t overlay overlay -o lowerdir=${share}:/usr/share /usr/share && exec ${quoted}`,
    ],
  };
}

/**
 * Every Elasticsearch metric the logging rules and dashboard use is one the pinned exporter really
 * exports: Debian's prometheus-elasticsearch-exporter (the same version as the image) runs with the
 * shipped flags against a stand-in Elasticsearch on loopback, and its /metrics is read.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { elasticsearchDashboard } from "../../components/logging/exporter/dashboard";
import { exporterArgs, KEPT_INDEX_METRICS } from "../../components/logging/exporter/render";
import { loggingPack } from "../../components/logging/exporter/rules";
import { IMAGES } from "../../stacks/profiles";
import { toolsDir } from "../helpers/tools";
import { panelQueries } from "../grafana/dashboard-helpers";

const BIN = path.join(toolsDir, "usr", "bin", "prometheus-elasticsearch-exporter");

/** Minimal answers in Elasticsearch's shapes (fields the exporter reads; the rest decode to zero). */
const RESPONSES: Record<string, unknown> = {
  "/": { name: "es-0", cluster_name: "logs", cluster_uuid: "u", version: { number: "9.5.6" } },
  "/_cluster/health": {
    cluster_name: "logs",
    status: "green",
    number_of_nodes: 3,
    number_of_data_nodes: 3,
    active_primary_shards: 4,
    active_shards: 8,
    unassigned_shards: 0,
    delayed_unassigned_shards: 0,
  },
  "/_nodes/stats": {
    cluster_name: "logs",
    nodes: {
      n0: {
        name: "es-0",
        host: "10.0.0.1",
        roles: ["master", "data", "ingest"],
        jvm: { mem: { heap_used_in_bytes: 500, heap_max_in_bytes: 1000 } },
        fs: { data: [{ path: "/data", mount: "/data", available_in_bytes: 80, total_in_bytes: 100 }] },
      },
    },
  },
  "/_cluster/settings": {
    defaults: {
      cluster: {
        routing: { allocation: { disk: { watermark: { low: "85%", high: "90%", flood_stage: "95%" } } } },
      },
    },
  },
  "/_all/_stats": {
    _all: { primaries: {}, total: {} },
    indices: {
      ".ds-logs-bge_icl-prod-2026.11.28-000001": {
        primaries: { docs: { count: 10 }, indexing: { index_total: 10 }, store: { size_in_bytes: 1000 } },
        total: { docs: { count: 20 }, indexing: { index_total: 20 }, store: { size_in_bytes: 2000 } },
      },
    },
  },
};

let server: Server;

/** A port nothing listens on now (the kernel picks it). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
let exporter: ChildProcess;
let metrics = "";

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run 'npm run tools' first`);
  server = createServer((req, res) => {
    const body = RESPONSES[(req.url ?? "/").split("?")[0]] ?? {};
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const esPort = (server.address() as AddressInfo).port;
  const metricsPort = await freePort();
  // The shipped flags, pointed at loopback (no TLS: the stand-in speaks HTTP).
  const args = exporterArgs({ esUrl: `http://127.0.0.1:${esPort}`, tls: false }).map((a) =>
    a.startsWith("--web.listen-address=") ? `--web.listen-address=127.0.0.1:${metricsPort}` : a,
  );
  exporter = spawn(BIN, args, { stdio: "ignore" });
  // Bounded: up to 100 attempts, 100 ms apart.
  for (let i = 0; i < 100 && !metrics.includes("elasticsearch_cluster_health_status"); i++) {
    await new Promise((r) => setTimeout(r, 100));
    metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
      .then((r) => r.text())
      .catch(() => "");
  }
}, 30_000);

afterAll(() => {
  exporter?.kill();
  server?.close();
});

const exported = () => new Set([...metrics.matchAll(/^(elasticsearch_[a-z_]+)[{ ]/gm)].map((m) => m[1]));
const usedIn = (text: string) => [...text.matchAll(/\belasticsearch_[a-z_]+\b/g)].map((m) => m[0]);

describe("elasticsearch exporter metric names", () => {
  it("the binary is the pinned image's version", () => {
    expect(IMAGES.elasticsearchExporter).toMatch(/:v1\.10\.0$/);
  });

  it("exports metrics (the check below is not vacuous)", () => {
    expect(exported().size).toBeGreaterThan(50);
  });

  it("every metric the rules use is exported", () => {
    const rules = loggingPack({ nodes: 3 })
      .groups.flatMap((g) => g.rules)
      .map((r) => r.expr)
      .join("\n");
    const used = new Set(usedIn(rules));
    expect(used.size).toBeGreaterThan(8);
    expect([...used].filter((m) => !exported().has(m))).toEqual([]);
  });

  it("every metric the dashboard uses and every per-index metric kept is exported", () => {
    const queries = panelQueries(JSON.parse(JSON.stringify(elasticsearchDashboard())))
      .map((q) => q.expr)
      .join("\n");
    const used = new Set([...usedIn(queries), ...KEPT_INDEX_METRICS]);
    expect([...used].filter((m) => !exported().has(m))).toEqual([]);
  });

  it("a misspelt name is caught", () => {
    expect(exported().has("elasticsearch_cluster_health_colour")).toBe(false);
  });
});

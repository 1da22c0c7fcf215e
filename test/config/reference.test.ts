/**
 * The README's Configuration reference and the program agree: every documented key is a key of the
 * schemas (CONFIG_KEYS, walked through nested strict objects, lists and records), every schema key is
 * documented once, and every default written as one `code` span equals what the program resolves when
 * the key is absent, per environment profile.
 *
 * Table format (one row per key): | `dotted.key` | dev default | prod default | meaning |
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_BYTES_PER_SAMPLE, DEFAULT_SIZING_HEADROOM } from "../../stacks/sections/prometheus";
import { resolveStackSpec } from "../../stacks/resolve";
import type { StackSpec } from "../../stacks/spec";
import { repoRoot } from "../helpers/plan";
import { schemaKeys } from "./schema-walk";

type Env = "dev" | "prod";

interface ReferenceRow {
  key: string;
  defaults: Record<Env, string>;
  line: number;
}

/** The rows of the tables in the "## Configuration reference" section. */
function referenceRows(readme: string): ReferenceRow[] {
  const lines = readme.split("\n");
  const start = lines.findIndex((l) => l.trim() === "## Configuration reference");
  const end = lines.findIndex((l, i) => i > start && l.startsWith("## "));
  const rows: ReferenceRow[] = [];
  lines.slice(start + 1, end).forEach((line, i) => {
    if (!line.startsWith("|")) return;
    // Cells are split on unescaped pipes.
    const cells = line
      .slice(1, line.trimEnd().endsWith("|") ? line.trimEnd().length - 1 : undefined)
      .split(/(?<!\\)\|/)
      .map((c) => c.trim());
    const key = /^`([^`]+)`$/.exec(cells[0] ?? "");
    if (!key) return; // header and separator rows
    rows.push({ key: key[1], defaults: { dev: cells[1] ?? "", prod: cells[2] ?? "" }, line: start + 2 + i });
  });
  return rows;
}

/** A default written as exactly one code span: the program's value, checked. */
const checkedDefault = (cell: string) => /^`([^`]+)`$/.exec(cell)?.[1];

const OK = "setSecret";
const RDS = { vpcId: "vpc-0a", subnetIds: ["subnet-0a", "subnet-0b"], allowedCidrs: ["10.0.0.0/16"] };
/** Per environment, a config with one entry of each list so entry defaults exist (dev: Docker). */
function probe(env: Env, extra: Record<string, unknown> = {}, awsRegion?: string): StackSpec {
  const values: Record<string, unknown> = {
    prometheus: { extraScrapeJobs: [{ name: "probe", targets: ["probe:1"] }] },
    alertmanager: {
      routing: {
        receivers: {
          r: {
            email: [{ to: "a@example.com", from: "b@example.com", smarthost: "smtp.example.com:25" }],
            slack: [{ apiUrlSecret: OK }],
            pagerduty: [{ routingKeySecret: OK }],
            webhook: [{ urlSecret: OK }],
          },
        },
        routes: [{ matchers: ['probe="1"'], receiver: "r" }],
        inhibitRules: [{ sourceMatchers: ['probe="1"'], targetMatchers: ['probe="2"'] }],
      },
    },
    ...(env === "prod"
      ? {
          grafana: {
            database: {
              rds: { vpcId: "vpc-0a", subnetIds: ["subnet-0a", "subnet-0b"], allowedCidrs: ["10.0.0.0/16"] },
            },
          },
        }
      : {}),
    ...extra,
  };
  return resolveStackSpec(values, { stack: env, secretKeys: new Set([OK]), awsRegion });
}

/** The probe on EKS with monitoring:aws and the cluster's OIDC provider (what logging.snapshots needs). */
const OIDC_PROVIDER =
  "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9";
const awsProbe = (env: Env) =>
  probe(env, { aws: { eks: { clusterName: "probe", oidcProviderArn: OIDC_PROVIDER } } }, "us-west-2");

/** The probe with other Grafana settings (prod keeps its RDS database unless they name one). */
function grafanaProbe(env: Env, grafana: Record<string, unknown>): StackSpec {
  return probe(env, { grafana: { ...(env === "prod" ? { database: { rds: RDS } } : {}), ...grafana } });
}

/** The value the program uses for a key left out; most keys sit at the same path in the spec. */
function programDefault(key: string, env: Env): unknown {
  const spec = probe(env);
  const routing = spec.alertmanager.routing;
  const db = (grafana: Record<string, unknown>) =>
    grafanaProbe(env, grafana).grafana.database as Record<string, unknown>;
  const special: Record<string, () => unknown> = {
    "prometheus.sizing.bytesPerSample": () => DEFAULT_BYTES_PER_SAMPLE,
    "prometheus.sizing.headroom": () => DEFAULT_SIZING_HEADROOM,
    "alertmanager.routing.watchdog.receiver": () => routing.routes[0].receiver,
    "alertmanager.routing.watchdog.interval": () => routing.routes[0].groupInterval,
    "grafana.database.type": () => spec.grafana.database.type,
  };
  if (special[key]) return special[key]();
  const snapshots = /^logging\.snapshots\.(\w+)$/.exec(key);
  if (snapshots && snapshots[1] !== "enabled")
    return (awsProbe(env).logging.snapshots as unknown as Record<string, unknown> | undefined)?.[
      snapshots[1]
    ];
  const volume = /^(\w+)\.volume\.size$/.exec(key);
  if (volume) return `${(spec[volume[1] as "prometheus"] as { volume: { sizeGi: number } }).volume.sizeGi}Gi`;
  let m = /^alertmanager\.routing\.receivers\.<name>\.(\w+)\[\]\.(\w+)$/.exec(key);
  if (m) {
    const receiver = routing.receivers.find((r) => r.name === "r") as unknown as Record<
      string,
      Record<string, unknown>[]
    >;
    return receiver[m[1]][0][m[2]];
  }
  m = /^alertmanager\.routing\.routes\[\]\.(\w+)$/.exec(key);
  if (m) return (routing.routes[1] as unknown as Record<string, unknown>)[m[1]]; // routes[0] is the Watchdog's
  m = /^grafana\.database\.postgres\.(\w+)$/.exec(key);
  if (m) return db({ database: { postgres: { host: "db.internal", passwordSecret: OK } } })[m[1]];
  m = /^grafana\.database\.rds\.(\w+)$/.exec(key);
  if (m) return db({ database: { rds: RDS } })[m[1]];
  m = /^grafana\.auth\.oauth\.(\w+)$/.exec(key);
  if (m)
    return (
      grafanaProbe(env, { auth: { oauth: { provider: "github", clientId: "id", clientSecretSecret: OK } } })
        .grafana.oauth as unknown as Record<string, unknown>
    )[m[1]];
  let value: unknown = spec;
  for (const part of key.replace(/\[\]/g, ".0").split("."))
    value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

/** A value as the README writes it: lists as [a, b]. */
const written = (v: unknown) => (Array.isArray(v) ? `[${v.join(", ")}]` : String(v));

/** Every disagreement between a README text and the program. */
function disagreements(readme: string): string[] {
  const rows = referenceRows(readme);
  const out: string[] = [];
  const schema = new Set(schemaKeys().map((k) => k.path));
  const documented = new Map<string, number>();
  // A row may stand for a family of keys: `packs.<pack>.alerts.<alert>.threshold` covers every pack's
  // alerts (each `<...>` segment matches one segment of a schema key).
  const patterns = rows
    .filter((r) => !schema.has(r.key) && /<[a-zA-Z]+>/.test(r.key))
    .map((r) => ({
      row: r,
      re: new RegExp(
        `^${r.key
          .split(".")
          .map((seg) =>
            /^<[a-zA-Z]+>(\[\])?$/.test(seg)
              ? `[^.]+${seg.endsWith("[]") ? "\\[\\]" : ""}`
              : seg.replace(/[[\]()*+?^$|\\]/g, "\\$&"),
          )
          .join("\\.")}$`,
      ),
    }));
  const coveredByPattern = (key: string) => patterns.some((p) => p.re.test(key));
  for (const row of rows) {
    if (documented.has(row.key)) out.push(`line ${row.line}: ${row.key} is documented twice`);
    documented.set(row.key, row.line);
    const pattern = patterns.find((p) => p.row === row);
    if (!schema.has(row.key) && !(pattern && [...schema].some((k) => pattern.re.test(k))))
      out.push(`line ${row.line}: ${row.key} is documented but the schema has no such key`);
  }
  for (const key of schema)
    if (!documented.has(key) && !coveredByPattern(key))
      out.push(`${key} is in the schema but not documented`);
  for (const row of rows) {
    if (!schema.has(row.key)) continue;
    for (const env of ["dev", "prod"] as const) {
      const doc = checkedDefault(row.defaults[env]);
      if (doc === undefined) continue;
      const actual = written(programDefault(row.key, env));
      if (actual !== doc)
        out.push(`line ${row.line}: ${row.key} ${env} default is ${actual}, the README says ${doc}`);
    }
  }
  return out;
}

const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");

describe("README configuration reference", () => {
  it("documents exactly the schema's keys, with the program's defaults", () => {
    expect(disagreements(readme)).toEqual([]);
  });

  it("states enough defaults in code to be worth checking", () => {
    const checked = referenceRows(readme).flatMap((r) =>
      [r.defaults.dev, r.defaults.prod].filter((c) => checkedDefault(c)),
    );
    expect(checked.length).toBeGreaterThan(100);
  });

  it("the check fails on a changed default, a missing key and an unknown key", () => {
    const changed = readme
      .replace("| `prometheus.retentionTime`", "| `prometheus.retentionTme`")
      .replace(/(\| `alertmanager\.replicas` +\| )`1`/, "$1`2`")
      .replace(/^\| `cadvisor\.enabled` .*\n/m, "");
    expect(disagreements(changed)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/prometheus\.retentionTme is documented but the schema has no such key/),
        "prometheus.retentionTime is in the schema but not documented",
        expect.stringMatching(/alertmanager\.replicas dev default is 1, the README says 2/),
        "cadvisor.enabled is in the schema but not documented",
      ]),
    );
  });
});

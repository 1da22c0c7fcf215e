/**
 * A credential pasted where a secret reference (the name of a secret config key) is expected is never
 * printed back: for every secret-reference field the schemas have, and for credentials pasted as plain
 * keys or under misspelt field names, the ConfigError names the key but never holds the value.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isConfigError } from "../../stacks/errors";
import { secretRef } from "../../stacks/fields";
import { resolveStackSpec } from "../../stacks/resolve";
import { schemaKeys } from "./schema-walk";

/** Drawn afresh each run, so no sentinel can be special-cased anywhere. */
const token = randomBytes(12).toString("hex");
const SENTINELS: unknown[] = [
  `https://hooks.slack.com/services/T${token}/B${token}`,
  `xoxb-${token}`,
  `Pw${token}`, // reads like a key name
  `p@ss word ${token}!`,
  `${token}`,
  Number.parseInt(token.slice(0, 12), 16),
];

const OK = "setSecret"; // a reference to a key that is set as a secret

/** A dev config that reaches every secret-reference field; grafana.external only in external mode. */
function config(external: boolean): Record<string, unknown> {
  return {
    alertmanager: {
      routing: {
        receivers: {
          r: {
            email: [
              {
                to: "a@example.com",
                from: "b@example.com",
                smarthost: "smtp.example.com:587",
                authUsername: "u",
                authPasswordSecret: OK,
              },
            ],
            slack: [{ apiUrlSecret: OK }],
            pagerduty: [{ routingKeySecret: OK }],
            webhook: [{ urlSecret: OK }],
          },
        },
      },
    },
    grafana: external
      ? {
          mode: "external",
          external: { url: "https://g.example.com", authSecret: OK, prometheusUrl: "https://p.example.com" },
        }
      : {
          adminPasswordSecret: OK,
          secretKeySecret: OK,
          database: { postgres: { host: "db.internal", passwordSecret: OK } },
          auth: {
            oauth: { provider: "github", clientId: "id", clientSecretSecret: OK },
            ldapConfigSecret: OK,
          },
        },
    packs: {
      aiAssistant: {
        exporters: {
          redis: { address: "redis:6379", passwordSecret: OK },
          postgres: { address: "pg:5432", user: "monitoring", passwordSecret: OK },
        },
      },
    },
  };
}

/** Sets the value at a schema path ("grafana.auth.oauth.clientSecretSecret", "[]" = first entry, "<name>" = "r"). */
function setAt(root: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path
    .replace(/\[\]/g, ".0")
    .replace(/<name>/g, "r")
    .split(".");
  let node = root as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) node = node[p] as Record<string, unknown>;
  expect(parts.at(-1)! in node, `${path} is not in the test config`).toBe(true);
  node[parts.at(-1)!] = value;
}

/** The error text (message and problems) of a config that must be refused. */
function refusal(values: Record<string, unknown>): { text: string; paths: string[] } {
  try {
    resolveStackSpec(values, { stack: "dev", secretKeys: new Set([OK]) });
  } catch (err) {
    if (!isConfigError(err)) throw err;
    return {
      text: `${err.message}\n${JSON.stringify(err.problems)}`,
      paths: err.problems.map((p) => p.path),
    };
  }
  throw new Error("accepted a config with a credential in it");
}

const leaked = (text: string) => text.includes(token) || text.includes(String(SENTINELS[5]));

const secretFields = schemaKeys()
  .filter((k) => k.schema === secretRef)
  .map((k) => k.path);

describe("credentials are never echoed", () => {
  it("the test reaches every secret-reference field of the schemas", () => {
    expect(secretFields.length).toBeGreaterThanOrEqual(10);
    for (const field of secretFields) {
      const values = config(field.startsWith("grafana.external"));
      setAt(values, field, OK);
      expect(() => resolveStackSpec(values, { stack: "dev", secretKeys: new Set([OK]) })).not.toThrow();
    }
  });

  it.each(secretFields)("%s: the key is named, the pasted value is not shown", (field) => {
    for (const sentinel of SENTINELS) {
      const values = config(field.startsWith("grafana.external"));
      setAt(values, field, sentinel);
      const { text, paths } = refusal(values);
      expect(paths).toContain(`monitoring:${field.replace(/\[\]/g, ".0").replace(/<name>/g, "r")}`);
      expect(leaked(text), text).toBe(false);
    }
  });

  it("a credential set in plain text under a key that a reference names is not shown", () => {
    const values = { ...config(false), slackHook: SENTINELS[0] };
    setAt(values, "alertmanager.routing.receivers.<name>.slack[].apiUrlSecret", "slackHook");
    const { text, paths } = refusal(values);
    expect(text).toMatch(/names monitoring:slackHook, which is set in plain text/);
    expect(paths).not.toContain("monitoring:slackHook");
    expect(leaked(text), text).toBe(false);
  });

  it("a credential under a misspelt field or an unknown top-level key is not shown", () => {
    for (const sentinel of SENTINELS) {
      const values = config(false);
      setAt(values, "alertmanager.routing.receivers.<name>.slack[].apiUrlSecret", undefined);
      const receiver = (
        values.alertmanager as { routing: { receivers: { r: { slack: Record<string, unknown>[] } } } }
      ).routing.receivers.r;
      receiver.slack = [{ apiUrl: sentinel }];
      const { text } = refusal({ ...values, alertmanagerSlackWebhook: sentinel });
      expect(leaked(text), text).toBe(false);
    }
  });
});

describe("which unset references the error names (so it can say which command to run)", () => {
  const messageFor = (ref: string) => {
    try {
      resolveStackSpec({ grafana: { adminPasswordSecret: ref } }, { stack: "dev", secretKeys: new Set() });
    } catch (err) {
      if (isConfigError(err)) return err.message;
      throw err;
    }
    throw new Error("accepted");
  };
  it.each(["alertmanagerSlackWebhookUrl", "grafana_admin_password", "pagerDutyKey2"])("names %s", (ref) => {
    expect(messageFor(ref)).toContain(`pulumi config set --secret ${ref} <value>`);
  });
  it.each(["Winter2024", "hunter2hunter2", "aB3xY9kQ2mN7pR4t", "correcthorse", "P4ssw0rd"])(
    "never shows %s",
    (ref) => {
      expect(messageFor(ref)).not.toContain(ref);
    },
  );
});

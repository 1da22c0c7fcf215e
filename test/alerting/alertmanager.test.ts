/**
 * Alertmanager routing and config: validation of the routing config at the door, the rendered
 * alertmanager.yml (no credential in it, each one read from a secret file), the real amtool on both
 * stacks' files (check-config, routes test for the shipped tree, template rendering), and the
 * clustered prod StatefulSet.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ALERTMANAGER_PATHS, renderAlertmanagerConfig } from "../../components/alertmanager/render";
import { isConfigError } from "../../stacks/errors";
import { resolveStackSpec } from "../../stacks/resolve";
import { fileEndingWith, runPlan, type PlanRun } from "../helpers/plan";
import { toolPath } from "../helpers/tools";
import { scratchDir } from "../helpers/scratch";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- manifest JSON

const runs: Record<string, PlanRun> = {};
beforeAll(() => {
  for (const stack of ["dev", "prod"]) runs[stack] = runPlan(stack);
}, 240_000);

/** Writes the plan's alertmanager.yml with its templates into a temp dir amtool can read. */
function materialise(run: PlanRun): string {
  const dir = scratchDir("amtool-");
  mkdirSync(path.join(dir, "templates"));
  const config = fileEndingWith(run, "alertmanager.yml").content;
  writeFileSync(
    path.join(dir, "templates", "monitoring.tmpl"),
    fileEndingWith(run, "monitoring.tmpl").content,
  );
  writeFileSync(
    path.join(dir, "alertmanager.yml"),
    config.split(ALERTMANAGER_PATHS.templatesDir).join(path.join(dir, "templates")),
  );
  return dir;
}

function amtool(args: string[]) {
  return spawnSync(toolPath("amtool"), args, { encoding: "utf8" });
}

function routesFor(dir: string, labels: string[]): string {
  const r = amtool([
    "config",
    "routes",
    "test",
    `--config.file=${path.join(dir, "alertmanager.yml")}`,
    ...labels,
  ]);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

const secretKeys = new Set(["pd", "slackUrl", "heartbeat", "smtpPassword"]);
function resolveRouting(routing: unknown) {
  return resolveStackSpec({ alertmanager: { routing } }, { stack: "dev", secretKeys });
}
function problemsOf(routing: unknown): string[] {
  try {
    resolveRouting(routing);
  } catch (err) {
    if (isConfigError(err)) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

describe("routing config at the door", () => {
  it("refuses a route to an undeclared receiver, naming the key", () => {
    const problems = problemsOf({ severityRoutes: { critical: ["oncall"] } });
    expect(problems).toEqual([
      expect.stringMatching(
        /^monitoring:alertmanager\.routing\.severityRoutes\.critical\.0: names receiver "oncall"/,
      ),
    ]);
  });

  it("refuses credentials that are not secret config keys", () => {
    const problems = problemsOf({
      receivers: { chat: { slack: [{ apiUrlSecret: "plainSlackUrl" }] } },
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /receivers\.chat\.slack\.0\.apiUrlSecret: names monitoring:plainSlackUrl, which is not set as a secret/,
      ),
    ]);
  });

  it("refuses a literal URL where a secret reference is expected", () => {
    const problems = problemsOf({
      receivers: { chat: { slack: [{ apiUrl: "https://hooks.slack.com/services/T/B/x" }] } },
    });
    expect(problems.join("\n")).toMatch(/receivers\.chat\.slack\.0.*unknown key\(s\) "apiUrl"/);
  });

  it("refuses a malformed matcher", () => {
    const problems = problemsOf({ routes: [{ matchers: ["severity critical"], receiver: "default" }] });
    expect(problems).toEqual([expect.stringMatching(/routes\.0\.matchers\.0: expected a matcher/)]);
  });

  it("refuses an SMTP password without a user", () => {
    const problems = problemsOf({
      receivers: {
        mail: {
          email: [
            {
              to: "a@example.com",
              from: "b@example.com",
              smarthost: "smtp:587",
              authPasswordSecret: "smtpPassword",
            },
          ],
        },
      },
    });
    expect(problems).toEqual([expect.stringMatching(/receivers\.mail\.email\.0\.authUsername: is required/)]);
  });

  it("defaults to the Watchdog route and critical-over-warning inhibition", () => {
    const spec = resolveRouting(undefined);
    const routing = spec.alertmanager.routing;
    expect(routing.routes[0]).toMatchObject({ receiver: "watchdog", matchers: ['alertname="Watchdog"'] });
    expect(routing.inhibitRules[0]).toMatchObject({ sourceMatchers: ['severity="critical"'] });
  });
});

describe("rendered config", () => {
  it("names secret files, never secret values, and lists every file to mount", () => {
    const spec = resolveRouting({
      receivers: {
        pager: { pagerduty: [{ routingKeySecret: "pd" }] },
        chat: { slack: [{ apiUrlSecret: "slackUrl", channel: "#a" }] },
        mail: {
          email: [
            {
              to: "a@example.com",
              from: "b@example.com",
              smarthost: "smtp.example.com:587",
              authUsername: "u",
              authPasswordSecret: "smtpPassword",
            },
          ],
        },
        beat: { webhook: [{ urlSecret: "heartbeat" }] },
      },
      defaultReceiver: "mail",
      severityRoutes: { critical: ["pager", "chat"] },
      watchdog: { receiver: "beat" },
    });
    const r = renderAlertmanagerConfig(spec.alertmanager.routing);
    expect(r.secretFiles.map((f) => f.configKey).sort()).toEqual([
      "heartbeat",
      "pd",
      "slackUrl",
      "smtpPassword",
    ]);
    for (const f of r.secretFiles) expect(r.config).toContain(f.path);
    expect(r.config).not.toMatch(/api_url:|routing_key:|auth_password:|\burl:/);
    const dir = scratchDir("amtool-render-");
    writeFileSync(path.join(dir, "alertmanager.yml"), r.config);
    const check = amtool(["check-config", path.join(dir, "alertmanager.yml")]);
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });
});

describe.each(["dev", "prod"])("amtool on the %s plan", (stack) => {
  it("check-config accepts alertmanager.yml and its templates", () => {
    const dir = materialise(runs[stack]);
    const r = amtool(["check-config", path.join(dir, "alertmanager.yml")]);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SUCCESS/);
  });

  it("renders the notification templates", () => {
    const dir = materialise(runs[stack]);
    const r = amtool([
      "template",
      "render",
      `--template.glob=${path.join(dir, "templates", "*.tmpl")}`,
      '--template.text={{ template "monitoring.title" . }}|{{ template "monitoring.text" . }}',
    ]);
    expect(r.status, r.stderr).toBe(0);
    // amtool renders with placeholder data (status "ALERTSTATUS", one alert on foo.bar:1234).
    expect(r.stdout).toMatch(/^\[ALERTSTATUS\] \|/);
    expect(r.stdout).toContain("Instance: foo.bar:1234");
  });
});

describe("routes of the shipped trees (amtool config routes test)", () => {
  it("prod: critical pages PagerDuty and Slack, warning goes to Slack, the rest to default, Watchdog to the switch", () => {
    const dir = materialise(runs.prod);
    expect(routesFor(dir, ["severity=critical", "alertname=NodeFilesystemAlmostOutOfSpace"])).toBe(
      "pagerduty,slack",
    );
    expect(routesFor(dir, ["severity=warning", "alertname=NodeCPUHighUsage"])).toBe("slack");
    expect(routesFor(dir, ["severity=info", "alertname=Something"])).toBe("default");
    expect(routesFor(dir, ["alertname=Something"])).toBe("default");
    expect(routesFor(dir, ["severity=none", "alertname=Watchdog"])).toBe("deadmans-switch");
    // Watchdog never pages, whatever its severity label says.
    expect(routesFor(dir, ["severity=critical", "alertname=Watchdog"])).toBe("deadmans-switch");
  });

  it("dev: everything to the default receiver, Watchdog to its own", () => {
    const dir = materialise(runs.dev);
    expect(routesFor(dir, ["severity=critical", "alertname=X"])).toBe("default");
    expect(routesFor(dir, ["alertname=Watchdog", "severity=none"])).toBe("watchdog");
  });
});

describe("the prod Alertmanager cluster", () => {
  const statefulSet = () =>
    runs.prod.resources.find(
      (r) =>
        r.type === "kubernetes:apps/v1:StatefulSet" && (r.inputs as Obj).metadata.name === "alertmanager",
    )!.inputs as Obj;

  it("runs 3 peers gossiping on 9094 TCP+UDP through the headless Service, advertising the pod IP", () => {
    const spec = statefulSet().spec;
    expect(spec.replicas).toBe(3);
    const c = spec.template.spec.containers[0];
    const peers = (c.args as string[]).filter((a) => a.startsWith("--cluster.peer="));
    expect(peers).toEqual(
      [0, 1, 2].map((i) => `--cluster.peer=alertmanager-${i}.alertmanager-headless.monitoring-prod.svc:9094`),
    );
    expect(c.args).toContain("--cluster.advertise-address=$(POD_IP):9094");
    expect(c.env).toContainEqual({ name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } });
    const headless = runs.prod.resources.find(
      (r) =>
        r.type === "kubernetes:core/v1:Service" &&
        (r.inputs as Obj).metadata.name === "alertmanager-headless",
    )!.inputs as Obj;
    const mesh = (headless.spec.ports as Obj[]).filter((p) => p.port === 9094).map((p) => p.protocol);
    expect(mesh.sort()).toEqual(["TCP", "UDP"]);
    expect(headless.spec.publishNotReadyAddresses).toBe(true);
    expect(spec.volumeClaimTemplates).toHaveLength(1);
  });

  it("delivers credentials in a Secret; the ConfigMap holds only file references", () => {
    const configMaps = runs.prod.resources.filter(
      (r) =>
        r.type === "kubernetes:core/v1:ConfigMap" && JSON.stringify(r.inputs).includes("alertmanager.yml"),
    );
    expect(configMaps).toHaveLength(1);
    expect(JSON.stringify(configMaps[0].inputs)).toContain("routing_key_file");
    const secrets = runs.prod.resources.filter(
      (r) =>
        r.type === "kubernetes:core/v1:Secret" && (r.inputs as Obj).metadata.name.startsWith("alertmanager"),
    );
    expect(secrets).toHaveLength(1);
    // Each credential file is mounted on its own (subPath), read-only, under the secrets directory.
    const mounts = statefulSet().spec.template.spec.containers[0].volumeMounts as Obj[];
    const secretMounts = mounts.filter((m) => m.mountPath.startsWith(`${ALERTMANAGER_PATHS.secretsDir}/`));
    expect(secretMounts.length).toBeGreaterThan(0);
    for (const m of secretMounts)
      expect(m).toMatchObject({ readOnly: true, subPath: m.mountPath.split("/").pop() });
  });
});

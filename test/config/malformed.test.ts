/**
 * Stack files with one mistake each, of the kinds new users make, into a shipped stack file: each is
 * refused with exactly one problem naming the dotted key, saying what is expected and showing the bad
 * value unless it may be a credential. One file per class also goes through `npm run plan`: exit 2, the
 * problem on stderr, no stack trace, nothing planned.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { isConfigError, type ConfigProblem } from "../../stacks/errors";
import { repoRoot, runPlan } from "../helpers/plan";
import { scratchDir } from "../helpers/scratch";
import { resolveStack, shippedStack, stackConfigOf } from "./stack-files";

interface Case {
  title: string;
  stack?: "dev" | "prod";
  /** `config:` entries that replace the shipped file's (YAML). */
  yaml: string;
  path: string;
  message: RegExp;
  /** The value the problem shows, or `hidden` when it must not appear anywhere in the error. */
  value?: unknown;
  hidden?: string;
  /** One case per class is also run through the plan. */
  plan?: boolean;
}

const cases: Case[] = [
  // Misspelt keys, at the top and below.
  {
    title: "misspelt section",
    yaml: "monitoring:prometheous: {retentionTime: 30d}",
    path: "monitoring:prometheous",
    message: /did you mean monitoring:prometheus\?/,
    plan: true,
  },
  {
    title: "section in the wrong case",
    yaml: "monitoring:alertManager: {replicas: 1}",
    path: "monitoring:alertManager",
    message: /did you mean monitoring:alertmanager\?/,
  },
  {
    title: "dotted key at the top",
    yaml: "monitoring:prometheus.retentionTime: 30d",
    path: "monitoring:prometheus.retentionTime",
    message: /nested settings go inside monitoring:prometheus/,
  },
  {
    title: "misspelt namespace",
    yaml: "monitorng:cluster: dev-local",
    path: "monitorng:cluster",
    message: /did you mean monitoring:cluster\?/,
  },
  {
    title: "misspelt nested key",
    yaml: "monitoring:prometheus: {retension: 30d}",
    path: "monitoring:prometheus",
    message: /unknown key\(s\) "retension"/,
  },
  // Durations.
  {
    title: "units out of order",
    yaml: "monitoring:prometheus: {retentionTime: 30m1h}",
    path: "monitoring:prometheus.retentionTime",
    message: /largest to smallest/,
    value: "30m1h",
    plan: true,
  },
  {
    title: "zero scrape interval",
    yaml: "monitoring:prometheus: {scrapeInterval: 0s}",
    path: "monitoring:prometheus.scrapeInterval",
    message: /longer than zero/,
    value: "0s",
  },
  {
    title: "zero evaluation interval",
    yaml: 'monitoring:prometheus: {evaluationInterval: "0"}',
    path: "monitoring:prometheus.evaluationInterval",
    message: /longer than zero/,
    value: "0",
  },
  {
    title: "zero retention",
    yaml: "monitoring:prometheus: {retentionTime: 0d}",
    path: "monitoring:prometheus.retentionTime",
    message: /longer than zero/,
    value: "0d",
  },
  {
    title: "fractional duration",
    yaml: "monitoring:prometheus: {retentionTime: 1.5d}",
    path: "monitoring:prometheus.retentionTime",
    message: /duration such as/,
    value: "1.5d",
  },
  {
    title: "duration past what Prometheus represents",
    yaml: "monitoring:prometheus: {retentionTime: 300y}",
    path: "monitoring:prometheus.retentionTime",
    message: /292y/,
    value: "300y",
  },
  {
    title: "scrape interval past the lookback",
    yaml: "monitoring:prometheus: {scrapeInterval: 10m}",
    path: "monitoring:prometheus.scrapeInterval",
    message: /at most 5m/,
    value: "10m",
  },
  {
    title: "zero Watchdog interval",
    stack: "prod",
    yaml: "monitoring:alertmanager: {routing: {watchdog: {receiver: watchdog, interval: 0s}}}",
    path: "monitoring:alertmanager.routing.watchdog.interval",
    message: /longer than zero/,
    value: "0s",
  },
  {
    title: "zero group interval",
    yaml: "monitoring:alertmanager: {routing: {groupInterval: 0s}}",
    path: "monitoring:alertmanager.routing.groupInterval",
    message: /longer than zero/,
    value: "0s",
  },
  {
    title: "zero repeat interval on a route",
    yaml: 'monitoring:alertmanager: {routing: {routes: [{matchers: [team="db"], receiver: default, repeatInterval: 0m}]}}',
    path: "monitoring:alertmanager.routing.routes.0.repeatInterval",
    message: /longer than zero/,
    value: "0m",
  },
  // Sizes that would disable a limit or that Kubernetes refuses.
  {
    title: "zero volume",
    yaml: 'monitoring:prometheus: {volume: {size: "0"}}',
    path: "monitoring:prometheus.volume.size",
    message: /larger than zero/,
    value: "0",
    plan: true,
  },
  {
    title: "zero retention size",
    yaml: "monitoring:prometheus: {retentionSize: 0Gi}",
    path: "monitoring:prometheus.retentionSize",
    message: /larger than zero/,
    value: "0Gi",
  },
  {
    title: "retention size below a megabyte",
    yaml: "monitoring:prometheus: {retentionSize: 512Ki}",
    path: "monitoring:prometheus.retentionSize",
    message: /at least 1Mi/,
    value: "512Ki",
  },
  {
    title: "exponent and suffix",
    yaml: "monitoring:alertmanager: {volume: {size: 1e3Gi}}",
    path: "monitoring:alertmanager.volume.size",
    message: /size such as/,
    value: "1e3Gi",
  },
  {
    title: "volume past 64Ti",
    yaml: "monitoring:grafana: {volume: {size: 100Ti}}",
    path: "monitoring:grafana.volume.size",
    message: /at most 64Ti/,
    value: "100Ti",
  },
  {
    title: "CPU finer than a millicore",
    yaml: 'monitoring:cadvisor: {resources: {requests: {cpu: "0.5m", memory: 64Mi}}}',
    path: "monitoring:cadvisor.resources.requests.cpu",
    message: /whole millicores/,
    value: "0.5m",
  },
  // Requests above limits.
  {
    title: "memory request above its limit",
    yaml: "monitoring:prometheus: {resources: {requests: {cpu: 500m, memory: 2Gi}, limits: {memory: 1Gi}}}",
    path: "monitoring:prometheus.resources.requests.memory",
    message: /must not exceed limits.memory/,
    value: "2Gi",
    plan: true,
  },
  {
    title: "request alone above the profile's limit",
    yaml: "monitoring:grafana: {resources: {requests: {cpu: 100m, memory: 4Gi}}}",
    path: "monitoring:grafana.resources.requests.memory",
    message: /memory limit in effect \(512Mi\)/,
    value: "4Gi",
  },
  {
    title: "CPU request above its limit",
    yaml: "monitoring:nodeExporter: {resources: {requests: {cpu: '2', memory: 32Mi}, limits: {cpu: '1', memory: 64Mi}}}",
    path: "monitoring:nodeExporter.resources.requests.cpu",
    message: /must not exceed limits.cpu/,
    value: "2",
  },
  // Regular expressions, matchers and templates that would not load.
  {
    title: "lookahead in an exclude",
    yaml: 'monitoring:nodeExporter: {mountPointsExclude: "^/(?!home)"}',
    path: "monitoring:nodeExporter.mountPointsExclude",
    message: /RE2/,
    value: "^/(?!home)",
    plan: true,
  },
  {
    title: "exclude matching everything",
    yaml: 'monitoring:nodeExporter: {fsTypesExclude: ".*"}',
    path: "monitoring:nodeExporter.fsTypesExclude",
    message: /matches any name/,
    value: ".*",
  },
  {
    title: "matcher regex RE2 refuses",
    yaml: "monitoring:alertmanager: {routing: {routes: [{matchers: ['alertname=~\"(?<=Node)Down\"'], receiver: default}]}}",
    path: "monitoring:alertmanager.routing.routes.0.matchers.0",
    message: /RE2/,
    value: 'alertname=~"(?<=Node)Down"',
  },
  {
    title: "single backslash in a matcher",
    yaml: "monitoring:alertmanager: {routing: {routes: [{matchers: ['instance=~\"db\\d+\"'], receiver: default}]}}",
    path: "monitoring:alertmanager.routing.routes.0.matchers.0",
    message: /write \\\\d/,
    value: 'instance=~"db\\d+"',
  },
  {
    title: "matcher without operator",
    yaml: "monitoring:alertmanager: {routing: {inhibitRules: [{sourceMatchers: [severity critical], targetMatchers: ['severity=\"info\"']}]}}",
    path: "monitoring:alertmanager.routing.inhibitRules.0.sourceMatchers.0",
    message: /expected a matcher/,
    value: "severity critical",
  },
  {
    title: "template that does not parse",
    yaml: "monitoring:alertmanager: {routing: {templates: {extra.tmpl: '{{ define \"x\" }}{{ .Status | upper }}{{ end }}'}}}",
    path: "monitoring:alertmanager.routing.templates.extra.tmpl",
    message: /function "upper"/,
  },
  // Empty values and settings made secret.
  {
    title: "empty section",
    yaml: "monitoring:cadvisor:",
    path: "monitoring:cadvisor",
    message: /is empty; expected a mapping/,
    plan: true,
  },
  {
    title: "empty string key",
    yaml: 'monitoring:cluster: ""',
    path: "monitoring:cluster",
    message: /is empty/,
  },
  {
    title: "empty nested value",
    yaml: "monitoring:prometheus: {retentionTime: }",
    path: "monitoring:prometheus.retentionTime",
    message: /expected a string, not an empty value/,
  },
  {
    title: "section made secret",
    yaml: "monitoring:grafana: {secure: v1:abcdef}",
    path: "monitoring:grafana",
    message: /holds a secret value/,
  },
  // Credentials where a secret reference belongs.
  {
    title: "webhook URL pasted as the reference",
    stack: "prod",
    yaml: "monitoring:alertmanager: {routing: {receivers: {slack: {slack: [{apiUrlSecret: 'https://hooks.slack.com/services/T0AAA/B0BBB/cccSECRETccc'}]}}}}",
    path: "monitoring:alertmanager.routing.receivers.slack.slack.0.apiUrlSecret",
    message: /name of a secret config key/,
    hidden: "cccSECRETccc",
    plan: true,
  },
  {
    title: "password pasted as the reference",
    yaml: "monitoring:grafana: {adminPasswordSecret: Hunter2isMyPw}",
    path: "monitoring:grafana.adminPasswordSecret",
    message: /not set as a secret/,
    hidden: "Hunter2isMyPw",
  },
  {
    title: "credential in plain text, named by a reference",
    yaml: "monitoring:grafanaPw: opensesame\nmonitoring:grafana: {adminPasswordSecret: grafanaPw}",
    path: "monitoring:grafana.adminPasswordSecret",
    message: /monitoring:grafanaPw, which is set in plain text/,
    hidden: "opensesame",
  },
  {
    title: "runbook base not a URL (shown: it holds no credential)",
    yaml: "monitoring:rules: {runbookBaseUrl: runbooks}",
    path: "monitoring:rules.runbookBaseUrl",
    message: /http\(s\) URL/,
    value: "runbooks",
  },
  // Types, repeats and the AWS region.
  {
    title: "number as words",
    yaml: "monitoring:prometheus: {replicas: two}",
    path: "monitoring:prometheus.replicas",
    message: /expected a number/,
    value: "two",
  },
  {
    title: "boolean as words",
    yaml: "monitoring:ephemeral: yes please",
    path: "monitoring:ephemeral",
    message: /true or false/,
    value: "yes please",
  },
  {
    title: "list where a mapping belongs",
    yaml: "monitoring:rules: [runbookBaseUrl]",
    path: "monitoring:rules",
    message: /expected a mapping of settings, not a list/,
  },
  {
    title: "label repeated in group_by",
    yaml: "monitoring:alertmanager: {routing: {groupBy: [alertname, cluster, alertname]}}",
    path: "monitoring:alertmanager.routing.groupBy.2",
    message: /repeats entry 0/,
    value: "alertname",
    plan: true,
  },
  {
    title: "'...' beside labels",
    yaml: "monitoring:alertmanager: {routing: {groupBy: ['...', cluster]}}",
    path: "monitoring:alertmanager.routing.groupBy",
    message: /alone/,
  },
  {
    title: "target listed twice",
    yaml: "monitoring:prometheus: {extraScrapeJobs: [{name: api, targets: ['api:8080', 'api:8080']}]}",
    path: "monitoring:prometheus.extraScrapeJobs.0.targets.1",
    message: /repeats entry 0/,
    value: "api:8080",
  },
  {
    title: "port out of range",
    yaml: "monitoring:prometheus: {extraScrapeJobs: [{name: api, targets: ['api:80800']}]}",
    path: "monitoring:prometheus.extraScrapeJobs.0.targets.0",
    message: /1 to 65535/,
    value: "api:80800",
  },
  {
    title: "AWS region misspelt",
    stack: "prod",
    yaml: "aws:region: us-west2",
    path: "aws:region",
    message: /AWS region/,
    value: "us-west2",
  },
  {
    title: "tag the program sets",
    yaml: "monitoring:tags: {environment: production}",
    path: "monitoring:tags.environment",
    message: /set by the program/,
  },
];

/** The shipped file with the case's entries in place of its own, as YAML text. */
function stackFileText(c: Case): string {
  const stack = c.stack ?? "dev";
  const doc = parse(readFileSync(path.join(repoRoot, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
  const entries = (parse(c.yaml) ?? {}) as Record<string, unknown>;
  // The secrets the shipped file tells the user to set count as set (placeholders of encrypted values).
  const documented = Object.fromEntries(
    shippedStack(stack).secrets.map((key) => [key, { secure: "v1:set-with-pulumi-config-set-secret" }]),
  );
  return stringify({ config: { ...doc.config, ...documented, ...entries } });
}

function problemsOf(c: Case): { problems: ConfigProblem[]; text: string } {
  try {
    resolveStack(stackConfigOf(c.stack ?? "dev", stackFileText(c)));
  } catch (err) {
    if (!isConfigError(err)) throw err;
    return { problems: err.problems, text: err.message };
  }
  throw new Error("the stack file was accepted");
}

describe("one mistake each: refused with the key, what is expected and the value", () => {
  it.each(cases)("$title", (c) => {
    const { problems, text } = problemsOf(c);
    expect(problems, text).toHaveLength(1);
    const [p] = problems;
    expect(p.path).toBe(c.path);
    expect(p.message).toMatch(c.message);
    if (c.value !== undefined) {
      expect(p.value).toEqual(c.value);
      expect(text).toContain(`(got ${JSON.stringify(c.value)})`);
    }
    if (c.hidden !== undefined) expect(text).not.toContain(c.hidden);
  });

  it("the shipped files and an inhibit rule without `equal` (it has a default) are accepted", () => {
    for (const stack of ["dev", "prod"] as const)
      expect(() =>
        resolveStack(stackConfigOf(stack, stackFileText({ stack, yaml: "{}" } as Case))),
      ).not.toThrow();
    const spec = resolveStack(
      stackConfigOf(
        "dev",
        stackFileText({
          yaml: "monitoring:alertmanager: {routing: {inhibitRules: [{sourceMatchers: ['a=\"1\"'], targetMatchers: ['a=\"2\"']}]}}",
        } as Case),
      ),
    );
    expect(spec.alertmanager.routing.inhibitRules[0].equal).toEqual([
      "alertname",
      "cluster",
      "namespace",
      "instance",
    ]);
  });
});

describe("the plan refuses one file of each class with exit 2, before any resource", () => {
  it.each(cases.filter((c) => c.plan))(
    "$title",
    (c) => {
      const file = path.join(scratchDir("malformed-"), "Pulumi.case.yaml");
      writeFileSync(file, stackFileText(c));
      const r = runPlan(c.stack ?? "dev", ["--config", file]);
      expect(r.status, r.stderr).toBe(2);
      // The Pulumi CLI's own type check (Pulumi.yaml declares the sections as objects) may refuse first.
      const key = c.path.split(".")[0].replace(/^monitoring:/, "");
      expect(
        r.stderr.includes(`${c.path}: `) || r.stderr.includes(`configuration key '${key}'`),
        r.stderr,
      ).toBe(true);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      if (c.hidden) expect(r.stdout + r.stderr).not.toContain(c.hidden);
      expect(existsSync(path.join(r.out, "resources.json"))).toBe(false);
    },
    60_000,
  );
});

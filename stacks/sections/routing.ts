/**
 * Alertmanager routing (`monitoring:alertmanager.routing`): the schema and its resolution into the
 * typed model the renderer reads. The default tree sends the always-firing Watchdog to the dead man's
 * switch, then each severity to its receivers, and everything else to the default receiver. Receivers
 * named in a route must exist; credentials must name secret config keys of the stack.
 */
import { z } from "zod";
import { durationSeconds, prometheusDurationSeconds } from "../../lib/units";
import { goTemplateProblem } from "./gotemplate";
import { checkSecretRef, type ConfigProblem, type SecretLookup } from "../errors";
import { duration, labelName, positiveDuration, re2Error, secretRef, uniqueList } from "../fields";

/** Notification integrations of one receiver. Credentials are secret config keys, never values. */
export interface ReceiverSpec {
  name: string;
  email: {
    to: string;
    from: string;
    smarthost: string;
    authUsername?: string;
    authPasswordSecret?: string;
    requireTls: boolean;
    sendResolved: boolean;
  }[];
  slack: { apiUrlSecret: string; channel?: string; sendResolved: boolean }[];
  pagerduty: { routingKeySecret: string; sendResolved: boolean }[];
  webhook: { urlSecret: string; sendResolved: boolean; maxAlerts: number }[];
}

export interface RouteSpec {
  receiver: string;
  /** Alertmanager matchers, e.g. `severity="critical"`. */
  matchers: string[];
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  /** Keep matching sibling routes after this one. */
  continue: boolean;
}

export interface InhibitRuleSpec {
  sourceMatchers: string[];
  targetMatchers: string[];
  /** Labels that must be equal for the source to silence the target. */
  equal: string[];
}

export interface AlertmanagerRouting {
  /** Root route settings. */
  groupBy: string[];
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
  resolveTimeout: string;
  defaultReceiver: string;
  /** Child routes in order: Watchdog first, then user routes, then one per severity receiver. */
  routes: RouteSpec[];
  receivers: ReceiverSpec[];
  inhibitRules: InhibitRuleSpec[];
  /** Extra notification template files (name -> Go template text) beside the built-in one. */
  templates: Record<string, string>;
}

/** Label name, operator and value of one matcher; the value is checked by `matcherValue`. */
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

/**
 * Alertmanager's matcher parser (matcher/parse, the one it is moving to; it falls back to the classic
 * one with a warning): an unquoted value is one or more characters other than space and {}!=~,\"'`;
 * inside double quotes only \", \\ and \n are escapes.
 */
const UNQUOTED_VALUE = /^[^\s{}!=~,\\"'`]+$/;
// eslint-disable-next-line no-control-regex -- a raw control character inside the quotes is refused too
const QUOTED_VALUE = /^"((?:[^"\\\u0000-\u001f]|\\[n"\\])*)"$/;

/** The value a matcher compares with, or the problem with how it is written. */
function matcherValue(text: string): { value: string } | { problem: string } {
  const quoted = QUOTED_VALUE.exec(text);
  if (quoted) return { value: quoted[1].replace(/\\([n"\\])/g, (_, c: string) => (c === "n" ? "\n" : c)) };
  if (UNQUOTED_VALUE.test(text)) return { value: text };
  if (text === "") return { problem: 'has no value; write label="" to match a missing or empty label' };
  if (text.startsWith('"'))
    return {
      problem:
        'has a quoted value Alertmanager cannot read: only \\", \\\\ and \\n may be escaped (write \\\\d for the regex \\d) and the closing quote must end it',
    };
  return { problem: 'has characters that need quotes around the value, e.g. alertname=~"Node.*"' };
}

/**
 * An Alertmanager matcher (`severity="critical"`, `alertname=~"Node.*"`); a regex value must compile
 * under RE2, anchored as Alertmanager anchors it.
 */
const matcher = z.string().superRefine((text, ctx) => {
  const m = MATCHER.exec(text);
  const parsed = m ? matcherValue(m[3]) : undefined;
  if (!m || !parsed || "problem" in parsed) {
    ctx.addIssue({
      code: "custom",
      message:
        parsed && "problem" in parsed
          ? parsed.problem
          : 'expected a matcher such as severity="critical" or alertname=~"Node.*"',
      input: text,
    });
    return;
  }
  if (m[2] === "=~" || m[2] === "!~") {
    const error = re2Error(`^(?:${parsed.value})$`);
    if (error)
      ctx.addIssue({ code: "custom", message: `has a regex RE2 cannot compile: ${error}`, input: text });
  }
});

/** Alertmanager's group_by: label names listed once each, or "..." (every label) alone. */
const groupBy = uniqueList(z.union([labelName, z.literal("...")])).refine(
  (labels) => !labels.includes("...") || labels.length === 1,
  { message: 'expected "..." (group by every label) alone: Alertmanager refuses it beside other labels' },
);

const receiverName = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, { message: "expected a receiver name" });
const hostPort = z
  .string()
  .regex(/^[^\s:/]+:\d+$/, { message: "expected host:port" })
  .refine(
    (s) => {
      const port = Number(s.slice(s.lastIndexOf(":") + 1));
      return port >= 1 && port <= 65535;
    },
    {
      message: "expected a port from 1 to 65535",
    },
  );
const email = z.string().regex(/^[^\s@]+@[^\s@]+$/, { message: "expected an email address" });

/** Route settings shared by the root and child routes; Alertmanager refuses a zero group or repeat interval. */
const routeTiming = {
  groupBy: groupBy.optional(),
  groupWait: duration.optional(),
  groupInterval: positiveDuration.optional(),
  repeatInterval: positiveDuration.optional(),
};

export const receiverSchema = z.strictObject({
  email: z
    .array(
      z.strictObject({
        to: email,
        from: email,
        smarthost: hostPort,
        authUsername: z.string().min(1).optional(),
        authPasswordSecret: secretRef.optional(),
        requireTls: z.boolean().optional(),
        sendResolved: z.boolean().optional(),
      }),
    )
    .optional(),
  slack: z
    .array(
      z.strictObject({
        apiUrlSecret: secretRef,
        channel: z.string().min(1).optional(),
        sendResolved: z.boolean().optional(),
      }),
    )
    .optional(),
  pagerduty: z
    .array(z.strictObject({ routingKeySecret: secretRef, sendResolved: z.boolean().optional() }))
    .optional(),
  webhook: z
    .array(
      z.strictObject({
        urlSecret: secretRef,
        sendResolved: z.boolean().optional(),
        maxAlerts: z.number().int().min(0).optional(),
      }),
    )
    .optional(),
});

export const routingSchema = z.strictObject({
  ...routeTiming,
  resolveTimeout: positiveDuration.optional(),
  /** Receivers by name; credentials are names of secret config keys. */
  receivers: z.record(receiverName, receiverSchema).optional(),
  /** Receiver of everything no other route takes. */
  defaultReceiver: receiverName.optional(),
  /** Receivers per severity, in order; every one of them is notified. */
  severityRoutes: z
    .partialRecord(z.enum(["critical", "warning", "info"]), uniqueList(receiverName).min(1))
    .optional(),
  /** Dead man's switch: the always-firing Watchdog alert goes here, every `interval` (at least 2s). */
  watchdog: z
    .strictObject({
      receiver: receiverName,
      interval: positiveDuration
        // Refinements run even after the grammar check failed: never assume the text parsed here.
        .refine(
          (d) => {
            const seconds = prometheusDurationSeconds(d);
            // Unparsed text and zero are reported once, by positiveDuration.
            return seconds === undefined || seconds === 0 || seconds >= 2;
          },
          { message: "expected at least 2s" },
        )
        .optional(),
    })
    .optional(),
  /** Extra routes, matched before the severity routes. */
  routes: z
    .array(
      z.strictObject({
        matchers: z.array(matcher).min(1),
        receiver: receiverName,
        continue: z.boolean().optional(),
        ...routeTiming,
      }),
    )
    .optional(),
  /** Replaces the default inhibition (critical silences warning and info, warning silences info). */
  inhibitRules: z
    .array(
      z.strictObject({
        sourceMatchers: z.array(matcher).min(1),
        targetMatchers: z.array(matcher).min(1),
        /** Labels that must be equal; default DEFAULT_INHIBIT_EQUAL. */
        equal: uniqueList(labelName).optional(),
      }),
    )
    .optional(),
  /** Extra notification template files: file name (*.tmpl) -> Go template text. */
  templates: z
    .record(
      z
        .string()
        .regex(/^[a-zA-Z0-9_-]+\.tmpl$/, { message: "expected a file name ending in .tmpl" })
        .refine((name) => name !== "monitoring.tmpl", {
          message:
            "is the built-in template's file name; choose another (the built-in one defines monitoring.title and monitoring.text)",
        }),
      z
        .string()
        .min(1)
        .superRefine((text, ctx) => {
          const problem = goTemplateProblem(text);
          if (problem)
            ctx.addIssue({
              code: "custom",
              message: `is not a template Alertmanager can load: it ${problem}`,
            });
        }),
    )
    .optional(),
});

type RawRouting = z.infer<typeof routingSchema>;

export const DEFAULT_RECEIVER = "default";
export const WATCHDOG_RECEIVER = "watchdog";
/** How often the dead man's switch hears from Alertmanager unless configured. */
export const DEFAULT_WATCHDOG_INTERVAL = "1m";
export const SEVERITIES = ["critical", "warning", "info"] as const;

/** Critical silences warning and info of the same alert on the same target; warning silences info. */
/** Labels a source and target alert must share for inhibition, unless a rule says otherwise. */
export const DEFAULT_INHIBIT_EQUAL = ["alertname", "cluster", "namespace", "instance"];

export const DEFAULT_INHIBIT_RULES: InhibitRuleSpec[] = [
  {
    sourceMatchers: ['severity="critical"'],
    targetMatchers: ['severity=~"warning|info"'],
    equal: [...DEFAULT_INHIBIT_EQUAL],
  },
  {
    sourceMatchers: ['severity="warning"'],
    targetMatchers: ['severity="info"'],
    equal: [...DEFAULT_INHIBIT_EQUAL],
  },
];

function receiver(name: string, raw: NonNullable<RawRouting["receivers"]>[string] | undefined): ReceiverSpec {
  return {
    name,
    email: (raw?.email ?? []).map((e) => ({
      to: e.to,
      from: e.from,
      smarthost: e.smarthost,
      authUsername: e.authUsername,
      authPasswordSecret: e.authPasswordSecret,
      requireTls: e.requireTls ?? true,
      sendResolved: e.sendResolved ?? false,
    })),
    slack: (raw?.slack ?? []).map((s) => ({
      apiUrlSecret: s.apiUrlSecret,
      channel: s.channel,
      sendResolved: s.sendResolved ?? true,
    })),
    pagerduty: (raw?.pagerduty ?? []).map((p) => ({
      routingKeySecret: p.routingKeySecret,
      sendResolved: p.sendResolved ?? true,
    })),
    webhook: (raw?.webhook ?? []).map((w) => ({
      urlSecret: w.urlSecret,
      sendResolved: w.sendResolved ?? true,
      maxAlerts: w.maxAlerts ?? 0,
    })),
  };
}

/** Whether a receiver has any integration, i.e. notifies someone. */
export function notifiesAnyone(receiver: ReceiverSpec): boolean {
  return (
    receiver.email.length + receiver.slack.length + receiver.pagerduty.length + receiver.webhook.length > 0
  );
}

/**
 * Resolves routing config (undefined gives the default tree with receivers that notify nobody).
 * Problems are appended to `problems` with dotted paths below `path`.
 */
export function resolveRouting(
  raw: RawRouting | undefined,
  path: string,
  secretKeys: ReadonlySet<string> | SecretLookup,
  problems: ConfigProblem[],
): AlertmanagerRouting {
  const r = raw ?? {};
  const at = (...parts: (string | number)[]) => [path, ...parts.map(String)].join(".");
  const defaultReceiver = r.defaultReceiver ?? DEFAULT_RECEIVER;
  const watchdogReceiver = r.watchdog?.receiver ?? WATCHDOG_RECEIVER;
  const watchdogInterval = r.watchdog?.interval ?? DEFAULT_WATCHDOG_INTERVAL;

  const declared = new Map(Object.entries(r.receivers ?? {}));
  const receivers: ReceiverSpec[] = [...declared].map(([name, spec]) => receiver(name, spec));
  // The built-in names may be left undeclared: they then exist and notify nobody.
  for (const builtIn of [DEFAULT_RECEIVER, WATCHDOG_RECEIVER]) {
    const used = builtIn === defaultReceiver || builtIn === watchdogReceiver;
    if (used && !declared.has(builtIn)) receivers.push(receiver(builtIn, undefined));
  }
  const known = new Set(receivers.map((x) => x.name));
  const mustExist = (name: string, where: string) => {
    if (!known.has(name))
      problems.push({
        path: where,
        message: `names receiver "${name}", which is not declared under ${path}.receivers (declared: ${[...known].join(", ")})`,
        value: name,
      });
  };
  mustExist(defaultReceiver, at("defaultReceiver"));
  mustExist(watchdogReceiver, at("watchdog", "receiver"));

  // Every credential names a secret config key of this stack.
  const secret = (ref: string | undefined, ...parts: (string | number)[]) =>
    checkSecretRef(ref, at("receivers", ...parts), secretKeys, problems);
  for (const [name, spec] of declared) {
    spec.email?.forEach((e, i) => {
      secret(e.authPasswordSecret, name, "email", i, "authPasswordSecret");
      if (e.authPasswordSecret && !e.authUsername)
        problems.push({
          path: at("receivers", name, "email", i, "authUsername"),
          message: "is required when authPasswordSecret is set",
        });
    });
    spec.slack?.forEach((s, i) => secret(s.apiUrlSecret, name, "slack", i, "apiUrlSecret"));
    spec.pagerduty?.forEach((p, i) => secret(p.routingKeySecret, name, "pagerduty", i, "routingKeySecret"));
    spec.webhook?.forEach((w, i) => secret(w.urlSecret, name, "webhook", i, "urlSecret"));
  }

  const routes: RouteSpec[] = [
    {
      receiver: watchdogReceiver,
      matchers: ['alertname="Watchdog"'],
      groupBy: ["alertname", "cluster"],
      groupWait: "0s",
      // A group is re-sent at the first group_interval tick at least repeat_interval after the last
      // send; with the two equal, send latency pushes every repeat to the second tick. Half the
      // interval makes the heartbeat arrive once per interval.
      groupInterval: watchdogInterval,
      repeatInterval: `${Math.max(1, Math.floor(durationSeconds(watchdogInterval) / 2))}s`,
      continue: false,
    },
  ];
  (r.routes ?? []).forEach((route, i) => {
    mustExist(route.receiver, at("routes", i, "receiver"));
    routes.push({
      receiver: route.receiver,
      matchers: route.matchers,
      groupBy: route.groupBy,
      groupWait: route.groupWait,
      groupInterval: route.groupInterval,
      repeatInterval: route.repeatInterval,
      continue: route.continue ?? false,
    });
  });
  for (const severity of SEVERITIES) {
    const names = r.severityRoutes?.[severity] ?? [];
    names.forEach((name, i) => {
      mustExist(name, at("severityRoutes", severity, i));
      // Every receiver of a severity is notified: all but the last route continue to the next.
      routes.push({ receiver: name, matchers: [`severity="${severity}"`], continue: i < names.length - 1 });
    });
  }

  return {
    groupBy: r.groupBy ?? ["alertname", "cluster", "namespace", "job"],
    groupWait: r.groupWait ?? "30s",
    groupInterval: r.groupInterval ?? "5m",
    repeatInterval: r.repeatInterval ?? "4h",
    resolveTimeout: r.resolveTimeout ?? "5m",
    defaultReceiver,
    routes,
    receivers,
    inhibitRules:
      r.inhibitRules?.map((rule) => ({ ...rule, equal: rule.equal ?? [...DEFAULT_INHIBIT_EQUAL] })) ??
      DEFAULT_INHIBIT_RULES,
    templates: r.templates ?? {},
  };
}

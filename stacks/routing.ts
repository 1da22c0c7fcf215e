/**
 * Alertmanager routing: turns the `alertmanager.routing` config into the typed model the renderer
 * reads. The default tree sends the always-firing Watchdog to the dead man's switch, then each
 * severity to its receivers, and everything else to the default receiver. Receivers named in a
 * route must exist; credentials must name secret config keys of the stack.
 */
import type { z } from "zod";
import type { ConfigProblem } from "./errors";
import { checkSecretRef } from "./resolve";
import type { routingSchema } from "./schema";
import type { AlertmanagerRouting, ReceiverSpec, RouteSpec } from "./spec";
import { durationSeconds } from "../lib/units";

type RawRouting = z.infer<typeof routingSchema>;

export const DEFAULT_RECEIVER = "default";
export const WATCHDOG_RECEIVER = "watchdog";
/** How often the dead man's switch hears from Alertmanager unless configured. */
export const DEFAULT_WATCHDOG_INTERVAL = "1m";
export const SEVERITIES = ["critical", "warning", "info"] as const;

/** Critical silences warning and info of the same alert on the same target; warning silences info. */
export const DEFAULT_INHIBIT_RULES = [
  {
    sourceMatchers: ['severity="critical"'],
    targetMatchers: ['severity=~"warning|info"'],
    equal: ["alertname", "cluster", "namespace", "instance"],
  },
  {
    sourceMatchers: ['severity="warning"'],
    targetMatchers: ['severity="info"'],
    equal: ["alertname", "cluster", "namespace", "instance"],
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
  secretKeys: ReadonlySet<string>,
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
    inhibitRules: r.inhibitRules ?? DEFAULT_INHIBIT_RULES,
    templates: r.templates ?? {},
  };
}

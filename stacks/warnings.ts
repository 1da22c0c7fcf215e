/**
 * Things that are allowed but probably not meant: printed by the offline plan and logged as warnings by
 * `pulumi preview` / `pulumi up`. Pure.
 */
import { notifiesAnyone } from "./sections/routing";
import type { StackSpec } from "./spec";

export function specWarnings(spec: StackSpec): string[] {
  const warnings: string[] = [];
  const routing = spec.alertmanager.routing;
  const notifies = (name: string) => {
    const r = routing.receivers.find((x) => x.name === name);
    return !!r && notifiesAnyone(r);
  };
  const routed = [routing.defaultReceiver, ...routing.routes.slice(1).map((r) => r.receiver)];
  if (!routed.some(notifies)) {
    warnings.push(
      "monitoring:alertmanager.routing: no receiver notifies anyone, so alerts are only visible in the Alertmanager UI; declare receivers and severityRoutes",
    );
  }
  const watchdog = routing.routes[0]?.receiver;
  if (watchdog && !notifies(watchdog)) {
    warnings.push(
      `monitoring:alertmanager.routing.watchdog: receiver "${watchdog}" notifies nobody, so nothing notices when alerting itself stops; point it at a dead man's switch`,
    );
  }
  if (spec.environment === "prod") {
    if (spec.prometheus.replicas < 2)
      warnings.push("monitoring:prometheus.replicas: a single Prometheus in prod has no failover");
    if (spec.alertmanager.replicas < 3)
      warnings.push(
        "monitoring:alertmanager.replicas: fewer than 3 Alertmanager peers in prod; a restart of one leaves no quorum-free margin",
      );
    if (spec.ephemeral)
      warnings.push(
        "monitoring:ephemeral: a prod-profile stack marked ephemeral loses its volumes on destroy",
      );
  }
  return warnings;
}

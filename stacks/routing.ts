import type { ConfigProblem } from "./errors";

/**
 * Alertmanager routing as given. Not yet validated: the typed routing model (receivers with secret
 * references, route tree, inhibit rules) is open work of the metrics-core issue.
 */
export function resolveRouting(
  raw: unknown,
  _path: string,
  _secretKeys: ReadonlySet<string>,
  _problems: ConfigProblem[],
): unknown {
  return raw;
}

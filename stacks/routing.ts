import type { AlertmanagerModel } from "../components/alertmanager/model";
import type { ConfigProblem } from "./errors";

export function resolveRouting(
  raw: unknown,
  _path: string,
  _secretKeys: ReadonlySet<string>,
  _problems: ConfigProblem[],
): AlertmanagerModel {
  return raw as AlertmanagerModel;
}

import { alertmanagerCases } from "./alertmanager";
import { containerCases } from "./containers";
import { generalCases } from "./general";
import { kubernetesCases } from "./kubernetes";
import { nodeCases } from "./node";
import { prometheusCases } from "./prometheus";
import { RuleTestCase } from "./types";

/** Unit-test cases by pack name. */
export const CASES: Record<string, RuleTestCase[]> = {
  general: generalCases,
  node: nodeCases,
  prometheus: prometheusCases,
  alertmanager: alertmanagerCases,
  containers: containerCases,
  kubernetes: kubernetesCases,
};

/**
 * Alerts that by design have no silent case, with the reason. Anything listed here must still have a
 * firing case.
 */
export const NO_SILENT_CASE: Record<string, string> = {
  Watchdog: "always firing by design (vector(1)); its absence is what the dead-man's switch detects",
};

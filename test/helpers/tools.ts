import { existsSync } from "node:fs";
import * as path from "node:path";

/** Where scripts/install-prometheus-tools.sh unpacks the real Prometheus tool binaries. */
export const toolsDir = process.env.PROM_TOOLS_DIR ?? path.resolve(__dirname, "../../.tools");

export type ToolName =
  "prometheus" | "promtool" | "prometheus-alertmanager" | "amtool" | "prometheus-node-exporter";

/** Absolute path of a real tool binary; throws (never skips) when the tools were not installed. */
export function toolPath(name: ToolName): string {
  const bin = path.join(toolsDir, "usr", "bin", name);
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: run 'npm run tools' (scripts/install-prometheus-tools.sh) first`);
  }
  return bin;
}

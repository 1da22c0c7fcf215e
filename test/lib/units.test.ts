import { describe, expect, it } from "vitest";
import {
  cpuCores,
  durationSeconds,
  elasticsearchDurationSeconds,
  formatDuration,
  prometheusDurationSeconds,
  prometheusSizeBytes,
  quantityBytes,
  quantityGi,
} from "../../lib/units";

describe("Prometheus durations (model.ParseDuration grammar)", () => {
  it("reads every unit, alone and combined from largest to smallest", () => {
    expect(prometheusDurationSeconds("15d")).toBe(15 * 86400);
    expect(prometheusDurationSeconds("2w")).toBe(14 * 86400);
    expect(prometheusDurationSeconds("12h")).toBe(43200);
    expect(prometheusDurationSeconds("1h30m")).toBe(5400);
    expect(prometheusDurationSeconds("1y")).toBe(365 * 86400);
    expect(prometheusDurationSeconds("1y2w3d4h5m6s7ms")).toBeCloseTo(
      365 * 86400 + 14 * 86400 + 3 * 86400 + 4 * 3600 + 5 * 60 + 6 + 0.007,
      6,
    );
    expect(prometheusDurationSeconds("0")).toBe(0);
    expect(prometheusDurationSeconds("0s")).toBe(0);
  });
  it("refuses what Prometheus refuses: units out of order or repeated, empty, spaces, fractions", () => {
    for (const bad of ["30m1h", "1h1h", "1s1m", "", " 1h", "15 days", "1.5h", "-1h", "1H", "10"]) {
      expect(prometheusDurationSeconds(bad), bad).toBeUndefined();
    }
    expect(() => durationSeconds("30m1h")).toThrow(/not a Prometheus duration/);
  });
  it("formats the shortest equivalent", () => {
    expect(formatDuration(90)).toBe("1m30s");
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(0.5)).toBe("500ms");
    expect(prometheusDurationSeconds(formatDuration(93784))).toBe(93784);
  });
});

describe("sizes and quantities", () => {
  it("Prometheus sizes are base 2", () => {
    expect(prometheusSizeBytes("43520MB")).toBe(43520 * 1048576);
    expect(prometheusSizeBytes("80GB")).toBe(80 * 1073741824);
    expect(prometheusSizeBytes("1TB")).toBe(1099511627776);
    expect(prometheusSizeBytes("512MiB")).toBe(512 * 1048576);
    expect(prometheusSizeBytes("80G")).toBeUndefined();
  });
  it("Kubernetes quantities and Elasticsearch times", () => {
    expect(quantityGi("91Gi")).toBe(91);
    expect(quantityGi("512Mi")).toBe(0.5);
    expect(quantityGi("1G")).toBeCloseTo(0.931323, 6);
    expect(quantityBytes("1e3")).toBe(1000);
    expect(quantityBytes("12 apples")).toBeUndefined();
    expect(quantityBytes(-1)).toBeUndefined();
    expect(cpuCores("250m")).toBe(0.25);
    expect(cpuCores("2")).toBe(2);
    expect(cpuCores("2x")).toBeUndefined();
    expect(elasticsearchDurationSeconds("30d")).toBe(30 * 86400);
    expect(elasticsearchDurationSeconds("90m")).toBe(5400);
    expect(elasticsearchDurationSeconds("2w")).toBeUndefined();
  });
});

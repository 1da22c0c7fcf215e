import { describe, expect, it } from "vitest";
import { resolveStackSpec } from "../../stacks/resolve";
import { MEMORY_DEFAULTS, prometheusMemory } from "../../stacks/sizing";

describe("Prometheus memory from the declared load", () => {
  it("follows the documented formula (hand-computed)", () => {
    const m = prometheusMemory({
      ...MEMORY_DEFAULTS,
      activeSeries: 400_000,
      seriesChurnPerHour: 0,
      samplesPerSecond: 400_000 / 30,
      bytesPerSample: 2,
    });
    // (732 + 32*10 + 120*2 + 2*40) B = 1372 B per series, doubled for GC.
    const cardinality = 400_000 * 1372 * 2;
    const ingestion = (400_000 / 30) * 10_800 * 2 * 1.5 * 2;
    expect(m.requestBytes).toBeCloseTo(cardinality + ingestion + 256 * 2 ** 20, 0);
    expect(m.limitBytes).toBeCloseTo(2 * m.requestBytes, 0);
    expect(m.request).toBe("2176Mi");
    expect(m.limit).toBe("4288Mi");
  });

  it("churn adds the series created during the head's window", () => {
    const base = { ...MEMORY_DEFAULTS, activeSeries: 100_000, samplesPerSecond: 1000, bytesPerSample: 2 };
    const still = prometheusMemory({ ...base, seriesChurnPerHour: 0 });
    const churning = prometheusMemory({ ...base, seriesChurnPerHour: 50_000 });
    expect(churning.requestBytes - still.requestBytes).toBeCloseTo(150_000 * 1372 * 2, 0);
  });

  it("the prod profile derives requests and limits from sizing; explicit resources win", () => {
    const sized = resolveStackSpec(
      {
        prometheus: { sizing: { activeSeries: 1_000_000 } },
        grafana: { replicas: 1, database: { type: "sqlite" } },
      },
      { stack: "prod", secretKeys: new Set() },
    ).prometheus;
    expect(sized.memorySizing.source).toBe("computed");
    expect(sized.resources.requests.memory).toBe(
      prometheusMemory({
        ...MEMORY_DEFAULTS,
        activeSeries: 1e6,
        seriesChurnPerHour: 0,
        samplesPerSecond: 1e6 / 30,
        bytesPerSample: 2,
      }).request,
    );
    const given = resolveStackSpec(
      {
        prometheus: {
          sizing: { activeSeries: 1_000_000 },
          resources: { requests: { cpu: "2", memory: "16Gi" }, limits: { memory: "24Gi" } },
        },
        grafana: { replicas: 1, database: { type: "sqlite" } },
      },
      { stack: "prod", secretKeys: new Set() },
    ).prometheus;
    expect(given.resources.limits.memory).toBe("24Gi");
    expect(given.memorySizing.source).toBe("given");
  });
});

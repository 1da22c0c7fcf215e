/**
 * Exemptions and the shipped configs: an exempted finding is reported with exempted: true and its reason,
 * other rules still apply to the exempted workload, an exemption names one workload only; and the pack
 * over the real planned resources of both shipped stacks has no mandatory violation while the
 * node-exporter and cAdvisor host-access exemptions show up as exempted.
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import { beforeAll, describe, expect, it } from "vitest";
import {
  mandatoryViolations,
  runPack,
  type PolicyReportEntry,
  type ResourceUnderTest,
} from "../../policies/common/runner";
import { packConfig, PACK_DIRS } from "../../policies/offline";
import { PACK, policies } from "../../policies/security/policies";
import { dockerContainer, withPodSpec, workload } from "./fixtures/security";
import { runPlan } from "../helpers/plan";

const pack = { ...PACK, policies };

function shippedConfig(stack: string): PolicyPackConfig {
  return packConfig(PACK_DIRS.security, stack);
}

const hostPidReason = "reads the host's processes for its process collector";
const config: PolicyPackConfig = {
  "k8s-no-host-pid": { exemptions: [{ workload: "node-exporter", reason: hostPidReason }] },
};
const nodeExporter = withPodSpec(workload("DaemonSet", "node-exporter"), (s) => {
  s.hostPID = true;
  s.hostIPC = true;
});

describe("exemptions", () => {
  it("reports an exempted finding with exempted: true and the reason", async () => {
    const entries = (await runPack(pack, [nodeExporter], config)).filter(
      (e) => e.policy === "k8s-no-host-pid",
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ exempted: true, reason: hostPidReason, urn: nodeExporter.urn });
    expect(entries[0].message).toContain(nodeExporter.name);
    expect(mandatoryViolations(entries)).toEqual([]);
  });

  it("still applies every other rule to the exempted workload", async () => {
    const entries = await runPack(pack, [nodeExporter], config);
    const ipc = entries.filter((e) => e.policy === "k8s-no-host-ipc");
    expect(ipc).toHaveLength(1);
    expect(ipc[0].exempted).toBe(false);
    const blocking = mandatoryViolations(entries).map((e) => e.policy);
    expect(blocking).toContain("k8s-no-host-ipc");
    expect(blocking).not.toContain("k8s-no-host-pid");
  });

  it("does not extend an exemption for one workload to another", async () => {
    const other = withPodSpec(workload("DaemonSet", "node-agent"), (s) => void (s.hostPID = true));
    const entries = (await runPack(pack, [nodeExporter, other], config)).filter(
      (e) => e.policy === "k8s-no-host-pid",
    );
    expect(entries.map((e) => [e.urn, e.exempted])).toEqual([
      [nodeExporter.urn, true],
      [other.urn, false],
    ]);
  });

  it("does not carry an exemption from one rule to another rule", async () => {
    const crossed: PolicyPackConfig = {
      "k8s-no-host-ipc": { exemptions: [{ workload: "node-exporter", reason: hostPidReason }] },
    };
    const entries = (await runPack(pack, [nodeExporter], crossed)).filter(
      (e) => e.policy === "k8s-no-host-pid",
    );
    expect(entries.map((e) => e.exempted)).toEqual([false]);
  });

  it("works for Docker containers through their labels", async () => {
    const c = dockerContainer("cadvisor", { user: "0:0" });
    const cfg: PolicyPackConfig = {
      "docker-run-as-non-root": { exemptions: [{ workload: "cadvisor", reason: "reads cgroups as root" }] },
    };
    const entries = (await runPack(pack, [c], cfg)).filter((e) => e.policy === "docker-run-as-non-root");
    expect(entries).toMatchObject([{ exempted: true, reason: "reads cgroups as root" }]);
  });

  it.each(["dev", "prod"])(
    "shipped %s config: every exemption names a rule of the pack, a workload and a concrete reason",
    (stack) => {
      const cfg = shippedConfig(stack);
      const names = new Set(policies.map((p) => p.name));
      let count = 0;
      for (const [key, value] of Object.entries(cfg)) {
        if (key === "all") continue;
        expect(names.has(key), key).toBe(true);
        if (typeof value === "object" && value && "exemptions" in value) {
          for (const e of value.exemptions as Array<{ workload: string; reason: string }>) {
            // Which workloads and containers: exemptions-agree.test.ts checks them against the plans.
            expect(e.workload).toMatch(/^[a-z0-9][a-z0-9-]*$/);
            expect(e.reason.length).toBeGreaterThan(40);
            count++;
          }
        }
      }
      // node-exporter's and cAdvisor's host access: 4 Docker and 6 Kubernetes exemptions.
      expect(count).toBeGreaterThanOrEqual(10);
    },
  );

  it("dev keeps the always-expected rules mandatory and makes prod-only rules advisory; prod is all mandatory", () => {
    const dev = shippedConfig("dev");
    const level = (cfg: PolicyPackConfig, name: string) => {
      const v = cfg[name];
      if (typeof v === "string") return v;
      return v?.enforcementLevel ?? (cfg.all as string);
    };
    for (const name of [
      "k8s-ingress-tls",
      "k8s-no-node-port",
      "k8s-network-policy-per-namespace",
      "aws-rds-deletion-protection",
    ])
      expect(level(dev, name), name).toBe("advisory");
    for (const name of [
      "k8s-no-privileged-containers",
      "no-secrets-in-config-files",
      "no-secrets-in-env-literals",
      "rbac-no-wildcards",
      "prometheus-admin-api-disabled",
      "docker-ports-loopback-only",
    ])
      expect(level(dev, name), name).toBe("mandatory");
    const prod = shippedConfig("prod");
    for (const p of policies) expect(level(prod, p.name), p.name).toBe("mandatory");
  });
});

const planned: Record<string, ResourceUnderTest[]> = {};

beforeAll(() => {
  for (const stack of ["dev", "prod"]) {
    const r = runPlan(stack);
    if (r.status !== 0) throw new Error(`plan ${stack} failed: ${r.stderr}`);
    planned[stack] = r.resources;
  }
}, 240_000);

describe.each(["dev", "prod"])("the shipped %s stack under its policy config", (stack) => {
  let entries: PolicyReportEntry[] = [];
  beforeAll(async () => {
    entries = await runPack(pack, planned[stack], shippedConfig(stack));
  });

  it("has no mandatory violation", () => {
    expect(mandatoryViolations(entries)).toEqual([]);
  });

  it("reports the node-exporter and cAdvisor host access as exempted, with reasons", () => {
    const exempted = entries.filter((e) => e.exempted);
    for (const e of exempted) expect(e.reason?.length ?? 0).toBeGreaterThan(40);
    const byWorkload = (w: string) =>
      [...new Set(exempted.filter((e) => e.urn.includes(`monitoring-${w}-`)).map((e) => e.policy))].sort();
    if (stack === "prod") {
      expect(byWorkload("node-exporter")).toEqual([
        "k8s-no-host-network",
        "k8s-no-host-path-volumes",
        "k8s-no-host-pid",
        "k8s-no-host-ports",
      ]);
      expect(byWorkload("cadvisor")).toEqual(["k8s-no-host-path-volumes", "k8s-run-as-non-root"]);
    } else {
      expect(byWorkload("node-exporter")).toEqual([
        "docker-no-host-bind-mounts",
        "docker-no-host-namespaces",
      ]);
      // CAP_SYSLOG: cAdvisor reads OOM kills from /dev/kmsg on Docker.
      expect(byWorkload("cadvisor")).toEqual([
        "docker-capabilities-drop-all",
        "docker-no-host-bind-mounts",
        "docker-run-as-non-root",
      ]);
    }
  });

  it("would fail without the exemptions (they are what keeps it green)", async () => {
    const withoutExemptions = Object.fromEntries(
      Object.entries(shippedConfig(stack)).map(([k, v]) => [
        k,
        typeof v === "object" && v ? { ...v, exemptions: [] } : v,
      ]),
    ) as PolicyPackConfig;
    const strict = mandatoryViolations(await runPack(pack, planned[stack], withoutExemptions));
    expect(strict.length).toBe(entries.filter((e) => e.exempted).length);
  });
});

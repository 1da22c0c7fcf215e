/**
 * Per-container exemptions: `{ workload, container, reason }` waives only findings about that container
 * (Kubernetes containers, init and ephemeral containers; on Docker the container resource labelled with
 * the workload and the container name); without `container` the whole workload is waived, pod-level
 * findings included. Stack findings are about workloads, so only workload-wide exemptions apply to them.
 */
import type { PolicyPackConfig } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { CONTAINER_LABEL, EXEMPTIONS_SCHEMA } from "../../policies/common/exemptions";
import { mandatoryViolations, runPack, type ResourceUnderTest } from "../../policies/common/runner";
import * as cost from "../../policies/cost/policies";
import { packConfig, PACK_DIRS } from "../../policies/offline";
import { PACK, policies } from "../../policies/security/policies";
import { dockerContainer, hardenedContainer, withPodSpec, workload } from "./fixtures/security";

const pack = { ...PACK, policies };
const reason = "sets vm.max_map_count on the node, which is not namespaced";

type Json = Record<string, unknown>;

/** Elasticsearch with a privileged root init container "sysctl" and a main container "elasticsearch". */
function elasticsearch(main: (c: Json) => void = () => undefined, name = "elasticsearch"): ResourceUnderTest {
  return withPodSpec(workload("StatefulSet", name), (spec) => {
    const sysctl = hardenedContainer("sysctl", "docker.elastic.co/elasticsearch/elasticsearch:8.19.0");
    sysctl.securityContext = { privileged: true, runAsUser: 0, runAsNonRoot: false };
    spec.initContainers = [sysctl];
    const containers = spec.containers as Json[];
    containers[0].name = "elasticsearch";
    main(containers[0]);
  });
}

const privileged = (c: Json) => void ((c.securityContext as Json).privileged = true);

function only(policy: string, exemptions: Json[]): PolicyPackConfig {
  return { all: "disabled", [policy]: { enforcementLevel: "mandatory", exemptions } };
}

async function findings(resources: ResourceUnderTest[], config: PolicyPackConfig) {
  return (await runPack(pack, resources, config)).map((e) => ({
    message: e.message,
    exempted: e.exempted,
    ...(e.reason ? { reason: e.reason } : {}),
  }));
}

describe("container-scoped exemptions on Kubernetes", () => {
  const sysctlOnly = only("k8s-no-privileged-containers", [
    { workload: "elasticsearch", container: "sysctl", reason },
  ]);

  it("waive the privileged init container's finding", async () => {
    const entries = await findings([elasticsearch()], sysctlOnly);
    expect(entries).toEqual([
      { message: expect.stringContaining('init container "sysctl" runs privileged'), exempted: true, reason },
    ]);
  });

  it("leave a privileged main container a violation", async () => {
    const entries = await runPack(pack, [elasticsearch(privileged)], sysctlOnly);
    expect(entries.map((e) => [e.message.match(/(init )?container "\w+"/)?.[0], e.exempted])).toEqual([
      ['init container "sysctl"', true],
      ['container "elasticsearch"', false],
    ]);
    expect(mandatoryViolations(entries)).toHaveLength(1);
  });

  it("without a container still waive every container of the workload", async () => {
    const wide = only("k8s-no-privileged-containers", [{ workload: "elasticsearch", reason }]);
    const entries = await findings([elasticsearch(privileged)], wide);
    expect(entries.map((e) => e.exempted)).toEqual([true, true]);
  });

  it("do not carry over to a container of the same name in another workload", async () => {
    const entries = await findings([elasticsearch(() => undefined, "opensearch")], sysctlOnly);
    expect(entries).toMatchObject([{ exempted: false }]);
  });

  it("cover ephemeral containers by name too", async () => {
    const debug = withPodSpec(workload("Deployment", "grafana"), (spec) => {
      const shell = hardenedContainer("debug", "docker.io/library/busybox:1.37.0");
      (shell.securityContext as Json).privileged = true;
      spec.ephemeralContainers = [shell];
      privileged((spec.containers as Json[])[0]);
    });
    const cfg = only("k8s-no-privileged-containers", [{ workload: "grafana", container: "debug", reason }]);
    const entries = await runPack(pack, [debug], cfg);
    expect(entries.map((e) => [e.message.match(/(ephemeral )?container "\w+"/)?.[0], e.exempted])).toEqual([
      ['container "grafana"', false],
      ['ephemeral container "debug"', true],
    ]);
  });

  it("apply to each container-level rule separately (run-as-root waived for sysctl only)", async () => {
    const cfg = only("k8s-run-as-non-root", [{ workload: "elasticsearch", container: "sysctl", reason }]);
    const rootMain = elasticsearch((c) => void ((c.securityContext as Json).runAsUser = 0));
    const entries = await runPack(pack, [rootMain], cfg);
    expect(entries.map((e) => e.exempted)).toEqual([true, false]);
    expect(entries[1].message).toContain('container "elasticsearch" runs as root');
  });

  it("never waive a pod-level finding (hostPID), which only a workload-wide exemption covers", async () => {
    const hostPid = withPodSpec(elasticsearch(), (s) => void (s.hostPID = true));
    const scoped = only("k8s-no-host-pid", [{ workload: "elasticsearch", container: "sysctl", reason }]);
    expect(await findings([hostPid], scoped)).toMatchObject([{ exempted: false }]);
    const wide = only("k8s-no-host-pid", [{ workload: "elasticsearch", reason }]);
    expect(await findings([hostPid], wide)).toMatchObject([{ exempted: true }]);
  });

  it("prefer the container's own exemption (and reason) over a workload-wide one", async () => {
    const cfg = only("k8s-no-privileged-containers", [
      { workload: "elasticsearch", reason: "workload-wide reason for the test" },
      { workload: "elasticsearch", container: "sysctl", reason },
    ]);
    const entries = await findings([elasticsearch(privileged)], cfg);
    expect(entries.map((e) => e.reason)).toEqual([reason, "workload-wide reason for the test"]);
  });

  it("do not apply to stack findings (about a workload, not a container)", async () => {
    const cfg: PolicyPackConfig = {
      all: "disabled",
      "k8s-network-policy-per-namespace": {
        enforcementLevel: "mandatory",
        exemptions: [{ workload: "elasticsearch", container: "elasticsearch", reason }],
      },
    };
    expect(await findings([elasticsearch()], cfg)).toMatchObject([{ exempted: false }]);
  });
});

describe("container-scoped exemptions on Docker", () => {
  const labelled = (container: string, overrides: Json = {}) =>
    dockerContainer("elasticsearch", {
      labels: [
        { label: "app.kubernetes.io/name", value: "elasticsearch" },
        { label: CONTAINER_LABEL, value: container },
      ],
      ...overrides,
    });

  it("match the container label, not other containers of the workload", async () => {
    const sysctl = { ...labelled("sysctl", { privileged: true }), urn: "urn:test::sysctl" };
    const main = { ...labelled("elasticsearch", { privileged: true }), urn: "urn:test::main" };
    const cfg = only("docker-no-privileged", [{ workload: "elasticsearch", container: "sysctl", reason }]);
    const entries = await runPack(pack, [sysctl, main], cfg);
    expect(entries.map((e) => [e.urn, e.exempted])).toEqual([
      [sysctl.urn, true],
      [main.urn, false],
    ]);
  });

  it("take an unlabelled container as the workload's single container, named after it", async () => {
    const c = dockerContainer("cadvisor", { user: "0:0" });
    const named = (container: string) =>
      only("docker-run-as-non-root", [{ workload: "cadvisor", container, reason }]);
    expect(await findings([c], named("cadvisor"))).toMatchObject([{ exempted: true }]);
    expect(await findings([c], named("sidecar"))).toMatchObject([{ exempted: false }]);
  });
});

describe("container-scoped exemptions in the cost pack", () => {
  it("waive container-request-caps for the named container only", async () => {
    const big = withPodSpec(elasticsearch(), (spec) => {
      const main = (spec.containers as Json[])[0];
      main.resources = { requests: { cpu: "8", memory: "1Gi" } };
      const sidecar = { ...main, name: "exporter" };
      spec.containers = [main, sidecar];
    });
    const cfg = {
      all: "disabled" as const,
      "container-request-caps": {
        enforcementLevel: "mandatory" as const,
        maxCpu: "4",
        exemptions: [{ workload: "elasticsearch", container: "elasticsearch", reason }],
      },
    };
    const entries = await runPack({ ...cost.PACK, policies: cost.policies }, [big], cfg);
    expect(entries.map((e) => [e.message.match(/container "\w+"/)?.[0], e.exempted])).toEqual([
      ['container "elasticsearch"', true],
      ['container "exporter"', false],
    ]);
  });
});

describe("the exemption schema", () => {
  const items = (EXEMPTIONS_SCHEMA.items ?? {}) as {
    properties: Record<string, { type: string }>;
    required: string[];
  };

  it("accepts an optional container next to workload and reason", () => {
    expect(Object.keys(items.properties).sort()).toEqual(["container", "reason", "workload"]);
    expect(items.required).toEqual(["workload", "reason"]);
  });

  it.each(["dev", "prod"])("fits every exemption in the shipped %s configs", (env) => {
    for (const dir of Object.values(PACK_DIRS)) {
      for (const [rule, value] of Object.entries(packConfig(dir, env))) {
        if (typeof value !== "object" || !value || !("exemptions" in value)) continue;
        for (const e of value.exemptions as Json[]) {
          const where = `${dir}/${env} ${rule} ${JSON.stringify(e)}`;
          for (const key of Object.keys(e)) expect(items.properties, where).toHaveProperty(key);
          for (const key of items.required) expect(typeof e[key], where).toBe("string");
          if ("container" in e) expect(typeof e.container, where).toBe("string");
        }
      }
    }
  });
});

/**
 * The workloads' own exemption declarations (`monitoring.pulumi.io/security-exemptions`, JSON) and the
 * packs' exemptions agree: the parser, the name -> rule map (checked against the rules' real
 * behaviour), the pure agreement check on fixtures (each direction shown failing), and finally the
 * shipped plans against the shipped pack configs.
 */
import type { Policies, PolicyPackConfig } from "@pulumi/policy";
import { beforeAll, describe, expect, it } from "vitest";
import { exemptionAgreement, type PackConfigs, type PlannedStack } from "../../policies/common/agreement";
import {
  DECLARATION_KEY,
  declarationOf,
  EXEMPTION_NAMES,
  parseDeclaration,
  type ExemptionName,
  type Platform,
} from "../../policies/common/declarations";
import { EXEMPTION_RULES } from "../../policies/common/exemption-map";
import { runPack, type ResourceUnderTest } from "../../policies/common/runner";
import * as cost from "../../policies/cost/policies";
import { packConfig, PACK_DIRS } from "../../policies/offline";
import * as security from "../../policies/security/policies";
import { runPlan } from "../helpers/plan";
import { dockerContainer, hardenedContainer, mutate, withPodSpec, workload } from "./fixtures/security";

type Json = Record<string, unknown>;

const PACKS: Record<string, { name: string; policies: Policies }> = {
  security: { name: security.PACK.name, policies: security.policies },
  cost: { name: cost.PACK.name, policies: cost.policies },
};

const REASON = "reads host state that only the host namespaces and paths expose";

/** Writes `declaration` (JSON-encoded unless already a string) where the platform layer puts it. */
function declare(r: ResourceUnderTest, declaration: unknown): ResourceUnderTest {
  const text = typeof declaration === "string" ? declaration : JSON.stringify(declaration);
  return mutate(r, (copy) => {
    if (Array.isArray(copy.inputs.labels)) {
      (copy.inputs.labels as Json[]).push({ label: DECLARATION_KEY, value: text });
      return;
    }
    const template = ((copy.inputs.spec as Json).template as Json).metadata as Json;
    template.annotations = { ...(template.annotations as Json | undefined), [DECLARATION_KEY]: text };
  });
}

describe("parseDeclaration", () => {
  it("reads the JSON array, host paths included", () => {
    const text = JSON.stringify([
      {
        container: "node-exporter",
        exemptions: ["host-pid", "host-path"],
        reason: REASON,
        hostPaths: ["/proc:ro", "/var/lib/node:rw"],
      },
      { container: "sysctl", exemptions: ["privileged", "run-as-root"], reason: REASON },
    ]);
    expect(parseDeclaration(text)).toEqual({
      declarations: [
        {
          container: "node-exporter",
          exemptions: ["host-pid", "host-path"],
          reason: REASON,
          hostPaths: [
            { path: "/proc", readOnly: true },
            { path: "/var/lib/node", readOnly: false },
          ],
        },
        { container: "sysctl", exemptions: ["privileged", "run-as-root"], reason: REASON, hostPaths: [] },
      ],
      problems: [],
    });
  });

  it("knows exactly the fixed set of names", () => {
    const text = JSON.stringify([{ container: "c", exemptions: [...EXEMPTION_NAMES], reason: REASON }]);
    const parsed = parseDeclaration(text);
    expect(parsed.declarations[0].exemptions).toEqual([...EXEMPTION_NAMES]);
    expect(parsed.problems).toEqual([
      'entry 0 (container "c"): "host-path" needs the paths it mounts in "hostPaths"',
    ]);
  });

  it("returns a problem, not an exception, for today's comma-separated string format", () => {
    const parsed = parseDeclaration("host-pid, host-path(/proc:ro,/sys:ro): node-exporter reads the host");
    expect(parsed.declarations).toEqual([]);
    expect(parsed.problems).toEqual([expect.stringMatching(/^not JSON/)]);
  });

  it.each<[string, unknown, RegExp]>([
    ["a non-array", { container: "c" }, /must be a JSON array/],
    ["a non-object entry", ["host-pid"], /entry 0: not an object/],
    ["a missing container", [{ exemptions: ["host-pid"], reason: REASON }], /"container" must be/],
    [
      "an unknown name",
      [{ container: "c", exemptions: ["host-ipc"], reason: REASON }],
      /unknown exemption "host-ipc"/,
    ],
    [
      "a duplicate name",
      [{ container: "c", exemptions: ["privileged", "privileged"], reason: REASON }],
      /listed twice/,
    ],
    ["no names", [{ container: "c", exemptions: [], reason: REASON }], /"exemptions" is empty/],
    [
      "exemptions not a list",
      [{ container: "c", exemptions: "host-pid", reason: REASON }],
      /must be an array/,
    ],
    [
      "a short reason",
      [{ container: "c", exemptions: ["host-pid"], reason: "needed" }],
      /"reason" must say why/,
    ],
    [
      "a relative host path",
      [{ container: "c", exemptions: ["host-path"], reason: REASON, hostPaths: ["/sys:ro", "proc:ro"] }],
      /host path "proc:ro"/,
    ],
    [
      "a host path without a mode",
      [{ container: "c", exemptions: ["host-path"], reason: REASON, hostPaths: ["/sys:ro", "/proc"] }],
      /host path "\/proc"/,
    ],
    [
      "host paths without host-path",
      [{ container: "c", exemptions: ["host-pid"], reason: REASON, hostPaths: ["/proc:ro"] }],
      /without the "host-path" exemption/,
    ],
    [
      "a container declared twice",
      [
        { container: "c", exemptions: ["host-pid"], reason: REASON },
        { container: "c", exemptions: ["privileged"], reason: REASON },
      ],
      /container "c" is declared twice/,
    ],
    [
      "an unknown key",
      [{ container: "c", exemptions: ["host-pid"], reason: REASON, why: "x" }],
      /unknown key "why"/,
    ],
  ])("reports %s", (_what, value, problem) => {
    const parsed = parseDeclaration(JSON.stringify(value));
    expect(parsed.problems).toEqual([expect.stringMatching(problem)]);
  });

  it("keeps what it could read next to the problems", () => {
    const parsed = parseDeclaration(
      JSON.stringify([{ container: "c", exemptions: ["host-pid", "bogus", "run-as-root"], reason: REASON }]),
    );
    expect(parsed.declarations[0].exemptions).toEqual(["host-pid", "run-as-root"]);
    expect(parsed.problems).toHaveLength(1);
  });
});

describe("declarationOf", () => {
  const decl = [{ container: "agent", exemptions: ["host-pid"], reason: REASON }];

  it("reads a Kubernetes pod template annotation, with every container of the pod", () => {
    const r = declare(
      withPodSpec(workload("DaemonSet", "agent"), (s) => {
        s.initContainers = [hardenedContainer("init")];
      }),
      decl,
    );
    expect(declarationOf(r)).toMatchObject({
      urn: r.urn,
      platform: "kubernetes",
      workload: "agent",
      containers: ["init", "agent"],
      declarations: [{ container: "agent", exemptions: ["host-pid"] }],
      problems: [],
    });
  });

  it("reads a Docker container label; the container is named by its label, else after the workload", () => {
    const plain = declare(dockerContainer("agent"), decl);
    expect(declarationOf(plain)).toMatchObject({
      platform: "docker",
      workload: "agent",
      containers: ["agent"],
    });
    const labelled = mutate(plain, (c) =>
      (c.inputs.labels as Json[]).push({ label: "monitoring.pulumi.io/container", value: "sidecar" }),
    );
    expect(declarationOf(labelled)?.containers).toEqual(["sidecar"]);
  });

  it("is undefined for a workload that declares nothing, and ignores the workload's own metadata", () => {
    expect(declarationOf(workload("Deployment", "grafana"))).toBeUndefined();
    expect(declarationOf(dockerContainer("grafana"))).toBeUndefined();
    const onMetadata = mutate(workload("Deployment", "grafana"), (c) => {
      (c.inputs.metadata as Json).annotations = { [DECLARATION_KEY]: JSON.stringify(decl) };
    });
    expect(declarationOf(onMetadata)).toBeUndefined();
  });
});

/** A resource on `platform` that violates what exemption `name` waives, in container "agent". */
const VIOLATIONS: Record<Platform, Partial<Record<ExemptionName, () => ResourceUnderTest>>> = {
  kubernetes: {
    "host-pid": () => withPodSpec(workload("DaemonSet", "agent"), (s) => void (s.hostPID = true)),
    "host-network": () =>
      withPodSpec(workload("DaemonSet", "agent"), (s) => {
        s.hostNetwork = true;
        (s.containers as Json[])[0].ports = [{ containerPort: 9100, hostPort: 9100, name: "metrics" }];
      }),
    "host-port": () =>
      withPodSpec(workload("DaemonSet", "agent"), (s) => {
        (s.containers as Json[])[0].ports = [{ containerPort: 9100, hostPort: 9100, name: "metrics" }];
      }),
    "host-path": () =>
      withPodSpec(workload("DaemonSet", "agent"), (s) => {
        s.volumes = [{ name: "proc", hostPath: { path: "/proc" } }];
      }),
    "run-as-root": () =>
      withPodSpec(workload("DaemonSet", "agent"), (s) => {
        ((s.containers as Json[])[0].securityContext as Json).runAsUser = 0;
      }),
    privileged: () =>
      withPodSpec(workload("DaemonSet", "agent"), (s) => {
        const sc = (s.containers as Json[])[0].securityContext as Json;
        sc.privileged = true;
        sc.allowPrivilegeEscalation = true;
      }),
    "writable-root-filesystem": () =>
      withPodSpec(workload("DaemonSet", "agent"), (s) => {
        ((s.containers as Json[])[0].securityContext as Json).readOnlyRootFilesystem = false;
      }),
    "added-capabilities": () =>
      withPodSpec(workload("DaemonSet", "agent"), (s) => {
        ((s.containers as Json[])[0].securityContext as Json).capabilities = {
          drop: ["ALL"],
          add: ["SYS_ADMIN"],
        };
      }),
  },
  docker: {
    "host-pid": () => dockerContainer("agent", { pidMode: "host" }),
    "host-network": () => dockerContainer("agent", { networkMode: "host" }),
    "host-port": () =>
      dockerContainer("agent", { ports: [{ external: 9100, internal: 9100, ip: "0.0.0.0" }] }),
    "host-path": () =>
      dockerContainer("agent", { mounts: [{ type: "bind", source: "/proc", target: "/host/proc" }] }),
    "run-as-root": () => dockerContainer("agent", { user: "0:0" }),
    privileged: () => dockerContainer("agent", { privileged: true }),
    "added-capabilities": () =>
      dockerContainer("agent", { capabilities: { drops: ["ALL"], adds: ["SYS_ADMIN"] } }),
  },
};

const mapped = (["kubernetes", "docker"] as const).flatMap((platform) =>
  EXEMPTION_NAMES.flatMap((name) => EXEMPTION_RULES[platform][name].map((w) => ({ platform, name, ...w }))),
);

describe("EXEMPTION_RULES", () => {
  it.each(mapped)("$platform $name -> $pack $rule: a rule of that pack that takes exemptions", (m) => {
    const policy = PACKS[m.pack]?.policies.find((p) => p.name === m.rule);
    expect(policy, `${m.pack} has no rule ${m.rule}`).toBeDefined();
    expect(policy?.configSchema?.properties).toHaveProperty("exemptions");
    expect(m.rule.startsWith(m.platform === "kubernetes" ? "k8s-" : "docker-")).toBe(true);
  });

  it("maps names to nothing only where no rule checks them (sysctls; a writable root fs on Docker)", () => {
    const empty = (["kubernetes", "docker"] as const).flatMap((platform) =>
      EXEMPTION_NAMES.filter((n) => EXEMPTION_RULES[platform][n].length === 0).map((n) => `${platform} ${n}`),
    );
    expect(empty).toEqual(["kubernetes sysctls", "docker writable-root-filesystem", "docker sysctls"]);
  });

  const runRule = (m: (typeof mapped)[number], r: ResourceUnderTest, exemption: Json) => {
    const config: PolicyPackConfig = {
      all: "disabled",
      [m.rule]: {
        enforcementLevel: "mandatory",
        exemptions: [{ workload: "agent", reason: REASON, ...exemption }],
      },
    };
    return runPack(PACKS[m.pack], [r], config);
  };

  it.each(mapped)(
    "$platform $name -> $rule: the exemption written at the mapped scope ($scope) waives it, another scope does not",
    async (m) => {
      const make = VIOLATIONS[m.platform][m.name];
      expect(make, "a violating fixture for this name").toBeDefined();
      const r = make ? make() : workload("Pod", "agent");
      const none = await runPack(PACKS[m.pack], [r], { all: "disabled", [m.rule]: "mandatory" });
      expect(none.length, "the fixture violates the rule").toBeGreaterThan(0);

      const asMapped = await runRule(m, r, m.scope === "container" ? { container: "agent" } : {});
      expect(asMapped.map((e) => e.exempted)).toEqual(none.map(() => true));

      // A pod-level rule ignores container-scoped exemptions; a container-level one checks the name.
      const wrong = await runRule(m, r, { container: m.scope === "container" ? "other" : "agent" });
      expect(wrong.map((e) => e.exempted)).toEqual(none.map(() => false));
    },
  );
});

// ---- the agreement check on fixtures ----

const nodeExporterDecl = [
  {
    container: "node-exporter",
    exemptions: ["host-pid", "host-network", "host-path"],
    reason: REASON,
    hostPaths: ["/proc:ro", "/sys:ro", "/:ro"],
  },
];
const cadvisorDecl = [
  { container: "cadvisor", exemptions: ["run-as-root", "host-path"], reason: REASON, hostPaths: ["/sys:ro"] },
];

const prodPlan = (): PlannedStack => ({
  environment: "prod",
  resources: [
    declare(workload("DaemonSet", "node-exporter"), nodeExporterDecl),
    declare(workload("DaemonSet", "cadvisor"), cadvisorDecl),
    workload("StatefulSet", "prometheus"),
  ],
});
const devPlan = (): PlannedStack => ({
  environment: "dev",
  resources: [
    // Docker's node-exporter needs no host network here: declarations may differ per platform.
    declare(dockerContainer("node-exporter"), [
      { ...nodeExporterDecl[0], exemptions: ["host-pid", "host-path"] },
    ]),
    declare(dockerContainer("cadvisor"), cadvisorDecl),
    dockerContainer("prometheus"),
  ],
});

const ex = (workloadName: string, container?: string) => ({
  workload: workloadName,
  ...(container ? { container } : {}),
  reason: REASON,
});

/** The security config both environments need for the fixtures (shaped like the shipped ones). */
function securityConfig(): Record<string, unknown> {
  return {
    all: "mandatory",
    "docker-no-host-namespaces": { exemptions: [ex("node-exporter", "node-exporter")] },
    "docker-no-host-bind-mounts": {
      exemptions: [ex("node-exporter", "node-exporter"), ex("cadvisor", "cadvisor")],
    },
    "docker-run-as-non-root": { exemptions: [ex("cadvisor", "cadvisor")] },
    "k8s-no-host-pid": { exemptions: [ex("node-exporter")] },
    "k8s-no-host-network": { exemptions: [ex("node-exporter")] },
    "k8s-no-host-ports": { exemptions: [ex("node-exporter", "node-exporter")] },
    "k8s-no-host-path-volumes": { exemptions: [ex("node-exporter"), ex("cadvisor")] },
    "k8s-run-as-non-root": { exemptions: [ex("cadvisor", "cadvisor")] },
  };
}

function configs(change: (env: string, sec: Record<string, unknown>) => void = () => undefined): PackConfigs {
  const out: PackConfigs = {};
  for (const env of ["dev", "prod"]) {
    const sec = securityConfig();
    change(env, sec);
    out[env] = { security: sec, cost: { all: "advisory" } };
  }
  return out;
}

/** Replaces a rule's exemptions in `config`. */
const setExemptions = (config: Record<string, unknown>, rule: string, exemptions: Json[]) => {
  config[rule] = { exemptions };
};

const kinds = (problems: { kind: string; environment: string }[]) =>
  problems.map((p) => `${p.environment} ${p.kind}`);

describe("exemptionAgreement (fixtures)", () => {
  it("passes when every declaration has its pack exemptions and every pack exemption is declared", () => {
    expect(exemptionAgreement([devPlan(), prodPlan()], configs())).toEqual([]);
  });

  it("fails when a declared exemption has no pack exemption in that environment (prod host-pid)", () => {
    const problems = exemptionAgreement(
      [devPlan(), prodPlan()],
      configs((env, sec) => env === "prod" && setExemptions(sec, "k8s-no-host-pid", [])),
    );
    expect(kinds(problems)).toEqual(["prod missing-pack-exemption"]);
    expect(problems[0].message).toMatch(
      /declares "host-pid" for container "node-exporter".*"k8s-no-host-pid".*"node-exporter"/,
    );
  });

  it("fails when a pack config exempts a workload/container no shipped plan declares", () => {
    const problems = exemptionAgreement(
      [devPlan(), prodPlan()],
      configs(
        (env, sec) =>
          env === "dev" &&
          setExemptions(sec, "k8s-no-privileged-containers", [ex("elasticsearch", "sysctl")]),
      ),
    );
    expect(kinds(problems)).toEqual(["dev undeclared-pack-exemption"]);
    expect(problems[0].message).toContain(
      'exempts workload "elasticsearch" container "sysctl" from "k8s-no-privileged-containers"',
    );
  });

  it("requires the container for container-level rules (a workload-wide entry fails both ways)", () => {
    const problems = exemptionAgreement(
      [devPlan(), prodPlan()],
      configs((env, sec) => env === "prod" && setExemptions(sec, "k8s-run-as-non-root", [ex("cadvisor")])),
    );
    expect(kinds(problems).sort()).toEqual(["prod missing-pack-exemption", "prod undeclared-pack-exemption"]);
    expect(problems.map((p) => p.message).join("\n")).toMatch(
      /with container "cadvisor"; it has a workload-wide one/,
    );
  });

  it("requires no container for pod-level rules (a container-scoped entry would waive nothing)", () => {
    const problems = exemptionAgreement(
      [devPlan(), prodPlan()],
      configs(
        (env, sec) =>
          env === "prod" && setExemptions(sec, "k8s-no-host-pid", [ex("node-exporter", "node-exporter")]),
      ),
    );
    expect(kinds(problems).sort()).toEqual(["prod missing-pack-exemption", "prod undeclared-pack-exemption"]);
    expect(problems.map((p) => p.message).join("\n")).toContain("no container (the rule is pod-level)");
  });

  it("lets one environment's config carry exemptions another environment's plan declares, but not undeclared ones", () => {
    // The dev config's k8s-* entries are declared only by the prod (Kubernetes) plan.
    const problems = exemptionAgreement([devPlan()], { dev: configs().dev });
    expect(problems.length).toBeGreaterThan(0);
    expect(new Set(kinds(problems))).toEqual(new Set(["dev undeclared-pack-exemption"]));
    expect(problems.every((p) => /"k8s-/.test(p.message))).toBe(true);
  });

  it("fails on a declaration in today's string format, and on a config that then looks undeclared", () => {
    const old = declare(
      workload("DaemonSet", "cadvisor"),
      "run-as-root, host-path(/sys:ro): cAdvisor reads cgroups",
    );
    const plan = { ...prodPlan(), resources: [prodPlan().resources[0], old] };
    const problems = exemptionAgreement([devPlan(), plan], configs());
    expect(problems.filter((p) => p.kind === "declaration").map((p) => p.message)).toEqual([
      expect.stringMatching(/cadvisor.*exemption declaration not JSON/),
    ]);
    expect(problems.filter((p) => p.kind === "undeclared-pack-exemption").map((p) => p.message)).toEqual([
      expect.stringContaining('config.dev.json exempts workload "cadvisor" from "k8s-no-host-path-volumes"'),
      expect.stringContaining(
        'config.dev.json exempts workload "cadvisor" container "cadvisor" from "k8s-run-as-non-root"',
      ),
      expect.stringContaining('config.prod.json exempts workload "cadvisor" from "k8s-no-host-path-volumes"'),
      expect.stringContaining(
        'config.prod.json exempts workload "cadvisor" container "cadvisor" from "k8s-run-as-non-root"',
      ),
    ]);
  });

  it("fails on a declaration for a container the workload does not run, or without a workload label", () => {
    const ghost = declare(workload("Deployment", "grafana"), [
      { container: "sidecar", exemptions: ["sysctls"], reason: REASON },
    ]);
    const unlabelled = mutate(
      declare(workload("Deployment", "loki"), [
        { container: "loki", exemptions: ["sysctls"], reason: REASON },
      ]),
      (c) => {
        ((((c.inputs.spec as Json).template as Json).metadata as Json).labels as Json)[
          "app.kubernetes.io/name"
        ] = undefined;
        ((c.inputs.metadata as Json).labels as Json)["app.kubernetes.io/name"] = undefined;
      },
    );
    const plan = { ...prodPlan(), resources: [...prodPlan().resources, ghost, unlabelled] };
    const problems = exemptionAgreement([devPlan(), plan], configs());
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/grafana.*container "sidecar", which it does not run \(it runs "grafana"\)/),
      expect.stringMatching(/loki.*has no app.kubernetes.io\/name label/),
    ]);
  });

  it("needs no pack exemption for a name no rule checks (sysctls)", () => {
    const es = declare(workload("StatefulSet", "elasticsearch"), [
      { container: "elasticsearch", exemptions: ["sysctls"], reason: REASON },
    ]);
    const plan = { ...prodPlan(), resources: [...prodPlan().resources, es] };
    expect(exemptionAgreement([devPlan(), plan], configs())).toEqual([]);
  });

  it("reports one missing exemption once, however many replicas declare it", () => {
    const replicas = [0, 1, 2].map((i) => ({ ...devPlan().resources[1], urn: `urn:test::cadvisor-${i}` }));
    const plan = { ...devPlan(), resources: [devPlan().resources[0], ...replicas] };
    const problems = exemptionAgreement(
      [plan, prodPlan()],
      configs((env, sec) => env === "dev" && setExemptions(sec, "docker-run-as-non-root", [])),
    );
    expect(kinds(problems)).toEqual(["dev missing-pack-exemption"]);
  });
});

// ---- the shipped plans against the shipped pack configs ----

describe("the shipped plans and pack configs", () => {
  const plans: PlannedStack[] = [];
  beforeAll(() => {
    for (const environment of ["dev", "prod"]) {
      const r = runPlan(environment);
      if (r.status !== 0) throw new Error(`plan ${environment} failed: ${r.stderr}`);
      plans.push({ environment, resources: r.resources });
    }
  }, 240_000);

  it("carry exemption declarations (the check below is not vacuous)", () => {
    for (const plan of plans)
      expect(plan.resources.filter((r) => declarationOf(r)).length, plan.environment).toBeGreaterThan(0);
  });

  it("agree: every declaration (JSON format only) has its pack exemptions, every pack exemption is declared", () => {
    const shipped: PackConfigs = {};
    for (const environment of ["dev", "prod"]) {
      shipped[environment] = {};
      for (const [pack, dir] of Object.entries(PACK_DIRS))
        shipped[environment][pack] = packConfig(dir, environment) as Record<string, unknown>;
    }
    const problems = exemptionAgreement(plans, shipped);
    expect(problems.map((p) => `${p.environment} ${p.kind}: ${p.message}`)).toEqual([]);
  });
});

/**
 * The Docker platform under mocks: replicas with their own names, volumes and ports; config files
 * delivered by a one-shot loader into a volume so services keep a read-only root; init containers,
 * sidecars and jobs as containers that wait for each other; healthchecks from the probes.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mockStack, type MockStack } from "../helpers/mocks";

const mock: MockStack = mockStack("dev");

import * as pulumi from "@pulumi/pulumi";
import { healthcheckOf, loaderScript } from "../../components/platform/docker/builders";
import { DockerPlatform } from "../../components/platform/docker";
import { nodeExporterWorkload } from "../../components/node-exporter";
import { ANNOTATIONS, LABELS } from "../../components/platform/platform";
import type { ContainerSpec } from "../../components/platform/workload";
import { resolveStackSpec } from "../../stacks/resolve";
import { searchWorkload, setupJob, webWorkload } from "./fixtures";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- provider input JSON

class Holder extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Holder", name, {});
  }
}

let containers: Obj[];
const named = (name: string) => {
  const c = containers.find((x) => x.name === name);
  if (!c) throw new Error(`no container ${name}: ${containers.map((x) => x.name).join(", ")}`);
  return c;
};
const label = (c: Obj, key: string) =>
  (c.labels as { label: string; value: string }[]).find((l) => l.label === key)?.value;
const urnOf = (name: string) => mock.resources().find((r) => (r.inputs as Obj).name === name)!.urn;

beforeAll(async () => {
  const spec = resolveStackSpec({}, { stack: "dev", secretKeys: new Set() });
  const platform = new DockerPlatform("platform", { spec });
  const holder = new Holder("holder");
  platform.deploy("search", searchWorkload(), holder);
  platform.deploy("setup", setupJob(), holder);
  platform.deploy("web", webWorkload(), holder);
  platform.deploy("node-exporter", nodeExporterWorkload(spec.nodeExporter, "docker"), holder);
  await mock.settle();
  containers = mock.ofType("docker:index/container:Container").map((r) => r.inputs as Obj);
});

describe("docker platform", () => {
  it("one container per pod container and replica, each with its own name and URN", () => {
    const names = containers.map((c) => c.name).sort();
    expect(names).toEqual(
      [
        "monitoring-dev-node-exporter",
        "monitoring-dev-search-0",
        "monitoring-dev-search-1",
        "monitoring-dev-search-2",
        "monitoring-dev-search-config-loader",
        "monitoring-dev-search-exporter-0",
        "monitoring-dev-search-exporter-1",
        "monitoring-dev-search-exporter-2",
        "monitoring-dev-search-setup",
        "monitoring-dev-search-setup-config-loader",
        "monitoring-dev-search-sysctl-0",
        "monitoring-dev-search-sysctl-1",
        "monitoring-dev-search-sysctl-2",
        "monitoring-dev-web-0",
        "monitoring-dev-web-1",
      ].sort(),
    );
    const urns = mock.resources().map((r) => r.urn);
    expect(new Set(urns).size).toBe(urns.length);
    expect(named("monitoring-dev-web-1").ports).toEqual([
      { internal: 8080, external: 18081, ip: "127.0.0.1", protocol: "tcp" },
    ]);
  });

  it("config reaches the services through a volume the loader fills; their root filesystems stay read-only", () => {
    const loader = named("monitoring-dev-search-config-loader");
    expect(loader).toMatchObject({
      attach: true,
      mustRun: false,
      restart: "no",
      user: "0:0",
      networkMode: "none",
    });
    expect(loader.capabilities).toEqual({ drops: ["ALL"], adds: ["CHOWN"] });
    expect(loader.uploads.map((u: Obj) => u.file).sort()).toEqual([
      "/staging/search/etc/search/rules/r.yml",
      "/staging/search/etc/search/secrets/webhook",
      "/staging/search/usr/share/search/config/search.yml",
      "/staging/search/usr/share/search/config/users",
    ]);
    expect(JSON.stringify(mock.resources())).not.toContain("s3cr3t");
    const main = named("monitoring-dev-search-0");
    expect(main.readOnly).toBe(true);
    expect(main.uploads).toBeUndefined();
    const configMounts = (main.mounts as Obj[]).filter((m) => m.source === "monitoring-dev-search-config");
    expect(configMounts).toEqual([
      {
        type: "volume",
        source: "monitoring-dev-search-config",
        target: "/etc/search/rules",
        readOnly: true,
        volumeOptions: { subpath: "search/etc/search/rules" },
      },
      {
        type: "volume",
        source: "monitoring-dev-search-config",
        target: "/usr/share/search/config/search.yml",
        readOnly: true,
        volumeOptions: { subpath: "search/usr/share/search/config/search.yml" },
      },
      {
        type: "volume",
        source: "monitoring-dev-search-config",
        target: "/usr/share/search/config/users",
        readOnly: true,
        volumeOptions: { subpath: "search/usr/share/search/config/users" },
      },
      {
        type: "volume",
        source: "monitoring-dev-search-config",
        target: "/etc/search/secrets/webhook",
        readOnly: true,
        volumeOptions: { subpath: "search/etc/search/secrets/webhook" },
      },
    ]);
    const loaderUrn = urnOf("monitoring-dev-search-config-loader");
    const mainRes = mock.resources().find((r) => (r.inputs as Obj).name === "monitoring-dev-search-0")!;
    expect(mainRes.dependencies).toContain(loaderUrn);
    expect(loaderScript(1000)).toContain("chown -R 0:1000 /config");
  });

  it("the loader's exemption is declared on it alone", () => {
    const loader = named("monitoring-dev-search-config-loader");
    expect(JSON.parse(label(loader, ANNOTATIONS.securityExemptions)!)).toEqual([
      expect.objectContaining({
        container: "config-loader",
        exemptions: ["run-as-root", "writable-root-filesystem", "added-capabilities"],
      }),
    ]);
    expect(label(loader, LABELS.container)).toBe("config-loader");
    expect(label(named("monitoring-dev-web-0"), ANNOTATIONS.securityExemptions)).toBeUndefined();
    const sysctl = named("monitoring-dev-search-sysctl-0");
    expect(sysctl).toMatchObject({ privileged: true, user: "0:0", restart: "no", attach: true });
    expect(JSON.parse(label(sysctl, ANNOTATIONS.securityExemptions)!)[0].exemptions).toEqual([
      "run-as-root",
      "privileged",
    ]);
    expect(named("monitoring-dev-search-0").privileged).toBeUndefined();
  });

  it("init containers finish before the pod's containers start; the job waits for what it needs", () => {
    const res = (name: string) => mock.resources().find((r) => (r.inputs as Obj).name === name)!;
    expect(res("monitoring-dev-search-0").dependencies).toContain(urnOf("monitoring-dev-search-sysctl-0"));
    expect(res("monitoring-dev-search-exporter-0").dependencies).toContain(
      urnOf("monitoring-dev-search-sysctl-0"),
    );
    const job = named("monitoring-dev-search-setup");
    expect(job).toMatchObject({ attach: true, mustRun: false, restart: "no" });
    expect(res("monitoring-dev-search-setup").dependencies).toContain(urnOf("monitoring-dev-search-0"));
    expect(job.healthcheck).toBeUndefined();
  });

  it("sidecars get their own alias; sysctls and ulimits reach the main container", () => {
    expect(named("monitoring-dev-search-exporter-1").networksAdvanced[0].aliases).toEqual([
      "search-exporter",
      "search-exporter-1",
    ]);
    const main = named("monitoring-dev-search-0");
    expect(main.sysctls).toEqual({ "net.ipv4.ip_local_port_range": "1024 65000" });
    expect(main.ulimits).toEqual([{ name: "nofile", soft: 65535, hard: 65535 }]);
    expect(main.envs).toContain("POD_NAME=search-0");
  });

  it("healthchecks from the probe with the image's own tools, none rather than a broken one", () => {
    expect(named("monitoring-dev-search-0").healthcheck.tests).toEqual([
      "CMD",
      "curl",
      "-fsS",
      "-o",
      "/dev/null",
      "-k",
      "-H",
      "Authorization: Basic x",
      "https://127.0.0.1:9200/_cluster/health",
    ]);
    // The exporter image has no HTTP client: no healthcheck.
    expect(named("monitoring-dev-search-exporter-0").healthcheck).toBeUndefined();
    expect(named("monitoring-dev-web-0").healthcheck.tests).toEqual([
      "CMD",
      "wget",
      "-q",
      "-O",
      "/dev/null",
      "http://127.0.0.1:8080/ready",
    ]);
    const shell: ContainerSpec = { ...webWorkload().containers[0], tools: "shell" };
    expect(healthcheckOf({ kind: "tcp", port: "http" }, shell)?.tests).toEqual([
      "CMD",
      "nc",
      "-z",
      "127.0.0.1",
      "8080",
    ]);
    expect(
      healthcheckOf({ kind: "exec", command: ["/bin/check"] }, { ...shell, tools: "none" })?.tests,
    ).toEqual(["CMD", "/bin/check"]);
    expect(
      healthcheckOf({ kind: "http", path: "/", port: "http" }, { ...shell, tools: "none" }),
    ).toBeUndefined();
  });

  it("dev volumes are freely destroyable", () => {
    for (const v of mock.ofType("docker:index/volume:Volume"))
      expect([v.protect, v.retainOnDelete]).toEqual([false, false]);
  });

  it("host access on Docker: host PID and read-only binds, still on the stack network", () => {
    const ne = named("monitoring-dev-node-exporter");
    expect(ne.pidMode).toBe("host");
    expect(ne.networksAdvanced[0].name).toBe("monitoring-dev");
    expect(ne.mounts.every((m: Obj) => m.type === "bind" && m.readOnly === true)).toBe(true);
    expect(ne.readOnly).toBe(true);
    expect(ne.ports).toEqual([]);
  });

  it("refuses a service account token (a Kubernetes-only cloud identity) instead of dropping it", () => {
    const w = webWorkload();
    w.containers[0].serviceAccountToken = {
      path: "/etc/web/token",
      audience: "sts.amazonaws.com",
      expirationSeconds: 3600,
    };
    const platform = new DockerPlatform("platform-token", {
      spec: resolveStackSpec({}, { stack: "dev", secretKeys: new Set() }),
    });
    expect(() => platform.deploy("web-token", w, new Holder("holder-token"))).toThrow(/Kubernetes only/);
  });
});

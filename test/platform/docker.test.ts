import { beforeAll, describe, expect, it } from "vitest";
import { mockStack, type MockStack } from "../helpers/mocks";

const mock: MockStack = mockStack("dev");

import * as pulumi from "@pulumi/pulumi";
import { DockerPlatform } from "../../components/platform/docker";
import { nodeExporterWorkload } from "../../components/node-exporter";
import type { Workload } from "../../components/platform/workload";
import { resolveStackSpec } from "../../stacks/resolve";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- provider input JSON

class Holder extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Holder", name, {});
  }
}

const clustered: Workload = {
  name: "peer",
  component: "test",
  kind: "stateful",
  image: "example.org/peer:0.1.0",
  replicas: 2,
  args: ["--x"],
  env: {},
  secretEnv: { PASSWORD: pulumi.secret("hunter2-secret") },
  replicaNameEnv: "REPLICA",
  files: [{ path: "/etc/peer/peer.yml", content: "k: v\n" }],
  secretFiles: [],
  ports: [{ name: "http", port: 9093, hostPort: 19093 }],
  volumes: [{ name: "data", mountPath: "/data", sizeGi: 1 }],
  scratchDirs: [],
  resources: { requests: { cpu: "50m", memory: "32Mi" }, limits: { memory: "64Mi", cpu: "500m" } },
  readiness: { path: "/-/ready", port: "http" },
  user: { uid: 65534, gid: 65534 },
  ingressFrom: [],
};

let containers: Obj[];
beforeAll(async () => {
  const spec = resolveStackSpec({}, { stack: "dev", secretKeys: new Set() });
  const platform = new DockerPlatform("platform", { spec });
  const holder = new Holder("holder");
  platform.deploy("peer", clustered, holder);
  platform.deploy("node-exporter", nodeExporterWorkload(spec.nodeExporter, "docker"), holder);
  await mock.settle();
  containers = mock.ofType("docker:index/container:Container").map((r) => r.inputs as Obj);
});

describe("docker renderer", () => {
  it("one container and one named volume per replica, stack-scoped names, stable aliases", () => {
    const names = containers.map((c) => c.name).sort();
    expect(names).toEqual(["monitoring-dev-node-exporter", "monitoring-dev-peer-0", "monitoring-dev-peer-1"]);
    const volumes = mock
      .ofType("docker:index/volume:Volume")
      .map((r) => (r.inputs as Obj).name)
      .sort();
    expect(volumes).toEqual(["monitoring-dev-peer-0-data", "monitoring-dev-peer-1-data"]);
    const peer1 = containers.find((c) => c.name === "monitoring-dev-peer-1")!;
    expect(peer1.networksAdvanced[0]).toEqual({ name: "monitoring-dev", aliases: ["peer", "peer-1"] });
    expect(peer1.envs).toContain("REPLICA=peer-1");
  });

  it("published ports bind to 127.0.0.1, one host port per replica", () => {
    const ports = containers.filter((c) => c.name.includes("peer")).map((c) => c.ports[0]);
    expect(ports).toEqual([
      { internal: 9093, external: 19093, ip: "127.0.0.1", protocol: "tcp" },
      { internal: 9093, external: 19094, ip: "127.0.0.1", protocol: "tcp" },
    ]);
  });

  it("limits, restart policy, healthcheck, dropped capabilities, pinned image", () => {
    const peer = containers.find((c) => c.name === "monitoring-dev-peer-0")!;
    expect(peer).toMatchObject({ memory: 64, cpus: "0.5", restart: "unless-stopped", user: "65534:65534" });
    expect(peer.capabilities).toEqual({ drops: ["ALL"] });
    expect(peer.securityOpts).toContain("no-new-privileges:true");
    expect(peer.healthcheck.tests).toEqual([
      "CMD",
      "wget",
      "-q",
      "-O",
      "/dev/null",
      "http://127.0.0.1:9093/-/ready",
    ]);
    const images = mock.ofType("docker:index/remoteImage:RemoteImage").map((r) => (r.inputs as Obj).name);
    for (const image of images) expect(image).toMatch(/:[\w.-]+$/);
  });

  it("files are uploaded, secret env stays secret", () => {
    const peer = containers.find((c) => c.name === "monitoring-dev-peer-0")!;
    expect(peer.uploads).toEqual([{ file: "/etc/peer/peer.yml", content: "k: v\n" }]);
    expect(JSON.stringify(mock.resources())).not.toContain("hunter2");
  });

  it("host access on Docker: host PID and read-only binds, still on the stack network", () => {
    const ne = containers.find((c) => c.name === "monitoring-dev-node-exporter")!;
    expect(ne.pidMode).toBe("host");
    expect(ne.networksAdvanced[0].name).toBe("monitoring-dev");
    expect(ne.mounts.every((m: Obj) => m.type === "bind" && m.readOnly === true)).toBe(true);
    expect(ne.readOnly).toBe(true);
    expect(ne.ports).toEqual([]);
  });

  it("dev volumes are not protected (freely destroyable)", () => {
    for (const v of mock.ofType("docker:index/volume:Volume"))
      expect([v.protect, v.retainOnDelete]).toEqual([false, false]);
  });
});

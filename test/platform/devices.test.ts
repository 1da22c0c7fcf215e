/**
 * Host devices in the pod model (`hostAccess.devices`), as cAdvisor uses them for /dev/kmsg: Docker gives
 * the device read-only to the declared container only; Kubernetes mounts it for a privileged container
 * and refuses it for any other (its device cgroup would keep the node closed); both declare it as a
 * read-only host path with the workload's reason.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mockStack, type MockStack } from "../helpers/mocks";

const mock: MockStack = mockStack("dev");

import * as pulumi from "@pulumi/pulumi";
import { cadvisorWorkload, KMSG } from "../../components/cadvisor";
import { DockerPlatform } from "../../components/platform/docker";
import { podTemplate, type BuildContext } from "../../components/platform/kubernetes/builders";
import { ANNOTATIONS, declaredExemptions } from "../../components/platform/platform";
import type { Workload } from "../../components/platform/workload";
import { resolveStackSpec } from "../../stacks/resolve";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- provider input JSON

class Holder extends pulumi.ComponentResource {
  constructor(name: string) {
    super("test:index:Holder", name, {});
  }
}

const spec = resolveStackSpec({}, { stack: "dev", secretKeys: new Set() });
const ctx: BuildContext = {
  stack: "prod",
  instance: "monitoring-prod",
  namespace: "mon-node",
  deleteClaimsWithSet: false,
};

/** A workload with a reader sidecar that gets /dev/kmsg, beside a main container that does not. */
function reader(privileged: boolean): Workload {
  const resources = { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "32Mi" } };
  return {
    name: "reader",
    component: "exporter",
    kind: "per-node",
    namespace: "privileged",
    replicas: 1,
    containers: [
      { name: "main", image: "example.org/main:1.0.0", tools: "none", args: [], resources },
      {
        name: "kmsg",
        image: "example.org/kmsg:1.0.0",
        tools: "none",
        args: [],
        resources,
        privileges: privileged
          ? { reason: "reads the kernel log through a host device", privileged: true }
          : undefined,
      },
    ],
    user: { uid: 65534, gid: 65534 },
    hostAccess: {
      reason: "reads the kernel log through a host device",
      container: "kmsg",
      mounts: [],
      devices: [KMSG],
    },
    ingressFrom: [],
  };
}

describe("Docker", () => {
  let containers: Obj[];
  beforeAll(async () => {
    const platform = new DockerPlatform("platform", { spec });
    const holder = new Holder("holder");
    platform.deploy("cadvisor", cadvisorWorkload(spec.cadvisor, "docker"), holder);
    platform.deploy("reader", reader(false), holder);
    await mock.settle();
    containers = mock.ofType("docker:index/container:Container").map((r) => r.inputs as Obj);
  });
  const named = (name: string) => containers.find((c) => c.name === name)!;
  const label = (c: Obj, key: string) =>
    (c.labels as { label: string; value: string }[]).find((l) => l.label === key)?.value;

  it("gives cAdvisor /dev/kmsg read-only and CAP_SYSLOG, declared with the reason", () => {
    const c = named("monitoring-dev-cadvisor");
    expect(c.devices).toEqual([{ hostPath: KMSG, containerPath: KMSG, permissions: "r" }]);
    expect(c.capabilities).toEqual({ drops: ["ALL"], adds: ["SYSLOG"] });
    expect(c.privileged).toBeUndefined();
    const declared = JSON.parse(label(c, ANNOTATIONS.securityExemptions)!) as Obj[];
    expect(declared).toHaveLength(1);
    expect(declared[0].exemptions).toEqual(["host-path", "run-as-root", "added-capabilities"]);
    expect(declared[0].hostPaths).toContain(`${KMSG}:ro`);
    expect(declared[0].reason).toMatch(/kernel log/);
  });

  it("gives the device to the declared container only", () => {
    expect(named("monitoring-dev-reader-kmsg").devices).toEqual([
      { hostPath: KMSG, containerPath: KMSG, permissions: "r" },
    ]);
    expect(named("monitoring-dev-reader").devices).toBeUndefined();
  });
});

describe("Kubernetes", () => {
  it("mounts the device read-only for a privileged container, as a CharDevice host path", () => {
    const pod = podTemplate(reader(true), ctx, "hash") as Obj;
    expect(pod.spec.volumes).toEqual([
      { name: "host-device-0", hostPath: { path: KMSG, type: "CharDevice" } },
    ]);
    const [main, kmsg] = pod.spec.containers as Obj[];
    expect(kmsg.volumeMounts).toEqual([{ name: "host-device-0", mountPath: KMSG, readOnly: true }]);
    expect(main.volumeMounts).toEqual([]);
    const declared = JSON.parse(pod.metadata.annotations[ANNOTATIONS.securityExemptions]) as Obj[];
    expect(declared[0]).toMatchObject({ container: "kmsg", hostPaths: [`${KMSG}:ro`] });
  });

  it("refuses a device for an unprivileged container, which could not open it", () => {
    expect(() => podTemplate(reader(false), ctx, "hash")).toThrow(
      /reader\/kmsg: host devices \(\/dev\/kmsg\) need a privileged container on Kubernetes/,
    );
  });

  it("cAdvisor on Kubernetes asks for no device and no capability: the OOM kills come from kube-state-metrics", () => {
    const w = cadvisorWorkload(spec.cadvisor, "kubernetes");
    expect(w.hostAccess?.devices).toBeUndefined();
    expect(w.containers[0].privileges?.addCapabilities).toBeUndefined();
    expect(declaredExemptions(w, { hostPorts: true })[0].hostPaths).not.toContain(`${KMSG}:ro`);
    expect(() => podTemplate(w, ctx, "hash")).not.toThrow();
  });
});

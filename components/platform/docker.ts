/**
 * Docker renderer: one network per stack, named volumes, one container per replica with its files
 * uploaded, a restart policy, a healthcheck, memory/CPU limits and ports published on the stack's
 * publish address (127.0.0.1 unless config says otherwise). Images are pinned RemoteImages.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { StackSpec } from "../../stacks/spec";
import { requireCpuCores, requireQuantityBytes } from "../../lib/units";
import {
  LABELS,
  imageVersion,
  securityExemptions,
  type DeployedWorkload,
  type Platform,
  ANNOTATIONS,
} from "./platform";
import type { Workload } from "./workload";

export interface DockerPlatformArgs {
  /** The resolved stack spec (engine address, publish address, name prefix, protection). */
  spec: StackSpec;
}

export class DockerPlatform extends pulumi.ComponentResource implements Platform {
  readonly name = "docker" as const;
  readonly provider: docker.Provider;
  readonly network: docker.Network;
  private readonly spec: StackSpec;

  constructor(name: string, args: DockerPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:platform:Docker", name, {}, opts);
    this.spec = args.spec;
    this.provider = new docker.Provider(
      `${name}-provider`,
      { host: args.spec.docker.host },
      { parent: this },
    );
    this.network = new docker.Network(
      `${name}-network`,
      {
        name: args.spec.namePrefix,
        driver: "bridge",
        labels: this.labels({ [LABELS.partOf]: "monitoring" }),
      },
      { parent: this, provider: this.provider },
    );
    this.registerOutputs({ network: this.network.name });
  }

  private labels(extra: Record<string, string>): docker.types.input.NetworkLabel[] {
    return Object.entries({ [LABELS.stack]: this.spec.stack, [LABELS.managedBy]: "pulumi", ...extra }).map(
      ([label, value]) => ({ label, value }),
    );
  }

  serviceAddress(workloadName: string, port: number): string {
    return `${workloadName}:${port}`;
  }

  replicaAddresses(workloadName: string, replicas: number, port: number): string[] {
    return Array.from({ length: replicas }, (_, i) => `${workloadName}-${i}:${port}`);
  }

  namespaceOf(): string {
    return "";
  }

  deploy(name: string, w: Workload, parent: pulumi.Resource): DeployedWorkload {
    const opts = { parent, provider: this.provider };
    const keepData = this.spec.environment === "prod" && !this.spec.ephemeral;
    const image = new docker.RemoteImage(`${name}-image`, { name: w.image, keepLocally: true }, opts);
    const replicas = w.kind === "per-node" ? 1 : w.replicas;
    const h = w.hostAccess;
    const labels = this.labels({
      [LABELS.name]: w.name,
      [LABELS.instance]: this.spec.namePrefix,
      [LABELS.component]: w.component,
      [LABELS.partOf]: "monitoring",
      [LABELS.version]: imageVersion(w.image),
      ...(securityExemptions(w) ? { [ANNOTATIONS.securityExemptions]: securityExemptions(w)! } : {}),
    });
    const memoryMb = Math.ceil(requireQuantityBytes(w.resources.limits.memory) / 2 ** 20);
    const cpus = w.resources.limits.cpu ? String(requireCpuCores(w.resources.limits.cpu)) : undefined;
    const readiness = w.readiness ?? w.liveness;
    const healthPort = readiness && w.ports.find((p) => p.name === readiness.port);

    const containers: docker.Container[] = [];
    for (let i = 0; i < replicas; i++) {
      const single = w.kind !== "stateful";
      const suffix = single ? "" : `-${i}`;
      const containerName = `${this.spec.namePrefix}-${w.name}${suffix}`;
      const volumes = w.volumes.map(
        (v) =>
          new docker.Volume(
            `${name}-${v.name}${suffix}-volume`,
            { name: `${containerName}-${v.name}`, labels: this.labels({ [LABELS.name]: w.name }) },
            { ...opts, retainOnDelete: keepData, protect: keepData },
          ),
      );
      const envs: pulumi.Input<string>[] = Object.entries(w.env).map(
        ([k, v]) => pulumi.interpolate`${k}=${v}`,
      );
      if (w.replicaNameEnv) envs.push(`${w.replicaNameEnv}=${w.name}${single ? "" : `-${i}`}`);
      for (const [k, v] of Object.entries(w.secretEnv))
        envs.push(pulumi.secret(pulumi.interpolate`${k}=${v}`));
      const uploads: docker.types.input.ContainerUpload[] = [
        ...w.files.map((f) => ({ file: f.path, content: f.content })),
        ...w.secretFiles.map((f) => ({
          file: f.path,
          content: pulumi.secret(f.content),
          permissions: "0440",
        })),
      ];
      containers.push(
        new docker.Container(
          `${name}${suffix}-container`,
          {
            name: containerName,
            image: image.imageId,
            command: w.args,
            entrypoints: w.command,
            envs,
            labels,
            uploads,
            user: h?.runAsRoot ? "0:0" : `${w.user.uid}:${w.user.gid}`,
            restart: "unless-stopped",
            memory: memoryMb,
            cpus,
            privileged: h?.privileged || undefined,
            pidMode: h?.hostPid ? "host" : undefined,
            capabilities: { drops: ["ALL"] },
            securityOpts: ["no-new-privileges:true"],
            // Docker cannot copy uploads into a read-only root filesystem, so only file-less containers get one.
            readOnly: uploads.length === 0 && !h?.writableRootFilesystem,
            networksAdvanced: [{ name: this.network.name, aliases: [w.name, `${w.name}-${i}`] }],
            mounts: [
              ...w.volumes.map((v, j) => ({ type: "volume", source: volumes[j].name, target: v.mountPath })),
              ...(h?.mounts ?? []).map((m) => ({
                type: "bind",
                source: m.hostPath,
                target: m.mountPath,
                readOnly: m.readOnly,
              })),
            ],
            tmpfs: Object.fromEntries(w.scratchDirs.map((d) => [d, "rw,noexec,nosuid,size=64m"])),
            ports: w.ports
              .filter((p) => p.hostPort !== undefined)
              .map((p) => ({
                internal: p.port,
                external: p.hostPort! + i,
                ip: this.spec.docker.publishAddress,
                protocol: (p.protocol ?? "TCP").toLowerCase(),
              })),
            healthcheck:
              readiness && healthPort
                ? {
                    tests: [
                      "CMD",
                      "wget",
                      "-q",
                      "-O",
                      "/dev/null",
                      `http://127.0.0.1:${healthPort.port}${readiness.path}`,
                    ],
                    interval: `${readiness.periodSeconds ?? 15}s`,
                    timeout: `${readiness.timeoutSeconds ?? 5}s`,
                    retries: readiness.failureThreshold ?? 3,
                    startPeriod: "30s",
                  }
                : undefined,
            logDriver: "json-file",
            logOpts: { "max-size": "10m", "max-file": "3" },
          },
          { ...opts, dependsOn: [this.network, ...volumes] },
        ),
      );
    }
    return { address: (port: number) => `${w.name}:${port}`, resources: containers };
  }
}

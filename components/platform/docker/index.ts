/**
 * Docker platform: one network per stack, named volumes, one container per pod container and replica,
 * a restart policy, a healthcheck from the readiness probe, memory/CPU limits and ports published on
 * the stack's publish address (127.0.0.1 unless config says otherwise). Images are pinned RemoteImages.
 *
 * Every physical name is fixed and the Docker provider replaces a container for almost any change
 * (pulumi-docker bridges kreuzwerker/terraform-provider-docker, whose container arguments are ForceNew),
 * so containers, volumes and the network are delete-before-replace: a create-first replacement would
 * collide with the old object's name.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { StackSpec } from "../../../stacks/spec";
import { configHash } from "../config-hash";
import { LABELS, type DeployedWorkload, type Platform, type WorkloadRef } from "../platform";
import { allContainers, mainContainer, type ContainerSpec, type Workload } from "../workload";
import {
  CONFIG_LOADER,
  CONFIG_LOADER_IMAGE,
  configMounts,
  containerLabels,
  containerName,
  dockerExemptions,
  dockerLabels,
  hasFiles,
  healthcheckOf,
  limitsOf,
  loaderScript,
  loaderUploads,
  publishedPorts,
  replicaCount,
  replicaSuffix,
  type DockerBuildContext,
} from "./builders";

export interface DockerPlatformArgs {
  /** The resolved stack spec (engine address, publish address, name prefix, protection). */
  spec: StackSpec;
}

export class DockerPlatform extends pulumi.ComponentResource implements Platform {
  readonly name = "docker" as const;
  readonly provider: docker.Provider;
  readonly network: docker.Network;
  private readonly spec: StackSpec;
  private readonly ctx: DockerBuildContext;
  /** Containers of deployed workloads, by workload name, for `after` ordering. */
  private readonly deployed = new Map<string, pulumi.Resource[]>();

  constructor(name: string, args: DockerPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:platform:Docker", name, {}, opts);
    this.spec = args.spec;
    this.ctx = {
      namePrefix: args.spec.namePrefix,
      stack: args.spec.stack,
      publishAddress: args.spec.docker.publishAddress,
      enginePicksHostPorts: args.spec.ephemeral,
    };
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
        labels: dockerLabels(this.ctx, { [LABELS.partOf]: "monitoring" }),
      },
      { parent: this, provider: this.provider, deleteBeforeReplace: true },
    );
    this.registerOutputs({ network: this.network.name });
  }

  serviceAddress(ref: WorkloadRef, port: number): string {
    return `${ref.name}:${port}`;
  }

  replicaAddresses(ref: WorkloadRef, replicas: number, port: number): string[] {
    return Array.from({ length: replicas }, (_, i) => `${ref.name}-${i}:${port}`);
  }

  namespaceName(): string {
    return "";
  }

  private image(logical: string, ref: string, parent: pulumi.Resource): docker.RemoteImage {
    return new docker.RemoteImage(
      logical,
      { name: ref, keepLocally: true },
      { parent, provider: this.provider },
    );
  }

  deploy(name: string, w: Workload, parent: pulumi.Resource): DeployedWorkload {
    const opts = { parent, provider: this.provider };
    const replaceOpts = { ...opts, deleteBeforeReplace: true };
    const keepData = this.spec.environment === "prod" && !this.spec.ephemeral;
    const exemptions = dockerExemptions(w);
    const after = (w.after ?? []).flatMap((n) => this.deployed.get(n) ?? []);

    // Config files: a volume the one-shot loader fills (root-owned, readable by the workload's group).
    let configVolume: docker.Volume | undefined;
    let loader: docker.Container | undefined;
    if (hasFiles(w)) {
      configVolume = new docker.Volume(
        `${name}-config-volume`,
        {
          name: `${this.ctx.namePrefix}-${w.name}-config`,
          labels: dockerLabels(this.ctx, { [LABELS.name]: w.name }),
        },
        replaceOpts,
      );
      const loaderImage = this.image(`${name}-${CONFIG_LOADER}-image`, CONFIG_LOADER_IMAGE, parent);
      loader = new docker.Container(
        `${name}-config-loader`,
        {
          name: `${this.ctx.namePrefix}-${w.name}-${CONFIG_LOADER}`,
          image: loaderImage.imageId,
          entrypoints: ["sh", "-c", loaderScript(w.user.gid)],
          uploads: loaderUploads(w).map((u) => ({
            ...u,
            content: u.permissions ? pulumi.secret(u.content ?? "") : u.content,
          })),
          labels: dockerLabels(
            this.ctx,
            containerLabels(w, { name: CONFIG_LOADER, image: CONFIG_LOADER_IMAGE }, this.ctx, exemptions),
          ),
          user: "0:0",
          capabilities: { drops: ["ALL"], adds: ["CHOWN"] },
          securityOpts: ["no-new-privileges:true"],
          networkMode: "none",
          mounts: [{ type: "volume", source: configVolume.name, target: "/config" }],
          memory: 64,
          // Runs once per change and exits: Pulumi waits for it (attach), Docker does not restart it.
          attach: true,
          mustRun: false,
          restart: "no",
          logDriver: "json-file",
          logOpts: { "max-size": "1m", "max-file": "1" },
        },
        { ...replaceOpts, dependsOn: [configVolume] },
      );
    }

    const hash = configHash(w);
    const oneShot = (c: ContainerSpec) => w.kind === "job" || (w.initContainers ?? []).includes(c);
    // One RemoteImage per image reference of the workload: `${name}-image` for the main container's.
    const images = new Map<string, docker.RemoteImage>();
    const imageOf = (c: ContainerSpec) => {
      const main = mainContainer(w);
      const ref = c.image;
      if (!images.has(ref))
        images.set(
          ref,
          this.image(ref === main.image ? `${name}-image` : `${name}-${c.name}-image`, ref, parent),
        );
      return images.get(ref)!;
    };
    const created: docker.Container[] = [];
    for (let i = 0; i < replicaCount(w); i++) {
      const suffix = replicaSuffix(w, i);
      const volumes = (w.volumes ?? []).map(
        (v) =>
          new docker.Volume(
            `${name}-${v.name}${suffix}-volume`,
            {
              name: `${this.ctx.namePrefix}-${w.name}${suffix}-${v.name}`,
              labels: dockerLabels(this.ctx, { [LABELS.name]: w.name }),
            },
            { ...replaceOpts, retainOnDelete: keepData, protect: keepData },
          ),
      );
      // Init containers run first, in order; then the pod's long-running containers.
      let previous: pulumi.Resource[] = [...(loader ? [loader] : []), ...after];
      for (const c of allContainers(w)) {
        const isInit = (w.initContainers ?? []).includes(c);
        const own = c === mainContainer(w) ? "" : `-${c.name}`;
        const container = this.container(`${name}${own}${suffix}-container`, w, c, i, {
          oneShot: oneShot(c),
          image: imageOf(c),
          volumes,
          configVolume,
          exemptions,
          hash,
          opts: { ...replaceOpts, dependsOn: [this.network, ...volumes, ...previous] },
        });
        created.push(container);
        if (isInit) previous = [...previous, container];
      }
    }
    this.deployed.set(w.name, created);
    return { resources: created };
  }

  private container(
    logical: string,
    w: Workload,
    c: ContainerSpec,
    i: number,
    o: {
      oneShot: boolean;
      image: docker.RemoteImage;
      volumes: docker.Volume[];
      configVolume?: docker.Volume;
      exemptions: ReturnType<typeof dockerExemptions>;
      hash: pulumi.Output<string>;
      opts: pulumi.CustomResourceOptions;
    },
  ): docker.Container {
    const h = w.hostAccess;
    const p = c.privileges;
    // A component bug: the config refuses what needs a cloud identity (snapshots) on Docker.
    if (c.serviceAccountToken)
      throw new Error(`${w.name}/${c.name}: a service account token exists on Kubernetes only`);
    const physical = containerName(w, c, i, this.ctx);
    const envs: pulumi.Input<string>[] = Object.entries(c.env ?? {}).map(
      ([k, v]) => pulumi.interpolate`${k}=${v}`,
    );
    for (const [k, field] of Object.entries(c.fieldEnv ?? {})) {
      // Docker has no pod IP or node to read; the replica's own name stands in for the pod name.
      if (field === "pod-name") envs.push(`${k}=${w.name}${replicaSuffix(w, i)}`);
      if (field === "namespace") envs.push(`${k}=`);
    }
    for (const [k, v] of Object.entries(c.secretEnv ?? {}))
      envs.push(pulumi.secret(pulumi.interpolate`${k}=${v}`));
    const limits = limitsOf(c);
    const aliases =
      c === mainContainer(w)
        ? [w.name, `${w.name}-${i}`]
        : [`${w.name}-${c.name}`, `${w.name}-${c.name}-${i}`];
    const labels = pulumi
      .output(o.hash)
      .apply((hash) => dockerLabels(this.ctx, containerLabels(w, c, this.ctx, o.exemptions, hash)));
    const hostMounts = (c.hostMounts ?? [])
      .map((n) => h?.mounts.find((m) => m.name === n))
      .filter((m) => !!m);
    return new docker.Container(
      logical,
      {
        name: physical,
        image: o.image.imageId,
        command: c.args,
        entrypoints: c.command,
        envs,
        labels,
        user: p?.runAsRoot ? "0:0" : `${w.user.uid}:${w.user.gid}`,
        restart: o.oneShot ? "no" : "unless-stopped",
        attach: o.oneShot || undefined,
        mustRun: o.oneShot ? false : undefined,
        memory: limits.memory,
        cpus: limits.cpus,
        privileged: p?.privileged || undefined,
        pidMode: h?.hostPid && h.container === c.name ? "host" : undefined,
        capabilities: { drops: ["ALL"], adds: p?.addCapabilities?.length ? p.addCapabilities : undefined },
        securityOpts: ["no-new-privileges:true"],
        readOnly: !p?.writableRootFilesystem,
        sysctls: c === mainContainer(w) ? w.sysctls : undefined,
        ulimits: c === mainContainer(w) ? w.ulimits : undefined,
        networksAdvanced: [{ name: this.network.name, aliases }],
        mounts: [
          ...(c.volumeMounts ?? []).map((m) => {
            const index = (w.volumes ?? []).findIndex((v) => v.name === m.volume);
            if (index < 0) throw new Error(`${w.name}/${c.name}: volume ${m.volume} is not declared`);
            return {
              type: "volume",
              source: o.volumes[index].name,
              target: m.mountPath,
              readOnly: m.readOnly,
            };
          }),
          ...(o.configVolume ? configMounts(c, o.configVolume.name) : []),
          ...hostMounts.map((m) => ({
            type: "bind",
            source: m.hostPath,
            target: m.mountPath,
            readOnly: m.readOnly,
          })),
        ],
        // Read-only (cgroup permission "r"): the container may read the device, not write or create it.
        devices:
          h?.container === c.name && h.devices?.length
            ? h.devices.map((d) => ({ hostPath: d, containerPath: d, permissions: "r" }))
            : undefined,
        tmpfs: Object.fromEntries((c.scratchDirs ?? []).map((d) => [d, "rw,noexec,nosuid,size=64m"])),
        ports: publishedPorts(c, i, this.ctx),
        healthcheck: o.oneShot ? undefined : healthcheckOf(c.probes?.readiness ?? c.probes?.liveness, c),
        logDriver: "json-file",
        logOpts: { "max-size": "10m", "max-file": "3" },
      },
      o.opts,
    );
  }
}

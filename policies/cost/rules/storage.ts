/** Storage rules: per-volume size cap, the stack's total storage cap, allowed storage classes. */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { withExemptions } from "../../common/exemptions";
import { at, claimsOf, describe, dockerVolumeGi, num, rdsFacts, str, T } from "../read";
import type { CostResource } from "../read";
import { cfgBool, cfgNumber, cfgStrings, config, DEFAULTS, stringList, underTest } from "./config";

// ---- volume-size-cap ----

const volumeSizeCap: ResourceValidationPolicy = withExemptions({
  name: "volume-size-cap",
  description:
    "Each persistent volume (PVC, StatefulSet volume claim template, sized Docker volume) and RDS storage stays under a size cap.",
  configSchema: {
    properties: {
      maxVolumeGi: {
        type: "number",
        minimum: 1,
        default: DEFAULTS.maxVolumeGi,
        description: "Largest volume, GiB",
      },
      maxDatabaseStorageGb: {
        type: "number",
        minimum: 1,
        default: DEFAULTS.maxDatabaseStorageGb,
        description: "Largest RDS allocatedStorage / maxAllocatedStorage, GB",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const cfg = config(args);
    const maxGi = cfgNumber(cfg.maxVolumeGi, DEFAULTS.maxVolumeGi);
    const maxDb = cfgNumber(cfg.maxDatabaseStorageGb, DEFAULTS.maxDatabaseStorageGb);
    const who = describe(args.type, args.name, args.props);
    for (const claim of claimsOf(args.type, args.props)) {
      if (claim.sizeGi === undefined)
        reportViolation(
          `${who} ${claim.where}: storage request ${claim.rawSize ?? "(missing)"} is not a readable size; set resources.requests.storage (e.g. "20Gi").`,
        );
      else if (claim.sizeGi > maxGi)
        reportViolation(
          `${who} ${claim.where}: volume of ${claim.rawSize} exceeds the cap of ${maxGi}Gi; shrink the volume (or shorten retention) or raise volume-size-cap.maxVolumeGi.`,
        );
    }
    if (args.type === T.dockerVolume) {
      const gi = dockerVolumeGi(args.props);
      if (gi !== undefined && gi > maxGi)
        reportViolation(
          `${who}: Docker volume size ${Number(gi.toFixed(2))}Gi exceeds the cap of ${maxGi}Gi; reduce driverOpts.size or raise volume-size-cap.maxVolumeGi.`,
        );
    }
    if (args.type === T.rdsInstance) {
      const db = rdsFacts(args.props);
      if (db.allocatedStorageGb !== undefined && db.allocatedStorageGb > maxDb)
        reportViolation(
          `${who}: allocatedStorage ${db.allocatedStorageGb} GB exceeds the cap of ${maxDb} GB; lower allocatedStorage or raise volume-size-cap.maxDatabaseStorageGb.`,
        );
      if (db.maxAllocatedStorageGb !== undefined && db.maxAllocatedStorageGb > maxDb)
        reportViolation(
          `${who}: storage autoscaling limit maxAllocatedStorage ${db.maxAllocatedStorageGb} GB exceeds the cap of ${maxDb} GB; lower maxAllocatedStorage or raise volume-size-cap.maxDatabaseStorageGb.`,
        );
    }
  },
});

// ---- total-storage-cap ----

interface StorageShare {
  urn: string;
  what: string;
  gi: number;
}

/** Every provisioned GiB in the stack: claims x replicas, sized Docker volumes, RDS allocated storage, EBS volumes. */
export function storageShares(resources: CostResource[]): StorageShare[] {
  const shares: StorageShare[] = [];
  for (const r of resources) {
    const who = describe(r.type, r.name, r.inputs);
    for (const claim of claimsOf(r.type, r.inputs))
      if (claim.sizeGi !== undefined)
        shares.push({
          urn: r.urn,
          what: `${who} ${claim.where} (${claim.count} x ${claim.rawSize})`,
          gi: claim.sizeGi * claim.count,
        });
    if (r.type === T.dockerVolume) {
      const gi = dockerVolumeGi(r.inputs);
      if (gi !== undefined) shares.push({ urn: r.urn, what: who, gi });
    }
    if (r.type === T.rdsInstance) {
      const gb = rdsFacts(r.inputs).allocatedStorageGb;
      if (gb !== undefined) shares.push({ urn: r.urn, what: `${who} allocatedStorage`, gi: gb });
    }
    if (r.type === T.ebsVolume) {
      const gb = num(r.inputs.size);
      if (gb !== undefined) shares.push({ urn: r.urn, what: who, gi: gb });
    }
  }
  return shares;
}

const totalStorageCap: StackValidationPolicy = {
  name: "total-storage-cap",
  description:
    "The stack's provisioned storage (volume claims x replicas, sized Docker volumes, RDS, EBS) stays under a total cap.",
  configSchema: {
    properties: {
      maxTotalGi: {
        type: "number",
        minimum: 1,
        default: DEFAULTS.maxTotalStorageGi,
        description: "Total storage cap, GiB",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const max = cfgNumber(config(args).maxTotalGi, DEFAULTS.maxTotalStorageGi);
    const shares = storageShares(args.resources.map(underTest));
    const total = shares.reduce((s, x) => s + x.gi, 0);
    if (total <= max) return;
    const top = [...shares]
      .sort((a, b) => b.gi - a.gi)
      .slice(0, 5)
      .map((s) => `${s.what}: ${Number(s.gi.toFixed(2))}Gi`)
      .join("; ");
    reportViolation(
      `The stack provisions ${Number(total.toFixed(2))}Gi of storage, over the cap of ${max}Gi. Largest: ${top}. Shrink volumes, replicas or retention, or raise total-storage-cap.maxTotalGi.`,
    );
  },
};

// ---- storage-class-allowlist ----

const EBS_PROVISIONERS = new Set(["ebs.csi.aws.com", "kubernetes.io/aws-ebs"]);

const storageClassAllowlist: ResourceValidationPolicy = withExemptions({
  name: "storage-class-allowlist",
  description:
    "Volumes use an allowed storage class / volume type (gp3 by default; no premium io1/io2 where not allowed).",
  configSchema: {
    properties: {
      allowedClasses: stringList("Allowed storage class names and EBS/RDS volume types", [
        ...DEFAULTS.allowedStorageClasses,
      ]),
      allowClusterDefault: {
        type: "boolean",
        default: DEFAULTS.allowClusterDefaultClass,
        description: "Accept claims without storageClassName (the cluster default class, gp2 on EKS)",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const cfg = config(args);
    const allowed = cfgStrings(cfg.allowedClasses, [...DEFAULTS.allowedStorageClasses]);
    const allowDefault = cfgBool(cfg.allowClusterDefault, DEFAULTS.allowClusterDefaultClass);
    const who = describe(args.type, args.name, args.props);
    const list_ = allowed.join(", ");
    for (const claim of claimsOf(args.type, args.props)) {
      if (claim.storageClass === undefined) {
        if (!allowDefault)
          reportViolation(
            `${who} ${claim.where}: no storageClassName, so the cluster default class is used (gp2 on EKS); set storageClassName to one of: ${list_}.`,
          );
      } else if (!allowed.includes(claim.storageClass))
        reportViolation(
          `${who} ${claim.where}: storage class "${claim.storageClass}" is not allowed; use one of: ${list_}.`,
        );
    }
    if (args.type === T.storageClass) {
      const provisioner = str(args.props.provisioner) ?? "";
      const type = str(at(args.props, "parameters", "type"));
      if (EBS_PROVISIONERS.has(provisioner) && type !== undefined && !allowed.includes(type))
        reportViolation(`${who}: provisions EBS type "${type}", which is not allowed; use one of: ${list_}.`);
    }
    if (args.type === T.rdsInstance) {
      const db = rdsFacts(args.props);
      if (!allowed.includes(db.storageType))
        reportViolation(
          `${who}: storageType "${db.storageType}"${str(args.props.storageType) ? "" : " (the AWS default when unset)"} is not allowed; set storageType to one of: ${list_}.`,
        );
    }
    if (args.type === T.ebsVolume) {
      const type = str(args.props.type) ?? "gp2";
      if (!allowed.includes(type))
        reportViolation(`${who}: EBS volume type "${type}" is not allowed; set type to one of: ${list_}.`);
    }
  },
});

export const storagePolicies = [volumeSizeCap, totalStorageCap, storageClassAllowlist];

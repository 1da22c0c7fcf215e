/** AWS rules: Single-AZ RDS where asked, allowed RDS instance classes, CloudWatch alarm count. */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { describe, rdsFacts, str, T } from "../read";
import { cfgNumber, cfgStrings, config, DEFAULTS, stringList } from "./config";

// ---- no-multi-az-rds ----

const noMultiAzRds: ResourceValidationPolicy = {
  name: "no-multi-az-rds",
  description:
    "RDS instances are Single-AZ (Multi-AZ doubles instance and storage cost); for non-production stacks.",
  configSchema: {
    properties: {
      allowedIdentifiers: stringList("RDS identifiers allowed to be Multi-AZ", []),
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== T.rdsInstance || !rdsFacts(args.props).multiAz) return;
    const allowed = cfgStrings(config(args).allowedIdentifiers, []);
    const id = str(args.props.identifier);
    if (id && allowed.includes(id)) return;
    reportViolation(
      `${describe(args.type, args.name, args.props)}: multiAz is true, which doubles instance and storage cost; set multiAz to false for this environment.`,
    );
  },
};

// ---- rds-instance-class-allowlist ----

const rdsInstanceClassAllowlist: ResourceValidationPolicy = {
  name: "rds-instance-class-allowlist",
  description: "RDS instances use an allowed instance class.",
  configSchema: {
    properties: {
      allowedClasses: stringList("Allowed RDS instance classes", [...DEFAULTS.allowedRdsInstanceClasses]),
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== T.rdsInstance && args.type !== T.rdsClusterInstance) return;
    const allowed = cfgStrings(config(args).allowedClasses, [...DEFAULTS.allowedRdsInstanceClasses]);
    const cls = str(args.props.instanceClass);
    if (cls !== undefined && allowed.includes(cls)) return;
    reportViolation(
      `${describe(args.type, args.name, args.props)}: instance class ${cls ?? "(unset)"} is not allowed; set instanceClass to one of: ${allowed.join(", ")}.`,
    );
  },
};

// ---- alarm-count-cap ----

const alarmCountCap: StackValidationPolicy = {
  name: "alarm-count-cap",
  description: "The stack declares no more CloudWatch alarms (metric and composite) than the cap.",
  configSchema: {
    properties: {
      maxAlarms: {
        type: "integer",
        minimum: 0,
        default: DEFAULTS.maxAlarms,
        description: "Alarm cap for the stack",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const max = cfgNumber(config(args).maxAlarms, DEFAULTS.maxAlarms);
    const alarms = args.resources.filter((r) => r.type === T.metricAlarm || r.type === T.compositeAlarm);
    if (alarms.length <= max) return;
    const names = alarms.slice(0, 5).map((a) => str(a.props.name) ?? a.name);
    reportViolation(
      `The stack declares ${alarms.length} CloudWatch alarms (e.g. ${names.join(", ")}), over the cap of ${max}; merge alarms (composite alarms, metric math) or raise alarm-count-cap.maxAlarms.`,
    );
  },
};

export const awsPolicies = [noMultiAzRds, rdsInstanceClassAllowlist, alarmCountCap];

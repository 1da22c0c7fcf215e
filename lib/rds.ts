/**
 * What an RDS instance class implies for alarms: vCPUs, memory, the default PostgreSQL
 * `max_connections` and whether its EBS bandwidth bursts. Pure; shared by the config section (which
 * refuses a class it cannot size) and the AWS component (which derives thresholds from it).
 *
 * Sizes follow the EC2 families RDS instance classes are built on (Amazon RDS User Guide, "DB instance
 * classes" hardware specifications): burstable t3/t4g by table; general-purpose m* with 4 GiB and
 * memory-optimised r* with 8 GiB per vCPU, `large` = 2 vCPUs and `Nxlarge` = 4N vCPUs.
 */

export interface RdsClassFacts {
  vcpu: number;
  memoryGiB: number;
  /**
   * EBS bandwidth bursts (instance sizes below 4xlarge), so RDS publishes EBSByteBalance% and
   * EBSIOBalance% (EC2 User Guide, "Amazon EBS-optimized instance types": burst for instances smaller
   * than 4xlarge).
   */
  ebsBurst: boolean;
}

const BURSTABLE: Record<string, [number, number]> = {
  micro: [2, 1],
  small: [2, 2],
  medium: [2, 4],
  large: [2, 8],
  xlarge: [4, 16],
  "2xlarge": [8, 32],
};

const GIB_PER_VCPU: Record<string, number> = { m: 4, r: 8 };
const BURSTING_SIZES = new Set(["micro", "small", "medium", "large", "xlarge", "2xlarge"]);

/** Facts of a class such as "db.t4g.small" or "db.m6g.2xlarge"; undefined for a class not modelled here. */
export function rdsClassFacts(instanceClass: string): RdsClassFacts | undefined {
  const m = /^db\.([a-z]+)(\d+)([a-z]*)\.(\w+)$/.exec(instanceClass);
  if (!m) return undefined;
  const [, family, , , size] = m;
  const ebsBurst = BURSTING_SIZES.has(size);
  if (family === "t") {
    const entry = BURSTABLE[size];
    return entry ? { vcpu: entry[0], memoryGiB: entry[1], ebsBurst } : undefined;
  }
  const perVcpu = GIB_PER_VCPU[family];
  if (perVcpu === undefined) return undefined;
  const vcpu =
    size === "large"
      ? 2
      : size === "xlarge"
        ? 4
        : /^(\d+)xlarge$/.test(size)
          ? 4 * Number(size.slice(0, -6))
          : 0;
  if (vcpu === 0) return undefined;
  return { vcpu, memoryGiB: vcpu * perVcpu, ebsBurst };
}

/** Bytes per connection in RDS for PostgreSQL's default `max_connections` = LEAST({DBInstanceClassMemory/9531392}, 5000). */
export const POSTGRES_BYTES_PER_CONNECTION = 9531392;
export const POSTGRES_MAX_CONNECTIONS_CAP = 5000;

/**
 * The default `max_connections` of RDS for PostgreSQL for a memory size (AWS Prescriptive Guidance,
 * "Tuning PostgreSQL parameters: max_connections"). DBInstanceClassMemory is the class's memory less
 * what RDS reserves for the OS and its agents, so this figure from the nominal memory is an upper bound.
 */
export function postgresDefaultMaxConnections(memoryGiB: number): number {
  return Math.min(
    Math.floor((memoryGiB * 2 ** 30) / POSTGRES_BYTES_PER_CONNECTION),
    POSTGRES_MAX_CONNECTIONS_CAP,
  );
}

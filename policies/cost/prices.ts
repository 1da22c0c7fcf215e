/**
 * The dated price table the cost estimate uses. These are AWS public ON-DEMAND LIST PRICES in USD for
 * us-west-2 as known on `asOf`, copied by hand from the pages in `sources`; they carry no discount
 * (Savings Plans, Reserved Instances, Free Tier) and no tax. Refresh them from the same pages (and
 * move `asOf`) before relying on a figure; README.md says how.
 */

export interface PriceTable {
  /** Date the figures were last checked against the sources (YYYY-MM-DD). */
  asOf: string;
  region: string;
  currency: "USD";
  /** Hours in a billing month, as AWS's own calculator counts them. */
  hoursPerMonth: number;
  sources: Record<string, string>;
  /** EBS volume storage, per GB-month (AWS's "GB" is GiB), by volume type. */
  ebsGbMonth: Record<string, number>;
  /**
   * Kubernetes compute by requested capacity. EC2 sells whole instances; these per-unit rates split
   * one general-purpose instance's hourly price between vCPU and memory (see `computeDerivation`).
   */
  compute: { vcpuHour: number; gibHour: number };
  computeDerivation: string;
  /** RDS for PostgreSQL, Single-AZ on-demand, per instance-hour. Multi-AZ (one standby) costs twice. */
  rdsPostgresHour: Record<string, number>;
  /** RDS storage, Single-AZ, per GB-month by storage type (Multi-AZ twice). */
  rdsStorageGbMonth: Record<string, number>;
  /** RDS Provisioned IOPS (io1/io2), per IOPS-month, Single-AZ. */
  rdsIopsMonth: number;
  cloudwatch: {
    /** Per alarm metric per month (an anomaly detection alarm counts 3: the metric and the band's two bounds). */
    standardAlarmMonth: number;
    highResolutionAlarmMonth: number;
    compositeAlarmMonth: number;
    /** Logs ingestion (Standard log class), per GB. */
    logsIngestionGb: number;
    /** Logs storage (archived, compressed), per GB-month. */
    logsStorageGbMonth: number;
    /** Per dashboard per month (the free tier of three dashboards is not applied, like every free tier here). */
    dashboardMonth: number;
  };
  /** Amazon Managed Service for Prometheus. */
  amp: {
    /** Samples ingested per month, tiered: USD per 10 million samples up to each tier's upper bound (samples). */
    ingestionTiers: { upTo: number; usdPer10M: number }[];
    /** Metrics storage, per GB-month. */
    storageGbMonth: number;
  };
  /** AWS KMS customer-managed key, per key-month (requests not counted: an alarm topic's and log groups' are few). */
  kmsKeyMonth: number;
  /** S3 Standard storage, first 50 TB, per GB-month (requests not counted: a nightly snapshot makes few). */
  s3StandardGbMonth: number;
}

export const PRICES: PriceTable = {
  asOf: "2026-11-01",
  region: "us-west-2",
  currency: "USD",
  hoursPerMonth: 730,
  sources: {
    ebs: "https://aws.amazon.com/ebs/pricing/",
    ec2: "https://aws.amazon.com/ec2/pricing/on-demand/",
    fargate: "https://aws.amazon.com/fargate/pricing/",
    rds: "https://aws.amazon.com/rds/postgresql/pricing/",
    cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/",
    amp: "https://aws.amazon.com/prometheus/pricing/",
    kms: "https://aws.amazon.com/kms/pricing/",
    s3: "https://aws.amazon.com/s3/pricing/",
  },
  ebsGbMonth: {
    gp3: 0.08,
    gp2: 0.1,
    io1: 0.125,
    io2: 0.125,
    st1: 0.045,
    sc1: 0.015,
    standard: 0.05,
  },
  compute: { vcpuHour: 0.03335, gibHour: 0.00366 },
  computeDerivation:
    "m6i.large (2 vCPU, 8 GiB, Linux on-demand) = $0.096/h, split in the ratio of Fargate's " +
    "per-vCPU-hour to per-GB-hour price (0.04048 / 0.004445 = 9.107): 2c + 8g = 0.096 with c = 9.107g " +
    "gives g = 0.096 / 26.214 = $0.00366 per GiB-hour and c = $0.03335 per vCPU-hour. The EKS control " +
    "plane fee ($0.10/h per cluster) is shared by the cluster's tenants and not counted here.",
  rdsPostgresHour: {
    "db.t4g.micro": 0.016,
    "db.t4g.small": 0.032,
    "db.t4g.medium": 0.065,
    "db.t4g.large": 0.129,
    "db.t4g.xlarge": 0.258,
    "db.m6g.large": 0.159,
    "db.m6g.xlarge": 0.318,
    "db.m6g.2xlarge": 0.636,
  },
  rdsStorageGbMonth: { gp3: 0.115, gp2: 0.115, io1: 0.125, io2: 0.125 },
  rdsIopsMonth: 0.1,
  cloudwatch: {
    standardAlarmMonth: 0.1,
    highResolutionAlarmMonth: 0.3,
    compositeAlarmMonth: 0.5,
    logsIngestionGb: 0.5,
    logsStorageGbMonth: 0.03,
    dashboardMonth: 3,
  },
  // AMP tiers, the dashboard and the KMS key-month were added from the pricing pages in `sources` as
  // their author knew them, without re-reading the pages (no network where they were added): check them.
  amp: {
    ingestionTiers: [
      { upTo: 2e9, usdPer10M: 0.9 },
      { upTo: 252e9, usdPer10M: 0.35 },
      { upTo: 1002e9, usdPer10M: 0.16 },
      { upTo: Infinity, usdPer10M: 0.1 },
    ],
    storageGbMonth: 0.03,
  },
  kmsKeyMonth: 1,
  // Added like the AMP figures above, from the page in `sources` as known, without re-reading it: check it.
  s3StandardGbMonth: 0.023,
};

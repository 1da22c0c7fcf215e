/**
 * An encrypted Amazon RDS PostgreSQL instance for Grafana's shared state (HA replicas, sessions,
 * alerting state): private subnets, a security group that admits only the cluster, customer-managed
 * KMS key, TLS enforced, automated backups, Multi-AZ and deletion protection in prod.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { GrafanaDatabase } from "../../stacks/spec";

export const GRAFANA_DB_NAME = "grafana";
export const GRAFANA_DB_USER = "grafana";

export interface GrafanaRdsArgs {
  /** The resolved RDS settings (network, class, storage, backups, Multi-AZ, deletion protection). */
  database: Extract<GrafanaDatabase, { type: "rds" }>;
  /** Physical-name prefix scoped by stack, e.g. "monitoring-prod". */
  namePrefix: string;
  /** Short-lived stack: no final snapshot, short KMS deletion window, nothing protected. */
  ephemeral: boolean;
  /** Cost-allocation tags on every AWS resource. */
  tags: Record<string, string>;
  /** Log types exported to CloudWatch Logs ("postgresql", "upgrade"); none when AWS monitoring is off. */
  logExports?: string[];
  /** The export log groups (retention, key): created first, or RDS creates them without either. */
  logGroups?: pulumi.Resource[];
}

export class GrafanaRds extends pulumi.ComponentResource {
  /** Host name of the instance. */
  readonly address: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** Generated master password (secret). */
  readonly password: pulumi.Output<string>;

  constructor(name: string, args: GrafanaRdsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:grafana:RdsDatabase", name, {}, opts);
    const db = args.database;
    const keep = db.deletionProtection;
    const tags = { ...args.tags, Name: `${args.namePrefix}-grafana` };
    const identifier = `${args.namePrefix}-grafana`;

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the Grafana database of ${args.namePrefix}`,
        enableKeyRotation: true,
        deletionWindowInDays: args.ephemeral ? 7 : 30,
        tags,
      },
      { parent: this, protect: keep },
    );
    const subnets = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      {
        name: identifier,
        description: "Private subnets for the Grafana database",
        subnetIds: db.subnetIds,
        tags,
      },
      { parent: this },
    );
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        name: `${identifier}-db`,
        description: "Admits PostgreSQL from the monitoring cluster only",
        vpcId: db.vpcId,
        ingress: [
          ...(db.allowedSecurityGroupIds.length > 0
            ? [
                {
                  description: "PostgreSQL from the cluster's nodes/pods",
                  protocol: "tcp",
                  fromPort: 5432,
                  toPort: 5432,
                  securityGroups: db.allowedSecurityGroupIds,
                },
              ]
            : []),
          ...(db.allowedCidrs.length > 0
            ? [
                {
                  description: "PostgreSQL from the cluster's network",
                  protocol: "tcp",
                  fromPort: 5432,
                  toPort: 5432,
                  cidrBlocks: db.allowedCidrs,
                },
              ]
            : []),
        ],
        // The database initiates nothing.
        egress: [],
        tags,
      },
      { parent: this },
    );
    const params = new aws.rds.ParameterGroup(
      `${name}-params`,
      {
        name: `${identifier}-pg${db.engineVersion.split(".")[0]}`,
        family: `postgres${db.engineVersion.split(".")[0]}`,
        description: "Grafana database: TLS only, slow statements logged",
        parameters: [
          { name: "rds.force_ssl", value: "1" },
          { name: "log_min_duration_statement", value: "1000" },
        ],
        tags,
      },
      { parent: this },
    );
    // RDS rejects '/', '@', '"' and spaces in master passwords.
    const password = new random.RandomPassword(
      `${name}-password`,
      { length: 32, special: true, overrideSpecial: "!#%^*-_=+" },
      { parent: this },
    );
    const instance = new aws.rds.Instance(
      `${name}-instance`,
      {
        identifier,
        engine: "postgres",
        engineVersion: db.engineVersion,
        instanceClass: db.instanceClass,
        allocatedStorage: db.allocatedStorageGi,
        maxAllocatedStorage: db.allocatedStorageGi * 5,
        storageType: "gp3",
        storageEncrypted: true,
        kmsKeyId: key.arn,
        dbName: GRAFANA_DB_NAME,
        username: GRAFANA_DB_USER,
        password: password.result,
        dbSubnetGroupName: subnets.name,
        vpcSecurityGroupIds: [securityGroup.id],
        parameterGroupName: params.name,
        publiclyAccessible: false,
        multiAz: db.multiAz,
        backupRetentionPeriod: db.backupRetentionDays,
        backupWindow: "03:00-04:00",
        maintenanceWindow: "sun:04:30-sun:05:30",
        copyTagsToSnapshot: true,
        deletionProtection: db.deletionProtection,
        skipFinalSnapshot: !keep,
        finalSnapshotIdentifier: keep ? `${identifier}-final` : undefined,
        autoMinorVersionUpgrade: true,
        caCertIdentifier: "rds-ca-rsa2048-g1",
        enabledCloudwatchLogsExports: args.logExports?.length ? args.logExports : undefined,
        tags,
      },
      {
        parent: this,
        protect: keep,
        dependsOn: args.logGroups ?? [],
        customTimeouts: { create: "40m", update: "80m", delete: "40m" },
      },
    );
    this.address = instance.address;
    this.port = instance.port;
    this.password = pulumi.secret(password.result);
    this.registerOutputs({ address: this.address, port: this.port });
  }
}

/**
 * `monitoring:aws`: what the stack does in AWS when it has an `aws:region` — alarm routing (SNS topic
 * encrypted with a customer-managed key, subscriptions), CloudWatch alarms on what the stack owns or is
 * told about (Grafana's RDS database, the EKS cluster's nodes, load balancers, the AMP workspace, extra
 * alarms), log groups, a dashboard, and IAM roles for the pods (IRSA). Resolved after grafana and
 * prometheus, whose specs it reads (RDS class and storage, the AMP switch and the declared load).
 */
import { z } from "zod";
import { postgresDefaultMaxConnections, rdsClassFacts } from "../../lib/rds";
import { checkSecretRef } from "../errors";
import { secretRef } from "../fields";
import type { GrafanaSpec } from "./grafana";
import type { KubernetesSpec } from "./platform";
import { stackSlug } from "./platform";
import type { PrometheusSpec } from "./prometheus";
import type { RulesSpec } from "./rules";
import { pathIn, section, type Environment, type SectionContext } from "./section";

/** Retention values CloudWatch Logs accepts (PutRetentionPolicy `retentionInDays`). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const AWS_DEFAULTS: Record<
  Environment,
  { logRetentionDays: number; performanceLogRetentionDays: number; ampRetentionDays: number }
> = {
  dev: { logRetentionDays: 14, performanceLogRetentionDays: 3, ampRetentionDays: 30 },
  // Prod keeps a quarter of logs (incident reviews reach back weeks, audits a quarter) and AMP's own
  // default of 150 days of metrics.
  prod: { logRetentionDays: 90, performanceLogRetentionDays: 7, ampRetentionDays: 150 },
};

export type ComparisonOperator =
  | "GreaterThanThreshold"
  | "GreaterThanOrEqualToThreshold"
  | "LessThanThreshold"
  | "LessThanOrEqualToThreshold"
  | "LessThanLowerOrGreaterThanUpperThreshold"
  | "GreaterThanUpperThreshold"
  | "LessThanLowerThreshold";

/** The kinds of log group the stack creates. */
export const LOG_GROUP_KINDS = ["rds", "application", "dataplane", "host", "performance", "amp"] as const;
export type LogGroupKind = (typeof LOG_GROUP_KINDS)[number];

export type TreatMissingData = "missing" | "notBreaching" | "breaching" | "ignore";

/** One metric of an extra alarm (`m1` for a plain metric alarm; the ids the expression names for math). */
export interface ExtraAlarmMetric {
  id: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  stat: string;
}

export interface ExtraAlarmSpec {
  /** Alarm key; the physical name is `${namePrefix}-${name}`. */
  name: string;
  description: string;
  runbookUrl: string;
  /** Part of the composite "monitoring stack degraded" alarm. */
  critical: boolean;
  /** metric: one metric against a threshold; math: an expression over metrics; anomaly: outside a band. */
  kind: "metric" | "math" | "anomaly";
  metrics: ExtraAlarmMetric[];
  expression?: string;
  /** Standard deviations of the anomaly detection band. */
  bandWidth?: number;
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  comparison: ComparisonOperator;
  threshold?: number;
  treatMissingData: TreatMissingData;
}

export interface LoadBalancerSpec {
  /** ARN suffix, the `LoadBalancer` dimension value: "app/<name>/<id>" or "net/<name>/<id>". */
  name: string;
  type: "application" | "network";
  /** Target group ARN suffixes ("targetgroup/<name>/<id>"): unhealthy-host alarms per group. */
  targetGroups: string[];
  /** ALB: p90 target response time above this (seconds) alarms. */
  targetResponseTimeSeconds: number;
  /** ALB: share of requests answered with a 5XX (target or load balancer) above this alarms. */
  errorRatePercent: number;
}

export interface AwsSpec {
  region: string;
  /** Each alarm's description links `${runbookBaseUrl}/<alarm key>`. */
  runbookBaseUrl: string;
  notifications: { emails: string[]; httpsEndpointSecrets: string[] };
  /** The EKS cluster the stack runs on: Container Insights alarms and the pods' IAM roles (IRSA). */
  eks?: {
    clusterName: string;
    /** IAM OIDC provider of the cluster; roles trust exactly one service account through it. */
    oidcProviderArn?: string;
    /** The provider's issuer host and path ("oidc.eks.<region>.amazonaws.com/id/<ID>"), the condition-key prefix. */
    oidcIssuer?: string;
    /** managed: the stack installs the amazon-cloudwatch-observability add-on; prerequisite: someone did. */
    containerInsights: "managed" | "prerequisite" | "off";
    addonVersion?: string;
  };
  /** Namespace of the stack's workloads (the service accounts the roles trust). */
  namespace: string;
  loadBalancers: LoadBalancerSpec[];
  /** Grafana's RDS instance, when the stack creates one. */
  rds?: {
    identifier: string;
    instanceClass: string;
    allocatedStorageGi: number;
    memoryGiB: number;
    maxConnections: number;
    maxConnectionsSource: string;
    ebsBurst: boolean;
    logExports: ("postgresql" | "upgrade")[];
  };
  logs: {
    retentionDays: number;
    performanceRetentionDays: number;
    /** Declared GB ingested per month by kind of log group, for the cost estimate (tag expected-ingest-gb-month). */
    expectedIngestGbPerMonth: Partial<Record<LogGroupKind, number>>;
  };
  /** The AMP workspace, when prometheus.remoteWrite.amp is on. */
  amp?: { retentionDays: number; samplesPerSecond: number };
  alarms: { extra: ExtraAlarmSpec[] };
  dashboard: boolean;
}

// ---- schema --------------------------------------------------------------------------------------

const arnPartition = "arn:aws(?:-cn|-us-gov)?";
const OIDC_PROVIDER_ARN = new RegExp(
  `^${arnPartition}:iam::\\d{12}:oidc-provider/(oidc\\.eks\\.[a-z0-9-]+\\.amazonaws\\.com(?:\\.cn)?/id/[0-9A-Fa-f]{8,64})$`,
);
const LB_SUFFIX = /^(app|net)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;
const TG_SUFFIX = /^targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;
const ELB_ARN = new RegExp(
  `^${arnPartition}:elasticloadbalancing:[a-z0-9-]+:\\d{12}:(?:loadbalancer/)?((?:app|net)/[^/]+/[0-9a-f]{16}|targetgroup/[^/]+/[0-9a-f]{16})$`,
);

/** An ELB ARN or its suffix; resolves to the suffix CloudWatch dimensions use. */
const elbRef = (suffix: RegExp, what: string) =>
  z.string().superRefine((s, ctx) => {
    const m = ELB_ARN.exec(s);
    const value = m ? m[1] : s;
    if (!suffix.test(value))
      ctx.addIssue({
        code: "custom",
        input: s,
        message: `expected the ${what} ARN (arn:aws:elasticloadbalancing:...) or its suffix`,
      });
  });
const elbSuffix = (s: string) => ELB_ARN.exec(s)?.[1] ?? s;

const STATISTIC = /^(SampleCount|Average|Sum|Minimum|Maximum|p(\d{1,2}(\.\d{1,2})?|100))$/;

const metricSchema = z.strictObject({
  namespace: z
    .string()
    .regex(/^[^:][\w./#:-]{0,254}$/, { message: "expected a metric namespace such as AWS/EC2" }),
  metricName: z.string().min(1).max(255),
  dimensions: z.record(z.string().min(1).max(255), z.string().min(1).max(1024)).optional(),
  statistic: z.string().regex(STATISTIC, {
    message: "expected SampleCount, Average, Sum, Minimum, Maximum or a percentile such as p99",
  }),
});

const THRESHOLD_OPERATORS = [
  "GreaterThanThreshold",
  "GreaterThanOrEqualToThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
] as const;
const BAND_OPERATORS = [
  "LessThanLowerOrGreaterThanUpperThreshold",
  "GreaterThanUpperThreshold",
  "LessThanLowerThreshold",
] as const;

const extraAlarmSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: "expected a lowercase alarm key (a-z, 0-9, -)" }),
  description: z.string().min(1).max(512),
  runbookUrl: z.url({ protocol: /^https?$/ }).optional(),
  critical: z.boolean().optional(),
  /** A metric alarm (threshold), or with anomalyDetection a band alarm. */
  metric: metricSchema.optional(),
  /** Metric math: the expression and the metrics it names by id. */
  expression: z.string().min(1).max(1024).optional(),
  metrics: z
    .record(
      z.string().regex(/^[a-z][a-zA-Z0-9_]*$/, { message: "expected a metric id such as m1" }),
      metricSchema,
    )
    .optional(),
  anomalyDetection: z.strictObject({ bandWidth: z.number().positive().max(10).optional() }).optional(),
  comparison: z.enum([...THRESHOLD_OPERATORS, ...BAND_OPERATORS]),
  threshold: z.number().optional(),
  period: z.number().int(),
  evaluationPeriods: z.number().int().min(1),
  datapointsToAlarm: z.number().int().min(1).optional(),
  treatMissingData: z.enum(["missing", "notBreaching", "breaching", "ignore"]).optional(),
});

const awsSchema = z.strictObject({
  /** On by default when the stack has aws:region. */
  enabled: z.boolean().optional(),
  runbookBaseUrl: z.url({ protocol: /^https?$/, message: "expected an http(s) URL" }).optional(),
  notifications: z
    .strictObject({
      emails: z.array(z.email({ message: "expected an email address" })).optional(),
      /** Secret config keys holding HTTPS endpoint URLs (they often embed an integration key). */
      httpsEndpointSecrets: z.array(secretRef).optional(),
    })
    .optional(),
  eks: z
    .strictObject({
      clusterName: z
        .string()
        .regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, { message: "expected an EKS cluster name" }),
      oidcProviderArn: z
        .string()
        .regex(OIDC_PROVIDER_ARN, {
          message:
            "expected the cluster's IAM OIDC provider ARN, arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID>",
        })
        .optional(),
      containerInsights: z.enum(["managed", "prerequisite", "off"]).optional(),
      /** Pinned add-on version when managed, e.g. "v4.1.0-eksbuild.1". */
      addonVersion: z
        .string()
        .regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, {
          message: 'expected a pinned add-on version such as "v4.1.0-eksbuild.1"',
        })
        .optional(),
    })
    .optional(),
  loadBalancers: z
    .array(
      z.strictObject({
        arn: elbRef(LB_SUFFIX, "load balancer (application or network)"),
        targetGroups: z.array(elbRef(TG_SUFFIX, "target group")).optional(),
        targetResponseTimeSeconds: z.number().positive().max(600).optional(),
        errorRatePercent: z.number().positive().max(100).optional(),
      }),
    )
    .optional(),
  rds: z
    .strictObject({
      /** The effective max_connections (`SHOW max_connections`), when the class formula does not hold. */
      maxConnections: z.number().int().min(1).max(262143).optional(),
      /** Memory of a class this program does not know, in GiB. */
      memoryGiB: z.number().positive().max(24576).optional(),
      logExports: z.array(z.enum(["postgresql", "upgrade"])).optional(),
    })
    .optional(),
  logs: z
    .strictObject({
      retentionDays: z.number().int().optional(),
      /** Container Insights performance events (metrics are extracted on ingestion; the events are rarely read). */
      performanceRetentionDays: z.number().int().optional(),
      /** GB each kind of log group is expected to ingest per month (cost estimate and log-ingestion-cap). */
      expectedIngestGbPerMonth: z
        .partialRecord(z.enum(LOG_GROUP_KINDS), z.number().nonnegative().max(1e6))
        .optional(),
    })
    .optional(),
  amp: z.strictObject({ retentionDays: z.number().int().min(1).max(1095).optional() }).optional(),
  alarms: z.strictObject({ extra: z.array(extraAlarmSchema).optional() }).optional(),
  dashboard: z.boolean().optional(),
});

// ---- resolve -------------------------------------------------------------------------------------

function earlier<T>(ctx: SectionContext, key: string): T {
  const spec = ctx.resolved[key];
  // SECTIONS lists aws after the sections it reads.
  if (spec === undefined) throw new Error(`monitoring:aws resolves after monitoring:${key}`);
  return spec as T;
}

/** Period rules of PutMetricAlarm: 10, 20, 30 or a multiple of 60; at most one day of periods (7 days from 1 h). */
function periodProblem(period: number, evaluationPeriods: number): string | undefined {
  if (![10, 20, 30].includes(period) && (period < 60 || period % 60 !== 0))
    return "must be 10, 20, 30 or a multiple of 60 seconds (CloudWatch PutMetricAlarm)";
  const total = period * evaluationPeriods;
  const limit = period >= 3600 ? 604800 : 86400;
  if (total > limit)
    return `x evaluationPeriods is ${total} s; CloudWatch evaluates at most ${limit === 86400 ? "one day (86400 s) for periods under an hour" : "seven days (604800 s)"}`;
  return undefined;
}

function resolveExtra(
  raw: z.infer<typeof extraAlarmSchema>,
  i: number,
  runbookBaseUrl: string,
  ctx: SectionContext,
): ExtraAlarmSpec | undefined {
  const at = (...p: PropertyKey[]) => pathIn("aws")("alarms", "extra", i, ...p);
  const problems = ctx.problems;
  const before = problems.length;
  const anomaly = raw.anomalyDetection !== undefined;
  const math = raw.expression !== undefined;
  if ([raw.metric !== undefined, math].filter(Boolean).length !== 1)
    problems.push({
      path: at(),
      message: "give either metric (with optional anomalyDetection) or expression with metrics",
    });
  if (math && !raw.metrics)
    problems.push({ path: at("metrics"), message: "names the metrics the expression uses (id -> metric)" });
  if (!math && raw.metrics)
    problems.push({
      path: at("metrics"),
      message: "is only read with expression; use metric for a single metric",
    });
  if (math && anomaly)
    problems.push({
      path: at("anomalyDetection"),
      message: "applies to a single metric, not to an expression",
    });
  if (math && raw.metrics) {
    for (const id of Object.keys(raw.metrics))
      if (!new RegExp(`\\b${id}\\b`).test(raw.expression!))
        problems.push({
          path: at("metrics", id),
          message: `is not used by the expression "${raw.expression}"`,
        });
  }
  if (/^(rds|eks|lb|amp|sns)-/.test(raw.name) || raw.name === "monitoring-stack-degraded")
    problems.push({
      path: at("name"),
      message:
        "starts like the stack's own alarms (rds-, eks-, lb-, amp-, sns-) or names its composite; choose another name",
      value: raw.name,
    });
  const band = (BAND_OPERATORS as readonly string[]).includes(raw.comparison);
  if (anomaly && !band)
    problems.push({
      path: at("comparison"),
      message: `an anomaly detection alarm compares against its band: use one of ${BAND_OPERATORS.join(", ")}`,
      value: raw.comparison,
    });
  if (!anomaly && band)
    problems.push({
      path: at("comparison"),
      message: "band comparisons need anomalyDetection",
      value: raw.comparison,
    });
  if (anomaly && raw.threshold !== undefined)
    problems.push({
      path: at("threshold"),
      message: "is not used by an anomaly detection alarm (the band is the threshold); remove it",
    });
  if (!anomaly && (raw.threshold === undefined || !Number.isFinite(raw.threshold)))
    problems.push({
      path: at("threshold"),
      message: "is required: the value the metric or expression is compared with",
    });
  const pp = periodProblem(raw.period, raw.evaluationPeriods);
  if (pp) problems.push({ path: at("period"), message: pp, value: raw.period });
  const datapoints = raw.datapointsToAlarm ?? raw.evaluationPeriods;
  if (datapoints > raw.evaluationPeriods)
    problems.push({
      path: at("datapointsToAlarm"),
      message: `must not exceed evaluationPeriods (${raw.evaluationPeriods}): it is the M of an M-out-of-N alarm`,
      value: datapoints,
    });
  if (problems.length > before) return undefined;

  const toMetric = (id: string, m: z.infer<typeof metricSchema>): ExtraAlarmMetric => ({
    id,
    namespace: m.namespace,
    metricName: m.metricName,
    dimensions: m.dimensions ?? {},
    stat: m.statistic,
  });
  return {
    name: raw.name,
    description: raw.description,
    runbookUrl: raw.runbookUrl ?? `${runbookBaseUrl}/extra/${raw.name}`,
    critical: raw.critical ?? false,
    kind: math ? "math" : anomaly ? "anomaly" : "metric",
    metrics: math
      ? Object.entries(raw.metrics!).map(([id, m]) => toMetric(id, m))
      : [toMetric("m1", raw.metric!)],
    expression: raw.expression,
    bandWidth: anomaly ? (raw.anomalyDetection!.bandWidth ?? 2) : undefined,
    period: raw.period,
    evaluationPeriods: raw.evaluationPeriods,
    datapointsToAlarm: datapoints,
    comparison: raw.comparison,
    threshold: raw.threshold,
    // CloudWatch's own default: a gap neither breaches nor clears, the alarm keeps its state.
    treatMissingData: raw.treatMissingData ?? "missing",
  };
}

function retention(value: number | undefined, fallback: number, path: string, ctx: SectionContext): number {
  if (value === undefined) return fallback;
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(value)) {
    ctx.problems.push({
      path,
      message: `is not a retention CloudWatch Logs accepts; use one of ${LOG_RETENTION_DAYS.join(", ")} days`,
      value,
    });
    return fallback;
  }
  return value;
}

function resolveAws(raw: z.infer<typeof awsSchema> | undefined, ctx: SectionContext): AwsSpec | undefined {
  const at = pathIn("aws");
  const problems = ctx.problems;
  const a = raw ?? {};
  const grafana = earlier<GrafanaSpec>(ctx, "grafana");
  const prometheus = earlier<PrometheusSpec>(ctx, "prometheus");
  const rules = earlier<RulesSpec>(ctx, "rules");
  const kubernetes = earlier<KubernetesSpec>(ctx, "kubernetes");
  const enabled = a.enabled ?? ctx.awsRegion !== undefined;
  const ampWanted = prometheus.remoteWrite?.amp === true;

  if (!enabled) {
    if (ampWanted)
      problems.push({
        path: pathIn("prometheus")("remoteWrite", "amp"),
        message:
          "creates an AMP workspace, which needs AWS: set aws:region (and leave monitoring:aws.enabled on)",
      });
    return undefined;
  }
  if (!ctx.awsRegion) {
    problems.push({
      path: at("enabled"),
      message:
        "needs aws:region: set it with `pulumi config set aws:region <region>`, or turn monitoring:aws off",
    });
    return undefined;
  }

  const eksRaw = a.eks;
  const oidcIssuer = eksRaw?.oidcProviderArn
    ? OIDC_PROVIDER_ARN.exec(eksRaw.oidcProviderArn)?.[1]
    : undefined;
  const containerInsights = eksRaw?.containerInsights ?? "prerequisite";
  if (eksRaw?.oidcProviderArn && ctx.platform !== "kubernetes")
    problems.push({
      path: at("eks", "oidcProviderArn"),
      message: 'roles for service accounts need platform "kubernetes"',
    });
  if (containerInsights === "managed") {
    if (!eksRaw?.addonVersion)
      problems.push({
        path: at("eks", "addonVersion"),
        message:
          'is required when containerInsights is "managed": pin the amazon-cloudwatch-observability version (`aws eks describe-addon-versions --addon-name amazon-cloudwatch-observability`)',
      });
    if (!eksRaw?.oidcProviderArn)
      problems.push({
        path: at("eks", "oidcProviderArn"),
        message:
          'is required when containerInsights is "managed": the CloudWatch agent gets its own role through it',
      });
  } else if (eksRaw?.addonVersion) {
    problems.push({
      path: at("eks", "addonVersion"),
      message: 'is only read when containerInsights is "managed"',
    });
  }
  if (ampWanted) {
    if (ctx.platform !== "kubernetes" || !eksRaw?.oidcProviderArn)
      problems.push({
        path: pathIn("prometheus")("remoteWrite", "amp"),
        message:
          'writes with the Prometheus pod\'s own IAM role: it needs platform "kubernetes" and monitoring:aws.eks.oidcProviderArn',
      });
  }

  for (const [i, ref] of (a.notifications?.httpsEndpointSecrets ?? []).entries())
    checkSecretRef(ref, at("notifications", "httpsEndpointSecrets", i), ctx.secretKeys, problems);

  const runbookBaseUrl = a.runbookBaseUrl ?? `${rules.runbookBaseUrl}/aws`;

  const seen = new Set<string>();
  const loadBalancers: LoadBalancerSpec[] = (a.loadBalancers ?? []).map((lb, i) => {
    const name = elbSuffix(lb.arn);
    const type = name.startsWith("app/") ? "application" : "network";
    if (seen.has(name))
      problems.push({ path: at("loadBalancers", i, "arn"), message: "is listed twice", value: lb.arn });
    seen.add(name);
    if (type === "network")
      for (const key of ["targetResponseTimeSeconds", "errorRatePercent"] as const)
        if (lb[key] !== undefined)
          problems.push({
            path: at("loadBalancers", i, key),
            message:
              "applies to application load balancers; a network load balancer publishes no HTTP metrics",
          });
    if ((lb.targetGroups ?? []).length === 0 && type === "network")
      problems.push({
        path: at("loadBalancers", i, "targetGroups"),
        message:
          "a network load balancer is watched through its target groups' host health; list at least one",
      });
    return {
      name,
      type,
      targetGroups: (lb.targetGroups ?? []).map(elbSuffix),
      // ALB TargetResponseTime is in seconds; 1 s at p90 is a starting point to tune (the AWS guidance
      // for response time says "depends on your situation").
      targetResponseTimeSeconds: lb.targetResponseTimeSeconds ?? 1,
      // AWS's recommended 5XX alarms start at about 5 % of traffic.
      errorRatePercent: lb.errorRatePercent ?? 5,
    };
  });

  let rds: AwsSpec["rds"];
  if (grafana.mode === "self-hosted" && grafana.database.type === "rds") {
    const db = grafana.database;
    const facts = rdsClassFacts(db.instanceClass);
    const memoryGiB = a.rds?.memoryGiB ?? facts?.memoryGiB;
    if (memoryGiB === undefined) {
      problems.push({
        path: at("rds", "memoryGiB"),
        message: `is required: the program does not know the memory of ${db.instanceClass} (grafana.database.rds.instanceClass), which the memory and connection alarms derive their thresholds from`,
      });
    } else {
      const derived = postgresDefaultMaxConnections(memoryGiB);
      rds = {
        identifier: `monitoring-${stackSlug(ctx.stack)}-grafana`,
        instanceClass: db.instanceClass,
        allocatedStorageGi: db.allocatedStorageGi,
        memoryGiB,
        maxConnections: a.rds?.maxConnections ?? derived,
        maxConnectionsSource: a.rds?.maxConnections
          ? "monitoring:aws.rds.maxConnections"
          : `LEAST(${memoryGiB} GiB / 9531392 B, 5000) for ${db.instanceClass}, an upper bound (RDS reserves part of the memory)`,
        ebsBurst: facts?.ebsBurst ?? false,
        logExports: a.rds?.logExports ?? ["postgresql"],
      };
    }
  } else if (a.rds) {
    problems.push({ path: at("rds"), message: 'is only read when grafana.database.type is "rds"' });
  }

  if (a.amp && !ampWanted)
    problems.push({ path: at("amp"), message: "is only read when prometheus.remoteWrite.amp is true" });

  const defaults = AWS_DEFAULTS[ctx.environment];
  const extra = (a.alarms?.extra ?? []).flatMap((x, i) => resolveExtra(x, i, runbookBaseUrl, ctx) ?? []);
  const names = new Set<string>();
  extra.forEach((x, i) => {
    if (names.has(x.name))
      problems.push({ path: at("alarms", "extra", i, "name"), message: "is used twice", value: x.name });
    names.add(x.name);
  });

  return {
    region: ctx.awsRegion,
    runbookBaseUrl,
    notifications: {
      emails: a.notifications?.emails ?? [],
      httpsEndpointSecrets: a.notifications?.httpsEndpointSecrets ?? [],
    },
    eks: eksRaw && {
      clusterName: eksRaw.clusterName,
      oidcProviderArn: eksRaw.oidcProviderArn,
      oidcIssuer,
      containerInsights,
      addonVersion: eksRaw.addonVersion,
    },
    namespace: kubernetes.namespace,
    loadBalancers,
    rds,
    logs: {
      retentionDays: retention(
        a.logs?.retentionDays,
        defaults.logRetentionDays,
        at("logs", "retentionDays"),
        ctx,
      ),
      performanceRetentionDays: retention(
        a.logs?.performanceRetentionDays,
        defaults.performanceLogRetentionDays,
        at("logs", "performanceRetentionDays"),
        ctx,
      ),
      expectedIngestGbPerMonth: a.logs?.expectedIngestGbPerMonth ?? {},
    },
    amp:
      ampWanted && prometheus.samplesPerSecond !== undefined
        ? {
            retentionDays: a.amp?.retentionDays ?? defaults.ampRetentionDays,
            samplesPerSecond: prometheus.samplesPerSecond,
          }
        : undefined,
    alarms: { extra },
    dashboard: a.dashboard ?? true,
  };
}

export const awsSection = section({ key: "aws", schema: awsSchema, resolve: resolveAws });

/**
 * The setup job (pure): the request bodies it PUTs, typed against the official client's request types
 * (`@elastic/elasticsearch`, types only) so a misspelt ILM field fails the typecheck, and the script
 * that applies them. Every request is idempotent (PUT of a named object, data view with override), so
 * the job may run again at any time.
 *
 * Retention: indices roll over daily (or at 50 GB per primary shard) and are deleted
 * `retentionDays - 1` days after rollover, so no document is older than `retentionDays` days (plus
 * ILM's 10-minute poll). The delete phase's min_age counts from rollover (Elastic, "Index lifecycle":
 * "min_age ... is calculated from the time of rollover").
 */
import type {
  ClusterPutComponentTemplateRequest,
  IlmPutLifecycleRequest,
  SlmPutLifecycleRequest,
  SnapshotS3Repository,
} from "@elastic/elasticsearch/lib/api/types";
import type { SnapshotsSpec } from "../../../stacks/spec";
import type * as pulumi from "@pulumi/pulumi";
import { ELASTICSEARCH_SETUP } from "../../../lib/elasticsearch";
import type { SecretFileSpec, Workload } from "../../platform/workload";
import {
  DATA_VIEW_ID,
  ELASTIC_USER,
  ES_USERS,
  ILM_POLICY_NAME,
  LOG_DATA_STREAMS,
  LOGS_CUSTOM_TEMPLATE,
  LOGGING_WORKLOADS,
} from "../names";

/** Body of `PUT _ilm/policy/<name>`: exactly what the client would send (path params left out). */
export type IlmPolicyBody = Required<Pick<IlmPutLifecycleRequest, "policy">>;
/** Body of `PUT _component_template/<name>`. */
export type ComponentTemplateBody = Pick<ClusterPutComponentTemplateRequest, "template" | "_meta">;

/** Body of `PUT _snapshot/<name>` for an S3 repository. */
export type S3RepositoryBody = SnapshotS3Repository;
/** Body of `PUT _slm/policy/<id>`: every field the policy needs, required here. */
export type SlmPolicyBody = Required<
  Pick<SlmPutLifecycleRequest, "schedule" | "name" | "repository" | "config" | "retention">
>;

/** Kibana's `POST /api/data_views/data_view` body (Kibana API, not the Elasticsearch client's). */
export interface DataViewBody {
  data_view: { id: string; name: string; title: string; timeFieldName: string };
  override: boolean;
}

export const ROLLOVER_MAX_AGE_DAYS = 1;
const META = { managed_by: "pulumi monitoring stack" };

export function ilmPolicyBody(retentionDays: number): IlmPolicyBody {
  if (!Number.isInteger(retentionDays) || retentionDays <= ROLLOVER_MAX_AGE_DAYS)
    throw new Error(`retentionDays must be a whole number above ${ROLLOVER_MAX_AGE_DAYS}`);
  return {
    policy: {
      _meta: { ...META, retention_days: retentionDays },
      phases: {
        hot: {
          min_age: "0ms",
          actions: {
            rollover: { max_age: `${ROLLOVER_MAX_AGE_DAYS}d`, max_primary_shard_size: "50gb" },
            set_priority: { priority: 100 },
          },
        },
        delete: {
          min_age: `${retentionDays - ROLLOVER_MAX_AGE_DAYS}d`,
          actions: { delete: {} },
        },
      },
    },
  };
}

/**
 * `logs@custom`: the hook the built-in `logs` index template (pattern logs-*-*, priority 100) composes
 * after `logs@settings` for exactly this (Elastic, "Default logs index template",
 * docs/solutions/observability/logs/logs-index-template-defaults), so every log data stream uses our
 * policy and keeps the built-in mappings and LogsDB mode; no second template competes for logs-*-*.
 */
export function logsCustomTemplateBody(replicas: number): ComponentTemplateBody {
  return {
    _meta: META,
    template: {
      settings: {
        index: {
          lifecycle: { name: ILM_POLICY_NAME },
          // A single node can never hold a replica: 0 keeps it green.
          number_of_replicas: replicas > 1 ? 1 : 0,
        },
      },
    },
  };
}

/** The snapshot repository and lifecycle policy the job registers (names are stable: PUT overwrites them). */
export const SNAPSHOT_REPOSITORY = "monitoring-s3";
export const SLM_POLICY = "monitoring-nightly";

export function s3RepositoryBody(i: { bucket: string; basePath: string }): S3RepositoryBody {
  return {
    type: "s3",
    settings: {
      bucket: i.bucket,
      base_path: i.basePath,
      // Elasticsearch sends a canned ACL with every upload ("private" unless set); a bucket with ACLs
      // disabled (BucketOwnerEnforced) accepts only this one or none (Amazon S3 User Guide, "Troubleshooting
      // Object Ownership": AccessControlListNotSupported).
      canned_acl: "bucket-owner-full-control",
    },
  };
}

/**
 * Snapshots of the log data streams with the cluster state (templates, ILM and SLM policies) and the
 * feature states (Kibana's saved objects: the data view), on `spec.schedule`; SLM deletes those older
 * than `retentionDays` days, always keeping `minCount` and never more than `maxCount`.
 */
export function slmPolicyBody(spec: SnapshotsSpec, clusterName: string): SlmPolicyBody {
  return {
    schedule: spec.schedule,
    // Date math: one name per day; SLM appends a UUID, so a retry never collides.
    name: `<${clusterName}-{now/d}>`,
    repository: SNAPSHOT_REPOSITORY,
    config: {
      indices: [LOG_DATA_STREAMS],
      include_global_state: true,
      ignore_unavailable: false,
      partial: false,
      metadata: META,
    },
    retention: {
      expire_after: `${spec.retentionDays}d`,
      min_count: spec.minCount,
      max_count: spec.maxCount,
    },
  };
}

export function dataViewBody(): DataViewBody {
  return {
    data_view: { id: DATA_VIEW_ID, name: "Logs", title: LOG_DATA_STREAMS, timeFieldName: "@timestamp" },
    override: true,
  };
}

/** Files of the job, by name. */
export const SETUP_DIR = "/etc/elasticsearch-setup";
export const SETUP_FILES = {
  ilmPolicy: ELASTICSEARCH_SETUP.ilmPolicyFile,
  logsCustom: "logs-custom-template.json",
  dataView: "data-view.json",
  snapshotRepository: "snapshot-repository.json",
  slmPolicy: "slm-policy.json",
} as const;

/**
 * The job's script: wait for Elasticsearch, apply the policy and template, register the snapshot
 * repository and its lifecycle policy (when on), the data view, and last verify the repository: every
 * node must write to the bucket with its role, so a missing permission fails the job. Registration
 * skips its own verification (`verify=false`) and the check is retried, because the job may run while
 * the nodes roll out the token and the role (an IAM change also takes a while to reach every region).
 */
export function setupScript(i: {
  esUrl: string;
  kibanaUrl: string;
  tls: boolean;
  snapshots: boolean;
}): string {
  const ca = i.tls ? ` --cacert ${SETUP_DIR}/certs/ca.crt` : "";
  return [
    "set -eu",
    `auth="${ES_USERS.elastic}:$ELASTIC_PASSWORD"`,
    `c() { curl -fsS --max-time 30${ca} -u "$auth" "$@"; }`,
    // Bounded waits: on Docker nothing else stops a one-shot container that waits forever.
    `wait_for() { for _ in $(seq 1 120); do c -o /dev/null "$1" && return 0; sleep 5; done; echo "gave up waiting for $1" >&2; return 1; }`,
    `wait_for "${i.esUrl}/_cluster/health?wait_for_status=yellow&timeout=10s"`,
    `retry() { for _ in $(seq 1 60); do "$@" && return 0; sleep 10; done; echo "gave up: $*" >&2; return 1; }`,
    `c -X PUT -H 'Content-Type: application/json' --data-binary @${SETUP_DIR}/${SETUP_FILES.ilmPolicy} "${i.esUrl}/_ilm/policy/${ILM_POLICY_NAME}"`,
    `c -X PUT -H 'Content-Type: application/json' --data-binary @${SETUP_DIR}/${SETUP_FILES.logsCustom} "${i.esUrl}/_component_template/${LOGS_CUSTOM_TEMPLATE}"`,
    ...(i.snapshots
      ? [
          `c -X PUT -H 'Content-Type: application/json' --data-binary @${SETUP_DIR}/${SETUP_FILES.snapshotRepository} "${i.esUrl}/_snapshot/${SNAPSHOT_REPOSITORY}?verify=false"`,
          `c -X PUT -H 'Content-Type: application/json' --data-binary @${SETUP_DIR}/${SETUP_FILES.slmPolicy} "${i.esUrl}/_slm/policy/${SLM_POLICY}"`,
        ]
      : []),
    // Kibana answers 503 until it has migrated its saved objects.
    `wait_for "${i.kibanaUrl}/api/status"`,
    `c -X POST -H 'Content-Type: application/json' -H 'kbn-xsrf: true' --data-binary @${SETUP_DIR}/${SETUP_FILES.dataView} "${i.kibanaUrl}/api/data_views/data_view"`,
    ...(i.snapshots
      ? [`retry c -X POST -o /dev/null "${i.esUrl}/_snapshot/${SNAPSHOT_REPOSITORY}/_verify"`]
      : []),
    "echo",
    "echo setup applied",
  ].join("\n");
}

export interface SetupInputs {
  image: string;
  retentionDays: number;
  esReplicas: number;
  esUrl: string;
  kibanaUrl: string;
  elasticPassword: pulumi.Input<string>;
  caCert?: pulumi.Input<string>;
  /** Workloads that must be up first (Docker ordering). */
  after: string[];
  /** Snapshots on: the request files (`requestFile` of s3RepositoryBody and slmPolicyBody). */
  snapshots?: { repository: string; slmPolicy: string };
}

/** A request body as the file the job sends. */
export function requestFile(body: unknown): string {
  return `${JSON.stringify(body, null, 2)}\n`;
}

export function setupWorkload(i: SetupInputs): Workload {
  const secretFiles: SecretFileSpec[] = i.caCert
    ? [{ path: `${SETUP_DIR}/certs/ca.crt`, content: i.caCert }]
    : [];
  return {
    name: LOGGING_WORKLOADS.setup,
    component: "logging",
    kind: "job",
    namespace: "restricted",
    replicas: 1,
    user: ELASTIC_USER,
    containers: [
      {
        name: LOGGING_WORKLOADS.setup,
        image: i.image,
        tools: "curl",
        command: ["bash", "-c"],
        args: [
          setupScript({
            esUrl: i.esUrl,
            kibanaUrl: i.kibanaUrl,
            tls: i.caCert !== undefined,
            snapshots: i.snapshots !== undefined,
          }),
        ],
        secretEnv: { ELASTIC_PASSWORD: i.elasticPassword },
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "128Mi" } },
        files: [
          {
            path: `${SETUP_DIR}/${SETUP_FILES.ilmPolicy}`,
            content: requestFile(ilmPolicyBody(i.retentionDays)),
          },
          {
            path: `${SETUP_DIR}/${SETUP_FILES.logsCustom}`,
            content: requestFile(logsCustomTemplateBody(i.esReplicas)),
          },
          { path: `${SETUP_DIR}/${SETUP_FILES.dataView}`, content: requestFile(dataViewBody()) },
          ...(i.snapshots
            ? [
                { path: `${SETUP_DIR}/${SETUP_FILES.snapshotRepository}`, content: i.snapshots.repository },
                { path: `${SETUP_DIR}/${SETUP_FILES.slmPolicy}`, content: i.snapshots.slmPolicy },
              ]
            : []),
        ],
        secretFiles,
      },
    ],
    ingressFrom: [],
    // Three bounded waits of about ten minutes each (Elasticsearch, Kibana, the repository check).
    job: { backoffLimit: 6, activeDeadlineSeconds: 1800 },
    after: i.after,
  };
}

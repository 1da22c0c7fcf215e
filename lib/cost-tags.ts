/**
 * Tags by which a resource declares the load its cost depends on, written by the components and read by
 * the cost pack's estimate and caps (a log group's ingestion, an AMP workspace's samples and retention).
 * Pure; TypeScript 3.8-compatible (the cost pack compiles it with the policy host's vendored compiler).
 */

/** A log group's expected ingestion, GB per month. */
export const LOG_VOLUME_TAG = "expected-ingest-gb-month";
/** An AMP workspace's expected samples per second (one replica's stream: the workspace deduplicates the HA pair). */
export const AMP_SAMPLES_TAG = "expected-samples-per-second";
/** An AMP workspace's retention in days. */
export const AMP_RETENTION_TAG = "retention-days";
/** An S3 bucket's expected stored size, GB (the Elasticsearch snapshots: what the cluster holds once, plus retained changes). */
export const SNAPSHOT_SIZE_TAG = "expected-size-gb";

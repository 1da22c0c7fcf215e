/**
 * The database exporters a pack deploys (the seeds scraped Redis :6379 and PostgreSQL :5432 directly,
 * which serve no metrics): redis_exporter and postgres_exporter as stateless workloads in the
 * restricted namespace, reachable by Prometheus only, with their passwords as secret environment
 * variables from secret config keys. Pure: the secret values come in as inputs.
 *
 * Environment variables: redis_exporter reads REDIS_ADDR, REDIS_USER and REDIS_PASSWORD;
 * postgres_exporter reads DATA_SOURCE_URI, DATA_SOURCE_USER and DATA_SOURCE_PASS (both checked
 * against the binaries of the pinned versions, redis_exporter 1.86.0 and postgres_exporter 0.19.1).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Workload } from "../components/platform/workload";
import type { PostgresExporterSpec, RedisExporterSpec } from "../stacks/spec";

export const REDIS_EXPORTER_PORT = 9121;
export const POSTGRES_EXPORTER_PORT = 9187;

/** Both upstream images are scratch/busybox builds without a shell or HTTP client: no Docker healthcheck. */
const base = (name: string): Omit<Workload, "containers"> => ({
  name,
  component: "exporter",
  kind: "stateless",
  namespace: "restricted",
  replicas: 1,
  user: { uid: 65534, gid: 65534 },
  metrics: { port: "metrics", path: "/metrics" },
  ingressFrom: ["prometheus"],
});

export function redisExporterWorkload(
  name: string,
  spec: RedisExporterSpec,
  password: pulumi.Input<string> | undefined,
): Workload {
  return {
    ...base(name),
    containers: [
      {
        name: "redis-exporter",
        image: spec.image,
        tools: "none",
        args: [`--web.listen-address=:${REDIS_EXPORTER_PORT}`],
        env: {
          REDIS_ADDR: `${spec.tls ? "rediss" : "redis"}://${spec.address}`,
          ...(spec.user ? { REDIS_USER: spec.user } : {}),
        },
        ...(password !== undefined ? { secretEnv: { REDIS_PASSWORD: password } } : {}),
        ports: [{ name: "metrics", port: REDIS_EXPORTER_PORT }],
        probes: {
          readiness: { kind: "http", path: "/health", port: "metrics" },
          liveness: { kind: "http", path: "/health", port: "metrics", periodSeconds: 30 },
        },
        resources: spec.resources,
      },
    ],
  };
}

export function postgresExporterWorkload(
  name: string,
  spec: PostgresExporterSpec,
  password: pulumi.Input<string> | undefined,
): Workload {
  return {
    ...base(name),
    containers: [
      {
        name: "postgres-exporter",
        image: spec.image,
        tools: "none",
        args: [`--web.listen-address=:${POSTGRES_EXPORTER_PORT}`],
        env: {
          DATA_SOURCE_URI: `${spec.address}/${spec.database}?sslmode=${spec.sslMode}`,
          DATA_SOURCE_USER: spec.user,
        },
        ...(password !== undefined ? { secretEnv: { DATA_SOURCE_PASS: password } } : {}),
        ports: [{ name: "metrics", port: POSTGRES_EXPORTER_PORT }],
        probes: {
          readiness: { kind: "http", path: "/", port: "metrics" },
          liveness: { kind: "http", path: "/", port: "metrics", periodSeconds: 30 },
        },
        resources: spec.resources,
      },
    ],
  };
}

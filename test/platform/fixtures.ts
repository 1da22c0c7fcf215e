/** Workloads that exercise the whole pod model, shared by the platform tests. */
import * as pulumi from "@pulumi/pulumi";
import type { ContainerSpec, Workload } from "../../components/platform/workload";

const resources = { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi", cpu: "500m" } };

/** A clustered stateful service with a privileged sysctl init step, a sidecar, plain and secret files. */
export function searchWorkload(): Workload {
  const main: ContainerSpec = {
    name: "search",
    image: "example.org/search:9.1.0",
    tools: "curl",
    args: ["--flag"],
    env: { PLAIN: "value" },
    secretEnv: { API_TOKEN: pulumi.secret("s3cr3t-token") },
    fieldEnv: { POD_NAME: "pod-name", POD_IP: "pod-ip", NODE_NAME: "node-name" },
    files: [
      { path: "/usr/share/search/config/search.yml", content: "a: 1\n" },
      { path: "/etc/search/rules/r.yml", content: "groups: []\n", reloadable: true },
    ],
    secretFiles: [
      { path: "/usr/share/search/config/users", content: pulumi.secret("admin:s3cr3t-hash") },
      { path: "/etc/search/secrets/webhook", content: pulumi.secret("https://hooks.example/s3cr3t") },
    ],
    ports: [
      { name: "http", port: 9200, hostPort: 19200 },
      { name: "transport", port: 9300, peer: true },
    ],
    probes: {
      readiness: {
        kind: "http",
        path: "/_cluster/health",
        port: "http",
        scheme: "HTTPS",
        headers: { Authorization: "Basic x" },
      },
      liveness: { kind: "tcp", port: "http" },
      startup: { kind: "exec", command: ["/bin/true"] },
    },
    resources,
    volumeMounts: [{ volume: "data", mountPath: "/usr/share/search/data" }],
    scratchDirs: ["/tmp"],
  };
  const sidecar: ContainerSpec = {
    name: "exporter",
    image: "example.org/search-exporter:1.9.0",
    tools: "none",
    args: ["--uri=https://localhost:9200"],
    ports: [{ name: "metrics", port: 9114 }],
    probes: { readiness: { kind: "http", path: "/healthz", port: "metrics" } },
    resources,
  };
  const sysctl: ContainerSpec = {
    name: "sysctl",
    image: "docker.io/library/busybox:1.37.0",
    tools: "shell",
    command: ["sysctl", "-w", "vm.max_map_count=1048576"],
    args: [],
    resources,
    privileges: {
      reason: "vm.max_map_count is a node-wide kernel setting only a privileged container can raise",
      privileged: true,
      runAsRoot: true,
    },
  };
  return {
    name: "search",
    component: "logging",
    kind: "stateful",
    namespace: "privileged",
    replicas: 3,
    containers: [main, sidecar],
    initContainers: [sysctl],
    volumes: [{ name: "data", sizeGi: 10, storageClass: "gp3" }],
    user: { uid: 1000, gid: 1000 },
    sysctls: { "net.ipv4.ip_local_port_range": "1024 65000" },
    ulimits: [{ name: "nofile", soft: 65535, hard: 65535 }],
    serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/search" },
    metrics: { port: "http", path: "/metrics" },
    ingressFrom: ["grafana"],
  };
}

/** An idempotent one-shot setup step that waits for `search`. */
export function setupJob(): Workload {
  return {
    name: "search-setup",
    component: "logging",
    kind: "job",
    namespace: "restricted",
    replicas: 1,
    containers: [
      {
        name: "setup",
        image: "example.org/curl:8.11.0",
        tools: "curl",
        command: ["sh", "/setup/run.sh"],
        args: [],
        files: [{ path: "/setup/run.sh", content: "curl -X PUT ...\n" }],
        resources,
      },
    ],
    user: { uid: 1000, gid: 1000 },
    ingressFrom: [],
    job: { backoffLimit: 6, activeDeadlineSeconds: 600 },
    after: ["search"],
  };
}

/** A stateless web service with two replicas. */
export function webWorkload(): Workload {
  return {
    name: "web",
    component: "test",
    kind: "stateless",
    namespace: "restricted",
    replicas: 2,
    containers: [
      {
        name: "web",
        image: "example.org/web:2.0.0",
        tools: "wget",
        args: [],
        ports: [{ name: "http", port: 8080, hostPort: 18080 }],
        probes: { readiness: { kind: "http", path: "/ready", port: "http" } },
        resources,
      },
    ],
    user: { uid: 1000, gid: 1000 },
    ingressFrom: ["prometheus"],
  };
}

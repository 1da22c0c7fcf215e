/**
 * Every rule of the security pack against a violating and a compliant fixture built from real provider
 * input shapes. A violation must be reported under the rule's name with a message that names the
 * resource and says how to fix it; the compliant fixture must draw no finding from that rule.
 */
import { describe, expect, it } from "vitest";
import { runPack, type PolicyReportEntry, type ResourceUnderTest } from "../../policies/common/runner";
import { policies } from "../../policies/security/policies";
import type { PolicyPackConfig } from "@pulumi/policy";
import {
  binding,
  bucketSet,
  configMap,
  dockerContainer,
  hardenedContainer,
  hardenedPodSpec,
  iamPolicy,
  iamRole,
  ingress,
  irsaTrust,
  kmsKey,
  labels,
  logGroup,
  mutate,
  networkPolicy,
  pdb,
  rdsInstance,
  remoteImage,
  resource,
  role,
  securityGroup,
  service,
  snsTopic,
  withContainer,
  withPodSpec,
  workload,
} from "./fixtures/security";

type Json = Record<string, unknown>;

interface Case {
  policy: string;
  /** What the violating fixture does wrong (test title). */
  what: string;
  bad: ResourceUnderTest[];
  /** The resource the finding must name (defaults to the first of `bad`). */
  names?: string;
  good: ResourceUnderTest[];
  config?: PolicyPackConfig;
}

const base = workload("StatefulSet", "prometheus");
const sc = (c: Json) => c.securityContext as Json;
const grafanaDeployment = (env: Json[]) =>
  workload("Deployment", "grafana", {
    ...hardenedPodSpec("grafana"),
    containers: [{ ...hardenedContainer("grafana", "docker.io/grafana/grafana:12.2.1"), env }],
  });
const dockerGrafana = (envs: string[], ini = "[security]\nadmin_user = admin\n") =>
  dockerContainer("grafana", { envs, uploads: [{ file: "/etc/grafana-config/grafana.ini", content: ini }] });

const cases: Case[] = [
  // ---- workloads -----------------------------------------------------------------------------
  {
    policy: "k8s-no-privileged-containers",
    what: "an init container runs privileged",
    bad: [
      withPodSpec(base, (s) => {
        s.initContainers = [
          {
            ...hardenedContainer("sysctl", "docker.io/library/busybox:1.37"),
            securityContext: { privileged: true },
          },
        ];
      }),
    ],
    good: [base],
  },
  {
    policy: "k8s-no-host-pid",
    what: "hostPID: true",
    bad: [withPodSpec(workload("DaemonSet", "agent"), (s) => void (s.hostPID = true))],
    good: [workload("DaemonSet", "agent")],
  },
  {
    policy: "k8s-no-host-ipc",
    what: "hostIPC: true",
    bad: [withPodSpec(workload("Pod", "debug"), (s) => void (s.hostIPC = true))],
    good: [workload("Pod", "debug")],
  },
  {
    policy: "k8s-no-host-network",
    what: "hostNetwork: true",
    bad: [withPodSpec(workload("Deployment", "proxy"), (s) => void (s.hostNetwork = true))],
    good: [workload("Deployment", "proxy")],
  },
  {
    policy: "k8s-no-host-path-volumes",
    what: "a hostPath volume",
    bad: [withPodSpec(base, (s) => void (s.volumes = [{ name: "logs", hostPath: { path: "/var/log" } }]))],
    good: [base],
  },
  {
    policy: "k8s-no-host-ports",
    what: "a hostPort",
    bad: [
      withContainer(base, (c) => void (c.ports = [{ containerPort: 9090, hostPort: 9090, name: "http" }])),
    ],
    good: [base],
  },
  {
    policy: "k8s-no-added-capabilities",
    what: "capabilities.add SYS_ADMIN",
    bad: [withContainer(base, (c) => void (sc(c).capabilities = { drop: ["ALL"], add: ["SYS_ADMIN"] }))],
    good: [
      withContainer(base, (c) => void (sc(c).capabilities = { drop: ["ALL"], add: ["NET_BIND_SERVICE"] })),
    ],
  },
  {
    policy: "k8s-capabilities-drop-all",
    what: "capabilities not dropped in a CronJob",
    bad: [withContainer(workload("CronJob", "curator"), (c) => void delete sc(c).capabilities)],
    good: [workload("CronJob", "curator")],
  },
  {
    policy: "k8s-run-as-non-root",
    what: "runAsUser 0 in the pod securityContext",
    bad: [
      withPodSpec(
        base,
        (s) => void Object.assign(s.securityContext as Json, { runAsUser: 0, runAsNonRoot: false }),
      ),
    ],
    good: [base],
  },
  {
    policy: "k8s-run-as-non-root",
    what: "runAsNonRoot unset (image user unknown) in a Job",
    bad: [
      withPodSpec(
        workload("Job", "ilm-setup"),
        (s) => void (s.securityContext = { seccompProfile: { type: "RuntimeDefault" } }),
      ),
    ],
    good: [workload("Job", "ilm-setup")],
  },
  {
    policy: "k8s-no-privilege-escalation",
    what: "allowPrivilegeEscalation unset",
    bad: [withContainer(base, (c) => void delete sc(c).allowPrivilegeEscalation)],
    good: [base],
  },
  {
    policy: "k8s-seccomp-profile",
    what: "a container overrides seccomp with Unconfined",
    bad: [withContainer(base, (c) => void (sc(c).seccompProfile = { type: "Unconfined" }))],
    good: [
      withPodSpec(
        base,
        (s) =>
          void ((s.securityContext as Json).seccompProfile = {
            type: "Localhost",
            localhostProfile: "p.json",
          }),
      ),
    ],
  },
  {
    policy: "k8s-seccomp-profile",
    what: "no seccomp profile anywhere",
    bad: [
      withPodSpec(base, (s) => {
        delete (s.securityContext as Json).seccompProfile;
        delete sc((s.containers as Json[])[0]).seccompProfile;
      }),
    ],
    good: [base],
  },
  {
    policy: "k8s-read-only-root-filesystem",
    what: "writable root filesystem",
    bad: [withContainer(base, (c) => void (sc(c).readOnlyRootFilesystem = false))],
    good: [base],
  },
  {
    policy: "k8s-resource-requests",
    what: "no cpu request",
    bad: [
      withContainer(
        base,
        (c) => void (c.resources = { requests: { memory: "128Mi" }, limits: { memory: "256Mi" } }),
      ),
    ],
    good: [base],
  },
  {
    policy: "k8s-resource-limits",
    what: "no memory limit",
    bad: [
      withContainer(
        base,
        (c) => void (c.resources = { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "1" } }),
      ),
    ],
    good: [base],
  },
  {
    policy: "k8s-health-probes",
    what: "no readiness probe",
    bad: [withContainer(base, (c) => void delete c.readinessProbe)],
    good: [base, withContainer(workload("Job", "once"), (c) => void delete c.readinessProbe)],
  },
  {
    policy: "k8s-image-pinned",
    what: "an untagged image",
    bad: [withContainer(base, (c) => void (c.image = "quay.io/prometheus/prometheus"))],
    good: [
      base,
      withContainer(base, (c) => void (c.image = "quay.io/prometheus/prometheus@sha256:" + "a".repeat(64))),
    ],
  },
  {
    policy: "k8s-image-pinned",
    what: "the :latest tag",
    bad: [withContainer(base, (c) => void (c.image = "docker.io/grafana/grafana:latest"))],
    good: [withContainer(base, (c) => void (c.image = "docker.io/grafana/grafana:12.2.1"))],
  },
  {
    policy: "k8s-image-allowed-registry",
    what: "an image from an unknown registry",
    bad: [withContainer(base, (c) => void (c.image = "registry.evil.example/prometheus:v3.5.0"))],
    good: [base, withContainer(base, (c) => void (c.image = "prom/prometheus:v3.5.0"))],
  },
  {
    policy: "k8s-image-allowed-registry",
    what: "an image outside the configured list",
    bad: [base],
    good: [withContainer(base, (c) => void (c.image = "ghcr.io/acme/prom:v1"))],
    config: { "k8s-image-allowed-registry": { allowedRegistries: ["ghcr.io/acme"] } },
  },
  // ---- services / ingress ----------------------------------------------------------------------
  {
    policy: "k8s-no-unrestricted-load-balancer",
    what: "a public LoadBalancer without source ranges",
    bad: [service("lb-open", { type: "LoadBalancer" })],
    good: [
      service("lb-ranges", { type: "LoadBalancer", loadBalancerSourceRanges: ["10.0.0.0/8"] }),
      service(
        "lb-internal",
        { type: "LoadBalancer" },
        { "service.beta.kubernetes.io/aws-load-balancer-scheme": "internal" },
      ),
    ],
  },
  {
    policy: "k8s-no-unrestricted-load-balancer",
    what: "a LoadBalancer open to 0.0.0.0/0",
    bad: [service("lb-world", { type: "LoadBalancer", loadBalancerSourceRanges: ["0.0.0.0/0"] })],
    good: [service("cluster-ip", { type: "ClusterIP" })],
  },
  {
    policy: "k8s-ingress-tls",
    what: "an Ingress host without TLS",
    bad: [ingress("grafana-plain", ["other.example.com"], ["grafana.example.com", "other.example.com"])],
    good: [ingress("grafana-tls", ["grafana.example.com"])],
  },
  {
    policy: "k8s-no-node-port",
    what: "a NodePort Service",
    bad: [service("np", { type: "NodePort" })],
    good: [service("cip", { type: "ClusterIP" })],
  },
  // ---- secrets ---------------------------------------------------------------------------------
  {
    policy: "no-secrets-in-config-files",
    what: "a Slack webhook URL in alertmanager.yml",
    bad: [
      configMap(
        "alertmanager-config",
        {
          "alertmanager.yml":
            "receivers:\n  - name: slack\n    slack_configs:\n      - api_url: https://hooks.slack.com/services/T000/B000/XXXXXXXX\n",
        },
        "alertmanager",
      ),
    ],
    good: [
      configMap(
        "alertmanager-config-ok",
        {
          "alertmanager.yml":
            "receivers:\n  - name: slack\n    slack_configs:\n      - api_url_file: /etc/alertmanager/secrets/slack-url\n",
        },
        "alertmanager",
      ),
    ],
  },
  {
    policy: "no-secrets-in-config-files",
    what: "a literal database password in grafana.ini",
    bad: [
      configMap("grafana-ini", {
        "grafana.ini": "[database]\ntype = postgres\nuser = grafana\npassword = hunter2hunter2\n",
      }),
    ],
    good: [
      configMap("grafana-ini-ok", {
        "grafana.ini":
          "[database]\ntype = postgres\npassword = $__env{GF_DATABASE_PASSWORD}\n[security]\ndisable_initial_admin_creation = false\n",
      }),
    ],
  },
  {
    policy: "no-secrets-in-config-files",
    what: "a PagerDuty routing key in an uploaded file",
    bad: [
      dockerContainer("alertmanager", {
        uploads: [
          {
            file: "/etc/alertmanager/alertmanager.yml",
            content: "pagerduty_configs:\n  - routing_key: 0123456789abcdef0123456789abcdef\n",
          },
        ],
      }),
    ],
    good: [
      dockerContainer("alertmanager", {
        uploads: [
          {
            file: "/etc/alertmanager/alertmanager.yml",
            content: "pagerduty_configs:\n  - routing_key_file: /run/secrets/pd\n",
          },
        ],
      }),
    ],
  },
  {
    policy: "no-secrets-in-env-literals",
    what: "a literal API token in a Kubernetes env var",
    bad: [
      withContainer(
        base,
        (c) =>
          void (c.env = [{ name: "GRAFANA_API_TOKEN", value: "glsa_abcdefghijklmnopqrstuvwxyz0123456789" }]),
      ),
    ],
    good: [
      withContainer(
        base,
        (c) =>
          void (c.env = [
            { name: "GRAFANA_API_TOKEN_FILE", value: "/etc/secrets/token" },
            { name: "TOKEN_TTL", value: "30s" },
          ]),
      ),
    ],
  },
  {
    policy: "no-secrets-in-env-literals",
    what: "a literal password in a Docker env entry",
    bad: [dockerContainer("logstash", { envs: ["ELASTIC_PASSWORD=changeme123"] })],
    good: [dockerContainer("logstash", { envs: ["ELASTIC_PASSWORD=${ELASTIC_PASSWORD}", "[secret]"] })],
  },
  {
    policy: "no-secrets-in-labels-annotations",
    what: "a webhook URL in a pod template annotation",
    bad: [
      mutate(base, (r) => {
        const template = (r.inputs.spec as Json).template as Json;
        (template.metadata as Json).annotations = {
          "notify/url": "https://hooks.slack.com/services/T1/B2/abcdefgh",
        };
      }),
    ],
    good: [
      mutate(base, (r) => {
        const template = (r.inputs.spec as Json).template as Json;
        (template.metadata as Json).annotations = {
          "monitoring.pulumi.io/config-hash": "5796f1a1c9a61d523ccf80fbb90a614a",
        };
      }),
    ],
  },
  {
    policy: "no-secrets-in-labels-annotations",
    what: "a token in a Docker label",
    bad: [
      dockerContainer("grafana", {
        labels: [
          { label: "app.kubernetes.io/name", value: "grafana" },
          { label: "api-token", value: "s3cr3t-t0ken-value" },
        ],
      }),
    ],
    good: [dockerContainer("grafana")],
  },
  {
    policy: "grafana-admin-password-not-default",
    what: "GF_SECURITY_ADMIN_PASSWORD=admin in a Deployment",
    bad: [grafanaDeployment([{ name: "GF_SECURITY_ADMIN_PASSWORD", value: "admin" }])],
    good: [
      grafanaDeployment([
        {
          name: "GF_SECURITY_ADMIN_PASSWORD",
          valueFrom: { secretKeyRef: { name: "grafana-env", key: "GF_SECURITY_ADMIN_PASSWORD" } },
        },
      ]),
    ],
  },
  {
    policy: "grafana-admin-password-not-default",
    what: "a Grafana Deployment without any admin password",
    bad: [grafanaDeployment([{ name: "GF_PATHS_CONFIG", value: "/etc/grafana-config/grafana.ini" }])],
    good: [grafanaDeployment([{ name: "GF_SECURITY_ADMIN_PASSWORD__FILE", value: "/etc/secrets/admin" }])],
  },
  {
    policy: "grafana-admin-password-not-default",
    what: "admin_password = admin in a grafana.ini ConfigMap",
    bad: [
      configMap("grafana-config", {
        "grafana.ini": "[security]\nadmin_user = admin\nadmin_password = admin\n",
      }),
    ],
    good: [configMap("grafana-config-ok", { "grafana.ini": "[security]\nadmin_user = admin\n" })],
  },
  {
    policy: "grafana-admin-password-not-default",
    what: "a Docker Grafana without a secret admin password",
    bad: [dockerGrafana(["GF_PATHS_CONFIG=/etc/grafana-config/grafana.ini"])],
    good: [dockerGrafana(["GF_PATHS_CONFIG=/etc/grafana-config/grafana.ini", "[secret]"])],
  },
  {
    policy: "elasticsearch-security-enabled",
    what: "xpack.security.enabled=false in env",
    bad: [
      withContainer(workload("StatefulSet", "elasticsearch"), (c) => {
        c.image = "docker.elastic.co/elasticsearch/elasticsearch:9.1.5";
        c.env = [{ name: "xpack.security.enabled", value: "false" }];
      }),
    ],
    good: [
      withContainer(workload("StatefulSet", "elasticsearch"), (c) => {
        c.env = [{ name: "xpack.security.enabled", value: "true" }];
      }),
    ],
  },
  {
    policy: "elasticsearch-security-enabled",
    what: "security off in elasticsearch.yml (nested YAML)",
    bad: [
      configMap(
        "es-config",
        { "elasticsearch.yml": "cluster.name: monitoring\nxpack:\n  security:\n    enabled: false\n" },
        "elasticsearch",
      ),
    ],
    good: [
      configMap(
        "es-config-ok",
        { "elasticsearch.yml": "cluster.name: monitoring\nxpack.security.enabled: true\n" },
        "elasticsearch",
      ),
    ],
  },
  {
    policy: "prometheus-admin-api-disabled",
    what: "--web.enable-admin-api in args",
    bad: [
      withContainer(
        base,
        (c) => void (c.args = ["--config.file=/etc/prometheus/prometheus.yml", "--web.enable-admin-api"]),
      ),
    ],
    good: [base],
  },
  {
    policy: "prometheus-admin-api-disabled",
    what: "--web.enable-admin-api in a Docker command",
    bad: [dockerContainer("prometheus", { command: ["--web.enable-admin-api"] })],
    good: [dockerContainer("prometheus")],
  },
  // ---- RBAC ------------------------------------------------------------------------------------
  {
    policy: "rbac-no-wildcards",
    what: 'verbs "*"',
    bad: [role("ClusterRole", "too-broad", [{ apiGroups: [""], resources: ["pods"], verbs: ["*"] }])],
    good: [
      role("ClusterRole", "prometheus", [
        { apiGroups: [""], resources: ["pods", "endpoints", "services"], verbs: ["get", "list", "watch"] },
      ]),
    ],
  },
  {
    policy: "rbac-no-cluster-admin-binding",
    what: "a binding to cluster-admin",
    bad: [binding("ClusterRoleBinding", "prometheus-admin", "cluster-admin")],
    good: [binding("ClusterRoleBinding", "prometheus", "prometheus")],
  },
  {
    policy: "rbac-no-unrestricted-secret-read",
    what: "list on all secrets",
    bad: [
      role("Role", "reads-secrets", [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] }]),
    ],
    good: [
      role("Role", "reads-one-secret", [
        { apiGroups: [""], resources: ["secrets"], resourceNames: ["grafana-env"], verbs: ["get"] },
      ]),
    ],
  },
  // ---- platform --------------------------------------------------------------------------------
  {
    policy: "k8s-network-policy-per-namespace",
    what: "a workload in a namespace without NetworkPolicy",
    bad: [
      workload("Deployment", "kibana", undefined, "logging"),
      networkPolicy("np-monitoring", "monitoring", "grafana"),
    ],
    good: [
      workload("Deployment", "kibana", undefined, "logging"),
      networkPolicy("np-logging", "logging", "other"),
    ],
  },
  {
    policy: "k8s-pdb-for-replicated-workloads",
    what: "2 replicas without a PDB selecting them",
    bad: [
      mutate(workload("Deployment", "grafana"), (r) => void ((r.inputs.spec as Json).replicas = 2)),
      pdb("pdb-other", "monitoring", { "app.kubernetes.io/name": "kibana" }),
    ],
    good: [
      mutate(workload("Deployment", "grafana"), (r) => void ((r.inputs.spec as Json).replicas = 2)),
      pdb("pdb-grafana", "monitoring", {
        "app.kubernetes.io/name": "grafana",
        "app.kubernetes.io/instance": "monitoring-test",
      }),
      workload("StatefulSet", "single"),
    ],
  },
  // ---- AWS -------------------------------------------------------------------------------------
  {
    policy: "aws-sns-topic-kms-encrypted",
    what: "a topic without kmsMasterKeyId",
    bad: [snsTopic("alarms", { kmsMasterKeyId: undefined })],
    good: [snsTopic("alarms-ok")],
  },
  {
    policy: "aws-log-group-kms-encrypted",
    what: "a log group without kmsKeyId",
    bad: [logGroup("grafana-logs", { kmsKeyId: undefined })],
    good: [logGroup("grafana-logs-ok")],
  },
  {
    policy: "aws-log-group-retention",
    what: "retentionInDays 0 (forever)",
    bad: [logGroup("forever-logs", { retentionInDays: 0 })],
    good: [logGroup("expiring-logs")],
  },
  {
    policy: "aws-rds-storage-encrypted",
    what: "storage encrypted without a KMS key",
    bad: [rdsInstance("db-no-kms", { kmsKeyId: undefined })],
    good: [rdsInstance("db-ok")],
  },
  {
    policy: "aws-rds-not-publicly-accessible",
    what: "publiclyAccessible: true",
    bad: [rdsInstance("db-public", { publiclyAccessible: true })],
    good: [rdsInstance("db-private")],
  },
  {
    policy: "aws-rds-deletion-protection",
    what: "deletionProtection false",
    bad: [rdsInstance("db-unprotected", { deletionProtection: false })],
    good: [rdsInstance("db-protected")],
  },
  {
    policy: "aws-iam-no-wildcard-actions",
    what: 'Action "*"',
    bad: [iamPolicy("Policy", "admin-policy", [{ Effect: "Allow", Action: "*", Resource: "*" }])],
    good: [
      iamPolicy("Policy", "amp-write", [
        {
          Effect: "Allow",
          Action: ["aps:RemoteWrite"],
          Resource: "arn:aws:aps:us-west-2:123456789012:workspace/ws-1",
        },
      ]),
    ],
  },
  {
    policy: "aws-iam-no-wildcard-actions",
    what: 'a whole-service "s3:*" action in a RolePolicy',
    bad: [
      iamPolicy("RolePolicy", "s3-all", [
        { Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::bucket/*" },
      ]),
    ],
    good: [
      iamPolicy("RolePolicy", "s3-read", [
        { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::bucket/*" },
      ]),
    ],
  },
  {
    policy: "aws-iam-no-pass-role-on-wildcard",
    what: 'iam:PassRole on "*"',
    bad: [
      iamPolicy("RolePolicy", "pass-any", [{ Effect: "Allow", Action: ["iam:PassRole"], Resource: "*" }]),
    ],
    good: [
      iamPolicy("RolePolicy", "pass-one", [
        { Effect: "Allow", Action: ["iam:PassRole"], Resource: "arn:aws:iam::123456789012:role/grafana" },
      ]),
    ],
  },
  {
    policy: "aws-kms-key-rotation",
    what: "a symmetric key without rotation",
    bad: [kmsKey("alarms-key", { enableKeyRotation: false })],
    good: [
      kmsKey("alarms-key"),
      // Asymmetric keys cannot rotate automatically: not this rule's business.
      kmsKey("signing-key", {
        enableKeyRotation: undefined,
        keyUsage: "SIGN_VERIFY",
        customerMasterKeySpec: "RSA_2048",
      }),
    ],
  },
  {
    policy: "aws-sg-no-public-database-ports",
    what: "PostgreSQL open to 0.0.0.0/0",
    bad: [
      securityGroup("db-sg", [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["0.0.0.0/0"] }]),
    ],
    good: [
      securityGroup("db-sg", [
        { protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-0a1b2c3d"] },
        { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"] },
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
      ]),
    ],
  },
  {
    policy: "aws-sg-no-public-database-ports",
    what: "every port to ::/0 through a standalone ingress rule",
    bad: [
      resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "all-v6", {
        securityGroupId: "sg-0abc",
        ipProtocol: "-1",
        cidrIpv6: "::/0",
      }),
    ],
    good: [
      resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "https-v6", {
        securityGroupId: "sg-0abc",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv6: "::/0",
      }),
    ],
  },
  {
    policy: "aws-iam-role-trust-scoped",
    what: "a role any AWS principal may assume",
    bad: [iamRole("open-role", [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }])],
    good: [
      iamRole("org-role", [
        {
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
        },
      ]),
      iamRole("service-role", [
        { Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]),
    ],
  },
  {
    policy: "aws-iam-role-trust-scoped",
    what: "an IRSA role any service account of the cluster may assume",
    bad: [iamRole("grafana-role", [irsaTrust("system:serviceaccount:monitoring:*", "StringLike")])],
    good: [iamRole("grafana-role", [irsaTrust("system:serviceaccount:monitoring:grafana")])],
  },
  {
    policy: "aws-iam-role-trust-scoped",
    what: "an IRSA role without a subject condition",
    bad: [
      iamRole("prometheus-role", [
        {
          Effect: "Allow",
          Principal: {
            Federated: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/AB12",
          },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { "oidc.eks.us-west-2.amazonaws.com/id/AB12:aud": "sts.amazonaws.com" },
          },
        },
      ]),
    ],
    good: [iamRole("prometheus-role", [irsaTrust("system:serviceaccount:monitoring:prometheus")])],
  },
  {
    policy: "aws-s3-bucket-kms-encrypted",
    what: "a bucket without an encryption configuration",
    bad: bucketSet("metrics-archive", { sse: null }),
    good: bucketSet("metrics-archive", {}),
  },
  {
    policy: "aws-s3-bucket-kms-encrypted",
    what: "a bucket with AES256 only (V2 token)",
    bad: bucketSet("metrics-archive", { sse: "AES256", v2: true }),
    good: bucketSet("metrics-archive", { v2: true }),
  },
  {
    policy: "aws-s3-public-access-blocked",
    what: "restrictPublicBuckets off",
    bad: bucketSet("metrics-archive", { pab: { restrictPublicBuckets: false } }),
    names: "metrics-archive",
    good: bucketSet("metrics-archive", {}),
  },
  {
    policy: "aws-s3-public-access-blocked",
    what: "no public access block",
    bad: bucketSet("metrics-archive", { pab: null }),
    good: bucketSet("metrics-archive", {}),
  },
  {
    policy: "aws-s3-snapshot-bucket-versioning",
    what: "a snapshot bucket without versioning",
    bad: bucketSet("es-snapshots", { versioning: null }),
    good: [...bucketSet("es-snapshots", {}), ...bucketSet("scratch", { versioning: null })],
  },
  // ---- Docker ----------------------------------------------------------------------------------
  {
    policy: "docker-no-privileged",
    what: "privileged: true",
    bad: [dockerContainer("agent", { privileged: true })],
    good: [dockerContainer("agent")],
  },
  {
    policy: "docker-no-host-namespaces",
    what: "networkMode host",
    bad: [dockerContainer("agent", { networkMode: "host" })],
    good: [dockerContainer("agent")],
  },
  {
    policy: "docker-no-host-bind-mounts",
    what: "a bind mount of /var/run/docker.sock",
    bad: [
      dockerContainer("agent", {
        mounts: [{ type: "bind", source: "/var/run/docker.sock", target: "/var/run/docker.sock" }],
      }),
    ],
    good: [dockerContainer("agent")],
  },
  {
    policy: "docker-run-as-non-root",
    what: 'user "0:0"',
    bad: [dockerContainer("agent", { user: "0:0" })],
    good: [dockerContainer("agent")],
  },
  {
    policy: "docker-run-as-non-root",
    what: "no user",
    bad: [dockerContainer("agent", { user: undefined })],
    good: [dockerContainer("agent", { user: "472:472" })],
  },
  {
    policy: "docker-capabilities-drop-all",
    what: "no capability drop and no no-new-privileges",
    bad: [dockerContainer("agent", { capabilities: undefined, securityOpts: [] })],
    good: [dockerContainer("agent")],
  },
  {
    policy: "docker-ports-loopback-only",
    what: "a port published on all interfaces",
    bad: [dockerContainer("grafana", { ports: [{ external: 3000, internal: 3000, protocol: "tcp" }] })],
    good: [dockerContainer("grafana")],
  },
  {
    policy: "docker-ports-loopback-only",
    what: "an address outside the configured list",
    bad: [dockerContainer("grafana", { ports: [{ external: 3000, internal: 3000, ip: "192.168.1.5" }] })],
    good: [dockerContainer("grafana", { ports: [{ external: 3000, internal: 3000, ip: "10.0.0.5" }] })],
    config: { "docker-ports-loopback-only": { allowedAddresses: ["127.0.0.1", "10.0.0.5"] } },
  },
  {
    policy: "docker-memory-limit",
    what: "no memory limit",
    bad: [dockerContainer("grafana", { memory: undefined })],
    good: [dockerContainer("grafana")],
  },
  {
    policy: "docker-image-pinned",
    what: "a RemoteImage on :latest",
    bad: [remoteImage("grafana-image", "docker.io/grafana/grafana:latest")],
    good: [remoteImage("grafana-image", "docker.io/grafana/grafana:12.2.1")],
  },
  {
    policy: "docker-image-pinned",
    what: "a container image by untagged name",
    bad: [dockerContainer("grafana", { image: "grafana/grafana" })],
    good: [
      dockerContainer("grafana"),
      dockerContainer("grafana", { image: "grafana/grafana@sha256:" + "b".repeat(64) }),
    ],
  },
  {
    policy: "docker-image-allowed-registry",
    what: "an image from an unknown registry",
    bad: [remoteImage("odd-image", "registry.evil.example/grafana:12.2.1")],
    good: [remoteImage("grafana-image", "docker.io/grafana/grafana:12.2.1")],
  },
];

async function findings(
  resources: ResourceUnderTest[],
  config?: PolicyPackConfig,
): Promise<PolicyReportEntry[]> {
  return runPack(
    { name: "monitoring-security", policies, enforcementLevel: "mandatory" },
    resources,
    config ?? {},
  );
}

describe("security pack: every rule, violating and compliant fixtures", () => {
  it("covers every rule of the pack (and only rules of the pack)", () => {
    const names = policies.map((p) => p.name);
    expect(new Set(cases.map((c) => c.policy))).toEqual(new Set(names));
    expect(names.length).toBeGreaterThanOrEqual(30);
    expect(new Set(names).size).toBe(names.length);
    for (const p of policies) {
      expect(p.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(p.description?.length ?? 0).toBeGreaterThan(20);
    }
  });

  it.each(cases.map((c) => [c.policy, c.what, c] as const))("%s flags %s", async (policy, _what, c) => {
    const named = c.names ?? c.bad[0].name;
    const entries = (await findings(c.bad, c.config)).filter((e) => e.policy === policy);
    expect(entries.length, `no ${policy} finding`).toBeGreaterThan(0);
    const hit = entries.find((e) => e.message.includes(`"${named}"`));
    expect(hit, JSON.stringify(entries)).toBeDefined();
    expect(hit?.message).toMatch(/Fix: /);
    expect(hit?.exempted).toBe(false);
    expect(hit?.enforcementLevel).toBe("mandatory");
  });

  it.each(cases.map((c) => [c.policy, c.what, c] as const))(
    "%s passes the compliant fixture for %s",
    async (policy, _what, c) => {
      const entries = (await findings(c.good, c.config)).filter((e) => e.policy === policy);
      expect(entries).toEqual([]);
    },
  );
});

describe("secret detection edge cases", () => {
  const env = (pairs: Array<[string, string]>) =>
    withContainer(base, (c) => void (c.env = pairs.map(([name, value]) => ({ name, value }))));
  it.each([
    ["a file path", "GF_DATABASE_PASSWORD__FILE", "/etc/secrets/db"],
    ["an env reference", "DB_PASSWORD", "$(DB_PASSWORD)"],
    ["a Grafana $__env reference", "password", "$__env{GF_DATABASE_PASSWORD}"],
    ["a boolean", "SECRET_ENABLED", "true"],
    ["the plan's secret placeholder", "API_KEY", "[secret]"],
    ["a non-secret key", "GF_PATHS_CONFIG", "/etc/grafana-config/grafana.ini"],
  ])("accepts %s", async (_what, name, value) => {
    const entries = (await findings([env([[name, value]])])).filter(
      (e) => e.policy === "no-secrets-in-env-literals",
    );
    expect(entries).toEqual([]);
  });
  it.each([
    ["an AWS access key in any var", "AWS_KEY_ID_X", "AKIAABCDEFGHIJKLMNOP"],
    ["credentials in a URL", "DATABASE_URL", "postgres://grafana:pa55word@db:5432/grafana"],
    ["a client secret", "GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET", "abc123def456"],
  ])("flags %s", async (_what, name, value) => {
    const entries = (await findings([env([[name, value]])])).filter(
      (e) => e.policy === "no-secrets-in-env-literals",
    );
    expect(entries).toHaveLength(1);
    expect(entries[0].message).toContain(name);
    expect(entries[0].message).not.toContain(value);
  });
  it("does not flag the shipped Grafana provisioning style (secure values from $__file)", async () => {
    const cm = configMap("datasources", {
      "datasources.yml":
        "datasources:\n  - name: CloudWatch\n    secureJsonData:\n      secretKey: $__file{/etc/secrets/aws-secret}\n      accessKey: $__env{AWS_ACCESS_KEY}\n",
    });
    expect((await findings([cm])).filter((e) => e.policy === "no-secrets-in-config-files")).toEqual([]);
  });
  it("labels and resource with no labels at all are fine", async () => {
    const ns = resource("kubernetes:core/v1:Namespace", "ns", {
      metadata: { name: "monitoring", labels: labels("x") },
    });
    expect(await findings([ns])).toEqual([]);
  });
});

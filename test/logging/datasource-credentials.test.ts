/**
 * The logs datasource logs in as logs_reader in every Grafana mode, and its password stays secret:
 * self-hosted on Kubernetes (TLS: the logging CA mounted and trusted), self-hosted on Docker (no TLS),
 * and an external Grafana (at logging.grafanaUrl, or at the stack's own address). The password (the
 * RandomPassword's result, awaited from the mocks) is searched for in every recorded input, where the
 * recorder replaces secrets by "[secret]": found anywhere, it sits in plain text (a ConfigMap, an env
 * literal, a label, an uploaded file, a datasource field). Where it must be, it is matched by digest.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { mockStack, type MockStack, type PlannedResource } from "../helpers/mocks";

const secrets = { grafanaToken: "glsa_token-value-1234" };
const mock: MockStack = mockStack("creds", { environment: "prod" }, secrets);

import * as pulumi from "@pulumi/pulumi";
import type { DatasourceContribution } from "../../components/contribution";
import { LOGS_DATASOURCE } from "../../components/logging";
import { MonitoringStack } from "../../components/stack";
import { secretDigest } from "../../scripts/plan/runtime";
import { SECRET_PLACEHOLDER } from "../../scripts/plan/types";
import { resolveStackSpec } from "../../stacks/resolve";

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- resource inputs

const external = (extra: Record<string, unknown> = {}) => ({
  mode: "external",
  external: {
    url: "https://example.grafana.net",
    authSecret: "grafanaToken",
    prometheusUrl: "https://prometheus.example.com",
  },
  ...extra,
});

/** The four variants, each a MonitoringStack whose resources' logical names start with its name. */
const VARIANTS = {
  // prod on Kubernetes: TLS on, self-hosted Grafana (one replica on sqlite keeps the spec small).
  k8s: { environment: "prod", grafana: { database: { type: "sqlite" }, replicas: 1 } },
  docker: { environment: "dev", docker: { publishAddress: "127.0.0.3" } },
  // An external Grafana reaching Elasticsearch at an address we do not serve.
  extUrl: {
    environment: "prod",
    grafana: external(),
    logging: { grafanaUrl: "https://logs.example.com:9200" },
  },
  // An external Grafana inside the cluster's network, at the stack's own address.
  extInCluster: { environment: "prod", grafana: external() },
} as const;
type Variant = keyof typeof VARIANTS;

const stacks = {} as Record<Variant, MonitoringStack>;
const passwords = {} as Record<Variant, string>;
const logsDs = {} as Record<Variant, DatasourceContribution>;

const value = (input: pulumi.Input<string>) =>
  new Promise<string>((resolve) => pulumi.output(input).apply(resolve));

beforeAll(async () => {
  for (const [name, values] of Object.entries(VARIANTS) as [Variant, Obj][])
    stacks[name] = new MonitoringStack(name, {
      spec: resolveStackSpec(values, { stack: "creds", secretKeys: new Set(Object.keys(secrets)) }),
    });
  await mock.settle();
  for (const name of Object.keys(VARIANTS) as Variant[]) {
    const ds = stacks[name].contributions.datasources.find((d) => d.uid === LOGS_DATASOURCE.uid);
    if (!ds?.basicAuth) throw new Error(`${name}: the logs datasource has no basic auth`);
    logsDs[name] = ds;
    passwords[name] = await value(ds.basicAuth.password);
  }
}, 60_000);

const of = (variant: Variant) => mock.resources().filter((r) => r.name.startsWith(`${variant}-`));

/** Where `secret` sits in plain text in recorded inputs (secrets there are already "[secret]"). */
function plainLeaks(resources: PlannedResource[], secret: string): string[] {
  return resources.filter((r) => JSON.stringify(r.inputs).includes(secret)).map((r) => `${r.type} ${r.name}`);
}

/** Input paths of `r` whose secret digest is that of `secret`. */
const digestPaths = (r: PlannedResource, secret: string) =>
  Object.entries(r.secretDigests ?? {})
    .filter(([, d]) => d === secretDigest(secret))
    .map(([p]) => p);

const ENV = "DATASOURCE_LOGS_BASIC_AUTH_PASSWORD";

describe("the leak check", () => {
  it("finds a password planted in a ConfigMap's data (so a real leak fails the tests below)", () => {
    const planted: PlannedResource = {
      urn: "urn:test",
      type: "kubernetes:core/v1:ConfigMap",
      name: "k8s-grafana-config",
      parent: null,
      dependencies: [],
      protect: false,
      retainOnDelete: false,
      inputs: { data: { "datasources.yml": `basicAuthPassword: ${passwords.k8s}\n` } },
    };
    expect(plainLeaks([...of("k8s"), planted], passwords.k8s)).toEqual([
      "kubernetes:core/v1:ConfigMap k8s-grafana-config",
    ]);
  });
});

describe("logs datasource credentials", () => {
  it.each(Object.keys(VARIANTS) as Variant[])(
    "%s: logs_reader with a generated, secret password that appears in no plain input",
    async (variant) => {
      const ds = logsDs[variant];
      expect(ds.basicAuth?.user).toBe("logs_reader");
      expect(await pulumi.isSecret(pulumi.output(ds.basicAuth!.password))).toBe(true);
      expect(passwords[variant]).toMatch(/reader-password/); // the mocks' RandomPassword result
      expect(plainLeaks(of(variant), passwords[variant])).toEqual([]);
    },
  );

  it("Kubernetes: the password only in the Secret behind a secretKeyRef; the file refers to it", () => {
    const pw = passwords.k8s;
    const secretsWithIt = of("k8s").filter((r) => digestPaths(r, pw).length > 0);
    expect(secretsWithIt.map((r) => [r.type, digestPaths(r, pw)])).toEqual([
      ["kubernetes:core/v1:Secret", [`stringData.${ENV}`]],
    ]);
    const secretName = (secretsWithIt[0].inputs as Obj).metadata.name;

    const grafana = of("k8s").find(
      (r) => r.type === "kubernetes:apps/v1:StatefulSet" && (r.inputs as Obj).metadata.name === "grafana",
    );
    const container = (grafana!.inputs as Obj).spec.template.spec.containers[0];
    expect(container.env.find((e: Obj) => e.name === ENV)).toEqual({
      name: ENV,
      valueFrom: { secretKeyRef: { name: secretName, key: ENV } },
    });

    // No ConfigMap holds anything secret at all (a secret-tainted file would be "[secret]" here but
    // plain in the cluster), and the datasources file is one of them, naming the variable only.
    const configMaps = of("k8s").filter((r) => r.type === "kubernetes:core/v1:ConfigMap");
    expect(configMaps.filter((r) => Object.keys(r.secretDigests ?? {}).length > 0)).toEqual([]);
    const files = configMaps.flatMap((r) => Object.values(((r.inputs as Obj).data ?? {}) as Obj));
    const datasources = files.filter((t) => String(t).includes("Logs (Elasticsearch)"));
    expect(datasources).toHaveLength(1);
    expect(datasources[0]).toContain(`basicAuthPassword: $${ENV}\n`);
    expect(datasources[0]).not.toContain(SECRET_PLACEHOLDER);
  });

  it("Kubernetes (TLS): the logging CA mounted for Grafana and trusted by the datasource", async () => {
    const ca = await value(logsDs.k8s.caCert!);
    expect(ca).toMatch(/logging-ca-cert/); // the mocks' SelfSignedCert
    const configMaps = of("k8s").filter((r) => r.type === "kubernetes:core/v1:ConfigMap");
    const withCa = configMaps.flatMap((r) =>
      Object.entries(((r.inputs as Obj).data ?? {}) as Obj)
        .filter(([, text]) => text === ca)
        .map(([key]) => ({ cm: (r.inputs as Obj).metadata.name, key })),
    );
    expect(withCa).toHaveLength(1);
    const grafana = of("k8s").find(
      (r) => r.type === "kubernetes:apps/v1:StatefulSet" && (r.inputs as Obj).metadata.name === "grafana",
    );
    const pod = (grafana!.inputs as Obj).spec.template.spec;
    // Config directories are projected volumes (plain and secret files of one directory together).
    const volume = pod.volumes.find((v: Obj) =>
      (v.projected?.sources ?? []).some((s: Obj) => s.configMap?.name === withCa[0].cm),
    );
    const mount = pod.containers[0].volumeMounts.find(
      (m: Obj) => m.name === volume?.name && m.subPath === withCa[0].key,
    );
    expect(mount?.mountPath).toBe("/etc/grafana-datasource-ca/logs.crt");

    const text = configMaps
      .flatMap((r) => Object.values(((r.inputs as Obj).data ?? {}) as Obj))
      .find((t) => String(t).includes("Logs (Elasticsearch)"));
    expect(text).toContain("tlsAuthWithCACert: true");
    expect(text).toContain("tlsCACert: $__file{/etc/grafana-datasource-ca/logs.crt}");
    expect(text).toContain("url: https://elasticsearch.");
  });

  it("Docker: the password only in a secret env entry; the uploaded file refers to it", () => {
    const pw = passwords.docker;
    const holders = of("docker").filter((r) => digestPaths(r, `${ENV}=${pw}`).length > 0);
    expect(holders.map((r) => r.type)).toEqual(["docker:index/container:Container"]);
    // Grafana itself (replica 0 on sqlite), not its config loader.
    expect(holders[0].name).toBe("docker-grafana-0-container");
    const grafana = holders[0].inputs as Obj;
    expect(grafana.envs.filter((e: string) => e.startsWith(`${ENV}=`))).toEqual([]);

    const uploads = of("docker")
      .filter((r) => r.type === "docker:index/container:Container")
      .flatMap((r) => ((r.inputs as Obj).uploads ?? []) as Obj[]);
    const datasources = uploads.filter((u) => String(u.file).endsWith("/datasources.yml"));
    expect(datasources).toHaveLength(1);
    expect(datasources[0].content).toContain(`basicAuthPassword: $${ENV}\n`);
    // No TLS in dev: no CA to trust.
    expect(datasources[0].content).toContain("url: http://elasticsearch:9200");
    expect(datasources[0].content).not.toContain("tlsCACert");
    expect(logsDs.docker.caCert).toBeUndefined();
  });

  const dataSource = (variant: Variant) => {
    const found = of(variant).filter(
      (r) => r.type === "grafana:oss/dataSource:DataSource" && (r.inputs as Obj).type === "elasticsearch",
    );
    expect(found).toHaveLength(1);
    return found[0];
  };

  it("external Grafana at logging.grafanaUrl: basic auth, the password in the secret JSON, no CA of ours", () => {
    const ds = dataSource("extUrl");
    expect(ds.inputs).toMatchObject({
      url: "https://logs.example.com:9200",
      basicAuthEnabled: true,
      basicAuthUsername: "logs_reader",
      secureJsonDataEncoded: SECRET_PLACEHOLDER,
    });
    expect(digestPaths(ds, JSON.stringify({ basicAuthPassword: passwords.extUrl }))).toEqual([
      "secureJsonDataEncoded",
    ]);
    expect(JSON.parse(String(ds.inputs.jsonDataEncoded)).tlsAuthWithCACert).toBeUndefined();
    expect(logsDs.extUrl.caCert).toBeUndefined();
  });

  it("external Grafana at the stack's own address (TLS): the CA rides in the secret JSON too", async () => {
    const ds = dataSource("extInCluster");
    const ca = await value(logsDs.extInCluster.caCert!);
    expect(String(ds.inputs.url)).toMatch(/^https:\/\/elasticsearch\./);
    expect(ds.inputs).toMatchObject({ basicAuthEnabled: true, basicAuthUsername: "logs_reader" });
    expect(
      digestPaths(ds, JSON.stringify({ basicAuthPassword: passwords.extInCluster, tlsCACert: ca })),
    ).toEqual(["secureJsonDataEncoded"]);
    expect(JSON.parse(String(ds.inputs.jsonDataEncoded))).toMatchObject({
      index: "logs-*-*",
      tlsAuthWithCACert: true,
    });
  });
});

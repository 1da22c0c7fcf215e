/**
 * grafana.ini from a typed spec. Pure: no Pulumi. Secrets are never written here; Grafana reads them
 * from GF_* environment variables (see SECRET_ENV) that the component fills from Pulumi secrets.
 */
import type { GrafanaOAuthSpec } from "../../stacks/spec";

/** Environment variables that carry secrets into Grafana (values come from Kubernetes Secrets / secret env). */
export const SECRET_ENV = {
  adminPassword: "GF_SECURITY_ADMIN_PASSWORD",
  secretKey: "GF_SECURITY_SECRET_KEY",
  databasePassword: "GF_DATABASE_PASSWORD",
  oauthClientSecret: (provider: GrafanaOAuthSpec["provider"]) =>
    `GF_AUTH_${provider === "generic" ? "GENERIC_OAUTH" : provider.toUpperCase()}_CLIENT_SECRET`,
} as const;

/** Environment variable the database host:port arrives in (an RDS endpoint is only known at deploy time). */
export const DATABASE_HOST_ENV = "GF_DATABASE_HOST";
/** Environment variable holding the pod IP, used for the alerting cluster's listen address. */
export const POD_IP_ENV = "POD_IP";

export const GRAFANA_PATHS = {
  config: "/etc/grafana-config/grafana.ini",
  provisioning: "/etc/grafana-provisioning",
  dashboards: "/var/lib/grafana-dashboards",
  data: "/var/lib/grafana",
  ldap: "/etc/grafana-ldap/ldap.toml",
  /** CA certificates of contributed datasources (provisioning.ts datasourceCaPath). */
  datasourceCa: "/etc/grafana-datasource-ca",
} as const;

export const GRAFANA_HTTP_PORT = 3000;
export const GRAFANA_GOSSIP_PORT = 9094;

export interface GrafanaIniInput {
  /** Public URL users reach Grafana at (used in links and OAuth redirects). */
  rootUrl: string;
  adminUser: string;
  database: { type: "sqlite" } | { type: "postgres"; name: string; user: string; sslMode: string };
  /** Unified alerting peers (host:port list) when more than one replica runs; listen on the pod IP. */
  ha?: { peers: string[]; listenOnPodIp: boolean };
  oauth?: GrafanaOAuthSpec;
  ldap: boolean;
  /** Cookies only over HTTPS (an ingress with TLS in front). */
  cookieSecure: boolean;
  /** Offer SigV4 to HTTP datasources (the Amazon Managed Prometheus datasource); off by default in Grafana. */
  sigv4?: boolean;
}

type Section = Record<string, string | number | boolean | undefined>;

function renderSections(sections: [string, Section][]): string {
  return (
    sections
      .map(([name, values]) => {
        const lines = Object.entries(values)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k} = ${String(v)}`);
        return `[${name}]\n${lines.join("\n")}`;
      })
      .join("\n\n") + "\n"
  );
}

export function renderGrafanaIni(input: GrafanaIniInput): string {
  const sections: [string, Section][] = [
    [
      "paths",
      { data: GRAFANA_PATHS.data, provisioning: GRAFANA_PATHS.provisioning, logs: "/var/log/grafana" },
    ],
    ["server", { http_port: GRAFANA_HTTP_PORT, root_url: input.rootUrl, enable_gzip: true }],
    ["log", { mode: "console", level: "info" }],
    ["analytics", { reporting_enabled: false, check_for_updates: false, check_for_plugin_updates: false }],
    [
      "security",
      {
        admin_user: input.adminUser,
        disable_initial_admin_creation: false,
        cookie_secure: input.cookieSecure,
        cookie_samesite: "lax",
        disable_gravatar: true,
        strict_transport_security: input.cookieSecure,
        content_security_policy: true,
      },
    ],
    ["users", { allow_sign_up: false, allow_org_create: false, auto_assign_org_role: "Viewer" }],
    [
      "auth",
      {
        disable_login_form: input.oauth?.autoLogin ?? false,
        oauth_auto_login: input.oauth?.autoLogin,
        sigv4_auth_enabled: input.sigv4 ? true : undefined,
      },
    ],
    ["auth.anonymous", { enabled: false }],
    ["auth.basic", { enabled: !input.oauth?.autoLogin }],
    ["snapshots", { external_enabled: false }],
  ];
  if (input.database.type === "postgres") {
    sections.push([
      "database",
      {
        type: "postgres",
        // host and password arrive as GF_DATABASE_HOST / GF_DATABASE_PASSWORD
        name: input.database.name,
        user: input.database.user,
        ssl_mode: input.database.sslMode,
        max_open_conn: 20,
        max_idle_conn: 5,
      },
    ]);
  } else {
    sections.push(["database", { type: "sqlite3", path: "grafana.db", wal: true }]);
  }
  if (input.ha) {
    sections.push([
      "unified_alerting",
      {
        enabled: true,
        ha_peers: input.ha.peers.join(","),
        ha_listen_address: input.ha.listenOnPodIp
          ? `$__env{${POD_IP_ENV}}:${GRAFANA_GOSSIP_PORT}`
          : `0.0.0.0:${GRAFANA_GOSSIP_PORT}`,
        ha_advertise_address: input.ha.listenOnPodIp
          ? `$__env{${POD_IP_ENV}}:${GRAFANA_GOSSIP_PORT}`
          : undefined,
        ha_peer_timeout: "15s",
        ha_reconnect_timeout: "2m",
      },
    ]);
  } else {
    sections.push(["unified_alerting", { enabled: true }]);
  }
  const o = input.oauth;
  if (o) {
    const section = o.provider === "generic" ? "auth.generic_oauth" : `auth.${o.provider}`;
    sections.push([
      section,
      {
        enabled: true,
        name: o.provider === "generic" ? "SSO" : undefined,
        client_id: o.clientId,
        // client_secret arrives as an environment variable
        scopes: o.scopes ?? (o.provider === "github" ? "user:email,read:org" : "openid email profile"),
        auth_url: o.authUrl,
        token_url: o.tokenUrl,
        api_url: o.apiUrl,
        allowed_domains: o.allowedDomains.length ? o.allowedDomains.join(" ") : undefined,
        allowed_organizations: o.allowedOrganizations.length ? o.allowedOrganizations.join(" ") : undefined,
        role_attribute_path: o.roleAttributePath,
        role_attribute_strict: o.roleAttributePath ? true : undefined,
        allow_sign_up: true,
        use_pkce: true,
        allow_insecure_email_lookup: false,
      },
    ]);
  }
  if (input.ldap)
    sections.push(["auth.ldap", { enabled: true, config_file: GRAFANA_PATHS.ldap, allow_sign_up: true }]);
  return renderSections(sections);
}

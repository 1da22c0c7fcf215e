/**
 * alertmanager.yml from the typed routing model. Pure: no Pulumi. Credentials never appear in the
 * file: each one is referenced through a `*_file` field pointing into the secrets directory, and the
 * caller mounts the named secret config values there (a Kubernetes Secret / Docker upload).
 */
import { stringify } from "yaml";
import type { AlertmanagerRouting, RouteSpec } from "../../stacks/spec";

export const ALERTMANAGER_PATHS = {
  config: "/etc/alertmanager/alertmanager.yml",
  templatesDir: "/etc/alertmanager/templates",
  secretsDir: "/etc/alertmanager/secrets",
  data: "/alertmanager",
} as const;

export const BUILT_IN_TEMPLATE = "monitoring.tmpl";

/** A secret the rendered config reads from a file: where it goes and which config key fills it. */
export interface SecretFileRef {
  path: string;
  configKey: string;
}

export interface RenderedAlertmanagerConfig {
  /** alertmanager.yml text (no secrets in it). */
  config: string;
  /** Template files to mount in the templates directory: file name -> text. */
  templates: Record<string, string>;
  secretFiles: SecretFileRef[];
}

export interface RenderOptions {
  /** Where template files are mounted (tests point this at a temp dir). */
  templatesDir?: string;
  /** Where secret files are mounted. */
  secretsDir?: string;
}

/** Notification text shared by Slack, email and PagerDuty: title line, then one block per alert. */
export const BUILT_IN_TEMPLATE_TEXT = `{{/* Notification text used by every receiver rendered by the monitoring stack. */}}
{{ define "monitoring.title" -}}
[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] {{ .CommonLabels.alertname }}{{ with .CommonLabels.cluster }} in {{ . }}{{ end }}
{{- end }}

{{ define "monitoring.text" -}}
{{ range .Alerts -}}
[{{ .Labels.severity }}] {{ .Annotations.summary }}
{{ with .Annotations.description }}{{ . }}
{{ end }}{{ with .Annotations.runbook_url }}Runbook: {{ . }}
{{ end }}{{ with .Labels.instance }}Instance: {{ . }}
{{ end }}
{{ end }}
{{- end }}
`;

function route(r: RouteSpec): Record<string, unknown> {
  return {
    receiver: r.receiver,
    matchers: r.matchers,
    ...(r.groupBy ? { group_by: r.groupBy } : {}),
    ...(r.groupWait ? { group_wait: r.groupWait } : {}),
    ...(r.groupInterval ? { group_interval: r.groupInterval } : {}),
    ...(r.repeatInterval ? { repeat_interval: r.repeatInterval } : {}),
    ...(r.continue ? { continue: true } : {}),
  };
}

export function renderAlertmanagerConfig(
  routing: AlertmanagerRouting,
  options: RenderOptions = {},
): RenderedAlertmanagerConfig {
  const templatesDir = options.templatesDir ?? ALERTMANAGER_PATHS.templatesDir;
  const secretsDir = options.secretsDir ?? ALERTMANAGER_PATHS.secretsDir;
  const secretFiles: SecretFileRef[] = [];
  const secretFile = (receiver: string, integration: string, index: number, configKey: string): string => {
    const path = `${secretsDir}/${receiver}-${integration}-${index}`;
    secretFiles.push({ path, configKey });
    return path;
  };

  const receivers = routing.receivers.map((r) => {
    const out: Record<string, unknown> = { name: r.name };
    if (r.email.length > 0)
      out.email_configs = r.email.map((e, i) => ({
        to: e.to,
        from: e.from,
        smarthost: e.smarthost,
        ...(e.authUsername ? { auth_username: e.authUsername } : {}),
        ...(e.authPasswordSecret
          ? { auth_password_file: secretFile(r.name, "email", i, e.authPasswordSecret) }
          : {}),
        require_tls: e.requireTls,
        send_resolved: e.sendResolved,
        headers: { Subject: '{{ template "monitoring.title" . }}' },
        text: '{{ template "monitoring.text" . }}',
      }));
    if (r.slack.length > 0)
      out.slack_configs = r.slack.map((s, i) => ({
        api_url_file: secretFile(r.name, "slack", i, s.apiUrlSecret),
        ...(s.channel ? { channel: s.channel } : {}),
        send_resolved: s.sendResolved,
        title: '{{ template "monitoring.title" . }}',
        text: '{{ template "monitoring.text" . }}',
      }));
    if (r.pagerduty.length > 0)
      out.pagerduty_configs = r.pagerduty.map((p, i) => ({
        routing_key_file: secretFile(r.name, "pagerduty", i, p.routingKeySecret),
        send_resolved: p.sendResolved,
        description: '{{ template "monitoring.title" . }}',
      }));
    if (r.webhook.length > 0)
      out.webhook_configs = r.webhook.map((w, i) => ({
        url_file: secretFile(r.name, "webhook", i, w.urlSecret),
        send_resolved: w.sendResolved,
        max_alerts: w.maxAlerts,
      }));
    return out;
  });

  const config = {
    global: { resolve_timeout: routing.resolveTimeout },
    templates: [`${templatesDir}/*.tmpl`],
    route: {
      receiver: routing.defaultReceiver,
      group_by: routing.groupBy,
      group_wait: routing.groupWait,
      group_interval: routing.groupInterval,
      repeat_interval: routing.repeatInterval,
      routes: routing.routes.map(route),
    },
    inhibit_rules: routing.inhibitRules.map((i) => ({
      source_matchers: i.sourceMatchers,
      target_matchers: i.targetMatchers,
      equal: i.equal,
    })),
    receivers,
  };
  return {
    config: stringify(config, { lineWidth: 0, aliasDuplicateObjects: false }),
    templates: { [BUILT_IN_TEMPLATE]: BUILT_IN_TEMPLATE_TEXT, ...routing.templates },
    secretFiles,
  };
}

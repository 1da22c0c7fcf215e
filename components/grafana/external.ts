/**
 * External-Grafana mode (Grafana Cloud or an existing instance): the same folders, datasources and
 * dashboards as the self-hosted mode, plus alerting contact points, created through the Grafana API
 * with the @pulumiverse/grafana provider. Every resource is owned by Pulumi: a UI edit shows up as
 * drift on the next preview/refresh and is overwritten by the next `pulumi up`.
 */
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import { secretConfig } from "../../stacks";
import { notifiesAnyone } from "../../stacks/sections/routing";
import type { AlertmanagerRouting } from "../../stacks/spec";
import type { DatasourceContribution } from "../contribution";
import type { DashboardFile } from "./dashboards";
import { DATASOURCE_UIDS, datasourceAuth } from "./provisioning";

/** A contact point mirroring one Alertmanager receiver; secret fields name secret config keys. */
export interface ContactPointSpec {
  name: string;
  slack?: { urlSecret: string; channel?: string };
  pagerduty?: { integrationKeySecret: string };
  webhook?: { urlSecret: string };
  email?: { addresses: string[] };
}

export interface ExternalGrafanaArgs {
  /** Grafana base URL. */
  url: string;
  /** Secret config key of a service-account token (Admin, or Editor plus datasource rights). */
  authSecret: string;
  /** Prometheus URL as that Grafana reaches it. */
  prometheusUrl: string;
  alertmanagerUrl?: string;
  /** Stack name, to keep folder uids apart when several stacks share one Grafana. */
  stack: string;
  dashboards: DashboardFile[];
  /** Datasources services bring (contributions), created beside the Prometheus one. */
  datasources?: DatasourceContribution[];
  contactPoints: ContactPointSpec[];
}

/** Contact points mirroring the Alertmanager receivers that notify someone (first integration of each kind). */
export function contactPointsFor(routing: AlertmanagerRouting): ContactPointSpec[] {
  return routing.receivers.filter(notifiesAnyone).map((r) => ({
    name: r.name,
    slack: r.slack[0] && { urlSecret: r.slack[0].apiUrlSecret, channel: r.slack[0].channel },
    pagerduty: r.pagerduty[0] && { integrationKeySecret: r.pagerduty[0].routingKeySecret },
    webhook: r.webhook[0] && { urlSecret: r.webhook[0].urlSecret },
    email: r.email.length > 0 ? { addresses: r.email.map((e) => e.to) } : undefined,
  }));
}

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

export class ExternalGrafana extends pulumi.ComponentResource {
  readonly url: string;

  constructor(name: string, args: ExternalGrafanaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("monitoring:grafana:ExternalGrafana", name, {}, opts);
    this.url = args.url;
    const provider = new grafana.Provider(
      `${name}-provider`,
      { url: args.url, auth: secretConfig(args.authSecret) },
      { parent: this },
    );
    const child = { parent: this, provider };

    const prometheus = new grafana.oss.DataSource(
      `${name}-prometheus`,
      {
        type: "prometheus",
        name: `Prometheus (${args.stack})`,
        uid: `${DATASOURCE_UIDS.prometheus}-${slug(args.stack)}`,
        url: args.prometheusUrl,
        isDefault: true,
        jsonDataEncoded: JSON.stringify({ httpMethod: "POST", timeInterval: "30s" }),
      },
      child,
    );
    const dependsOn: pulumi.Resource[] = [prometheus];
    if (args.alertmanagerUrl) {
      dependsOn.push(
        new grafana.oss.DataSource(
          `${name}-alertmanager`,
          {
            type: "alertmanager",
            name: `Alertmanager (${args.stack})`,
            uid: `${DATASOURCE_UIDS.alertmanager}-${slug(args.stack)}`,
            url: args.alertmanagerUrl,
            jsonDataEncoded: JSON.stringify({
              implementation: "prometheus",
              handleGrafanaManagedAlerts: false,
            }),
          },
          child,
        ),
      );
    }

    for (const ds of args.datasources ?? []) {
      // The same Grafana fields as the provisioned datasource, with the values themselves: the secure
      // ones only inside a secret output.
      const auth = datasourceAuth(ds, (key) =>
        key === "basicAuthPassword" ? ds.basicAuth!.password : ds.caCert!,
      );
      const jsonData = { ...(ds.jsonData ?? {}), ...auth.jsonData };
      const secure = Object.entries(auth.secureJsonData);
      dependsOn.push(
        new grafana.oss.DataSource(
          `${name}-datasource-${slug(ds.uid)}`,
          {
            type: ds.type,
            name: `${ds.name} (${args.stack})`,
            uid: `${ds.uid}-${slug(args.stack)}`,
            url: ds.url,
            basicAuthEnabled: auth.basicAuthUser !== undefined ? true : undefined,
            basicAuthUsername: auth.basicAuthUser,
            jsonDataEncoded: Object.keys(jsonData).length > 0 ? JSON.stringify(jsonData) : undefined,
            secureJsonDataEncoded:
              secure.length > 0
                ? pulumi.secret(
                    pulumi
                      .all(secure.map(([k, v]) => pulumi.all([k, v])))
                      .apply((pairs) => JSON.stringify(Object.fromEntries(pairs))),
                  )
                : undefined,
          },
          child,
        ),
      );
    }

    const folders = new Map<string, grafana.oss.Folder>();
    for (const title of new Set(args.dashboards.map((d) => d.folder))) {
      folders.set(
        title,
        new grafana.oss.Folder(
          `${name}-folder-${slug(title)}`,
          { title, uid: `${slug(args.stack)}-${slug(title)}`.slice(0, 40), preventDestroyIfNotEmpty: false },
          child,
        ),
      );
    }
    for (const d of args.dashboards) {
      const uid = String((d.json as { uid?: string }).uid ?? slug(d.fileName));
      new grafana.oss.Dashboard(
        `${name}-dashboard-${uid}`,
        {
          folder: folders.get(d.folder)!.uid,
          configJson: JSON.stringify(d.json),
          overwrite: true,
          message: "Managed by Pulumi (monitoring); edits in the UI are overwritten",
        },
        { ...child, dependsOn },
      );
    }

    for (const cp of args.contactPoints) {
      new grafana.alerting.ContactPoint(
        `${name}-contact-${slug(cp.name)}`,
        {
          name: cp.name,
          slacks: cp.slack
            ? [{ url: secretConfig(cp.slack.urlSecret), recipient: cp.slack.channel }]
            : undefined,
          pagerduties: cp.pagerduty
            ? [{ integrationKey: secretConfig(cp.pagerduty.integrationKeySecret) }]
            : undefined,
          webhooks: cp.webhook ? [{ url: secretConfig(cp.webhook.urlSecret) }] : undefined,
          emails: cp.email ? [{ addresses: cp.email.addresses }] : undefined,
        },
        child,
      );
    }
    this.registerOutputs({ url: this.url });
  }
}

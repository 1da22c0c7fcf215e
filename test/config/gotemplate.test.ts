/**
 * The door's Go template check (stacks/sections/gotemplate.ts) agrees with the real amtool on what
 * Alertmanager can load: each text is written as a template file beside a minimal config and checked.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { goTemplateProblem } from "../../stacks/sections/gotemplate";
import { scratchDir } from "../helpers/scratch";
import { toolPath } from "../helpers/tools";

const loads = [
  "plain text, no actions",
  '{{ define "x" }}{{ .Status | toUpper }}{{ end }}',
  '{{ define "x" -}}\n{{ range .Alerts }}{{ .Labels.severity }}{{ end }}\n{{- end }}',
  '{{/* a comment */}}{{ define "y" }}{{ if eq .Status "firing" }}A{{ else if .CommonLabels }}B{{ else }}C{{ end }}{{ end }}',
  "{{- /* trimmed comment */ -}}",
  '{{ define "z" }}{{ with .CommonLabels.cluster }} in {{ . }}{{ end }}{{ end }}',
  '{{ define "w" }}{{ range $i, $a := .Alerts }}{{ if $i }}, {{ end }}{{ $a.Labels.alertname }}{{ end }}{{ end }}',
  '{{ define "v" }}{{ reReplaceAll "(.+)" "$1" .ExternalURL | printf "%s}}" }}{{ end }}',
  '{{ define "u" }}{{ template "monitoring.title" . }} {{ len .Alerts.Firing }}{{ end }}',
  '{{ define "t" }}{{ range .Alerts }}{{ if gt (len .Labels) 3 }}{{ break }}{{ end }}{{ end }}{{ end }}',
  "text with }} only",
  '{{ define "s" }}{{ 1e3 }} {{ -2 }} {{ 0x1F }}{{ end }}',
];
const refused = [
  '{{ define "x" }}no end',
  '{{ DEFINE "x" }}{{ end }}',
  '{{ define "x" }}{{ .Status | upper }}{{ end }}',
  "{{ end }}",
  "{{ .Status",
  "{{ define x }}{{ end }}",
  '{{ if .X }}{{ define "in" }}{{ end }}{{ end }}',
  "{{ else }}",
  '{{ "unterminated }}',
  "{{}}",
  "{{ (len .Alerts }}",
  "{{ break }}",
  "{{ /* not a comment */ }}",
  "{{/* open comment }}",
  "{{ .A # .B }}",
];

function amtoolLoads(text: string): { ok: boolean; output: string } {
  const dir = scratchDir("gotemplate-");
  mkdirSync(path.join(dir, "templates"));
  writeFileSync(path.join(dir, "templates", "t.tmpl"), text);
  writeFileSync(
    path.join(dir, "alertmanager.yml"),
    `route: {receiver: d}\nreceivers: [{name: d}]\ntemplates: ["${dir}/templates/*.tmpl"]\n`,
  );
  const r = spawnSync(toolPath("amtool"), ["check-config", path.join(dir, "alertmanager.yml")], {
    encoding: "utf8",
  });
  return { ok: r.status === 0, output: r.stdout + r.stderr };
}

describe("Go template check at the door", () => {
  it.each(loads)("accepts what amtool loads: %j", (text) => {
    expect(amtoolLoads(text).ok, amtoolLoads(text).output).toBe(true);
    expect(goTemplateProblem(text)).toBeUndefined();
  });

  it.each(refused)("refuses what amtool refuses: %j", (text) => {
    expect(amtoolLoads(text).ok).toBe(false);
    expect(goTemplateProblem(text)).toMatch(/.+/);
  });
});

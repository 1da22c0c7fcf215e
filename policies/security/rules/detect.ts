/**
 * Secret detection for plaintext places (ConfigMap data, uploaded files, env literals, labels,
 * annotations). Two signals: a key that names a secret holding a literal value, and a value shaped like
 * a known credential whatever its key. File paths, env/template references, booleans, numbers and the
 * plan's "[secret]" placeholder are not secrets.
 */
import { SECRET_PLACEHOLDER } from "./read";

const SECRET_KEY =
  /(passw(or)?d|passphrase|(^|[_.-])pass$|pwd$|secret|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|credential|routing[_.-]?key|service[_.-]?key|integration[_.-]?key|auth[_.-]?key|webhook)/i;
/** Keys that name where a secret is, or something about it, rather than the secret itself. */
const REFERENCE_KEY =
  /([_.-]?(file|path|dir|name|ref|env|hint|type|length|enabled|interval|ttl|header|mode|policy|url|uri|endpoint)s?)$/i;

const HARMLESS_VALUE =
  /^(true|false|yes|no|on|off|null|none|nil|~|-?\d+(\.\d+)?[a-z]{0,2}|required|optional|disabled|enabled)$/i;

function isReference(value: string): boolean {
  const v = value.trim();
  return (
    v === "" ||
    v === SECRET_PLACEHOLDER ||
    v.startsWith("/") ||
    v.startsWith("./") ||
    v.startsWith("~/") ||
    v.startsWith("file://") ||
    /^\$__(env|file|vault)\{[^}]*\}$/.test(v) ||
    /^\$\{?[A-Za-z_][A-Za-z0-9_.]*\}?$/.test(v) ||
    /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(v) ||
    /^\{\{.*\}\}$/.test(v) ||
    /^<[^<>]+>$/.test(v)
  );
}

/** Credential shapes recognised whatever key holds them. Each with the name used in messages. */
const SECRET_VALUES: Array<[RegExp, string]> = [
  [/hooks\.slack\.com\/(services|workflows|triggers)\//i, "a Slack webhook URL"],
  [/xox[abposr]-[A-Za-z0-9-]{10,}/, "a Slack token"],
  [/discord(app)?\.com\/api\/webhooks\//i, "a Discord webhook URL"],
  [/\.webhook\.office\.com\/|outlook\.office\.com\/webhook\//i, "a Microsoft Teams webhook URL"],
  [/events\.pagerduty\.com\/[^\s"']*[?&](routing_key|integration_key)=/i, "a PagerDuty routing key"],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, "an AWS access key ID"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/, "a GitHub token"],
  [/\bgl(sa|c)_[A-Za-z0-9_=+/-]{20,}/, "a Grafana token"],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, "a JSON web token"],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"'$]+:(?!\$|\{\{)[^\s/@"']+@/i, "credentials in a URL"],
  [
    /[?&](token|api_?key|access_token|secret|sig|signature|password)=[^&\s"'$]{8,}/i,
    "a credential in a URL query",
  ],
  [/\bBearer\s+[A-Za-z0-9._~+/-]{16,}/, "a bearer token"],
];

/** What kind of credential `value` looks like, or undefined. */
export function secretShape(value: string): string | undefined {
  for (const [re, what] of SECRET_VALUES) if (re.test(value)) return what;
  return undefined;
}

/** Whether `key` holding the literal `value` is a plaintext secret; returns why, or undefined. */
export function secretKeyValue(key: string, value: string): string | undefined {
  const shape = secretShape(value);
  if (shape) return shape;
  const v = value.trim().replace(/^["']|["']$/g, "");
  const last = key.split("/").pop() ?? key;
  if (!SECRET_KEY.test(last)) return undefined;
  if (isReference(v) || HARMLESS_VALUE.test(v)) return undefined;
  // A key naming where a secret lives is fine, except webhook keys whose value is the URL itself.
  if (REFERENCE_KEY.test(last) && !(/webhook/i.test(last) && /^https?:\/\//i.test(v))) return undefined;
  return "a literal secret value";
}

export interface TextFinding {
  /** The key (or line number) the secret sits at. */
  where: string;
  what: string;
}

/** `key: value`, `key = value`, and Logstash's `key => value`. */
const LINE_KV = /^\s*(?:-\s+)?["']?([A-Za-z0-9_.\-/]+)["']?\s*(?:=>|[:=])\s*(.*?)\s*,?\s*$/;

/** Secrets in a config file's text (INI, YAML, JSON, properties): keyed literals and credential shapes. */
export function secretsInText(text: string): TextFinding[] {
  const findings: TextFinding[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (/^\s*[#;]/.test(line)) return;
    const m = LINE_KV.exec(line);
    if (m) {
      let value = m[2];
      if (value === "" || value === "|" || value === ">" || value.startsWith("{") || value.startsWith("[")) {
        const shape = secretShape(line);
        if (shape) findings.push({ where: `line ${i + 1} ("${m[1]}")`, what: shape });
        return;
      }
      const quoted = /^(["'])(.*)\1$/.exec(value);
      if (quoted) value = quoted[2];
      else value = value.replace(/\s+#.*$/, "");
      const what = secretKeyValue(m[1], value);
      if (what) findings.push({ where: `line ${i + 1} ("${m[1]}")`, what });
      return;
    }
    const shape = secretShape(line);
    if (shape) findings.push({ where: `line ${i + 1}`, what: shape });
  });
  return findings;
}

/** `NAME=value` (Docker env entry) split; undefined for the secret placeholder or malformed entries. */
export function splitEnv(entry: string): { name: string; value: string } | undefined {
  if (entry === SECRET_PLACEHOLDER) return undefined;
  const eq = entry.indexOf("=");
  if (eq <= 0) return undefined;
  return { name: entry.slice(0, eq), value: entry.slice(eq + 1) };
}

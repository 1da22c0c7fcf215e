/**
 * Config problems: the one module every config section reports through. A problem names the dotted
 * config key, says what is expected and, unless the value may be a credential, shows the bad value.
 */

/** The Pulumi config namespace of every key the program reads (`monitoring:prometheus`, ...). */
export const CONFIG_NAMESPACE = "monitoring";

/** One problem found in a stack's configuration. */
export interface ConfigProblem {
  /** Dotted config path, e.g. "monitoring:prometheus.retentionTime". */
  path: string;
  /** What was wrong and what is expected. */
  message: string;
  /** The offending value, when there is one (never a value that may be a credential). */
  value?: unknown;
}

/** Thrown before any resource is registered when a stack's config is invalid; lists every problem found. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super(formatProblems(problems));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

export function isConfigError(err: unknown): err is ConfigError {
  return err instanceof Error && err.name === "ConfigError" && Array.isArray((err as ConfigError).problems);
}

/** "monitoring:prometheus.volume.size" from the top-level key and the path below it. */
export function keyPath(key: string, path: readonly PropertyKey[] = []): string {
  return [`${CONFIG_NAMESPACE}:${key}`, ...path.map(String)].join(".");
}

function describe(value: unknown): string {
  if (value === undefined) return "";
  const text = JSON.stringify(value);
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return ` (got ${shown})`;
}

export function formatProblems(problems: ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.path}: ${p.message}${describe(p.value)}`);
  const noun = problems.length === 1 ? "problem" : "problems";
  return `invalid stack configuration, ${problems.length} ${noun}:\n${lines.join("\n")}`;
}

/** The stack's secret and plain config keys, for checking secret references. */
export interface SecretLookup {
  /** Keys (without namespace) whose values are Pulumi secrets. */
  secret: ReadonlySet<string>;
  /** Keys set in plain text. */
  plain: ReadonlySet<string>;
  /** Plain keys that a secret reference names (recorded while checking). */
  referencedPlain: Set<string>;
}

export function secretLookup(keys: ReadonlySet<string> | SecretLookup): SecretLookup {
  return "secret" in keys ? keys : { secret: keys, plain: new Set(), referencedPlain: new Set() };
}

/**
 * Reports a secret reference that does not name a secret config key of this stack. The reference is
 * a key name, but a user may have pasted the credential itself there, so it is echoed only when it
 * names a key this stack sets in plain text (then it is certainly a name).
 */
export function checkSecretRef(
  ref: string | undefined,
  path: string,
  keys: ReadonlySet<string> | SecretLookup,
  problems: ConfigProblem[],
): void {
  const lookup = secretLookup(keys);
  if (ref === undefined || lookup.secret.has(ref)) return;
  if (lookup.plain.has(ref)) {
    lookup.referencedPlain.add(ref);
    problems.push({
      path,
      message: `names ${CONFIG_NAMESPACE}:${ref}, which is set in plain text; remove it from the stack file and set it with \`pulumi config set --secret ${ref} <value>\``,
    });
    return;
  }
  problems.push({
    path,
    message: readsAsKeyName(ref)
      ? `names ${CONFIG_NAMESPACE}:${ref}, which is not set as a secret in this stack; set it with \`pulumi config set --secret ${ref} <value>\``
      : looksLikeKeyName(ref)
        ? "names a config key that is not set as a secret in this stack (the name is not shown: it may be a credential); set it with `pulumi config set --secret <keyName> <value>` and put <keyName> here"
        : "expects the name of a secret config key, not a value (not shown: it may be a credential); set the value with `pulumi config set --secret <keyName> <value>` and put <keyName> here",
  });
}

/**
 * A reference shaped like the config keys people write (camelCase or snake_case words, at most one
 * trailing digit: `alertmanagerSlackWebhookUrl`, `grafana_admin_password`), which is safe to show so
 * the error can say which `pulumi config set --secret` command to run. Generated tokens and typical
 * passwords (`Winter2024`, `aB3xY9...`) do not read like that and are never shown.
 */
function readsAsKeyName(ref: string): boolean {
  return ref.length <= 64 && /^[a-z]+(?:[A-Z][a-z]+|_[a-z]+)*[0-9]?$/.test(ref) && /[A-Z_]/.test(ref);
}

/** A secret reference that reads like a key name (not a URL, token or other pasted value). */
function looksLikeKeyName(ref: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/.test(ref);
}

/** Field names whose values may be credentials (the sections' secret references, passwords, tokens). */
const SENSITIVE_FIELD = /secret|password|passwd|token|key|credential|auth|dsn|kubeconfig/i;

/**
 * Whether a bad value may be a credential and so must not be echoed in a problem (problems land in CI
 * logs): any value of a sensitive-looking field, any URL or user@host, and any long token-like string.
 * Only the field's own name counts, not the names above it (a receiver may be called "pager-auth").
 */
export function mayBeCredential(path: readonly PropertyKey[], value: unknown): boolean {
  const field = [...path].reverse().find((p): p is string => typeof p === "string");
  if (field !== undefined && SENSITIVE_FIELD.test(field)) return true;
  if (typeof value !== "string") return false;
  return /:\/\/|@/.test(value) || /^[A-Za-z0-9_+/=.-]{24,}$/.test(value);
}

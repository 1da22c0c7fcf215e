/** One problem found in a stack's configuration. */
export interface ConfigProblem {
  /** Dotted config path, e.g. "monitoring:prometheus.retentionTime". */
  path: string;
  /** What was wrong and what is expected. */
  message: string;
  /** The offending value, when there is one (never a secret's value). */
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

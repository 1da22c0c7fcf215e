/** Where this repository and its generated docs live (shared by the config defaults and the docs generator). */

/** Where the pages live, relative to the repository root. */
export const RUNBOOKS_DIR = "docs/runbooks";

/** Where this repository is published. Set it once the repository has its home; users override the base URL per stack. */
export const REPOSITORY_URL = "https://github.com/your-org/monitoring";

/**
 * Default of `monitoring:rules.runbookBaseUrl`: the pages in this repository's default branch, so that
 * `<base>/<pack>/<slug>` opens docs/runbooks/<pack>/<slug>/README.md.
 */
export const DEFAULT_RUNBOOK_BASE_URL = `${REPOSITORY_URL}/tree/main/${RUNBOOKS_DIR}`;

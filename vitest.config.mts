import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The real Prometheus / Alertmanager / node-exporter binaries, from Debian's archive into .tools/ once
    // (skipped when present): `npm test` works on a fresh clone right after `npm ci`.
    globalSetup: ["test/helpers/tools.ts"],
    // Pulumi's mock runtime is process-global state: each test file gets its own fork.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});

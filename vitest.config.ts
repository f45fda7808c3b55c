import { defineConfig } from "vitest/config";

// One suite, several projects: pure engines; server integration tests once on the embedded database
// (PGlite) and once on a PostgreSQL server (the same files); end-to-end tests in Chromium.
const serverTests = ["packages/server/src/**/*.test.ts", "packages/server/test/**/*.test.ts"];

export default defineConfig({
  test: {
    // Vitest's default is one worker less than the CPUs: one, on the two-core machines the suite runs on.
    // Two server test files at a time keep both cores busy (one often waits on PostgreSQL). The browser
    // tests still run one at a time, after them: two servers and two Chromiums on two cores time out.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "engines", include: ["packages/engines/*/src/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "pglite",
          include: serverTests,
          env: { KAIWU_TEST_DB: "pglite" },
          globalSetup: ["packages/server/test/global-setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: serverTests,
          env: { KAIWU_TEST_DB: "postgres" },
          globalSetup: ["packages/server/test/global-setup.ts"],
        },
      },
      // The browser tests' servers run jobs; the database maintenance (every 10 minutes) is timed out of
      // their way: its first run analyses every table of the copied demo while a test clicks through.
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.ts"],
          globalSetup: ["e2e/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
          env: { KAIWU_MAINTENANCE_CRON: "0 3 1 1 *" },
        },
      },
    ],
  },
});

import { defineConfig, type ViteUserConfig } from "vitest/config";
import { DialectReporter } from "./packages/server/test/support/dialect-reporter.js";
import {
  planPostgres,
  skippedNotice,
  type PostgresPlan,
} from "./packages/server/test/support/postgres-probe.js";

// .ci/run sets these to get a JSON report beside the usual output (it counts passed and failed
// tests) and the per-dialect counts (it fails a run whose PostgreSQL half did not run).
const jsonReport = process.env.VITEST_JSON_REPORT;
const dialectReport = process.env.VITEST_DIALECT_REPORT;

const allTests = "packages/*/test/**/*.test.ts";
const clusterTests = "packages/server/test/cluster/**/*.test.ts";
// The storage, engine and surface suite runs on both databases; tests of the command line, the
// config loader, the error registry and the architecture checks do not touch storage and run once, on SQLite.
const sqliteOnly = [
  "packages/server/test/cli/**",
  "packages/server/test/config/**",
  "packages/server/test/errors/**",
  "packages/server/test/architecture/**",
  "packages/receiver/**",
];

export default defineConfig(async (): Promise<ViteUserConfig> => {
  // Vitest loads this file again for each project: decide once, and keep the plan for the global
  // setup (which runs in this process) in the environment.
  const known = process.env.NUDGE_TEST_POSTGRES_PLAN;
  const postgres = known ? (JSON.parse(known) as PostgresPlan) : await planPostgres(process.env);
  process.env.NUDGE_TEST_POSTGRES_PLAN = JSON.stringify(postgres);
  const notice = postgres.run ? null : skippedNotice(postgres.reason);
  if (notice && !known) process.stdout.write(`${notice}\n`);
  const postgresEnv = postgres.run
    ? {
        NUDGE_TEST_DIALECT: "postgres",
        NUDGE_TEST_POSTGRES_URL: postgres.url,
        // Where tests that need databases of their own (the cluster tests) make them.
        NUDGE_TEST_POSTGRES_SERVER_URL: postgres.server,
      }
    : {};
  // Workspace packages resolve to each other's TypeScript sources ("nudge-source" in their
  // package.json exports, as tsconfig.json's customConditions), so the tests need no build.
  const conditions = ["nudge-source", "module", "node", "development|production"];
  return {
    ssr: { resolve: { conditions } },
    test: {
      testTimeout: 30_000,
      hookTimeout: 30_000,
      // Tests own real ports and databases; files run in parallel forks, tests inside a file in order.
      pool: "forks",
      reporters: ["default", ...(jsonReport ? ["json"] : []), new DialectReporter(notice, dialectReport)],
      ...(jsonReport && { outputFile: { json: jsonReport } }),
      projects: [
        {
          extends: true as const,
          test: {
            name: "sqlite",
            include: [allTests],
            exclude: [clusterTests],
            env: { NUDGE_TEST_DIALECT: "sqlite" },
            sequence: { groupOrder: 0 },
          },
        },
        ...(postgres.run
          ? [
              {
                extends: true as const,
                test: {
                  name: "postgres",
                  include: [allTests],
                  exclude: [clusterTests, ...sqliteOnly],
                  env: postgresEnv,
                  globalSetup: ["packages/server/test/support/postgres-run.ts"],
                  sequence: { groupOrder: 0 },
                },
              },
              {
                // Several nodes, a killed node and a restart of the PostgreSQL server: alone, after
                // everything else, so the restart cannot break another test's connections.
                extends: true as const,
                test: {
                  name: "postgres-cluster",
                  include: [clusterTests],
                  env: postgresEnv,
                  testTimeout: 180_000,
                  sequence: { groupOrder: 1 },
                },
              },
            ]
          : []),
      ],
    },
  };
});

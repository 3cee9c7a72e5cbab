import { defineConfig } from "vitest/config";

// .ci/run sets this to get a JSON report beside the usual output (it counts passed and failed tests).
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests own real ports and SQLite files; files run in parallel forks, tests inside a file in order.
    pool: "forks",
    ...(jsonReport && { reporters: ["default", "json"], outputFile: { json: jsonReport } }),
  },
});

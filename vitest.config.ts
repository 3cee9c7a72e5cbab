import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Tests own real ports and SQLite files; files run in parallel forks, tests inside a file in order.
    pool: "forks",
  },
});

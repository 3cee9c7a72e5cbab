/**
 * A reporter that says at the end which dialects ran: the count of passed and failed tests per
 * project (sqlite, postgres, postgres-cluster), and — loudly — when the PostgreSQL half was skipped.
 * With VITEST_DIALECT_REPORT set it also writes the counts there as JSON, so .ci/run can fail a run
 * whose PostgreSQL half did not run.
 */
import { writeFileSync } from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

export class DialectReporter implements Reporter {
  constructor(
    private readonly skipped: string | null,
    private readonly reportFile: string | undefined,
  ) {}

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts: Record<string, { passed: number; failed: number; skipped: number }> = {};
    for (const module of testModules) {
      const name = module.project.name || "default";
      const count = (counts[name] ??= { passed: 0, failed: 0, skipped: 0 });
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") count.passed++;
        else if (state === "failed") count.failed++;
        else count.skipped++;
      }
    }
    const lines = Object.entries(counts).map(
      ([name, c]) =>
        `  ${name}: ${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ""}`,
    );
    process.stdout.write(`\nTests by database:\n${lines.join("\n")}\n`);
    if (this.skipped) process.stdout.write(`\n${this.skipped}\n\n`);
    if (this.reportFile) {
      writeFileSync(
        this.reportFile,
        JSON.stringify({ projects: counts, postgresSkipped: this.skipped }, null, 2),
      );
    }
  }
}

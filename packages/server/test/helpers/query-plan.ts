/**
 * What the database does with a repository's statements: tests that a query stays cheap as the
 * data grows cannot time it (timings are not a specification), so they read its plan. The
 * statements are the repository's own, recorded as it runs them, not copies of its SQL.
 */
import {
  CompiledQuery,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from "kysely";
import type { Db } from "../../src/store/open.js";
import { testDialect } from "@nudge/test-support";

/** A view of `db` that remembers every statement run through it, compiled as it was sent. */
export function recordingStatements(db: Db): { db: Db; statements: CompiledQuery[] } {
  const statements: CompiledQuery[] = [];
  const recorder: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      statements.push(db.getExecutor().compileQuery(args.node, args.queryId));
      return args.node;
    },
    transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      return Promise.resolve(args.result);
    },
  };
  return { db: db.withPlugin(recorder), statements };
}

/**
 * The plan of a statement, with its parameters, as text: SQLite's `EXPLAIN QUERY PLAN` details
 * (`SEARCH changes USING INDEX … (resource_id=? AND seq>?)`) or PostgreSQL's `EXPLAIN` (`Index
 * Scan using … Index Cond: …`), one line each.
 */
export async function queryPlan(db: Db, statement: CompiledQuery): Promise<string> {
  const explain = testDialect === "postgres" ? "explain" : "explain query plan";
  const { rows } = await db.executeQuery<Record<string, unknown>>(
    CompiledQuery.raw(`${explain} ${statement.sql}`, [...statement.parameters]),
  );
  return rows.map((row) => String(row["QUERY PLAN"] ?? row.detail)).join("\n");
}

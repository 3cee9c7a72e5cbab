/** Column types of the PostgreSQL migrations, named once so every migration uses the same ones. */
import { sql } from "kysely";

/** Text compared and sorted by code point, like SQLite's default (BINARY) collation. */
export const text = sql`text collate "C"`;

/** Times in milliseconds, sequence numbers and ids: beyond 32 bits. */
export const bigint = "bigint";

/** Repositories take the database or a transaction first, so a service can put several writes in one. */
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../schema.js";

export type Executor = Kysely<Database> | Transaction<Database>;

export * from "./open.js";
export type { Database } from "./schema.js";
export type { Executor } from "./repositories/types.js";

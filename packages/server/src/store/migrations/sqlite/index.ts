/** SQLite migrations, in order. Kept in code (not read from a folder) so the built and source trees agree. */
import type { Migration } from "kysely";
import * as initial from "./0001_initial.js";
import * as lifecycleAndTrees from "./0002_lifecycle_and_trees.js";
import * as oneContainerPerUser from "./0003_one_container_per_user.js";
import * as pruningHorizon from "./0004_pruning_horizon.js";
import * as oneRegistrationPerUser from "./0005_one_registration_per_user.js";
import * as timeIndexes from "./0006_time_indexes.js";
import * as attemptsOutcomeUnknown from "./0007_attempts_outcome_unknown.js";
import * as changesByItem from "./0008_changes_by_item.js";

export const sqliteMigrations: Record<string, Migration> = {
  "0001_initial": initial,
  "0002_lifecycle_and_trees": lifecycleAndTrees,
  "0003_one_container_per_user": oneContainerPerUser,
  "0004_pruning_horizon": pruningHorizon,
  "0005_one_registration_per_user": oneRegistrationPerUser,
  "0006_time_indexes": timeIndexes,
  "0007_attempts_outcome_unknown": attemptsOutcomeUnknown,
  "0008_changes_by_item": changesByItem,
};

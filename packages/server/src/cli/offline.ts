/**
 * Opens a Nudge database for the reading commands (`subscriptions list`, `deliveries list`)
 * without starting HTTP or the dispatcher: the same services a server uses, over the same file.
 * SQLite in WAL mode lets this read while a server is running on the file.
 */
import { existsSync } from "node:fs";
import { systemClock } from "../clock.js";
import type { Config } from "../config/defaults.js";
import { loadConfig } from "../config/load.js";
import { SecretBox } from "../crypto/secret-box.js";
import { resolveSecretsKey } from "../crypto/secrets-key.js";
import { createHttpAgent } from "../delivery/sender.js";
import { Wakeup } from "../wakeup.js";
import { buildServices, type Services } from "../services.js";
import { buildProfiles } from "../surfaces/profiles.js";
import { openDatabase } from "../store/open.js";
import { isPostgresUrl } from "../store/postgres.js";
import { keyHomeOf, prepareSecretsAtRest } from "../store/secrets-at-rest.js";
import { CliError } from "./exit.js";

export interface DatabaseFlags {
  db?: string;
  config?: string;
}

export interface OfflineServices {
  services: Services;
  config: Readonly<Config>;
  close(): Promise<void>;
}

/** The database is found as `serve` finds it: --db, else the config file, NUDGE_DB, the default. */
export async function openOffline(flags: DatabaseFlags): Promise<OfflineServices> {
  const config = loadConfig({
    file: flags.config,
    flags: flags.db === undefined ? {} : { database: { url: flags.db } },
  });
  const path = config.database.url.replace(/^sqlite:(\/\/)?/, "");
  // Opening would create an empty database; a reading command should say the file is not there.
  if (!isPostgresUrl(path) && path !== ":memory:" && !existsSync(path))
    throw new CliError(`no database at ${path} (see --db)`);
  // clientState is shown in the listings: the same key the server uses opens it.
  const secrets = new SecretBox(resolveSecretsKey(config, keyHomeOf(config.database.url)).key);
  const db = await openDatabase(config.database.url, { poolSize: 2 });
  await prepareSecretsAtRest(db, secrets).catch(async (error: unknown) => {
    await db.destroy();
    throw error;
  });
  // Reading needs no outgoing HTTP; the agent only completes the service bundle and is never used.
  const http = createHttpAgent(1);
  const context = { db, clock: systemClock, config, wakeup: new Wakeup(), secrets };
  const services = buildServices(context, http, buildProfiles(config));
  return {
    services,
    config,
    async close() {
      await http.close();
      await db.destroy();
    },
  };
}

export async function withOffline<T>(
  flags: DatabaseFlags,
  use: (o: OfflineServices) => Promise<T>,
): Promise<T> {
  const offline = await openOffline(flags);
  try {
    return await use(offline);
  } finally {
    await offline.close();
  }
}

/**
 * What every service is built with: the database, the clock, the configuration, the dispatcher's
 * doorbell, and the secret box that seals secrets stored in the database.
 */
import type { Clock } from "./clock.js";
import type { SecretBox } from "./crypto/secret-box.js";
import type { Config } from "./config/defaults.js";
import type { Wakeup } from "./wakeup.js";
import type { Db } from "./store/open.js";

export interface ServiceContext {
  db: Db;
  clock: Clock;
  config: Readonly<Config>;
  wakeup: Wakeup;
  secrets: SecretBox;
}

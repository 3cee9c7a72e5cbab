/**
 * Start-up for secrets at rest: where the key of a database lives, a refusal to run with a key that
 * does not open what is stored, and the one-time sealing of values written before encryption (so
 * that afterwards no plain clientState is left in the database).
 */
import { ConfigError } from "../config/load.js";
import type { KeyHome } from "../crypto/secrets-key.js";
import type { SecretBox } from "../crypto/secret-box.js";
import { isPostgresUrl } from "./postgres.js";
import type { Db } from "./open.js";
import { sealPlainSecrets, secretsKeyFits } from "./repositories/sealed-secrets.js";
import { sqlitePath } from "./sqlite.js";

export function keyHomeOf(databaseUrl: string): KeyHome {
  if (isPostgresUrl(databaseUrl)) return { kind: "postgres" };
  const path = sqlitePath(databaseUrl);
  return path === ":memory:" ? { kind: "memory" } : { kind: "sqlite-file", path };
}

/**
 * Checks the key and seals plain values, in one transaction. A wrong key stops the start: running
 * on would fail every notification of every subscription with a clientState. Returns how many
 * values were sealed.
 */
export async function prepareSecretsAtRest(db: Db, secrets: SecretBox): Promise<number> {
  if (!(await secretsKeyFits(db, secrets))) {
    throw new ConfigError(
      "the secrets key (secrets.key / NUDGE_SECRETS_KEY, secrets.keyFile, or the key file beside a SQLite database) is not the one this database's clientStates were encrypted with",
    );
  }
  return db.transaction().execute((trx) => sealPlainSecrets(trx, secrets));
}

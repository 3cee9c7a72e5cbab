/**
 * The secrets stored in rows, sealed with the secret box (see crypto/secret-box.ts): a subscription's
 * clientState, and the lifecycle events queued for it (they carry the clientState too). Each is
 * sealed for its row, so a value copied to another row does not open. Also the start-up step that
 * seals values written before encryption, and the check that the configured key is the one in use.
 */
import { SecretBox } from "../../crypto/secret-box.js";
import type { Executor } from "./types.js";

export const clientStateContext = (subscriptionId: string): string => `clientState:${subscriptionId}`;
export const lifecyclePayloadContext = (subscriptionId: string): string => `lifecycle:${subscriptionId}`;

export function sealClientState(
  secrets: SecretBox,
  subscriptionId: string,
  plain: string | null,
): string | null {
  return plain === null ? null : secrets.seal(plain, clientStateContext(subscriptionId));
}

export function openClientState(
  secrets: SecretBox,
  subscriptionId: string,
  stored: string | null,
): string | null {
  return stored === null ? null : secrets.open(stored, clientStateContext(subscriptionId));
}

/**
 * Seals every value still stored in plain text (rows written before encryption at rest), each
 * once: the update only matches the plain value it read, so two nodes starting together on one
 * PostgreSQL database cannot seal a value twice. Returns how many values it sealed.
 */
export async function sealPlainSecrets(db: Executor, secrets: SecretBox): Promise<number> {
  let sealed = 0;
  const subscriptions = await db
    .selectFrom("subscriptions")
    .select(["id", "client_state"])
    .where("client_state", "is not", null)
    .where("client_state", "not like", "enc1:%")
    .execute();
  for (const { id, client_state: plain } of subscriptions) {
    const result = await db
      .updateTable("subscriptions")
      .set({ client_state: sealClientState(secrets, id, plain) })
      .where("id", "=", id)
      .where("client_state", "=", plain)
      .executeTakeFirst();
    sealed += Number(result.numUpdatedRows);
  }
  const marks = await db
    .selectFrom("pending_marks")
    .select(["id", "subscription_id", "payload"])
    .where("payload", "is not", null)
    .where("payload", "not like", "enc1:%")
    .execute();
  for (const { id, subscription_id: subscriptionId, payload } of marks) {
    const result = await db
      .updateTable("pending_marks")
      .set({ payload: secrets.seal(payload!, lifecyclePayloadContext(subscriptionId)) })
      .where("id", "=", id)
      .where("payload", "=", payload)
      .executeTakeFirst();
    sealed += Number(result.numUpdatedRows);
  }
  return sealed;
}

/**
 * Whether `secrets` opens the stored values: one sealed clientState is enough to tell a wrong key
 * (every value of a database is sealed with the same one). True when none is stored yet.
 */
export async function secretsKeyFits(db: Executor, secrets: SecretBox): Promise<boolean> {
  const row = await db
    .selectFrom("subscriptions")
    .select(["id", "client_state"])
    .where("client_state", "like", "enc1:%")
    .limit(1)
    .executeTakeFirst();
  if (!row) return true;
  try {
    openClientState(secrets, row.id, row.client_state);
    return true;
  } catch {
    return false;
  }
}

export { SecretBox };

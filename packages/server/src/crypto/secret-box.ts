/**
 * Encryption at rest for the few values Nudge must give back as they were (clientState today,
 * signing secrets later): unlike tokens, which are only ever compared and so are kept hashed, these
 * are echoed to clients or sent to receivers, so they are encrypted with a key the database does
 * not hold. A copy of the database file alone then gives none of them away.
 *
 * AES-256-GCM (node:crypto) with a fresh random 12-byte IV per value, as NIST SP 800-38D asks of
 * random IVs. The text form is versioned, `enc1:<base64url(iv | tag | ciphertext)>`, so a later
 * scheme (another key, another cipher) can sit beside it. Each value is sealed for a *context* — its
 * purpose and its row, e.g. `clientState:<subscription id>` — taken in as GCM's associated data: a
 * value copied to another row, or into another column, does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const PREFIX = "enc1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRETS_KEY_BYTES = 32;

/** A sealed value that does not open: another key, another row, or damaged text. */
export class SecretUnreadableError extends Error {
  override name = "SecretUnreadableError";
}

export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== SECRETS_KEY_BYTES) throw new Error(`a secrets key has ${SECRETS_KEY_BYTES} bytes`);
    this.#key = Buffer.from(key);
  }

  /** Whether a stored value is in the sealed form (values written before encryption are not). */
  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
  }

  /** The plain value; throws SecretUnreadableError when it was not sealed with this key for `context`. */
  open(sealed: string, context: string): string {
    if (!SecretBox.isSealed(sealed)) throw new SecretUnreadableError("the value is not in a sealed form");
    const bytes = Buffer.from(sealed.slice(PREFIX.length), "base64url");
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretUnreadableError("the sealed value is truncated");
    const decipher = createDecipheriv("aes-256-gcm", this.#key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString("utf8");
    } catch {
      throw new SecretUnreadableError(
        "a stored secret does not open with the configured secrets key (secrets.key / NUDGE_SECRETS_KEY): another key sealed it, or it was copied from another row",
      );
    }
  }
}

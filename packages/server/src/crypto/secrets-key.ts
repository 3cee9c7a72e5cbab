/**
 * Where the key of the secret box comes from. Given (`secrets.key`, `secrets.keyFile`): that one.
 * Not given, on SQLite: a key generated at the first start into `<database>.key` (mode 0600) beside
 * the file and read back after — one node owns the file, so nothing needs sharing, and a copy of
 * the database alone holds no key. On PostgreSQL several nodes must share one key, and a node cannot
 * guess another's, so production refuses to start without it; dev mode (demo data on a developer's
 * machine) uses a fixed, public development key, which protects nothing and says so.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Config } from "../config/defaults.js";
import { ConfigError, isSecretsKey } from "../config/load.js";
import { SECRETS_KEY_BYTES } from "./secret-box.js";

export interface SecretsKey {
  key: Buffer;
  /** What start-up should log about the key (never the key), with its level; null when it was given. */
  notice: { level: "info" | "warn"; message: string } | null;
}

/** Where the database lives, as far as the key is concerned. */
export type KeyHome = { kind: "sqlite-file"; path: string } | { kind: "memory" } | { kind: "postgres" };

/** Public on purpose: it is in the source. Only dev mode on PostgreSQL without a key uses it. */
const DEV_KEY = Buffer.alloc(SECRETS_KEY_BYTES, "nudge development key, not secret");

export function resolveSecretsKey(config: Readonly<Config>, home: KeyHome): SecretsKey {
  const { key, keyFile } = config.secrets;
  if (key !== null) return { key: Buffer.from(key.trim(), "base64"), notice: null };
  if (keyFile !== null) return { key: readKeyFile(keyFile, "secrets.keyFile"), notice: null };
  switch (home.kind) {
    case "memory":
      // The database dies with the process, and its secrets with it.
      return { key: randomBytes(SECRETS_KEY_BYTES), notice: null };
    case "sqlite-file":
      return keyBeside(`${home.path}.key`);
    case "postgres":
      if (!config.server.dev) {
        throw new ConfigError(
          "invalid configuration:\n  secrets.key: PostgreSQL needs a secrets key that every node shares (secrets.key / NUDGE_SECRETS_KEY, base64 of 32 bytes: openssl rand -base64 32, or secrets.keyFile / NUDGE_SECRETS_KEY_FILE); clientState is encrypted with it",
        );
      }
      return {
        key: DEV_KEY,
        notice: {
          level: "warn",
          message:
            "dev mode on PostgreSQL without secrets.key (NUDGE_SECRETS_KEY): clientState is encrypted with the public development key, which protects nothing",
        },
      };
  }
}

/** The key file beside a SQLite database: read it, or make it (0600, never overwriting one). */
function keyBeside(path: string): SecretsKey {
  if (existsSync(path)) {
    return {
      key: readKeyFile(path, "the key file"),
      notice: { level: "info", message: `secrets key read from ${path}` },
    };
  }
  const key = randomBytes(SECRETS_KEY_BYTES);
  mkdirSync(dirname(path), { recursive: true });
  // "wx": if another process made it in between, fail rather than replace a key already in use.
  writeFileSync(path, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  return {
    key,
    notice: {
      level: "info",
      message: `secrets key generated into ${path}; keep it with the database (without it no clientState can be read)`,
    },
  };
}

function readKeyFile(path: string, setting: string): Buffer {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read ${setting} ${path}: ${(error as Error).message}`);
  }
  if (!isSecretsKey(text)) throw new ConfigError(`${setting} ${path} must hold base64 of 32 bytes`);
  return Buffer.from(text.trim(), "base64");
}

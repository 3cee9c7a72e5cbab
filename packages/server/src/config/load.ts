/**
 * Loads the one configuration object: defaults < file < NUDGE_* environment < flags. This is the
 * only module that reads process.env. The result is validated (messages name the field) and frozen.
 */
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { defaultConfig, type Config } from "./defaults.js";
import { configSchema } from "./schema.js";

export type { Config } from "./defaults.js";

/** A partial configuration, as a file, the environment or flags give it. */
export type ConfigPatch = { [K in keyof Config]?: Config[K] extends object ? Partial<Config[K]> : Config[K] };

/** Environment variables and the setting each one sets. docs/configuration.md lists the same table. */
export const environmentVariables: Record<string, string> = {
  NUDGE_HOST: "server.host",
  NUDGE_PORT: "server.port",
  NUDGE_DEV: "server.dev",
  NUDGE_BODY_LIMIT_BYTES: "server.bodyLimitBytes",
  NUDGE_CREDENTIALS_OUT: "server.credentialsOut",
  NUDGE_TLS_CERT: "server.tls.certFile",
  NUDGE_TLS_KEY: "server.tls.keyFile",
  NUDGE_TLS_SELF_SIGNED: "server.tls.selfSigned",
  NUDGE_ROLE: "server.role",
  NUDGE_DB: "database.url",
  NUDGE_DB_POOL_SIZE: "database.poolSize",
  NUDGE_ADMIN_TOKEN: "adminToken",
  NUDGE_SECRETS_KEY: "secrets.key",
  NUDGE_SECRETS_KEY_FILE: "secrets.keyFile",
  NUDGE_LOG_LEVEL: "log.level",
  NUDGE_NODE_ID: "nodeId",
  NUDGE_HANDSHAKE_TIMEOUT_MS: "handshake.timeoutMs",
  NUDGE_MAX_LIFETIME_DAYS: "subscriptions.maxLifetimeDays",
  NUDGE_DEFAULT_LIFETIME_DAYS: "subscriptions.defaultLifetimeDays",
  NUDGE_EXPIRED_GRACE_DAYS: "subscriptions.expiredGraceDays",
  NUDGE_GRAPH_MAX_LIFETIME_MINUTES: "surfaces.graph.maxLifetimeMinutes",
  NUDGE_GRAPH_HANDSHAKE_TIMEOUT_MS: "surfaces.graph.handshakeTimeoutMs",
  NUDGE_GRAPH_REAUTHORIZATION_LEAD_MINUTES: "surfaces.graph.reauthorizationLeadMinutes",
  NUDGE_COALESCE_WINDOW_MS: "delivery.coalesceWindowMs",
  NUDGE_MAX_BATCH_SIZE: "delivery.maxBatchSize",
  NUDGE_DELIVERY_TIMEOUT_MS: "delivery.timeoutMs",
  NUDGE_ENDPOINT_CONCURRENCY: "delivery.endpointConcurrency",
  NUDGE_GLOBAL_CONCURRENCY: "delivery.globalConcurrency",
  NUDGE_SLOW_AFTER_MS: "delivery.slowAfterMs",
  NUDGE_PARK_AFTER_TIMEOUTS: "delivery.parkAfterTimeouts",
  NUDGE_RESPONSE_BODY_LIMIT_BYTES: "delivery.responseBodyLimitBytes",
  NUDGE_POLL_INTERVAL_MS: "delivery.pollIntervalMs",
  NUDGE_LEASE_MS: "delivery.leaseMs",
  NUDGE_DISABLE_AFTER_DROPS: "delivery.disableAfterDrops",
  NUDGE_NATIVE_RETRY_SECONDS: "delivery.nativeRetrySeconds",
  NUDGE_DELIVERY_THREAD: "delivery.thread",
  NUDGE_JOURNAL_RETENTION_DAYS: "journal.retentionDays",
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

export interface LoadOptions {
  /** Path of a JSON config file (also NUDGE_CONFIG). */
  file?: string | undefined;
  /** The environment to read; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Settings from command-line flags, already in config shape. */
  flags?: ConfigPatch;
}

export function loadConfig(options: LoadOptions = {}): Readonly<Config> {
  const env = options.env ?? process.env;
  const file = options.file ?? env.NUDGE_CONFIG;
  let merged: unknown = structuredClone(defaultConfig);
  if (file) merged = merge(merged, readConfigFile(file));
  merged = merge(merged, fromEnvironment(env));
  if (options.flags) merged = merge(merged, options.flags);
  return validateConfig(merged);
}

export function validateConfig(candidate: unknown): Readonly<Config> {
  const ajv = new Ajv({ allErrors: true });
  const validate = ajv.compile(configSchema);
  if (!validate(candidate)) {
    const problems = (validate.errors ?? []).map((e) => {
      const field = e.instancePath.replace(/^\//, "").replaceAll("/", ".") || "(root)";
      const extra = e.keyword === "additionalProperties" ? ` '${String(e.params.additionalProperty)}'` : "";
      return `${field}: ${e.message ?? "is not valid"}${extra}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${problems.join("\n  ")}`);
  }
  const config = candidate as Config;
  if (config.subscriptions.defaultLifetimeDays > config.subscriptions.maxLifetimeDays) {
    throw new ConfigError(
      "invalid configuration:\n  subscriptions.defaultLifetimeDays: must not exceed subscriptions.maxLifetimeDays",
    );
  }
  if (config.server.role !== "all" && !/^postgres(ql)?:\/\//i.test(config.database.url)) {
    throw new ConfigError(
      `invalid configuration:\n  server.role: '${config.server.role}' needs a PostgreSQL database (database.url postgres://…); a SQLite file serves one node, role 'all'`,
    );
  }
  // A lease that can end while its delivery is still waiting for an answer would let a second node
  // send the same notifications at the same time.
  if (config.delivery.leaseMs <= config.delivery.timeoutMs) {
    throw new ConfigError(
      "invalid configuration:\n  delivery.leaseMs: must be longer than delivery.timeoutMs (a claim must outlast its delivery)",
    );
  }
  const secretsProblem = checkSecrets(config.secrets);
  if (secretsProblem) throw new ConfigError(`invalid configuration:\n  ${secretsProblem}`);
  const tlsProblem = checkTls(config.server.tls);
  if (tlsProblem) throw new ConfigError(`invalid configuration:\n  server.tls: ${tlsProblem}`);
  return deepFreeze(config);
}

/** A certificate needs its key (and the reverse); a given pair and a self-signed one exclude each other. */
function checkTls(tls: Config["server"]["tls"]): string | null {
  if ((tls.certFile === null) !== (tls.keyFile === null))
    return "certFile and keyFile must be given together";
  if (tls.certFile !== null && tls.selfSigned)
    return "give either certFile and keyFile or selfSigned, not both";
  return null;
}

/** A key is 32 bytes in base64 (`openssl rand -base64 32`); a key and a key file exclude each other. */
function checkSecrets(secrets: Config["secrets"]): string | null {
  if (secrets.key !== null && secrets.keyFile !== null)
    return "secrets: give either key or keyFile, not both";
  if (secrets.key !== null && !isSecretsKey(secrets.key))
    return "secrets.key: must be base64 of 32 random bytes (openssl rand -base64 32)";
  return null;
}

/** Standard base64 (or base64url) text of exactly 32 bytes. */
export function isSecretsKey(text: string): boolean {
  const trimmed = text.trim();
  return /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed) && Buffer.from(trimmed, "base64").length === 32;
}

function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

function fromEnvironment(env: Record<string, string | undefined>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [name, path] of Object.entries(environmentVariables)) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    setPath(patch, path, coerce(path, raw, name));
  }
  return patch;
}

/** Environment values are strings; turn them into the type the default has. */
function coerce(path: string, raw: string, name: string): unknown {
  const sample = getPath(defaultConfig, path);
  if (typeof sample === "number") return decimal(raw, name);
  if (typeof sample === "boolean") {
    if (!["true", "false", "1", "0"].includes(raw))
      throw new ConfigError(`${name}: '${raw}' is not true or false`);
    return raw === "true" || raw === "1";
  }
  if (Array.isArray(sample)) return raw.split(",").map((part) => decimal(part.trim(), name));
  return raw;
}

/** A plain decimal number: `Number()` alone would take " " as 0 and "0x10" as 16. */
function decimal(raw: string, name: string): number {
  if (!/^-?\d+(\.\d+)?$/.test(raw.trim())) throw new ConfigError(`${name}: '${raw}' is not a number`);
  return Number(raw);
}

function getPath(target: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], target);
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

function merge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    out[key] = merge(base[key], value);
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

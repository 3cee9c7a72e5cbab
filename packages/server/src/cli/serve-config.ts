/**
 * Turns `nudge serve` flags into configuration. Only flags actually given become a ConfigPatch,
 * so the precedence defaults < file < NUDGE_* environment < flags holds (config/load.ts merges).
 */
import { randomBytes } from "node:crypto";
import type { Config } from "../config/defaults.js";
import { ConfigError, loadConfig, validateConfig, type ConfigPatch } from "../config/load.js";

export interface ServeFlags {
  port?: string;
  host?: string;
  db?: string;
  config?: string;
  dev?: boolean;
  credentialsOut?: string;
  logLevel?: string;
  coalesceWindowMs?: string;
  adminToken?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsSelfSigned?: boolean;
  role?: string;
}

/** Each flag, the setting it sets, and how its text becomes a value. */
const flagSettings: Array<{ flag: keyof ServeFlags; option: string; path: string; integer?: boolean }> = [
  { flag: "port", option: "--port", path: "server.port", integer: true },
  { flag: "host", option: "--host", path: "server.host" },
  { flag: "db", option: "--db", path: "database.url" },
  { flag: "role", option: "--role", path: "server.role" },
  { flag: "dev", option: "--dev", path: "server.dev" },
  { flag: "credentialsOut", option: "--credentials-out", path: "server.credentialsOut" },
  { flag: "logLevel", option: "--log-level", path: "log.level" },
  {
    flag: "coalesceWindowMs",
    option: "--coalesce-window-ms",
    path: "delivery.coalesceWindowMs",
    integer: true,
  },
  { flag: "adminToken", option: "--admin-token", path: "adminToken" },
  { flag: "tlsCert", option: "--tls-cert", path: "server.tls.certFile" },
  { flag: "tlsKey", option: "--tls-key", path: "server.tls.keyFile" },
  { flag: "tlsSelfSigned", option: "--tls-self-signed", path: "server.tls.selfSigned" },
];

export function flagsToPatch(flags: ServeFlags): ConfigPatch {
  const patch: Record<string, unknown> = {};
  for (const { flag, option, path, integer } of flagSettings) {
    const raw = flags[flag];
    if (raw === undefined) continue;
    let value: unknown = raw;
    if (integer) {
      if (!/^-?\d+$/.test(String(raw))) {
        throw new ConfigError(`invalid configuration:\n  ${path} (${option}): '${raw}' is not an integer`);
      }
      value = Number(raw);
    }
    setPath(patch, path, value);
  }
  return patch as ConfigPatch;
}

/** Sets `a.b.c` in a nested object, making the objects on the way. */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

/** Loads the configuration `nudge serve` runs with (throws ConfigError, which exits 2). */
export function loadServeConfig(flags: ServeFlags): Readonly<Config> {
  return loadConfig({ file: flags.config, flags: flagsToPatch(flags) });
}

/**
 * Dev mode must be usable without setup, including the admin API: with no admin token
 * configured, one is generated for this run (and printed, and written to the credentials file).
 */
export function withDevAdminToken(config: Readonly<Config>): {
  config: Readonly<Config>;
  generated: boolean;
} {
  if (!config.server.dev || config.adminToken) return { config, generated: false };
  const adminToken = `nudge-admin-${randomBytes(24).toString("base64url")}`;
  return { config: validateConfig({ ...structuredClone(config), adminToken }), generated: true };
}

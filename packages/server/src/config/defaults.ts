/**
 * Every setting Nudge has, with its default. docs/configuration.md explains each one; the order of
 * precedence is defaults < config file < NUDGE_* environment < command-line flags.
 */
export interface Config {
  server: {
    host: string;
    port: number;
    /** Dev mode seeds an empty database with a demo tenant, app, users and tokens. */
    dev: boolean;
    /** Largest request body accepted, in bytes. */
    bodyLimitBytes: number;
    /** Where dev mode writes the demo credentials as JSON (optional). */
    credentialsOut: string | null;
    /**
     * HTTPS: a certificate and key (PEM files), or a self-signed pair for localhost made at start.
     * Neither: plain HTTP. The Graph JS client sends its token only to https:// hosts.
     */
    tls: { certFile: string | null; keyFile: string | null; selfSigned: boolean };
    /**
     * What this node does: `all` (the HTTP API and the delivery dispatcher), `api` (HTTP only) or
     * `dispatcher` (delivery only, plus /health). `api` and `dispatcher` need PostgreSQL.
     */
    role: "all" | "api" | "dispatcher";
  };
  database: {
    /** A SQLite file path (or `:memory:`), or a `postgres://` URL (several nodes on one database). */
    url: string;
    /** PostgreSQL: most connections one node holds open. */
    poolSize: number;
  };
  /** Bearer token that guards /admin/*. Null disables the admin API (dev mode generates one). */
  adminToken: string | null;
  /**
   * The key that encrypts secrets at rest (clientState): base64 of 32 bytes, given directly or in
   * a file. Neither: SQLite keeps a generated key beside the database; PostgreSQL needs one given.
   */
  secrets: { key: string | null; keyFile: string | null };
  log: { level: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent" };
  /** Name of this node in leases and logs. */
  nodeId: string | null;
  handshake: {
    /** How long a receiver has to echo the validation token (SharePoint: 5 s). */
    timeoutMs: number;
  };
  subscriptions: {
    /** Longest lifetime a subscription may ask for, and the lifetime when it asks for none. */
    maxLifetimeDays: number;
    defaultLifetimeDays: number;
    /** How long an expired subscription stays listed (and renewable) before it is removed. */
    expiredGraceDays: number;
  };
  /** Settings of single surfaces. */
  surfaces: {
    graph: {
      /** Longest (and default) lifetime of a Graph subscription; Graph caps driveItem at 42,300 minutes. */
      maxLifetimeMinutes: number;
      /** How long a receiver has to echo Graph's validationToken (Graph: 10 s). */
      handshakeTimeoutMs: number;
      /** reauthorizationRequired goes to the lifecycle URL this long before expiry. */
      reauthorizationLeadMinutes: number;
    };
  };
  delivery: {
    /** Changes within this window after the first are combined into one notification. 0 = immediate. */
    coalesceWindowMs: number;
    /** Most notifications in one POST. */
    maxBatchSize: number;
    /** A POST that has not answered within this time has failed. */
    timeoutMs: number;
    /** Most deliveries in flight to one notification URL (per node). */
    endpointConcurrency: number;
    /** Most deliveries in flight from one node (not counting slow ones, see slowAfterMs). */
    globalConcurrency: number;
    /**
     * A POST unanswered this long is slow: it stops counting toward globalConcurrency (up to four
     * times that many in all), so receivers that hang cannot take a healthy receiver's slots.
     */
    slowAfterMs: number;
    /**
     * An endpoint (scheme, host and port) whose POSTs time out this many times in a row is parked:
     * its notifications wait, unclaimed, until a probe on the native retry schedule gets an answer.
     */
    parkAfterTimeouts: number;
    /** Most response-body bytes read (and kept for the attempt record). */
    responseBodyLimitBytes: number;
    /** How often the dispatcher looks for due work when nothing wakes it. */
    pollIntervalMs: number;
    /** A claim lasts this long; a node that dies loses its claims when it ends. */
    leaseMs: number;
    /** A subscription whose notifications are dropped this many times in a row is disabled. */
    disableAfterDrops: number;
    /** Retry schedule of the native surface, in seconds after each failure. */
    nativeRetrySeconds: number[];
    /**
     * Where the dispatcher runs: `worker` (a thread of its own, so delivery work never delays the
     * API) or `main` (the API's thread). A fake clock or `:memory:` database always means `main`.
     */
    thread: "worker" | "main";
  };
  journal: {
    /** Changes older than this are pruned; a change token from before the cut gets 410 Gone. */
    retentionDays: number;
  };
}

export const defaultConfig: Config = {
  server: {
    host: "127.0.0.1",
    port: 8080,
    dev: false,
    bodyLimitBytes: 1024 * 1024,
    credentialsOut: null,
    tls: { certFile: null, keyFile: null, selfSigned: false },
    role: "all",
  },
  database: { url: "nudge.db", poolSize: 10 },
  adminToken: null,
  secrets: { key: null, keyFile: null },
  log: { level: "info" },
  nodeId: null,
  handshake: { timeoutMs: 5000 },
  subscriptions: { maxLifetimeDays: 180, defaultLifetimeDays: 180, expiredGraceDays: 7 },
  surfaces: {
    graph: { maxLifetimeMinutes: 42_300, handshakeTimeoutMs: 10_000, reauthorizationLeadMinutes: 60 },
  },
  delivery: {
    coalesceWindowMs: 1000,
    maxBatchSize: 100,
    timeoutMs: 5000,
    endpointConcurrency: 4,
    globalConcurrency: 256,
    slowAfterMs: 1000,
    parkAfterTimeouts: 5,
    responseBodyLimitBytes: 4096,
    pollIntervalMs: 250,
    leaseMs: 60_000,
    disableAfterDrops: 3,
    nativeRetrySeconds: [5, 30, 120, 600, 1800, 3600],
    thread: "worker",
  },
  journal: { retentionDays: 30 },
};

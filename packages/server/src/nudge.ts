/**
 * One Nudge node: the database, the services, the HTTP app and the dispatcher, with a start and a
 * graceful stop. `nudge serve` runs one; tests and benchmarks make their own with a fake clock.
 * `server.role` picks what the node does: the API and the dispatcher (`all`), or one of them, for
 * several nodes sharing one PostgreSQL database.
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import type { Agent } from "undici";
import { isFakeClock, systemClock, type Clock } from "./clock.js";
import type { Config } from "./config/defaults.js";
import type { ServiceContext } from "./context.js";
import { DeliveryDispatcher } from "./delivery/dispatcher.js";
import { releaseLostClaims } from "./delivery/lost-claims.js";
import { createHttpAgent } from "./delivery/sender.js";
import { Wakeup } from "./wakeup.js";
import { DeliveryThread, type DeliveryEngine } from "./node/delivery-thread.js";
import { buildApp } from "./app/app.js";
import { loadTls, type TlsMaterial } from "./http/tls.js";
import { SecretBox } from "./crypto/secret-box.js";
import { resolveSecretsKey } from "./crypto/secrets-key.js";
import { seedDemo, type DemoCredentials } from "./identity/demo.js";
import { buildServices, type Services } from "./services.js";
import { buildProfiles } from "./surfaces/profiles.js";
import { sql } from "kysely";
import { isPostgres } from "./store/dialect.js";
import { openDatabase, type Db } from "./store/open.js";
import { sqlitePath } from "./store/sqlite.js";
import { isPostgresUrl } from "./store/postgres.js";
import { keyHomeOf, prepareSecretsAtRest } from "./store/secrets-at-rest.js";
import { WRITERS, WriteTurn } from "./store/write-turn.js";
import { PostgresWakeups } from "./store/postgres-wakeups.js";

export interface NudgeOptions {
  config: Readonly<Config>;
  clock?: Clock;
  logger?: Logger;
}

export class Nudge {
  /** The dispatcher, on this thread or in a delivery thread of its own (node/delivery-thread.ts). */
  readonly dispatcher: DeliveryEngine;
  #janitor: NodeJS.Timeout | null = null;
  #ready = false;
  /** Set when dev mode seeded an empty database. */
  demo: DemoCredentials | null = null;

  private constructor(
    readonly config: Readonly<Config>,
    readonly db: Db,
    readonly services: Services,
    readonly app: FastifyInstance,
    readonly http: Agent,
    readonly logger: Logger,
    readonly nodeId: string,
    /** Rung after every committed write; whoever writes marks outside the services rings it too. */
    readonly wakeup: Wakeup,
    /** The certificate HTTPS serves with (its file, for clients to trust); null for plain HTTP. */
    readonly tls: TlsMaterial | null,
    /** Set when the dispatcher runs in a thread of its own. */
    thread: { secretsKey: Buffer; writeTurn: WriteTurn | undefined } | null,
    /** PostgreSQL: wake-ups between nodes (LISTEN/NOTIFY). */
    private readonly wakeups: PostgresWakeups | null = null,
  ) {
    if (thread) {
      this.dispatcher = new DeliveryThread({
        config,
        nodeId,
        secretsKey: thread.secretsKey,
        wakeup,
        logger,
        writeTurn: thread.writeTurn,
      });
      return;
    }
    this.dispatcher = new DeliveryDispatcher({
      db,
      clock: services.clock,
      config,
      wakeup,
      http,
      profiles: services.profiles,
      logger,
      nodeId,
      secrets: services.ctx.secrets,
    });
  }

  static async open(options: NudgeOptions): Promise<Nudge> {
    const { config } = options;
    // First, so a bad certificate fails before the database is opened.
    const tls = await loadTls(config);
    const logger = options.logger ?? pino({ level: config.log.level });
    // Before the database, so PostgreSQL without a shared key is refused before anything is written.
    const secretsKey = resolveSecretsKey(config, keyHomeOf(config.database.url));
    // SQLite: the main thread and the delivery thread hand the write lock to each other (write-turn.ts).
    const writeTurn =
      deliversInThread(options) && !isPostgresUrl(config.database.url)
        ? WriteTurn.create(WRITERS.api)
        : undefined;
    const db = await openDatabase(config.database.url, {
      ...(writeTurn && { writeTurn }),
      poolSize: config.database.poolSize,
      // Reconnecting is the pool's work (the next query opens a new connection); this is for the log.
      onIdleError: (err) => logger.warn({ err }, "database connection lost; reconnecting on next use"),
      onWarning: (message) => logger.warn(message),
    });
    if (secretsKey.notice) logger[secretsKey.notice.level](secretsKey.notice.message);
    const secrets = new SecretBox(secretsKey.key);
    const sealed = await prepareSecretsAtRest(db, secrets).catch(async (error: unknown) => {
      await db.destroy();
      throw error;
    });
    if (sealed > 0) logger.info({ sealed }, "clientStates stored in plain text are now encrypted");
    const wakeup = new Wakeup();
    // On PostgreSQL the services' rings also wake the other nodes' dispatchers (postgres-wakeups.ts).
    const wakeups = isPostgres(db) ? await PostgresWakeups.open(config.database.url, db, logger) : null;
    const writes = wakeups ? new Wakeup() : wakeup;
    wakeups?.relay(writes, wakeup);
    const ctx: ServiceContext = { db, clock: options.clock ?? systemClock, config, wakeup: writes, secrets };
    const http = createHttpAgent(config.delivery.globalConcurrency);
    const services = buildServices(ctx, http, buildProfiles(config));
    const nodeId = config.nodeId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
    const holder: { nudge?: Nudge } = {};
    const app = await buildApp({
      services,
      logger,
      ready: () => holder.nudge?.isReady ?? false,
      https: tls ? { key: tls.key, cert: tls.cert } : undefined,
      checkDatabase: () => sql`select 1`.execute(db),
      role: config.server.role,
    });
    const thread = deliversInThread(options) ? { secretsKey: secretsKey.key, writeTurn } : null;
    holder.nudge = new Nudge(config, db, services, app, http, logger, nodeId, wakeup, tls, thread, wakeups);
    return holder.nudge;
  }

  /** Starts serving and delivering. Returns the base URL. */
  async start(): Promise<string> {
    if (this.config.server.dev && (await this.services.identity.isEmpty())) {
      this.demo = await seedDemo(this.services.identity);
      // Scripts and CI jobs that read the credentials file also need the admin token.
      if (this.config.adminToken) this.demo.adminToken = this.config.adminToken;
    }
    this.#warnWithoutAdminToken();
    const delivers = this.config.server.role !== "api";
    if (delivers) await this.#releaseStaleClaims();
    const address = await this.app.listen({ port: this.config.server.port, host: this.config.server.host });
    if (delivers) {
      await this.wakeups?.listen(this.wakeup);
      this.dispatcher.start();
      this.#janitor = setInterval(() => {
        this.services.subscriptions.purgeExpired().catch((err) => this.logger.error({ err }, "purge failed"));
        this.services.feed.prune().catch((err) => this.logger.error({ err }, "journal pruning failed"));
      }, 60_000);
      this.#janitor.unref();
    }
    this.#ready = true;
    if (this.demo && this.config.server.credentialsOut) {
      writeFileSync(this.config.server.credentialsOut, JSON.stringify(this.demo, null, 2) + "\n", {
        mode: 0o600,
      });
    }
    return address;
  }

  /**
   * Embedded SQLite has one node: claims left by a previous process (killed mid-delivery) are stale
   * the moment this one starts, so they are released rather than waited out. On PostgreSQL other
   * nodes hold live claims: only this node's own (a restart under the same `nodeId`) are released,
   * and a dead node's claims are taken over when their lease ends.
   */
  async #releaseStaleClaims(): Promise<void> {
    await releaseLostClaims(this.db, {
      nodeId: this.nodeId,
      ownOnly: isPostgres(this.db),
      leaseMs: this.config.delivery.leaseMs,
    });
  }

  /**
   * Production without an admin token is a working node whose operators cannot manage it: every
   * /admin call answers 403 adminDisabled. That is allowed (the API can be switched off on
   * purpose), but never silently. Dev mode always has one (the CLI generates it).
   */
  #warnWithoutAdminToken(): void {
    if (this.config.server.dev || this.config.adminToken !== null || this.config.server.role === "dispatcher")
      return;
    this.logger.warn(
      "no admin token (adminToken / NUDGE_ADMIN_TOKEN): the admin API is disabled, every /admin request answers 403 adminDisabled",
    );
  }

  get isReady(): boolean {
    return this.#ready;
  }

  get url(): string {
    const address = this.app.server.address();
    if (!address || typeof address === "string") throw new Error("not listening");
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return `${this.tls ? "https" : "http"}://${host}:${address.port}`;
  }

  /** Graceful stop: no new requests, in-flight deliveries finish or are released, then the database closes. */
  async stop(): Promise<void> {
    this.#ready = false;
    if (this.#janitor) clearInterval(this.#janitor);
    await this.app.close();
    await this.dispatcher.stop();
    await this.wakeups?.close();
    await this.http.close();
    await this.db.destroy();
  }
}

/**
 * Whether the dispatcher gets a thread of its own. Not on a fake clock (its moves happen on this
 * thread), not with a caller's logger (the caller reads its lines here), not on `:memory:` (a
 * second connection would open another, empty database), and not when configured otherwise.
 */
function deliversInThread(options: NudgeOptions): boolean {
  const { config } = options;
  if (config.delivery.thread !== "worker" || config.server.role === "api") return false;
  if (options.logger || (options.clock && isFakeClock(options.clock))) return false;
  return isPostgresUrl(config.database.url) || sqlitePath(config.database.url) !== ":memory:";
}

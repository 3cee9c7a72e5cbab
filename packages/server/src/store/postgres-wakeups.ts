/**
 * Wake-ups between the nodes of a cluster, through PostgreSQL's LISTEN/NOTIFY. A node that
 * commits a change rings its own dispatcher and sends one NOTIFY (at most one per turn of its event
 * loop); every dispatcher node LISTENs and rings its dispatcher when one arrives. Without it a
 * dispatcher node learned of a change written by another node only at its next poll
 * (`delivery.pollIntervalMs`, 250 ms): an api node's changes waited that long on average.
 *
 * The poll stays as the safety net: a notification lost while the listening connection is down
 * (PostgreSQL restarting) costs at most one poll interval. The channel is named after the
 * connection's schema, so nodes sharing a database in different schemas do not wake each other.
 */
import pg from "pg";
import { sql } from "kysely";
import type { Logger } from "pino";
import type { Wakeup } from "../wakeup.js";
import type { Db } from "./open.js";

const RECONNECT_MS = 1000;

export class PostgresWakeups {
  #listener: pg.Client | null = null;
  #closed = false;
  #notifyQueued = false;
  #relaying = false;
  #reconnect: NodeJS.Timeout | null = null;

  private constructor(
    private readonly url: string,
    private readonly db: Db,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {}

  static async open(url: string, db: Db, logger: Logger): Promise<PostgresWakeups> {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    const schema = (rows[0]?.schema ?? "public").toLowerCase().replace(/[^a-z0-9_]/g, "_");
    return new PostgresWakeups(url, db, `nudge_wakeup_${schema}`.slice(0, 63), logger);
  }

  /**
   * Rings from committed writes (`writes`) ring this node's dispatcher (`local`) and the others'.
   * Rings that came in as notifications are not sent out again.
   */
  relay(writes: Wakeup, local: Wakeup): void {
    writes.onRing(() => {
      local.ring();
      if (this.#relaying || this.#notifyQueued || this.#closed) return;
      this.#notifyQueued = true;
      queueMicrotask(() => {
        this.#notifyQueued = false;
        sql`select pg_notify(${this.channel}, '')`
          .execute(this.db)
          .catch((err: unknown) => this.logger.debug({ err }, "could not notify the other nodes"));
      });
    });
  }

  /** Rings `local` whenever another node (or this one) has committed a change. */
  async listen(local: Wakeup): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 10_000 });
    const retry = (err?: unknown) => {
      if (err)
        this.logger.warn({ err }, "the wake-up connection to PostgreSQL broke; polling until it is back");
      if (this.#listener === client) this.#listener = null;
      void client.end().catch(() => undefined);
      if (this.#closed || this.#reconnect) return;
      this.#reconnect = setTimeout(() => {
        this.#reconnect = null;
        void this.listen(local);
      }, RECONNECT_MS);
      this.#reconnect.unref();
    };
    client.on("error", retry);
    client.on("notification", () => {
      this.#relaying = true;
      try {
        local.ring();
      } finally {
        this.#relaying = false;
      }
    });
    try {
      await client.connect();
      await client.query(`listen "${this.channel}"`);
      this.#listener = client;
      // Whatever was committed while the connection was down is found by a round now.
      local.ring();
    } catch (err) {
      retry(err);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#reconnect) clearTimeout(this.#reconnect);
    await this.#listener?.end().catch(() => undefined);
    this.#listener = null;
  }
}

/**
 * Looks for subscriptions near expiry every half minute of clock time and queues their
 * reauthorizationRequired events (reauthorization.ts), on a timer of its own: a claim round is
 * about sending what is due, and must not also wait for a scan of the subscriptions. Queued events
 * ring the Wakeup, so the dispatcher sends them at once.
 *
 * On a FakeClock the scheduler also looks whenever the clock moves, as the dispatcher does: a test
 * that moves the clock an hour expects the warnings of that hour without real time passing.
 */
import type { Logger } from "pino";
import { isFakeClock, type Clock } from "../clock.js";
import type { SecretBox } from "../crypto/secret-box.js";
import type { SurfaceProfiles } from "../policy/profile.js";
import type { Db } from "../store/open.js";
import type { Wakeup } from "../wakeup.js";
import { queueReauthorizations } from "./reauthorization.js";

/** Clock time between two scans. */
export const REAUTHORIZATION_SCAN_MS = 30_000;

export interface ReauthorizationDeps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  profiles: SurfaceProfiles;
  wakeup: Wakeup;
  logger: Logger;
}

export class ReauthorizationScheduler {
  #lastScan = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | null = null;
  #unsubscribeClock: (() => void) | null = null;
  #scanning: Promise<void> | null = null;
  /** The clock moved (or the timer fired) during a scan: look again when it ends. */
  #again = false;
  #stopped = false;

  constructor(private readonly deps: ReauthorizationDeps) {}

  start(): void {
    const { clock } = this.deps;
    if (isFakeClock(clock)) this.#unsubscribeClock = clock.onMove(() => this.#tick());
    this.#timer = setInterval(() => this.#tick(), REAUTHORIZATION_SCAN_MS);
    this.#timer.unref();
    this.#tick();
  }

  /** Stops the timer and waits for a scan under way. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribeClock?.();
    if (this.#timer) clearInterval(this.#timer);
    await this.#scanning;
  }

  #tick(): void {
    if (this.#stopped) return;
    if (this.#scanning) {
      this.#again = true;
      return;
    }
    this.#scanning = this.#scanIfDue().finally(() => {
      this.#scanning = null;
      if (!this.#again) return;
      this.#again = false;
      this.#tick();
    });
  }

  async #scanIfDue(): Promise<void> {
    const { db, clock, secrets, profiles, wakeup, logger } = this.deps;
    const now = clock.now();
    if (now - this.#lastScan < REAUTHORIZATION_SCAN_MS) return;
    try {
      const queued = await queueReauthorizations(db, secrets, profiles, now);
      this.#lastScan = now;
      if (queued > 0) wakeup.ring();
    } catch (error) {
      // The next tick tries again; a failed scan must not stop the timer.
      logger.error({ err: error }, "looking for subscriptions near expiry failed");
    }
  }
}

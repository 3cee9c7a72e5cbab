/**
 * The dispatcher's side of the endpoint breaker (endpoint-breaker.ts): it tells the breaker how
 * each POST ended, defers a parked endpoint's waiting marks in the database, and shows a round's
 * claim budget which endpoints are parked or probed.
 */
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { Config } from "../config/defaults.js";
import type { Db } from "../store/open.js";
import { deferEndpointMarks } from "../store/repositories/endpoint-marks.js";
import type { EndpointView } from "./claim-budget.js";
import { EndpointBreaker, endpointOf } from "./endpoint-breaker.js";
import type { InFlight } from "./in-flight.js";
import type { SendResult } from "./sender.js";

export class EndpointGuard {
  readonly #breaker: EndpointBreaker;
  /** When each endpoint last answered a POST (real time), to tell a proven one from an unknown one. */
  readonly #answeredAt = new Map<string, number>();

  constructor(
    private readonly deps: { db: Db; clock: Clock; config: Readonly<Config>; logger: Logger },
    private readonly inFlight: InFlight,
  ) {
    this.#breaker = new EndpointBreaker({
      parkAfterTimeouts: deps.config.delivery.parkAfterTimeouts,
      parkSeconds: deps.config.delivery.nativeRetrySeconds,
    });
  }

  /** What a round's budget sees (nothing to look up while every endpoint answers). */
  view(now: number): EndpointView {
    const breaker = this.#breaker;
    const { byEndpoint, slowByEndpoint } = this.inFlight;
    const { globalConcurrency, slowAfterMs } = this.deps.config.delivery;
    const cap = Math.ceil(globalConcurrency / 4);
    const provenSince = performance.now() - slowAfterMs;
    return {
      any: true,
      state: (endpoint) => breaker.state(endpoint, now),
      inFlight: (endpoint) => byEndpoint.get(endpoint) ?? 0,
      // An endpoint may have a quarter of the node's cap slow; and one that has answered nothing
      // within slowAfterMs (new, or hanging) a quarter in flight at all, so that a black hole
      // does not fill the node's slots in the second before its first POSTs turn slow.
      saturated: (endpoint) =>
        (slowByEndpoint.get(endpoint) ?? 0) >= cap ||
        ((byEndpoint.get(endpoint) ?? 0) >= cap &&
          (this.#answeredAt.get(endpoint) ?? -Infinity) < provenSince),
    };
  }

  /** Hears how a POST to `url` ended; an endpoint this parks has its waiting marks deferred. */
  async hear(url: string, result: SendResult): Promise<void> {
    const outcome = result.timedOut ? "timed-out" : result.statusCode !== null ? "answered" : "unreachable";
    const endpoint = endpointOf(url);
    if (outcome === "answered") this.#noteAnswer(endpoint);
    const until = this.#breaker.record(endpoint, outcome, this.deps.clock.now());
    if (until === null) return;
    const deferred = await deferEndpointMarks(this.deps.db, endpoint, until);
    this.deps.logger.warn(
      { endpoint, until: new Date(until).toISOString(), deferred },
      "endpoint parked: its POSTs time out; notifications to it wait for a probe",
    );
  }

  #noteAnswer(endpoint: string): void {
    const at = performance.now();
    this.#answeredAt.set(endpoint, at);
    // Bounded: endpoints not heard from for a minute are forgotten (they are unknown again).
    if (this.#answeredAt.size > 10_000)
      for (const [key, when] of this.#answeredAt) if (when < at - 60_000) this.#answeredAt.delete(key);
  }
}

/**
 * The dispatcher's side of the endpoint breaker (endpoint-breaker.ts): it tells the breaker how
 * each POST ended, defers a parked endpoint's waiting marks in the database, and shows a round's
 * claim budget which endpoints are parked or probed.
 */
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { Config } from "../config/defaults.js";
import type { Db } from "../store/open.js";
import { deferEndpointMarks } from "../store/repositories/pending-marks.js";
import type { EndpointView } from "./claim-budget.js";
import { EndpointBreaker, endpointOf } from "./endpoint-breaker.js";
import type { InFlight } from "./in-flight.js";
import type { SendResult } from "./sender.js";

export class EndpointGuard {
  readonly #breaker: EndpointBreaker;

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
    const slowCap = Math.ceil(this.deps.config.delivery.globalConcurrency / 4);
    return {
      any: breaker.size > 0 || this.inFlight.slow > 0,
      state: (endpoint) => breaker.state(endpoint, now),
      inFlight: (endpoint) => byEndpoint.get(endpoint) ?? 0,
      saturated: (endpoint) => (slowByEndpoint.get(endpoint) ?? 0) >= slowCap,
    };
  }

  /** Hears how a POST to `url` ended; an endpoint this parks has its waiting marks deferred. */
  async hear(url: string, result: SendResult): Promise<void> {
    const outcome = result.timedOut ? "timed-out" : result.statusCode !== null ? "answered" : "unreachable";
    const endpoint = endpointOf(url);
    const until = this.#breaker.record(endpoint, outcome, this.deps.clock.now());
    if (until === null) return;
    const deferred = await deferEndpointMarks(this.deps.db, endpoint, until);
    this.deps.logger.warn(
      { endpoint, until: new Date(until).toISOString(), deferred },
      "endpoint parked: its POSTs time out; notifications to it wait for a probe",
    );
  }
}

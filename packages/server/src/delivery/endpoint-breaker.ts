/**
 * The endpoint breaker: an endpoint (scheme, host and port of notification URLs) whose POSTs time
 * out again and again is parked, so that its notifications stop taking POST slots, sockets and
 * claim rounds that healthy endpoints need. Only time-outs count: an endpoint that answers —
 * even 500 — or refuses connections at once costs little, and its retry schedule handles it; one
 * that accepts connections and never answers (a black hole, a hung server) holds a slot for the
 * whole delivery time-out on every POST.
 *
 * After `parkAfterTimeouts` time-outs in a row the endpoint is parked for the first step of
 * `parkSeconds` (the native retry schedule). When that ends it is probed: one POST at a time until
 * one is answered, which closes the breaker, or times out, which parks it for the next step. A
 * notification waiting on a parked endpoint is not dropped and no attempt is counted for it: it is
 * sent when the endpoint answers again, or tried and failed by its own surface's rules then.
 *
 * Pure, in memory, per node: each node of a cluster learns for itself (a few time-outs each).
 */
export type EndpointState = "closed" | "parked" | "probing";

interface Health {
  timeoutsInARow: number;
  /** Times parked since it last answered. */
  parks: number;
  parkedUntil: number | null;
}

export interface BreakerRules {
  parkAfterTimeouts: number;
  parkSeconds: readonly number[];
}

export class EndpointBreaker {
  readonly #health = new Map<string, Health>();

  constructor(private readonly rules: BreakerRules) {}

  state(endpoint: string, now: number): EndpointState {
    const health = this.#health.get(endpoint);
    if (!health || health.parkedUntil === null) return "closed";
    return now < health.parkedUntil ? "parked" : "probing";
  }

  /** Until when the endpoint is parked, if it is. */
  parkedUntil(endpoint: string, now: number): number | null {
    const until = this.#health.get(endpoint)?.parkedUntil ?? null;
    return until !== null && now < until ? until : null;
  }

  /**
   * Hears how a POST to the endpoint ended. Returns the time it is parked until when this outcome
   * parks it (the caller defers its waiting notifications), else null.
   */
  record(endpoint: string, outcome: "answered" | "timed-out" | "unreachable", now: number): number | null {
    if (outcome === "answered") {
      this.#health.delete(endpoint);
      return null;
    }
    if (outcome === "unreachable") return null;
    const health = this.#health.get(endpoint) ?? { timeoutsInARow: 0, parks: 0, parkedUntil: null };
    this.#health.set(endpoint, health);
    health.timeoutsInARow++;
    const probing = health.parkedUntil !== null && now >= health.parkedUntil;
    // A POST started before the endpoint was parked may still time out while it is: no news.
    if (health.parkedUntil !== null && !probing) return null;
    if (!probing && health.timeoutsInARow < this.rules.parkAfterTimeouts) return null;
    const steps = this.rules.parkSeconds;
    const seconds = steps[Math.min(health.parks, steps.length - 1)] ?? 60;
    health.parks++;
    health.parkedUntil = now + seconds * 1000;
    return health.parkedUntil;
  }

  /** Endpoints with news (for metrics and tests). */
  get size(): number {
    return this.#health.size;
  }
}

/**
 * The endpoint of a notification URL: everything before the path (`https://host:port`), without
 * parsing the URL again for every candidate of every round. Notification URLs were parsed and
 * normalized when the subscription was made.
 */
export function endpointOf(url: string): string {
  const authority = url.indexOf("://");
  const path = url.indexOf("/", authority < 0 ? 0 : authority + 3);
  const query = url.indexOf("?");
  const end = path < 0 ? (query < 0 ? url.length : query) : query >= 0 && query < path ? query : path;
  return url.slice(0, end);
}

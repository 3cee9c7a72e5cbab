/**
 * How many marks a round may claim, counted in POSTs rather than in marks. A round has `postSlots`
 * free POSTs (the node's cap less what is in flight) and each URL at most `endpointConcurrency`
 * POSTs in flight; marks for one URL share POSTs of up to `maxBatchSize` notifications. Counting
 * marks as slots, a round claimed 256 marks for a URL with 10,000 subscriptions and could start one
 * POST of 100 with them (the rest went back): a fan-out to one receiver took 100 rounds. Counting
 * POSTs, it claims up to 4 × 100 for that URL and leaves room for the others.
 *
 * An estimate, deliberately simple: batch-plan.ts has the last word (surface rules, lifecycle
 * events in POSTs of their own), and hands back whatever it cannot start.
 */
import type { ClaimRoom } from "../store/repositories/claim-candidates.js";
import { endpointOf, type EndpointState } from "./endpoint-breaker.js";

export interface ClaimCaps {
  /** POSTs this round may start. */
  postSlots: number;
  endpointConcurrency: number;
  maxBatchSize: number;
}

/** What the budget asks about endpoints the breaker has news of (endpoint-breaker.ts). */
export interface EndpointView {
  /** Any endpoint not closed? Without one, no URL's endpoint is looked at. */
  readonly any: boolean;
  state(endpoint: string): EndpointState;
  inFlight(endpoint: string): number;
  /** Whether the endpoint has as many slow POSTs out as it may (in-flight.ts). */
  saturated(endpoint: string): boolean;
}

export class ClaimBudget implements ClaimRoom {
  #posts = 0;
  /** Per URL: POSTs this round opens, and notifications in the last of them. */
  readonly #byUrl = new Map<string, { posts: number; inLast: number }>();
  /** Probing endpoints this round opens a POST to. */
  readonly #probes = new Set<string>();

  constructor(
    private readonly caps: ClaimCaps,
    private readonly inFlightByUrl: ReadonlyMap<string, number>,
    private readonly endpoints?: EndpointView,
  ) {}

  /** No new POST fits (marks may still join the POSTs the round opens). */
  get full(): boolean {
    return this.#posts >= this.caps.postSlots;
  }

  /** Whether a mark for `url` fits: into a POST the round already opens, or a new one. */
  admit(url: string): "take" | "skip" | "stop" {
    const mine = this.#byUrl.get(url);
    if (mine && mine.inLast < this.caps.maxBatchSize) {
      mine.inLast++;
      return "take";
    }
    if (this.#posts >= this.caps.postSlots) return "stop";
    const posts = (this.inFlightByUrl.get(url) ?? 0) + (mine?.posts ?? 0);
    if (posts >= this.caps.endpointConcurrency) return "skip";
    if (this.endpoints?.any && !this.#endpointAllows(endpointOf(url))) return "skip";
    this.#posts++;
    if (mine) {
      mine.posts++;
      mine.inLast = 1;
    } else this.#byUrl.set(url, { posts: 1, inLast: 1 });
    return "take";
  }

  /** A parked or saturated endpoint gets nothing; a probed one, one POST at a time. */
  #endpointAllows(endpoint: string): boolean {
    const state = this.endpoints!.state(endpoint);
    if (this.endpoints!.saturated(endpoint)) return false;
    if (state === "closed") return true;
    if (state === "parked") return false;
    if (this.#probes.has(endpoint) || this.endpoints!.inFlight(endpoint) > 0) return false;
    this.#probes.add(endpoint);
    return true;
  }
}

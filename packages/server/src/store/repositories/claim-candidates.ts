/**
 * The candidates of a claim: due marks that no node holds (or whose lease ran out), in due order,
 * read a page at a time and admitted by the round's budget (delivery/claim-budget.ts), so that a
 * URL with many marks due gets full POSTs without the round claiming what it cannot start.
 */
import { isPostgres } from "../dialect.js";
import type { Executor } from "./types.js";

/** Whether a round has room for a candidate, by its URL; see CandidateQuery.budget. */
export interface ClaimRoom {
  admit(notificationUrl: string): "take" | "skip" | "stop";
  readonly full: boolean;
}

/** What to read: the part of a claim's options that chooses its candidates. */
export interface CandidateQuery {
  now: number;
  /** Candidates read at a time (due order). */
  limit: number;
  /** URLs already at their concurrency cap on this node: leave their marks for later. */
  skipUrls: string[];
  /**
   * Whether the round has room for a candidate, by its URL: `take` it, `skip` it (its URL has no
   * room left), or `stop` (the round is full); and whether it is `full`. Without one every
   * candidate is taken, up to `limit`.
   */
  budget?: ClaimRoom;
  /** With a budget: more pages of `limit` candidates are read while the round has room, up to this many. */
  pages?: number;
}

export interface Candidate {
  id: number;
  due_at: number;
  notification_url: string;
  claimed_by: string | null;
  lease_until: number | null;
}

/** Due, unclaimed (or lease run out) candidates in due order, `admit`ted page by page. */
export async function chooseCandidates(db: Executor, options: CandidateQuery): Promise<Candidate[]> {
  const chosen: Candidate[] = [];
  const { budget } = options;
  const pages = budget ? (options.pages ?? 1) : 1;
  let after: Candidate | null = null;
  for (let page = 0; page < pages; page++) {
    let due = db
      .selectFrom("pending_marks")
      .select(["id", "due_at", "notification_url", "claimed_by", "lease_until"])
      .where("due_at", "<=", options.now)
      .where((eb) => eb.or([eb("claimed_by", "is", null), eb("lease_until", "<", options.now)]));
    if (after) {
      const { due_at, id } = after;
      due = due.where((eb) =>
        eb.or([eb("due_at", ">", due_at), eb.and([eb("due_at", "=", due_at), eb("id", ">", id)])]),
      );
    }
    if (options.skipUrls.length > 0) due = due.where("notification_url", "not in", options.skipUrls);
    due = due.orderBy("due_at").orderBy("id").limit(options.limit);
    if (isPostgres(db)) due = due.forUpdate().skipLocked();
    const rows = (await due.execute()) as Candidate[];
    for (const row of rows) {
      const verdict = budget?.admit(row.notification_url) ?? "take";
      if (verdict === "stop") return chosen;
      if (verdict === "take") chosen.push(row);
    }
    if (rows.length < options.limit || budget?.full) return chosen;
    after = rows.at(-1)!;
  }
  return chosen;
}

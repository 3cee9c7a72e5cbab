/** The outbox seen by endpoint (scheme, host and port of notification URLs). */
import type { Executor } from "./types.js";

/**
 * A parked endpoint's waiting marks (delivery/endpoint-breaker.ts) are due no earlier than its
 * probe: claims then pass over them without reading them, round after round. Marks being sent are
 * left alone. `endpoint` is a URL's scheme, host and port; it matches URLs that continue with a
 * path or a query. One pass over the outbox (no index on URLs): a rare event.
 */
export async function deferEndpointMarks(db: Executor, endpoint: string, until: number): Promise<number> {
  const result = await db
    .updateTable("pending_marks")
    .set({ due_at: until })
    .where("claimed_by", "is", null)
    .where("due_at", "<", until)
    .where((eb) =>
      eb.or([
        eb("notification_url", "=", endpoint),
        eb(eb.fn("substr", ["notification_url", eb.val(1), eb.val(endpoint.length + 1)]), "in", [
          `${endpoint}/`,
          `${endpoint}?`,
        ]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

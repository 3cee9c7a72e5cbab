/**
 * Records changes on a resource of any kind straight through the item service's outbox write, as a
 * surface does after its own item rows changed — for tests whose subject is what follows a change
 * (notifications, pruning), not the surface that made it. Returns the changes' sequence numbers.
 */
import type { ChangeKind } from "../../src/resources/feed.js";
import type { ResourceRecord } from "../../src/resources/service.js";
import type { Services } from "../../src/services.js";

export async function journalChanges(
  services: Services,
  resource: ResourceRecord,
  changes: Array<{ item: string; kind: ChangeKind }>,
  actorId: string,
): Promise<number[]> {
  await services.items.change(resource, actorId, async () => ({ result: undefined, changes }));
  const latest = await services.feed.latestSeq(resource.id);
  return changes.map((_, at) => latest - changes.length + 1 + at);
}

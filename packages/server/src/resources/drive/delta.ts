/**
 * Delta rounds over a drive (or one folder of it), read from the journal and the item tree.
 *
 * - No token: every item that exists now, in creation order (parents before what was put in
 *   them), paged by number; the round ends at the journal seq read when it began.
 * - A token: the items changed since its seq, each once, in their latest state (deleted ones as
 *   tombstones), paged by offset into the round's fixed list of changed ids.
 * - `latest`: no items, just a token for now.
 * A token older than what the journal still holds is `changeTokenExpired` (410): the client
 * must enumerate again.
 */
import { NudgeError } from "../../errors.js";
import { changedItemIds, loadDriveItems } from "../../store/repositories/drive-items.js";
import { latestSeq } from "../../store/repositories/journal.js";
import { prunedSeq } from "../../store/repositories/journal-pruning.js";
import type { Executor } from "../../store/repositories/types.js";
import { decodeDeltaToken, encodeDeltaToken, type DeltaPosition } from "./delta-token.js";
import { DriveTree } from "./tree.js";
import { viewOf, type DriveItemView } from "./view.js";

export interface DeltaPage {
  items: DriveItemView[];
  /** Set when the round has more pages (nextLink). */
  nextToken: string | null;
  /** Set on the round's last page (deltaLink): where the next round starts. */
  deltaToken: string | null;
}

export interface DeltaRequest {
  driveId: string;
  rootId: string;
  folderId: string;
  token: string | undefined;
  top: number;
}

export async function readDelta(db: Executor, request: DeltaRequest): Promise<DeltaPage> {
  const { driveId, folderId } = request;
  const after = (seq: number) => encodeDeltaToken(driveId, folderId, { kind: "after", seq });
  // The journal's end is read before the tree, so whatever the tree misses lies after it. A
  // journal pruned empty still ends where it was cut.
  const pruned = await prunedSeq(db, driveId);
  const endNow = Math.max(await latestSeq(db, driveId), pruned);
  if (request.token === "latest") return { items: [], nextToken: null, deltaToken: after(endNow) };
  const position =
    request.token === undefined ? undefined : decodeDeltaToken(request.token, driveId, folderId);
  if (position && startOf(position) < pruned) {
    throw new NudgeError(
      "changeTokenExpired",
      "The delta token is older than the changes Nudge still keeps; enumerate the drive again.",
    );
  }
  const tree = new DriveTree(await loadDriveItems(db, driveId), request.rootId);
  const inScope = (id: string) => tree.get(id) !== undefined && tree.isWithin(id, folderId);

  if (!position || position.kind === "enumeration") {
    const round = position ?? {
      kind: "enumeration" as const,
      endSeq: endNow,
      maxNumber: tree.all().reduce((max, i) => Math.max(max, i.number), 0),
      afterNumber: -1,
    };
    const candidates = tree
      .all()
      .filter(
        (i) =>
          i.type !== "deleted" &&
          i.number <= round.maxNumber &&
          i.number > round.afterNumber &&
          inScope(i.id),
      );
    const page = candidates.slice(0, request.top);
    const items = page.map((i) => viewOf(tree, i));
    if (candidates.length > page.length) {
      const next: DeltaPosition = { ...round, afterNumber: page.at(-1)!.number };
      return { items, nextToken: encodeDeltaToken(driveId, folderId, next), deltaToken: null };
    }
    return { items, nextToken: null, deltaToken: after(round.endSeq) };
  }

  const slice =
    position.kind === "after"
      ? { afterSeq: position.seq, endSeq: endNow, offset: 0 }
      : { afterSeq: position.afterSeq, endSeq: position.endSeq, offset: position.offset };
  const ids = await changedItemIds(db, driveId, slice.afterSeq, slice.endSeq);
  const items: DriveItemView[] = [];
  let index = slice.offset;
  for (; index < ids.length && items.length < request.top; index++) {
    if (inScope(ids[index]!)) items.push(viewOf(tree, tree.get(ids[index]!)!));
  }
  while (index < ids.length && !inScope(ids[index]!)) index++;
  if (index < ids.length) {
    const next: DeltaPosition = { kind: "changes", ...slice, offset: index };
    return { items, nextToken: encodeDeltaToken(driveId, folderId, next), deltaToken: null };
  }
  return { items, nextToken: null, deltaToken: after(slice.endSeq) };
}

/** The oldest journal position a token still needs. */
function startOf(position: DeltaPosition): number {
  switch (position.kind) {
    case "after":
      return position.seq;
    case "enumeration":
      return position.endSeq;
    case "changes":
      return position.afterSeq;
  }
}

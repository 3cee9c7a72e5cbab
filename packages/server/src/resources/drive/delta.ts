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
import { changedItems, loadDriveItems } from "../../store/repositories/drive-items.js";
import { latestSeq } from "../../store/repositories/journal.js";
import { prunedSeq } from "../../store/repositories/journal-pruning.js";
import type { Executor } from "../../store/repositories/types.js";
import { assertServable } from "../servable.js";
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
  // The journal's end is read before the tree, so whatever the tree misses lies after it. A
  // journal pruned empty still ends where it was cut.
  const pruned = await prunedSeq(db, driveId);
  const endNow = Math.max(await latestSeq(db, driveId), pruned);
  if (request.token === "latest") {
    return { items: [], nextToken: null, deltaToken: encodeDeltaToken(driveId, folderId, after(endNow)) };
  }
  const position =
    request.token === undefined ? undefined : decodeDeltaToken(request.token, driveId, folderId);
  if (position) {
    await assertServable(
      db,
      driveId,
      { afterSeq: startOf(position) },
      "The delta token is older than the changes Nudge still keeps; enumerate the drive again.",
    );
  }
  const tree = new DriveTree(await loadDriveItems(db, driveId), request.rootId);
  const round = {
    tree,
    top: request.top,
    inScope: (id: string) => tree.get(id) !== undefined && tree.isWithin(id, folderId),
  };
  const page =
    position?.kind === "after" || position?.kind === "changes"
      ? await changesPage(db, driveId, round, position, endNow)
      : enumerationPage(round, position ?? firstEnumeration(tree, endNow));
  const encode = (p: DeltaPosition | null) => p && encodeDeltaToken(driveId, folderId, p);
  return { items: page.items, nextToken: encode(page.next), deltaToken: encode(page.end) };
}

interface Round {
  tree: DriveTree;
  top: number;
  inScope(id: string): boolean;
}

interface PageOfRound {
  items: DriveItemView[];
  next: DeltaPosition | null;
  end: DeltaPosition | null;
}

const after = (seq: number): DeltaPosition => ({ kind: "after", seq });

function firstEnumeration(tree: DriveTree, endSeq: number): DeltaPosition & { kind: "enumeration" } {
  const maxNumber = tree.all().reduce((max, i) => Math.max(max, i.number), 0);
  return { kind: "enumeration", endSeq, maxNumber, afterNumber: -1 };
}

/** Items that existed when the round began, by number after the last one returned (keyset paging). */
function enumerationPage(round: Round, position: DeltaPosition & { kind: "enumeration" }): PageOfRound {
  const candidates = round.tree
    .all()
    .filter(
      (i) =>
        i.type !== "deleted" &&
        i.number <= position.maxNumber &&
        i.number > position.afterNumber &&
        round.inScope(i.id),
    );
  const page = candidates.slice(0, round.top);
  const items = page.map((i) => viewOf(round.tree, i));
  if (candidates.length > page.length) {
    return { items, next: { ...position, afterNumber: page.at(-1)!.number }, end: null };
  }
  return { items, next: null, end: after(position.endSeq) };
}

/**
 * Items changed in the round's journal slice, each once, by offset into that fixed list. The list
 * is read from the page's start as far as the page needs (see changedItems), never as a whole.
 */
async function changesPage(
  db: Executor,
  driveId: string,
  round: Round,
  position: DeltaPosition & { kind: "after" | "changes" },
  endNow: number,
): Promise<PageOfRound> {
  const slice =
    position.kind === "after"
      ? { afterSeq: position.seq, endSeq: endNow, offset: 0 }
      : { afterSeq: position.afterSeq, endSeq: position.endSeq, offset: position.offset };
  const start = position.kind === "changes" ? position.fromSeq : undefined;
  // The offset counts the slice's whole list, not just what is in the folder now: that list is
  // fixed, while an item moved in or out mid-round would shift a filtered one.
  const items: DriveItemView[] = [];
  let index = slice.offset;
  for await (const entry of changedItemsOf(db, driveId, slice, start, round.top + 1)) {
    if (!round.inScope(entry.id)) {
      index++;
      continue;
    }
    // The first entry in scope past a full page starts the next page.
    if (items.length === round.top) {
      return {
        items,
        next: { kind: "changes", ...slice, offset: index, fromSeq: entry.firstSeq },
        end: null,
      };
    }
    items.push(viewOf(round.tree, round.tree.get(entry.id)!));
    index++;
  }
  return { items, next: null, end: after(slice.endSeq) };
}

/**
 * The slice's list of changed items from the entry at `offset` (first changed at `fromSeq`, when
 * the token says so) to the end, read in batches: the first one a page and one more (what a delta
 * over the whole drive reads), each next one twice as large, for a folder whose items are few
 * among the drive's.
 */
async function* changedItemsOf(
  db: Executor,
  driveId: string,
  slice: { afterSeq: number; endSeq: number; offset: number },
  fromSeq: number | undefined,
  firstBatch: number,
): AsyncGenerator<{ id: string; firstSeq: number }> {
  const range = { afterSeq: slice.afterSeq, untilSeq: slice.endSeq };
  let from =
    fromSeq === undefined
      ? { afterSeq: slice.afterSeq, skip: slice.offset }
      : { afterSeq: fromSeq - 1, skip: 0 };
  for (let batch = firstBatch; ; batch *= 2) {
    const entries = await changedItems(db, driveId, range, from, batch);
    yield* entries;
    if (entries.length < batch) return;
    from = { afterSeq: entries.at(-1)!.firstSeq, skip: 0 };
  }
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

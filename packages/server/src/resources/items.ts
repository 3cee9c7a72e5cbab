/**
 * Items inside resources. Each write is one transaction: the item, its journal entry and the
 * pending marks commit together, then the dispatcher is woken.
 */
import { randomUUID } from "node:crypto";
import type { ServiceContext } from "../context.js";
import { NudgeError } from "../errors.js";
import * as items from "../store/repositories/items.js";
import type { ChangeKind } from "../store/repositories/journal.js";
import { takeItemNumber, touchResource, type ResourceRecord } from "../store/repositories/resources.js";
import type { Executor } from "../store/repositories/types.js";
import { recordChanges } from "./journal.js";

export type { ItemRecord } from "../store/repositories/items.js";

export class ItemService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Adds a numbered item (SharePoint list items are 1, 2, 3 … per list). */
  async addNumbered(
    resource: ResourceRecord,
    fields: Record<string, unknown>,
    actorId: string,
  ): Promise<items.ItemRecord> {
    const now = this.ctx.clock.now();
    const item = await this.ctx.db.transaction().execute(async (trx) => {
      const number = await takeItemNumber(trx, resource.id, now);
      const record: items.ItemRecord = {
        resourceId: resource.id,
        key: String(number),
        number,
        guid: randomUUID(),
        fields,
        version: 1,
        createdAt: now,
        modifiedAt: now,
        createdBy: actorId,
        modifiedBy: actorId,
      };
      await items.insertItem(trx, record);
      await this.journal(trx, resource.id, record.key, "add", actorId, now);
      return record;
    });
    this.ctx.wakeup.ring();
    return item;
  }

  get(resource: ResourceRecord, key: string): Promise<items.ItemRecord | undefined> {
    return items.findItem(this.ctx.db, resource.id, key);
  }

  list(resource: ResourceRecord): Promise<items.ItemRecord[]> {
    return items.listItems(this.ctx.db, resource.id);
  }

  /**
   * Merges fields into an item. `ifMatch` is an etag (`"3"`, `W/"3"`) or `*`; a stale etag is a 412,
   * so two writers cannot overwrite each other unknowingly.
   */
  async update(
    resource: ResourceRecord,
    key: string,
    fields: Record<string, unknown>,
    actorId: string,
    ifMatch?: string,
  ): Promise<items.ItemRecord> {
    const now = this.ctx.clock.now();
    const updated = await this.ctx.db.transaction().execute(async (trx) => {
      const current = await items.findItem(trx, resource.id, key);
      if (!current)
        throw new NudgeError(
          "itemNotFound",
          "Item does not exist. It may have been deleted by another user.",
        );
      checkEtag(current.version, ifMatch);
      const merged = { ...current.fields, ...fields };
      const version = await items.updateItem(trx, {
        resourceId: resource.id,
        key,
        fields: merged,
        modifiedAt: now,
        modifiedBy: actorId,
      });
      await this.journal(trx, resource.id, key, "update", actorId, now);
      return { ...current, fields: merged, version, modifiedAt: now, modifiedBy: actorId };
    });
    this.ctx.wakeup.ring();
    return updated;
  }

  async delete(resource: ResourceRecord, key: string, actorId: string, ifMatch?: string): Promise<void> {
    const now = this.ctx.clock.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      const current = await items.findItem(trx, resource.id, key);
      if (!current)
        throw new NudgeError(
          "itemNotFound",
          "Item does not exist. It may have been deleted by another user.",
        );
      checkEtag(current.version, ifMatch);
      await items.deleteItem(trx, resource.id, key);
      await this.journal(trx, resource.id, key, "delete", actorId, now);
    });
    this.ctx.wakeup.ring();
  }

  /**
   * Records changes reported from outside (native API, external resources): the items live in
   * someone else's system, Nudge keeps only the journal. Only external resources take reported
   * changes: every other kind keeps its items in Nudge, and its own surface writes its journal.
   */
  async report(
    resource: ResourceRecord,
    changes: Array<{ item: string; kind: ChangeKind }>,
    actorId: string,
  ): Promise<number[]> {
    const [seqs] = await this.reportBatch([{ resource, changes }], actorId);
    return seqs!;
  }

  /**
   * Reported changes to several external resources in one transaction: all of them or, on any
   * error, none. Each resource gets its journal entries and its subscriptions' marks as `report`
   * gives them; the sequence numbers come back per group, in the order given.
   */
  async reportBatch(
    groups: Array<{ resource: ResourceRecord; changes: Array<{ item: string; kind: ChangeKind }> }>,
    actorId: string,
  ): Promise<number[][]> {
    for (const { resource } of groups) {
      if (resource.kind !== "external") {
        throw new NudgeError(
          "invalidRequest",
          `Changes can be reported only to external resources; ${resource.id} is a ${resource.kind}.`,
        );
      }
    }
    const now = this.ctx.clock.now();
    const options = { now, coalesceWindowMs: this.ctx.config.delivery.coalesceWindowMs };
    const seqs = await this.ctx.db.transaction().execute(async (trx) => {
      const all: number[][] = [];
      for (const { resource, changes } of groups) {
        await touchResource(trx, resource.id, now);
        const entries = changes.map((c) => ({
          resourceId: resource.id,
          itemKey: c.item,
          kind: c.kind,
          at: now,
          actorId,
        }));
        all.push(await recordChanges(trx, entries, options));
      }
      return all;
    });
    this.ctx.wakeup.ring();
    return seqs;
  }

  /**
   * Runs a write on a resource's items in one transaction together with its journal entries and
   * pending marks (the outbox), then wakes the dispatcher. Surfaces with their own item shapes
   * (drive items, OneNote pages) do their inserts and updates in `work` and return the changes.
   */
  async change<T>(
    resource: ResourceRecord,
    actorId: string,
    work: (
      trx: Executor,
      now: number,
    ) => Promise<{ result: T; changes: Array<{ item: string; kind: ChangeKind }> }>,
  ): Promise<T> {
    const now = this.ctx.clock.now();
    const { result, changed } = await this.ctx.db.transaction().execute(async (trx) => {
      const { result, changes } = await work(trx, now);
      if (changes.length > 0) {
        await touchResource(trx, resource.id, now);
        await recordChanges(
          trx,
          changes.map((c) => ({ resourceId: resource.id, itemKey: c.item, kind: c.kind, at: now, actorId })),
          { now, coalesceWindowMs: this.ctx.config.delivery.coalesceWindowMs },
        );
      }
      return { result, changed: changes.length > 0 };
    });
    if (changed) this.ctx.wakeup.ring();
    return result;
  }

  private async journal(
    trx: Parameters<typeof recordChanges>[0],
    resourceId: string,
    itemKey: string,
    kind: ChangeKind,
    actorId: string,
    now: number,
  ): Promise<void> {
    await touchResource(trx, resourceId, now);
    await recordChanges(trx, [{ resourceId, itemKey, kind, at: now, actorId }], {
      now,
      coalesceWindowMs: this.ctx.config.delivery.coalesceWindowMs,
    });
  }
}

function checkEtag(version: number, ifMatch: string | undefined): void {
  if (!ifMatch || ifMatch.trim() === "*") return;
  const wanted = ifMatch.trim().replace(/^W\//, "").replace(/^"|"$/g, "").split(",")[0];
  if (wanted !== String(version)) {
    throw new NudgeError(
      "preconditionFailed",
      "The request ETag value does not match the object's ETag value.",
    );
  }
}

/**
 * OneDrive drives: each user's drive is a resource whose items (files and folders) form a tree
 * under a root folder. The Graph (`/v1.0/me/drive`) and legacy (`/drive`) surfaces both call this
 * service; it holds the rules (names, conflicts, moves, deletes, delta rounds), and every write goes
 * through ItemService.change, so the journal, change feeds and notifications see it. Any change
 * anywhere in the tree is a change of the drive resource: subscriptions on the root hear it.
 *
 * Longer than 250 lines: it is the one entry point both drive surfaces call, a method per Graph
 * verb; each method is short and the rules they share (names, conflicts, the tree) are in
 * names.ts, tree.ts, writer.ts and delta.ts beside it.
 */
import { randomUUID } from "node:crypto";
import type { ServiceContext } from "../../context.js";
import { NudgeError } from "../../errors.js";
import type { Principal } from "../../identity/principal.js";
import {
  findDriveItem,
  insertDriveItem,
  loadDriveItems,
  readDriveContent,
  type DriveItemRecord,
} from "../../store/repositories/drive-items.js";
import { findUser } from "../../store/repositories/identity.js";
import type { Executor } from "../../store/repositories/types.js";
import type { AppRegistrations } from "../../subscriptions/registrations.js";
import type { SurfaceProfile } from "../../policy/profile.js";
import type { ItemService } from "../items.js";
import type { ResourceRecord, ResourceService } from "../service.js";
import { readDelta, type DeltaPage } from "./delta.js";
import { checkName, freeName, nameClash, type ConflictBehavior } from "./names.js";
import { DriveTree } from "./tree.js";
import { viewOf, type DriveItemView } from "./view.js";
import { DriveWriter, itemIdOf } from "./writer.js";

export type { DeltaPage } from "./delta.js";
export type { DriveItemView } from "./view.js";
export { checkConflictBehavior, type ConflictBehavior } from "./names.js";

/** Which drive a request names: the caller's (`/me/drive`, `/drive`), one by id, or a user's. */
export type DriveRef = { me: true } | { driveId: string } | { userId: string };

/** An item by where it is: the root or an item id, then names below it (`root:/a/b.txt:`). */
export interface ItemAddress {
  from: "root" | { id: string };
  path: string[];
}

/** A drive opened for one caller. */
export interface DriveHandle {
  resource: ResourceRecord;
  rootId: string;
  owner: { id: string; displayName: string };
  principal: Principal;
}

/** What a drive service calls: the shared services, and the OneDrive preview's rules for its registrations. */
export interface DriveCollaborators {
  items: ItemService;
  resources: ResourceService;
  registrations: AppRegistrations;
  /** Every drive call registers the caller for their app's preview webhook under these rules. */
  previewProfile: SurfaceProfile;
}

export class DriveService {
  readonly #items: ItemService;
  readonly #resources: ResourceService;
  readonly #registrations: AppRegistrations;
  readonly #previewProfile: SurfaceProfile;

  constructor(
    private readonly ctx: ServiceContext,
    using: DriveCollaborators,
  ) {
    this.#items = using.items;
    this.#resources = using.resources;
    this.#registrations = using.registrations;
    this.#previewProfile = using.previewProfile;
  }

  /**
   * Opens the drive a request names, if the caller may see it (else `resourceNotFound`). Every
   * drive call counts as the caller using the app: it registers (or renews) them for the app's
   * OneDrive preview webhook on their own drive.
   */
  async open(principal: Principal, ref: DriveRef): Promise<DriveHandle> {
    const own = await this.#resources.ensureOwn(principal, "drive");
    await this.#registrations.touch(principal, this.#previewProfile, own);
    const resource =
      "me" in ref
        ? own
        : "driveId" in ref
          ? await this.#resources.get(principal, ref.driveId, "drive")
          : await this.#resources.containerOf(principal, ref.userId, "drive");
    const rootId = await this.ensureRoot(resource);
    const owner = await findUser(this.ctx.db, resource.tenantId, resource.ownerId);
    return {
      resource,
      rootId,
      owner: { id: resource.ownerId, displayName: owner?.name ?? resource.ownerId },
      principal,
    };
  }

  async item(drive: DriveHandle, at: ItemAddress): Promise<DriveItemView> {
    const tree = await this.tree(this.ctx.db, drive);
    return viewOf(tree, resolve(tree, at));
  }

  /** A folder's children, by name. */
  async children(drive: DriveHandle, at: ItemAddress): Promise<DriveItemView[]> {
    const tree = await this.tree(this.ctx.db, drive);
    const folder = requireFolder(resolve(tree, at));
    return tree
      .childrenOf(folder.id)
      .sort((a, b) => a.name.localeCompare(b.name, "en", { sensitivity: "base" }))
      .map((c) => viewOf(tree, c));
  }

  async content(drive: DriveHandle, at: ItemAddress): Promise<{ item: DriveItemView; content: Buffer }> {
    const item = await this.item(drive, at);
    if (item.kind !== "file")
      throw new NudgeError("invalidRequest", `'${item.name}' is a folder; only files have content.`);
    return { item, content: await readDriveContent(this.ctx.db, drive.resource.id, item.id) };
  }

  /**
   * Uploads a file at `at` (its last path name is the file's), making missing folders on the
   * way. An existing file is replaced (an `update`) unless the conflict behaviour says otherwise.
   */
  async upload(
    drive: DriveHandle,
    at: ItemAddress,
    content: Buffer,
    conflict: ConflictBehavior = "replace",
  ): Promise<{ item: DriveItemView; created: boolean }> {
    if (at.path.length === 0)
      throw new NudgeError("invalidRequest", "The upload path must end with a file name.");
    const names = at.path.map((n) => checkName(n));
    const fileName = names.pop()!;
    return this.write(drive, async (w) => {
      let parent = resolve(w.tree, { from: at.from, path: [] });
      requireFolder(parent);
      for (const name of names) {
        const existing = w.tree.childNamed(parent.id, name);
        if (existing && existing.type !== "folder")
          throw new NudgeError("nameAlreadyExists", `'${name}' on the upload path is a file, not a folder.`);
        parent = existing ?? (await w.createFolder(parent.id, name));
      }
      const existing = w.tree.childNamed(parent.id, fileName);
      if (existing?.type === "file" && conflict === "replace") {
        return { item: viewOf(w.tree, await w.replaceContent(existing, content)), created: false };
      }
      const name = await settleClash(w, parent.id, fileName, existing, conflict);
      return { item: viewOf(w.tree, await w.createFile(parent.id, name, content)), created: true };
    });
  }

  /** POST …/children: a new folder (files are made by upload). */
  async createFolder(
    drive: DriveHandle,
    parentAt: ItemAddress,
    input: { name: unknown; conflict: ConflictBehavior },
  ): Promise<DriveItemView> {
    const wanted = checkName(input.name);
    return this.write(drive, async (w) => {
      const parent = requireFolder(resolve(w.tree, parentAt));
      const name = await settleClash(
        w,
        parent.id,
        wanted,
        w.tree.childNamed(parent.id, wanted),
        input.conflict,
      );
      return viewOf(w.tree, await w.createFolder(parent.id, name));
    });
  }

  /** PATCH: rename (`name`) and/or move (`parent`). Moving a folder into itself is refused. */
  async update(
    drive: DriveHandle,
    at: ItemAddress,
    input: { name?: unknown; parent?: ItemAddress; conflict: ConflictBehavior },
  ): Promise<DriveItemView> {
    return this.write(drive, async (w) => {
      const item = resolve(w.tree, at);
      if (item.id === w.tree.rootId)
        throw new NudgeError("invalidRequest", "The root folder cannot be renamed or moved.");
      const wanted = input.name === undefined ? item.name : checkName(input.name);
      const parent = input.parent ? find(w.tree, input.parent) : w.tree.live(item.parentId!);
      if (!parent)
        throw new NudgeError("invalidRequest", "parentReference does not name a folder of this drive.");
      requireFolder(parent);
      if (w.tree.isWithin(parent.id, item.id))
        throw new NudgeError(
          "invalidRequest",
          `'${item.name}' cannot be moved into itself or a folder below it.`,
        );
      const clash = w.tree.childNamed(parent.id, wanted);
      const name =
        clash && clash.id !== item.id
          ? await settleClash(w, parent.id, wanted, clash, input.conflict)
          : wanted;
      return viewOf(w.tree, await w.relocate(item, parent.id, name));
    });
  }

  /** DELETE: the item and, for a folder, everything below it. */
  async remove(drive: DriveHandle, at: ItemAddress): Promise<void> {
    await this.write(drive, async (w) => {
      const item = resolve(w.tree, at);
      if (item.id === w.tree.rootId)
        throw new NudgeError("invalidRequest", "The root folder cannot be deleted.");
      await w.deleteSubtree(item);
    });
  }

  /** One page of a delta round over a folder (the root for the whole drive). See delta.ts. */
  async delta(
    drive: DriveHandle,
    at: ItemAddress,
    options: { token: string | undefined; top: number },
  ): Promise<DeltaPage> {
    const tree = await this.tree(this.ctx.db, drive);
    const folder = requireFolder(resolve(tree, at));
    return readDelta(this.ctx.db, {
      driveId: drive.resource.id,
      rootId: drive.rootId,
      folderId: folder.id,
      // `token=` with nothing after it (legacy clients send it on their first call) is no token.
      token: options.token || undefined,
      top: options.top,
    });
  }

  private async write<T>(drive: DriveHandle, work: (writer: DriveWriter) => Promise<T>): Promise<T> {
    const actor = drive.principal.userId;
    return this.#items.change(drive.resource, actor, async (trx, now) => {
      const writer = new DriveWriter(trx, await this.tree(trx, drive), drive.resource.id, actor, now);
      const result = await work(writer);
      return { result, changes: writer.changes };
    });
  }

  private async tree(db: Executor, drive: DriveHandle): Promise<DriveTree> {
    return new DriveTree(await loadDriveItems(db, drive.resource.id), drive.rootId);
  }

  /** A drive's root folder, made with the drive on first use (not a change anyone is told of). */
  private async ensureRoot(resource: ResourceRecord): Promise<string> {
    const rootId = itemIdOf(resource.id, 0);
    if (await findDriveItem(this.ctx.db, resource.id, rootId)) return rootId;
    const root: DriveItemRecord = {
      resourceId: resource.id,
      id: rootId,
      number: 0,
      guid: randomUUID(),
      parentId: null,
      name: "root",
      type: "folder",
      deletedType: null,
      mimeType: null,
      size: 0,
      contentVersion: 1,
      version: 1,
      createdAt: resource.createdAt,
      modifiedAt: resource.createdAt,
      createdBy: resource.ownerId,
      modifiedBy: resource.ownerId,
    };
    await insertDriveItem(this.ctx.db, root, null, { ifMissing: true });
    return rootId;
  }
}

/** The live item at an address, or `itemNotFound`. */
function resolve(tree: DriveTree, at: ItemAddress): DriveItemRecord {
  const item = find(tree, at);
  if (!item) throw new NudgeError("itemNotFound", "The resource could not be found.");
  return item;
}

/** The live item at an address; `root` is also accepted as an item id, as Graph does. */
function find(tree: DriveTree, at: ItemAddress): DriveItemRecord | undefined {
  let item = at.from === "root" ? tree.root : liveById(tree, at.from.id);
  for (const name of at.path) {
    if (!item) break;
    item = item.type === "folder" ? tree.childNamed(item.id, name) : undefined;
  }
  return item;
}

function liveById(tree: DriveTree, id: string): DriveItemRecord | undefined {
  return id.toLowerCase() === "root" ? tree.root : tree.live(id);
}

function requireFolder(item: DriveItemRecord): DriveItemRecord {
  if (item.type !== "folder")
    throw new NudgeError("invalidRequest", `'${item.name}' is a file, not a folder.`);
  return item;
}

/**
 * The name a new item gets when `existing` already has it: fail → 409, rename → `name 1.ext`,
 * replace → the existing item (and what is below it) is deleted first.
 */
async function settleClash(
  w: DriveWriter,
  parentId: string,
  name: string,
  existing: DriveItemRecord | undefined,
  conflict: ConflictBehavior,
): Promise<string> {
  if (!existing) return name;
  if (conflict === "fail") throw nameClash(existing.name);
  if (conflict === "rename") return freeName(name, (candidate) => !!w.tree.childNamed(parentId, candidate));
  await w.deleteSubtree(existing);
  return name;
}

/**
 * Terms of the notes service. A user's **notebook container** is one resource (kind `notebook`)
 * holding all their notebooks; its sections and pages are items in it. A **scope** is the set of
 * containers a call can reach: the caller's own plus those shared with them (`/me/...`), or one
 * user's (`/users/{id}/...`), and where a new notebook goes.
 */
import type { Principal } from "../../identity/principal.js";
import type {
  NoteColumn,
  NoteComparison,
  NoteItemType,
  NoteRecord,
} from "../../store/repositories/notes-items.js";
import type { ResourceRecord } from "../../store/repositories/resources.js";

export type { NoteColumn, NoteComparison, NoteItemType } from "../../store/repositories/notes-items.js";

/** A notebook, section or page, with the owner of the container it lives in. */
export interface NoteItem extends NoteRecord {
  ownerId: string;
}

export interface NotesScope {
  principal: Principal;
  /** Where new notebooks go. */
  home: ResourceRecord;
  /** Every container the call may read and change, home first. */
  containers: ResourceRecord[];
}

/** A list query in neutral terms; each surface translates its own spelling into it. */
export interface NoteQuery {
  where: Array<{ column: "createdAt" | "modifiedAt"; op: NoteComparison; at: number }>;
  orderBy: Array<{ column: NoteColumn; descending: boolean }>;
  top: number;
  skip: number;
}

export interface NotePage {
  items: NoteItem[];
  /** Whether more items follow this page (a surface then sends a next link). */
  more: boolean;
}

export type NoteParent = { type: Exclude<NoteItemType, "page">; id: string };

/**
 * UUIDs of version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Rows keyed or
 * indexed by one are appended at the right edge of their B-tree instead of landing on a random
 * page, so a batch of attempt rows dirties a few index pages rather than one per row: on SQLite's
 * write path that is a measurable part of each commit (bench/README.md, "What got it there").
 * They stay unguessable (74 random bits) and sort by creation time, which also reads well in logs.
 * The time is the machine's, not the node's clock: the ids' order is for storage, not for rules.
 */
import { randomFillSync } from "node:crypto";

export function timeOrderedId(now: number = Date.now()): string {
  const bytes = randomFillSync(Buffer.alloc(16));
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

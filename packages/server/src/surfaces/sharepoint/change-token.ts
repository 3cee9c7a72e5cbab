/**
 * SharePoint change tokens for a list: `1;3;{listId};{ticks};{changeNumber}` — version 1, scope 3
 * (list), the list's GUID, .NET ticks of the change's time, and the journal sequence number.
 * A change number of `-1` (what @pnp/sp's `createChangeToken` builds) means "from that time on".
 */
import { NudgeError } from "../../errors.js";

/** .NET ticks (100 ns since 0001-01-01) at the Unix epoch. */
const EPOCH_TICKS = 621355968000000000n;
const TICKS_PER_MS = 10000n;

export type ChangePosition = { seq: number } | { time: number };

export function encodeChangeToken(listId: string, at: number, seq: number): string {
  return `1;3;${listId.toLowerCase()};${msToTicks(at)};${seq}`;
}

/** Reads a token given for `listId`; a malformed token, or one of another list, is a 400. */
export function decodeChangeToken(token: unknown, listId: string): ChangePosition {
  if (typeof token !== "string") throw invalid("The change token must be a string.");
  const parts = token.split(";");
  if (parts.length !== 5)
    throw invalid(`The change token '${token}' is not of the form 1;3;{listId};{ticks};{n}.`);
  const [version, scope, guid, ticks, number] = parts as [string, string, string, string, string];
  if (version !== "1" || scope !== "3") {
    throw invalid(`The change token '${token}' is not a list change token (version 1, scope 3).`);
  }
  if (guid.toLowerCase() !== listId.toLowerCase()) {
    throw invalid(`The change token '${token}' belongs to another list.`);
  }
  if (!/^\d+$/.test(ticks) || !/^(-1|\d+)$/.test(number)) {
    throw invalid(`The change token '${token}' has a malformed time or change number.`);
  }
  const seq = Number(number);
  return seq === -1 ? { time: ticksToMs(BigInt(ticks)) } : { seq };
}

export function msToTicks(ms: number): string {
  return (BigInt(Math.trunc(ms)) * TICKS_PER_MS + EPOCH_TICKS).toString();
}

function ticksToMs(ticks: bigint): number {
  return Number((ticks - EPOCH_TICKS) / TICKS_PER_MS);
}

function invalid(message: string): NudgeError {
  return new NudgeError("invalidChangeToken", message);
}

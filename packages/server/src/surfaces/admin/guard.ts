/** The admin API's guard: the configured admin token, or nothing at all (403 adminDisabled). */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import { NudgeError } from "../../errors.js";
import { bearerToken } from "../../http/auth.js";

/**
 * Checks `Authorization: Bearer <admin token>`. Both sides are hashed first so the comparison
 * takes the same time whatever the guess (timingSafeEqual needs equal lengths).
 */
export function adminGuard(adminToken: string | null) {
  const expected = adminToken === null ? null : sha256(adminToken);
  return async (request: FastifyRequest): Promise<void> => {
    if (expected === null) throw new NudgeError("adminDisabled");
    const given = bearerToken(request);
    if (given === undefined)
      throw new NudgeError("unauthenticated", "The admin API needs the admin bearer token.");
    if (!timingSafeEqual(sha256(given), expected)) {
      throw new NudgeError("unauthenticated", "The admin bearer token is not valid.");
    }
  };
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * The plumbing the Graph and legacy OneDrive surfaces share: wildcard routes under each drive
 * base path (`/me/drive/*`, `/drives/:driveId/*` …), raw upload bodies of any content type on PUT,
 * dispatch of (action, method) to a surface's translation table, and absolute links built from
 * the request's own scheme and host (the Graph client cannot follow relative or wrong-scheme ones).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isNudgeError, NudgeError } from "../../errors.js";
import { principalOf } from "../../http/auth.js";
import type { DriveHandle, DriveRef } from "../../resources/drive/service.js";
import type { Services } from "../../services.js";
import { useStrictValidation } from "../../http/validation.js";
import { parseDriveAddress, type DriveAction, type DriveAddress } from "./drive-address.js";

export type DriveMethod = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface DriveCall {
  services: Services;
  request: FastifyRequest;
  reply: FastifyReply;
  drive: DriveHandle;
  address: DriveAddress;
  /** Query options, first value of each. */
  query: Record<string, string | undefined>;
  /** `scheme://host` of the request. */
  origin: string;
  /** The request's path, without the query. */
  path: string;
}

export interface DriveReply {
  status: number;
  body?: unknown;
  type?: string;
  headers?: Record<string, string>;
}

export type DriveHandler = (call: DriveCall) => Promise<DriveReply>;
export type DriveTable = Partial<Record<DriveAction, Partial<Record<DriveMethod, DriveHandler>>>>;

export interface DriveBase {
  /** Route path of the drive inside the plugin: `/me/drive`, `/drives/:driveId`, `` (legacy `/drive`). */
  url: string;
  ref(params: Record<string, string>): DriveRef;
}

/** Microsoft's surfaces are documented by Microsoft, not in Nudge's OpenAPI document. */
const hidden = { schema: { hide: true } };

export async function registerDriveRoutes(
  app: FastifyInstance,
  services: Services,
  bases: DriveBase[],
  table: DriveTable,
): Promise<void> {
  const handlerFor = (base: DriveBase) => async (request: FastifyRequest, reply: FastifyReply) => {
    const params = request.params as Record<string, string>;
    const path = request.url.split("?")[0]!;
    const address = parseDriveAddress(params["*"] ?? "");
    if (!address) throw new NudgeError("notFound", `Resource not found for the segment '${path}'.`);
    const handler = table[address.action]?.[request.method as DriveMethod];
    if (!handler) {
      if (!table[address.action])
        throw new NudgeError("notFound", `Resource not found for the segment '${path}'.`);
      throw new NudgeError("methodNotAllowed", `${request.method} is not allowed on '${path}'.`);
    }
    const drive = await services.drive.open(principalOf(request), base.ref(params));
    const answer = await handler({
      services,
      request,
      reply,
      drive,
      address,
      query: firstValues(request.query),
      origin: `${request.protocol}://${request.headers.host ?? "localhost"}`,
      path,
    });
    reply.code(answer.status);
    if (answer.headers) reply.headers(answer.headers);
    if (answer.type) reply.type(answer.type);
    return reply.send(answer.body);
  };

  await app.register(async (json) => {
    useStrictValidation(json);
    for (const base of bases) {
      const handler = handlerFor(base);
      for (const url of [base.url || "/", `${base.url}/*`]) {
        json.route({ method: ["GET", "POST", "PATCH", "DELETE"], url, handler, ...hidden });
      }
    }
  });
  // Uploads are raw bytes whatever their Content-Type (the Graph client sends JSON for strings).
  // The app-wide body limit still applies: a larger upload is a 413 before anything is stored.
  await app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
    for (const base of bases) raw.put(`${base.url}/*`, hidden, handlerFor(base));
  });
}

/** A token the journal can no longer serve is 410 with `Location`: the same delta, from scratch. */
export async function withResyncLocation<T>(call: DriveCall, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isNudgeError(error) && error.code === "changeTokenExpired") {
      call.reply.header("location", linkTo(call, { token: undefined }));
    }
    throw error;
  }
}

/** The uploaded bytes of a PUT (none: an empty file). */
export function uploadedBytes(call: DriveCall): Buffer {
  const body = call.request.body;
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/** `$top` (or legacy `top`): a page size from 1 to `max`. */
export function pageSizeOf(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new NudgeError("invalidRequest", `top must be a whole number of at least 1, not '${value}'.`);
  }
  return Math.min(n, max);
}

/** An absolute link to this request's path with the same query options, some replaced or dropped. */
export function linkTo(call: DriveCall, set: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...call.query, ...set })) {
    if (value !== undefined) params.set(key, value);
  }
  const query = params.toString().replace(/%24/g, "$");
  return `${call.origin}${call.path}${query ? `?${query}` : ""}`;
}

function firstValues(query: unknown): Record<string, string | undefined> {
  // Built from entries, so a `__proto__` parameter is a key like any other, not a prototype.
  return Object.fromEntries(
    Object.entries((query ?? {}) as Record<string, unknown>).map(([key, value]) => [
      key,
      Array.isArray(value) ? String(value[0]) : typeof value === "string" ? value : undefined,
    ]),
  );
}

/**
 * One SharePoint REST call as the handlers see it: who calls, on which site, what the path
 * addresses, in which JSON shape to answer — and what a handler gives back. Also the lookup every
 * list-scoped handler starts with: the addressed list, on this site, visible to the caller.
 */
import type { IncomingHttpHeaders } from "node:http";
import { isNudgeError, NudgeError } from "../../errors.js";
import type { Principal } from "../../identity/principal.js";
import type { ResourceRecord, SiteRecord } from "../../resources/service.js";
import type { Services } from "../../services.js";
import type { ListRef, Target } from "./addresses.js";
import type { ODataShape, ServiceRoot } from "./odata-shape.js";

/** HTTP methods after `X-HTTP-Method` tunnelling; PATCH, PUT and MERGE all update. */
export type SharePointMethod = "GET" | "POST" | "MERGE" | "DELETE";

/** A call before its site is looked up: all that `contextinfo` needs (it reads only the URL). */
export interface SiteUrlCall {
  services: Services;
  principal: Principal;
  target: Target;
  method: SharePointMethod;
  shape: ODataShape;
  /** Absolute URL of the site's service root, ending in `/_api/`. */
  root: ServiceRoot;
  /** Absolute URL of the site. */
  siteUrl: string;
  /** The site's path: `/` or `/sites/{name}` in lower case. */
  sitePath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface SharePointCall extends SiteUrlCall {
  site: SiteRecord;
}

export interface SharePointReply {
  status: number;
  /** A JSON body (already shaped); none for 204 and for SharePoint's empty 200s. */
  body?: unknown;
  headers?: Record<string, string>;
}

export type SharePointHandler = (call: SharePointCall) => Promise<SharePointReply>;

/** The list a path names, if it is on this site and the caller may see it; otherwise 404. */
export async function resolveList(call: SharePointCall, ref: ListRef): Promise<ResourceRecord> {
  const { services, principal, site } = call;
  const list =
    ref.by === "title"
      ? await services.resources.getByTitle(principal, site.id, ref.title, "sharepoint-list")
      : await services.resources.get(principal, ref.id, "sharepoint-list").catch(notFoundAsUndefined);
  if (!list || list.siteId !== site.id) {
    throw new NudgeError(
      "resourceNotFound",
      "List does not exist. The page you selected contains a list that does not exist. It may have been deleted by another user.",
    );
  }
  return list;
}

function notFoundAsUndefined(error: unknown): undefined {
  if (isNudgeError(error) && error.code === "resourceNotFound") return undefined;
  throw error;
}

/** The list of a list-scoped target. */
export function listRefOf(target: Target): ListRef {
  if (!("list" in target)) throw new Error(`target ${target.kind} has no list`);
  return target.list;
}

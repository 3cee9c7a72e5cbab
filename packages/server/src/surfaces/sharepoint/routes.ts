/**
 * The SharePoint REST surface: `/_api/…` on the root site and `/sites/{name}/_api/…`. Fastify's
 * router cannot match OData paths (`lists('id')/items(5)`), so two catch-all routes hand the path to
 * the OData parser, and the table below says which handler serves which target and method.
 * Every call needs a bearer token; errors come back in SharePoint's `odata.error` format.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { NudgeError } from "../../errors.js";
import { requirePrincipal, principalOf } from "../../http/auth.js";
import { useErrorFormat } from "../../http/error-format.js";
import type { Services } from "../../services.js";
import { targetOf, type Target, type TargetKind } from "./addresses.js";
import type { SiteRecord } from "../../resources/service.js";
import type { SharePointHandler, SharePointMethod, SiteUrlCall } from "./call.js";
import { getChanges } from "./changes.js";
import { sharePointErrorAnswer } from "./error-format.js";
import { addItem, deleteItem, getItem, listItems, updateItem } from "./items.js";
import { createList, getList, listLists, updateList } from "./lists.js";
import { parseODataPath } from "./odata-path.js";
import { contentTypeOf, shapeOf } from "./odata-shape.js";
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  updateSubscription,
} from "./subscriptions.js";
import { contextInfo, getWeb } from "./web.js";

const routeTable: Record<TargetKind, Partial<Record<SharePointMethod, SharePointHandler>>> = {
  // contextinfo needs no stored site, and is served apart (see serve).
  contextinfo: { POST: contextInfo },
  web: { GET: getWeb },
  lists: { GET: listLists, POST: createList },
  list: { GET: getList, MERGE: updateList },
  items: { GET: listItems, POST: addItem },
  item: { GET: getItem, MERGE: updateItem, DELETE: deleteItem },
  subscriptions: { GET: listSubscriptions, POST: createSubscription },
  subscription: { GET: getSubscription, MERGE: updateSubscription, DELETE: deleteSubscription },
  changes: { POST: getChanges },
};

/** Request method (after `X-HTTP-Method` tunnelling, which only a POST may do) → SharePoint method. */
const methodOf = new Map<string, SharePointMethod>([
  ["GET", "GET"],
  ["POST", "POST"],
  ["PATCH", "MERGE"],
  ["PUT", "MERGE"],
  ["MERGE", "MERGE"],
  ["DELETE", "DELETE"],
]);

const HTTP_METHODS = ["GET", "POST", "PATCH", "PUT", "MERGE", "DELETE"];

export async function registerSharePoint(app: FastifyInstance, services: Services): Promise<void> {
  // SharePoint clients may send MERGE as a real method; Node parses it, Fastify must be told.
  if (!app.supportedMethods.includes("MERGE")) app.addHttpMethod("MERGE", { hasBody: true });
  // On request, not later: an unauthenticated caller gets its 401 before any body is read.
  app.addHook("onRequest", requirePrincipal(services));
  // Unmatched paths under /_api are the root scope's: it answers them in SharePoint's format too.
  useErrorFormat(app, { render: sharePointErrorAnswer });
  const handle = (request: FastifyRequest, reply: FastifyReply) => serve(services, request, reply);
  const options = { schema: { hide: true } };
  app.route({ method: HTTP_METHODS, url: "/_api/*", handler: handle, ...options });
  app.route({ method: HTTP_METHODS, url: "/sites/:site/_api/*", handler: handle, ...options });
}

async function serve(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const { rawPath } = splitUrl(request.url);
  const apiAt = rawPath.toLowerCase().indexOf("/_api");
  const segments = parseODataPath(rawPath.slice(apiAt + "/_api".length));
  const target = segments && targetOf(segments);
  if (!target)
    throw new NudgeError("notFound", `The path '${rawPath}' is not a SharePoint REST path Nudge serves.`);
  const method = sharePointMethodOf(request);
  const handler = method && routeTable[target.kind][method];
  if (!handler) {
    throw new NudgeError("methodNotAllowed", `${request.method} is not allowed on '${rawPath}'.`);
  }
  const base = baseCallOf(services, request, target, method);
  const result =
    target.kind === "contextinfo"
      ? await contextInfo(base)
      : await handler({ ...base, site: await siteOf(base) });
  reply.status(result.status);
  if (result.headers) reply.headers(result.headers);
  if (result.body === undefined) return reply.send();
  return reply.header("content-type", contentTypeOf(base.shape)).send(JSON.stringify(result.body));
}

function sharePointMethodOf(request: FastifyRequest): SharePointMethod | undefined {
  const tunnelled = request.method === "POST" ? request.headers["x-http-method"] : undefined;
  const name = (typeof tunnelled === "string" && tunnelled.trim() ? tunnelled : request.method)
    .trim()
    .toUpperCase();
  return methodOf.get(name);
}

function baseCallOf(
  services: Services,
  request: FastifyRequest,
  target: Target,
  method: SharePointMethod,
): SiteUrlCall {
  const sitePath = sitePathOf(request);
  const siteUrl = `${request.protocol}://${request.host}${sitePath === "/" ? "" : sitePath}`;
  return {
    services,
    sitePath,
    principal: principalOf(request),
    target,
    method,
    shape: shapeOf(request.headers.accept),
    root: `${siteUrl}/_api/`,
    siteUrl,
    query: new URLSearchParams(splitUrl(request.url).rawQuery),
    headers: request.headers,
    body: request.body,
  };
}

/** `/` or `/sites/{name}`; site URLs are case-insensitive in SharePoint, so one spelling keeps one site. */
function sitePathOf(request: FastifyRequest): string {
  const siteName = (request.params as { site?: string }).site;
  return siteName ? `/sites/${siteName.toLowerCase()}` : "/";
}

/**
 * The call's site. A stand-in has every site, but only creating a list makes one: any other call
 * to a site no list was ever made on answers as SharePoint does for a site that does not exist.
 */
async function siteOf(call: SiteUrlCall): Promise<SiteRecord> {
  const { services, principal, target, method, sitePath: path } = call;
  const site =
    target.kind === "lists" && method === "POST"
      ? await services.resources.ensureSite(principal.tenantId, path)
      : await services.resources.findSite(principal.tenantId, path);
  if (!site) throw new NudgeError("siteNotFound");
  return site;
}

function splitUrl(url: string): { rawPath: string; rawQuery: string } {
  const at = url.indexOf("?");
  return at === -1
    ? { rawPath: url, rawQuery: "" }
    : { rawPath: url.slice(0, at), rawQuery: url.slice(at + 1) };
}

/**
 * The site itself: `GET /_api/web` (SP.Web) and `POST /_api/contextinfo` (the form digest that
 * clients send back as `X-RequestDigest`; Nudge authenticates by bearer token and never checks it).
 */
import { randomBytes } from "node:crypto";
import type { SharePointHandler, SharePointReply, SiteUrlCall } from "./call.js";
import { sharePointDate } from "./dates.js";
import { entityBody, selectFields } from "./odata-shape.js";

const DIGEST_TIMEOUT_SECONDS = 1800;

export const getWeb: SharePointHandler = async (call) => {
  const fields = {
    Id: call.site.id,
    Title: titleOf(call.site.path),
    ServerRelativeUrl: call.site.path,
    Url: call.siteUrl,
  };
  return {
    status: 200,
    body: entityBody(call.shape, call.root, "SP.ApiData.Webs", {
      meta: { type: "SP.Web", path: "Web" },
      fields: selectFields(fields, call.query.get("$select")),
    }),
  };
};

/** Answers on any site, made or not: clients fetch a digest before the write that makes the site. */
export async function contextInfo(call: SiteUrlCall): Promise<SharePointReply> {
  const now = call.services.clock.now();
  const fields = {
    FormDigestTimeoutSeconds: DIGEST_TIMEOUT_SECONDS,
    FormDigestValue: `0x${randomBytes(64).toString("hex").toUpperCase()},${sharePointDate(now)}`,
    LibraryVersion: "16.0.0.0",
    SiteFullUrl: call.siteUrl,
    SupportedSchemaVersions: ["14.0.0.0", "15.0.0.0"],
    WebFullUrl: call.siteUrl,
  };
  return { status: 200, body: contextInfoBody(call, fields) };
}

/** SharePoint names this one complex value in every shape: verbose wraps it in `GetContextWebInformation`. */
function contextInfoBody(call: SiteUrlCall, fields: Record<string, unknown>): unknown {
  switch (call.shape) {
    case "nometadata":
      return fields;
    case "minimalmetadata":
      return { "odata.metadata": `${call.root}$metadata#SP.ContextWebInformation`, ...fields };
    case "verbose":
      return {
        d: {
          GetContextWebInformation: {
            __metadata: { type: "SP.ContextWebInformation" },
            ...fields,
            SupportedSchemaVersions: {
              __metadata: { type: "Collection(Edm.String)" },
              results: fields.SupportedSchemaVersions,
            },
          },
        },
      };
  }
}

function titleOf(sitePath: string): string {
  return sitePath === "/" ? "Root site" : sitePath.split("/").pop()!;
}

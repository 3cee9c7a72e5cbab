/** The shapes the admin API answers with, for its routes and the OpenAPI document. */
import type { AppRecord } from "../../identity/service.js";
import { errorResponses } from "../native/schema-parts.js";

export const tags = ["admin"];
export const iso = (ms: number): string => new Date(ms).toISOString();
export const responses = (...statuses: number[]) => errorResponses(403, ...statuses);

export const name = { type: "string", minLength: 1, maxLength: 256 } as const;
export const tenantParams = {
  type: "object",
  properties: { tenantId: { type: "string", minLength: 1 } },
  required: ["tenantId"],
} as const;

export const tenantSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    createdDateTime: { type: "string", format: "date-time" },
  },
  required: ["id", "name", "createdDateTime"],
} as const;

export const appWebhookProperties = {
  webhookUrl: {
    type: ["string", "null"],
    description: "App-level webhook (OneNote, OneDrive preview): one URL for all its users.",
  },
  rootDomain: {
    type: ["string", "null"],
    description: "The app's root domain; the OneDrive preview requires the webhook URL to be on it.",
  },
} as const;
export const appResponse = {
  type: "object",
  properties: {
    id: { type: "string" },
    clientId: { type: "string" },
    name: { type: "string" },
    webhookUrl: { type: ["string", "null"] },
    rootDomain: { type: ["string", "null"] },
    secret: { type: "string" },
  },
  required: ["id", "clientId", "name", "webhookUrl", "rootDomain"],
} as const;

/** An app on the wire: never its secret (that is in the create answer only). */
export function wireApp(app: AppRecord) {
  return {
    id: app.id,
    clientId: app.clientId,
    name: app.name,
    webhookUrl: app.webhookUrl,
    rootDomain: app.rootDomain,
  };
}

/**
 * An app's static, app-level webhook (OneNote, OneDrive preview): one URL for all the app's users.
 * The OneDrive preview requires it to sit on the app's registered root domain
 * (`myservice.contoso.com` → `https://webhooks.myservice.contoso.com/...`).
 */
import { NudgeError } from "../errors.js";
import { checkNotificationUrl } from "../subscriptions/rules.js";

export interface AppWebhook {
  webhookUrl: string | null;
  rootDomain: string | null;
}

export function checkAppWebhook(input: { webhookUrl?: unknown; rootDomain?: unknown }): AppWebhook {
  const webhookUrl =
    input.webhookUrl === undefined || input.webhookUrl === null
      ? null
      : checkNotificationUrl(input.webhookUrl, "webhookUrl");
  let rootDomain: string | null = null;
  if (input.rootDomain !== undefined && input.rootDomain !== null) {
    if (
      typeof input.rootDomain !== "string" ||
      !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(input.rootDomain)
    ) {
      throw new NudgeError(
        "invalidRequest",
        "rootDomain must be a domain name such as myservice.contoso.com.",
      );
    }
    rootDomain = input.rootDomain.toLowerCase();
  }
  if (webhookUrl && rootDomain && !isOnDomain(new URL(webhookUrl).hostname, rootDomain)) {
    throw new NudgeError(
      "invalidNotificationUrl",
      `webhookUrl '${webhookUrl}' is not on the app's root domain '${rootDomain}'.`,
    );
  }
  return { webhookUrl, rootDomain };
}

export function isOnDomain(host: string, rootDomain: string): boolean {
  const h = host.toLowerCase();
  return h === rootDomain || h.endsWith(`.${rootDomain}`);
}

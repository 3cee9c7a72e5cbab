/**
 * A subscription as Graph returns it. Fields Graph has but Nudge does not use (rich
 * notifications, encryption, query options) are present with Graph's values for a driveItem
 * subscription, so clients that read them find what they would find at Graph.
 */
import type { FastifyRequest } from "fastify";
import type { SubscriptionRecord } from "../../subscriptions/service.js";

/** `https://host:port/v1.0`, from the scheme and Host the client used (links must keep them). */
export function graphServiceRoot(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/v1.0`;
}

export function graphSubscriptionJson(
  subscription: SubscriptionRecord,
  applicationId: string,
  options: { showClientState: boolean },
): Record<string, unknown> {
  return {
    id: subscription.id,
    resource: subscription.resourcePath,
    applicationId,
    changeType: "updated",
    // Graph leaves clientState out of lists (null), so a list never shows every secret at once.
    clientState: options.showClientState ? subscription.clientState : null,
    notificationUrl: subscription.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: subscription.lifecycleUrl,
    expirationDateTime: new Date(subscription.expiresAt).toISOString(),
    creatorId: subscription.creatorId,
    includeResourceData: false,
    latestSupportedTlsVersion: "v1_2",
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
    notificationContentType: "application/json",
  };
}

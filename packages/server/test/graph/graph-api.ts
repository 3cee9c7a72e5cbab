/**
 * Helpers for the Graph surface tests: JSON clients on `/v1.0` for the demo users, a subscription
 * body with sensible defaults, and the shape every Graph error must have.
 */
import { expect } from "vitest";
import type { TestNudge } from "@nudge/test-support";
import type { TestReceiver } from "../helpers/receiver.js";
import { apiClient, type Api, type ApiResponse } from "../native/api.js";

export function graphClients(t: TestNudge): { alice: Api; bob: Api } {
  return { alice: apiClient(`${t.url}/v1.0`, t.auth.alice), bob: apiClient(`${t.url}/v1.0`, t.auth.bob) };
}

export function subscriptionBody(receiver: TestReceiver, extra: Record<string, unknown> = {}) {
  return {
    changeType: "updated",
    notificationUrl: receiver.url("/graph"),
    resource: "/me/drive/root",
    clientState: "client-specific string",
    ...extra,
  };
}

/** Graph's `{"error":{"code","message","innerError":{"request-id","date"}}}`, with the given status. */
export function expectGraphError(
  response: ApiResponse,
  status: number,
  code: string,
  message?: string | RegExp,
): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: {
      error: {
        code,
        message:
          message === undefined
            ? expect.any(String)
            : message instanceof RegExp
              ? expect.stringMatching(message)
              : message,
        innerError: {
          "request-id": expect.any(String),
          date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/),
        },
      },
    },
  });
}

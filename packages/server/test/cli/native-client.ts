/** Just enough of the native API (/v1) for the CLI tests to make a subscription and a change over HTTP. */
import { expect } from "vitest";

export class NativeClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async post<T>(path: string, body: unknown, expectedStatus = 201): Promise<T> {
    const response = await fetch(`${this.baseUrl}/v1${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.status, text).toBe(expectedStatus);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.baseUrl}/v1${path}`, {
      headers: { authorization: `Bearer ${this.token}` },
    });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return JSON.parse(text) as T;
  }

  /** An external resource with one subscription to `notificationUrl`. */
  async subscribe(
    title: string,
    notificationUrl: string,
  ): Promise<{ resourceId: string; subscriptionId: string }> {
    const resource = await this.post<{ id: string }>("/resources", { title });
    const subscription = await this.post<{ id: string }>("/subscriptions", {
      resource: resource.id,
      notificationUrl,
    });
    return { resourceId: resource.id, subscriptionId: subscription.id };
  }

  async change(resourceId: string, item = "a"): Promise<void> {
    await this.post(`/resources/${resourceId}/changes`, { changes: [{ item, kind: "update" }] });
  }
}

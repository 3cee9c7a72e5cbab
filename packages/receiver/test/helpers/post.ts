/** Sends a notification (or a handshake) to a receiver as a service would: real HTTP, global fetch. */
export interface PostAnswer {
  status: number;
  contentType: string | null;
  text: string;
}

export async function postTo(
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<PostAnswer> {
  const response = await fetch(url, {
    method: "POST",
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    text: await response.text(),
  };
}

/**
 * Raw HTTP over a `node:net` socket, for requests no HTTP client will send (a malformed request
 * line, headers over the server's limit): writes the bytes, reads until the server closes, and
 * splits the answer into status, headers and body.
 */
import { connect } from "node:net";

export interface RawAnswer {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/** Sends `request` as is and resolves when the server ends the connection. */
export function rawExchange(baseUrl: string, request: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(Number(port), hostname, () => socket.write(request));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    // The server may close while the oversized request is still going out (EPIPE, ECONNRESET):
    // what it answered before that is what the test reads.
    socket.on("error", () => undefined);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      if (!text) reject(new Error("the server closed without an answer"));
      else resolve(parseAnswer(text));
    });
  });
}

function parseAnswer(text: string): RawAnswer {
  const end = text.indexOf("\r\n\r\n");
  const [statusLine = "", ...lines] = text.slice(0, end === -1 ? text.length : end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return {
    status: Number(statusLine.split(" ")[1]),
    headers,
    body: end === -1 ? "" : text.slice(end + 4),
  };
}

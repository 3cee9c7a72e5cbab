/**
 * The benchmark's webhook receiver, run as a child process (bench/delivery.js forks it). It echoes
 * validation tokens, answers every notification 200 at once, and reports over IPC:
 *   - `{type:"expect", count, unit}` → `{type:"reached", at}` when that many POSTs (unit "posts",
 *     the default) or notifications (unit "notifications": entries of the bodies' `value` arrays)
 *     have arrived since the last `reset` (at: receipt time of the last one);
 *   - a `{type:"receipt", path, at}` for each notification to a path under /latency/;
 *   - `{type:"stats"}` → `{type:"stats", count, bytes}`.
 * Times are `performance.timeOrigin + performance.now()`: wall-clock milliseconds with sub-ms
 * resolution, comparable across processes on the same machine.
 */
import { Buffer } from "node:buffer";
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";
import { URLSearchParams } from "node:url";

const now = () => performance.timeOrigin + performance.now();

let count = 0;
let bytes = 0;
let expected = Infinity;
// "posts" counts requests; "notifications" counts the entries of their `value` arrays (a batched
// POST carries several), which costs a JSON parse per request, so only when asked.
let unit = "posts";
let notifications = 0;

const server = createServer((req, res) => {
  const at = now();
  // No URL parsing for the common case (a notification has no query string): the receiver should
  // cost each side of a comparison as little as it can.
  const path = req.url ?? "/";
  const q = path.indexOf("?");
  const query = q < 0 ? null : new URLSearchParams(path.slice(q + 1));
  const pathname = q < 0 ? path : path.slice(0, q);
  const token = query?.get("validationtoken") ?? query?.get("validationToken") ?? null;
  let size = 0;
  const chunks = unit === "notifications" ? [] : null;
  req.on("data", (chunk) => {
    size += chunk.length;
    chunks?.push(chunk);
  });
  req.on("end", () => {
    if (token !== null) {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(token);
      return;
    }
    res.writeHead(200, { "content-length": "0" });
    res.end();
    count++;
    bytes += size;
    if (chunks) notifications += JSON.parse(Buffer.concat(chunks).toString()).value?.length ?? 0;
    if (pathname.startsWith("/latency/")) process.send({ type: "receipt", path: pathname, at });
    const counted = unit === "notifications" ? notifications : count;
    if (counted >= expected) {
      process.send({ type: "reached", at, count, bytes, notifications });
      expected = Infinity;
    }
  });
});
server.keepAliveTimeout = 30_000;

process.on("message", (message) => {
  if (message.type === "reset") {
    count = 0;
    bytes = 0;
    notifications = 0;
    expected = Infinity;
  } else if (message.type === "expect") {
    expected = message.count;
    unit = message.unit ?? "posts";
    const counted = unit === "notifications" ? notifications : count;
    if (counted >= expected) process.send({ type: "reached", at: now(), count, bytes, notifications });
  } else if (message.type === "stats") {
    process.send({ type: "stats", count, bytes });
  } else if (message.type === "stop") {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});

server.listen(0, "127.0.0.1", () => process.send({ type: "listening", port: server.address().port }));

/**
 * The benchmark's webhook receiver, run as a child process (bench/delivery.js forks it). It echoes
 * validation tokens, answers every notification 200 at once, and reports over IPC:
 *   - `{type:"expect", count}` → `{type:"reached", at}` when that many notifications have arrived
 *     since the last `reset` (at: receipt time of the last one);
 *   - a `{type:"receipt", path, at}` for each notification to a path under /latency/;
 *   - `{type:"stats"}` → `{type:"stats", count, bytes}`.
 * Times are `performance.timeOrigin + performance.now()`: wall-clock milliseconds with sub-ms
 * resolution, comparable across processes on the same machine.
 */
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";

const now = () => performance.timeOrigin + performance.now();

let count = 0;
let bytes = 0;
let expected = Infinity;

const server = createServer((req, res) => {
  const at = now();
  const url = new URL(req.url ?? "/", "http://receiver");
  const token = url.searchParams.get("validationtoken") ?? url.searchParams.get("validationToken");
  let size = 0;
  req.on("data", (chunk) => (size += chunk.length));
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
    if (url.pathname.startsWith("/latency/")) process.send({ type: "receipt", path: url.pathname, at });
    if (count === expected) process.send({ type: "reached", at, count, bytes });
  });
});
server.keepAliveTimeout = 30_000;

process.on("message", (message) => {
  if (message.type === "reset") {
    count = 0;
    bytes = 0;
    expected = Infinity;
  } else if (message.type === "expect") {
    expected = message.count;
    if (count >= expected) process.send({ type: "reached", at: now(), count, bytes });
  } else if (message.type === "stats") {
    process.send({ type: "stats", count, bytes });
  } else if (message.type === "stop") {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});

server.listen(0, "127.0.0.1", () => process.send({ type: "listening", port: server.address().port }));

/**
 * A loopback HTTP proxy in front of Directus that counts what the Next server asks it, by method and
 * path (`POST /auth/refresh` is the figure the refresh storm is judged on). Runs as its own process
 * (forked by bench/counting-proxy.ts) so the load generator never delays the traffic it forwards.
 *
 *   node bench/counting-proxy.mjs http://127.0.0.1:<directus port>
 * IPC: sends { type: "ready", port }; answers { type: "counts" } with { type: "counts", counts }.
 */
import http from "node:http";

const target = new URL(process.argv[2] ?? "");
const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
/** @type {Record<string, number>} */
const counts = {};

const server = http.createServer((req, res) => {
  const key = `${req.method} ${(req.url ?? "/").split("?")[0]}`;
  counts[key] = (counts[key] ?? 0) + 1;
  const upstream = http.request(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: target.host },
      agent,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502);
    res.end();
  });
  req.pipe(upstream);
});
server.keepAliveTimeout = 30_000;

server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({
    type: "ready",
    port: typeof address === "object" && address ? address.port : 0,
  });
});

process.on("message", (message) => {
  if (message && typeof message === "object" && message.type === "counts") {
    process.send?.({ type: "counts", counts: { ...counts } });
  }
});
// The bench went away (finished or crashed): so do we.
process.on("disconnect", () => process.exit(0));

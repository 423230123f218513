/**
 * The one loopback proxy the tests and the bench put between the Next server and Directus (point the
 * app's DIRECTUS_URL at `url`). Everything that passes is counted by `METHOD /path`; with
 * `record: true` each request passed on is also kept whole (method, path with query, body), so a test
 * can prove what reached Directus and what never did; `setFault` makes Directus look slow or failing, as a sick
 * Directus or a gateway in front of it would. When Directus itself is not listening, the proxy drops
 * the app's connection, which is how a refused port looks to the app.
 *
 * In the test process: `startLoopbackProxy(target, { record })`. In a process of its own, so a load
 * generator in the caller's process never delays what it forwards (the bench, see
 * bench/counting-proxy.ts): `node tests/support/loopback-proxy.mjs <target>`, which sends
 * `{ type: "ready", port }` over IPC and answers `{ type: "counts" }` with `{ type: "counts", counts }`.
 *
 * Plain JavaScript (typed with JSDoc) so that Node runs it as is in that second form.
 */
import http from "node:http";
import { fileURLToPath } from "node:url";

/**
 * @typedef {{ kind: "none" }
 *   | { kind: "slow", delayMs: number }
 *   | { kind: "error", status: number, contentType: string, body: string }} Fault
 * `slow` holds every request this long before passing it on (past the app's Directus timeout);
 * `error` answers every request with this status and body, as a crashed Directus or a gateway would.
 */

/** @typedef {{ method: string, path: string, body: string }} Recorded */

/** @typedef {Record<string, number>} Counts  what the app asked Directus, keyed `METHOD /path` (no query) */

/** @typedef {Awaited<ReturnType<typeof startLoopbackProxy>>} LoopbackProxy */

/**
 * @param {string} target Directus's base URL
 * @param {{ record?: boolean }} [options]
 */
export async function startLoopbackProxy(target, options = {}) {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  /** @type {Counts} */
  const counts = {};
  /** @type {Recorded[]} */
  const seen = [];
  /** @type {Fault} */
  let fault = { kind: "none" };
  /** @type {Set<NodeJS.Timeout>} */
  const timers = new Set();

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  const pass = (req, res) => {
    const forward = http.request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => req.socket.destroy());
    if (options.record) record(req);
    req.pipe(forward);
  };

  /** @param {http.IncomingMessage} req */
  const record = (req) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on("data", (/** @type {Buffer} */ chunk) => chunks.push(chunk));
    req.on("end", () =>
      seen.push({
        method: req.method ?? "",
        path: req.url ?? "/",
        body: Buffer.concat(chunks).toString("utf8"),
      }),
    );
  };

  const server = http.createServer((req, res) => {
    const key = `${req.method} ${(req.url ?? "/").split("?")[0]}`;
    counts[key] = (counts[key] ?? 0) + 1;
    const now = fault;
    if (now.kind === "error") {
      req.resume();
      res.writeHead(now.status, { "content-type": now.contentType });
      res.end(now.body);
      return;
    }
    if (now.kind === "slow") {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!req.socket.destroyed) pass(req, res);
      }, now.delayMs);
      timers.add(timer);
      return;
    }
    pass(req, res);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    /** @returns {Counts} a copy */
    counts: () => ({ ...counts }),
    /** Requests passed on to Directus so far (`record: true` only), oldest first. */
    seen,
    clear: () => {
      seen.splice(0);
    },
    /** @param {Fault} next */
    setFault: (next) => {
      fault = next;
    },
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      agent.destroy();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/**
 * `after - before` for every key that changed.
 * @param {Counts} before
 * @param {Counts} after
 * @returns {Counts}
 */
export function countsSince(before, after) {
  /** @type {Counts} */
  const delta = {};
  for (const [key, value] of Object.entries(after)) {
    const d = value - (before[key] ?? 0);
    if (d !== 0) delta[key] = d;
  }
  return delta;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const proxy = await startLoopbackProxy(process.argv[2] ?? "");
  process.send?.({ type: "ready", port: proxy.port });
  process.on("message", (message) => {
    if (message && typeof message === "object" && "type" in message && message.type === "counts") {
      process.send?.({ type: "counts", counts: proxy.counts() });
    }
  });
  // The caller went away (finished or crashed): so do we.
  process.on("disconnect", () => process.exit(0));
}

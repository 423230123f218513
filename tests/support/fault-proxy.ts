/**
 * A pass-through proxy in front of Directus that can be told to misbehave, so that tests can watch the
 * app meet a slow Directus or one answering errors. ("Stopped" needs no proxy: the tests stop the real
 * Directus, and the proxy then drops each connection the way a closed port would refuse it.)
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Fault =
  | { kind: "none" }
  /** Hold every request this long before passing it on: past the app's Directus timeout. */
  | { kind: "slow"; delayMs: number }
  /** Answer every request with this status and body, as a crashed Directus or a gateway would. */
  | { kind: "error"; status: number; contentType: string; body: string };

export type FaultProxy = {
  url: string;
  setFault: (fault: Fault) => void;
  stop: () => Promise<void>;
};

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let fault: Fault = { kind: "none" };
  const timers = new Set<NodeJS.Timeout>();

  const pass = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const forward = http.request(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    // Directus is not listening: drop the app's connection too, as a refused port would look to it.
    forward.on("error", () => req.socket.destroy());
    req.pipe(forward);
  };

  const server = http.createServer((req, res) => {
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
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setFault: (next) => {
      fault = next;
    },
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

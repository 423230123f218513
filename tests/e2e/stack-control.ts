/**
 * The e2e stack runs in Playwright's main process, the tests in a worker. This small loopback server
 * lets a test reach into the stack: make Directus slow or failing (through the fault proxy the app
 * talks to), stop and start the real Directus, and read the Next server's memory.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { rssSampler } from "../../bench/measure";
import type { Backend } from "../support/backend";
import type { Fault, LoopbackProxy } from "../support/loopback-proxy.mjs";

export type StackControl = { url: string; stop: () => Promise<void> };

export async function startStackControl({
  backend,
  faults,
  appPid,
}: {
  backend: Backend;
  faults: LoopbackProxy;
  appPid: number;
}): Promise<StackControl> {
  const memory = rssSampler(appPid, 1_000);
  const actions: Record<string, (body: string) => Promise<unknown>> = {
    "POST /fault": async (body) => faults.setFault(JSON.parse(body) as Fault),
    "POST /directus/stop": () => backend.stopDirectus(),
    "POST /directus/start": () => backend.startDirectus(),
    "GET /app/memory": async () => ({ rssKb: memory.now()?.rssKb }),
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const action = actions[`${req.method} ${req.url}`];
      if (!action) {
        res.writeHead(404).end();
        return;
      }
      action(Buffer.concat(chunks).toString("utf8")).then(
        (result) => {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify(result ?? { ok: true }));
        },
        (error: unknown) => {
          res.writeHead(500, { "content-type": "text/plain" });
          res.end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      memory.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

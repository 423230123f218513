import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import {
  PEER_ADDRESS_HEADER,
  pinSocketAddress,
  setSocketAddressPinnedForTests,
  socketAddressPinned,
} from "@/lib/http/socket-address";

/** A real HTTP server (as `next start` creates one) answering with the headers its handler saw. */
async function echoServer() {
  const server = http.createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ peer: req.headers[PEER_ADDRESS_HEADER] ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(r)) };
}

describe("pinSocketAddress", () => {
  afterAll(() => setSocketAddressPinnedForTests(false));

  it("puts the TCP peer into every request, overwriting what the client sent under that name", async () => {
    const before = await echoServer();
    pinSocketAddress();
    pinSocketAddress();
    expect(socketAddressPinned()).toBe(true);
    const after = await echoServer();
    try {
      for (const server of [before, after]) {
        const res = await fetch(server.url, {
          headers: { [PEER_ADDRESS_HEADER]: "6.6.6.6", "x-forwarded-for": "6.6.6.6" },
        });
        // Servers created before the hook are covered too: the patch is on the prototype.
        expect(await res.json()).toEqual({ peer: "127.0.0.1" });
      }
    } finally {
      await before.close();
      await after.close();
    }
  });
});

import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import {
  KEPT_SESSION_COOKIE,
  KEPT_SESSION_HEADER,
  markKeptSessionRead,
} from "@/lib/auth/kept-session";
import { installDoor } from "@/lib/http/door";
import {
  PEER_ADDRESS_HEADER,
  setSocketAddressPinnedForTests,
  socketAddressPinned,
} from "@/lib/http/socket-address";

/** A real HTTP server (as `next start` creates one) answering with the headers its handler saw. */
async function echoServer() {
  const server = http.createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(req.headers));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

describe("installDoor", () => {
  afterAll(() => setSocketAddressPinnedForTests(false));
  const servers: Array<Awaited<ReturnType<typeof echoServer>>> = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it("covers every server of the process, those created before it too, once however often installed", async () => {
    servers.push(await echoServer());
    installDoor({
      security: { https: false, development: false },
      markRequest: markKeptSessionRead,
    });
    installDoor({ security: { https: true, development: true } });
    expect(socketAddressPinned()).toBe(true);
    servers.push(await echoServer());
    for (const server of servers) {
      const res = await fetch(`${server.url}/login`, {
        headers: { [PEER_ADDRESS_HEADER]: "6.6.6.6", "x-forwarded-for": "6.6.6.6" },
      });
      const seen = (await res.json()) as Record<string, string>;
      // The TCP peer, overwriting what the client sent under that name.
      expect(seen[PEER_ADDRESS_HEADER]).toBe("127.0.0.1");
      // The security headers, on the answer and (the policy with its nonce) on the request; the
      // first installation's context holds: no HSTS over http.
      const policy = res.headers.get("content-security-policy");
      expect(policy).toMatch(/'nonce-[^']+' 'strict-dynamic'/);
      expect(seen["content-security-policy"]).toBe(policy);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.has("strict-transport-security")).toBe(false);
    }
  });

  it("marks requests as the app asks: a protected page's plain read with a kept session, and nothing else", async () => {
    const [server] = servers;
    const seen = async (path: string, init: RequestInit) =>
      ((await (await fetch(`${server?.url}${path}`, init)).json()) as Record<string, string>)[
        KEPT_SESSION_HEADER
      ];
    const until = Math.floor(Date.now() / 1000) + 600;
    const cookie = `next-auth.session-token=abc; ${KEPT_SESSION_COOKIE}=${until}`;
    expect(await seen("/account", { headers: { cookie } })).toBe("1");
    expect(await seen("/account", { method: "POST", headers: { cookie } })).toBeUndefined();
    expect(await seen("/account", { headers: { [KEPT_SESSION_HEADER]: "1" } })).toBeUndefined();
  });
});

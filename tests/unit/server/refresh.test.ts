import type { JWT } from "next-auth/jwt";
import { delay } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  forgetRefreshToken,
  newestRefreshToken,
  refreshSession,
  REUSE_WINDOW_MS,
} from "@/lib/auth/refresh";
import { needsRefresh, refreshMarginMs } from "@/lib/auth/tokens";
import {
  DIRECTUS,
  HttpResponse,
  authAnswer,
  directusError,
  fakeAccessToken,
  http,
  server,
  setupServerTests,
} from "./support";

setupServerTests();

// Only Date is faked: msw's delays and the client's AbortSignal.timeout keep real time.
const clock = {
  get now() {
    return Date.now();
  },
  set now(value: number) {
    vi.setSystemTime(value);
  },
};
beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

const NOW = Date.UTC(2030, 0, 1);

/** A session whose access token lives `ttlMs` and was issued `ageMs` ago. */
function session(refreshToken: string, { ttlMs = 900_000, ageMs = 0 } = {}): JWT {
  const issued = NOW - ageMs;
  const iat = Math.floor(issued / 1000);
  return {
    sub: "user-1",
    accessToken: fakeAccessToken({ id: "user-1", iat, exp: iat + ttlMs / 1000 }),
    accessTokenExpires: issued + ttlMs,
    refreshToken,
  };
}

/** Directus's refresh endpoint with single-use refresh tokens; `rotations` maps old → new. */
function directusRefresh(rotations: Record<string, string>, { ttlMs = 900_000, wait = 0 } = {}) {
  const calls: string[] = [];
  const spent = new Set<string>();
  server.use(
    http.post(`${DIRECTUS}/auth/refresh`, async ({ request }) => {
      const body = (await request.json()) as { mode: string; refresh_token: string };
      calls.push(body.refresh_token);
      if (wait) await delay(wait);
      const next = rotations[body.refresh_token];
      if (body.mode !== "json" || !next || spent.has(body.refresh_token))
        return directusError(401, "INVALID_CREDENTIALS");
      spent.add(body.refresh_token);
      return HttpResponse.json(authAnswer({ refreshToken: next, ttlMs, now: clock.now }));
    }),
  );
  return calls;
}

describe("when to refresh", () => {
  it("leaves a fresh access token alone and refreshes one minute before expiry", () => {
    clock.now = NOW;
    const tokens = session("r", { ttlMs: 900_000 });
    const asTokens = tokens as Parameters<typeof needsRefresh>[0];
    expect(refreshMarginMs(asTokens)).toBe(60_000);
    expect(needsRefresh(asTokens, NOW + 900_000 - 60_001)).toBe(false);
    expect(needsRefresh(asTokens, NOW + 900_000 - 60_000)).toBe(true);
  });

  it("uses a third of the lifetime for very short tokens, so a 5 s token is not refreshed on every request", () => {
    const asTokens = session("r", { ttlMs: 6_000 }) as Parameters<typeof needsRefresh>[0];
    expect(refreshMarginMs(asTokens)).toBe(2_000);
    expect(needsRefresh(asTokens, NOW + 1_000)).toBe(false);
    expect(needsRefresh(asTokens, NOW + 4_000)).toBe(true);
  });
});

describe("refreshSession", () => {
  it("answers still-valid without calling Directus", async () => {
    clock.now = NOW;
    const calls = directusRefresh({});
    expect(await refreshSession(session("r1"))).toEqual({ status: "still-valid" });
    expect(calls).toEqual([]);
  });

  it("rotates an expiring token and keeps the rest of the JWT", async () => {
    clock.now = NOW + 890_000;
    directusRefresh({ r1: "r2" });
    const outcome = await refreshSession({ ...session("r1"), custom: "kept" });
    expect(outcome.status).toBe("refreshed");
    if (outcome.status !== "refreshed") return;
    expect(outcome.token).toMatchObject({ sub: "user-1", custom: "kept", refreshToken: "r2" });
    expect(outcome.token.accessTokenExpires).toBe(clock.now + 900_000);
  });

  it("makes exactly one Directus call for 20 concurrent requests with the same cookie", async () => {
    clock.now = NOW + 899_000;
    const calls = directusRefresh({ r1: "r2" }, { wait: 50 });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => refreshSession(session("r1"))),
    );
    expect(calls).toEqual(["r1"]);
    for (const outcome of outcomes)
      expect(outcome).toMatchObject({ status: "refreshed", token: { refreshToken: "r2" } });
  });

  it("gives late requests that still carry the old cookie the same rotated tokens", async () => {
    clock.now = NOW + 899_000;
    const calls = directusRefresh({ r1: "r2" });
    const first = await refreshSession(session("r1"));
    clock.now += REUSE_WINDOW_MS - 1_000;
    const late = await refreshSession(session("r1"));
    expect(calls).toEqual(["r1"]);
    expect(late).toEqual(first);
  });

  it("follows a chain of rotations to the newest tokens", async () => {
    clock.now = NOW + 899_000;
    const calls = directusRefresh({ r1: "r2", r2: "r3" }, { ttlMs: 6_000 });
    await refreshSession(session("r1"));
    clock.now += 5_000;
    const newer = await refreshSession(session("r2", { ttlMs: 6_000, ageMs: 5_000 }));
    expect(newer).toMatchObject({ token: { refreshToken: "r3" } });
    const oldest = await refreshSession(session("r1"));
    expect(oldest).toMatchObject({ status: "refreshed", token: { refreshToken: "r3" } });
    expect(calls).toEqual(["r1", "r2"]);
  });

  it("after the reuse window, an old cookie is spent: the session has ended", async () => {
    clock.now = NOW + 899_000;
    directusRefresh({ r1: "r2" });
    await refreshSession(session("r1"));
    clock.now += REUSE_WINDOW_MS + 1_000;
    expect(await refreshSession(session("r1"))).toEqual({ status: "ended" });
  });

  it.each([
    [401, "INVALID_CREDENTIALS"],
    [401, "USER_SUSPENDED"],
    [401, "TOKEN_EXPIRED"],
    [403, "INVALID_TOKEN"],
    [400, "INVALID_PAYLOAD"],
  ])("ends the session when Directus answers %i %s", async (status, code) => {
    clock.now = NOW + 899_000;
    server.use(http.post(`${DIRECTUS}/auth/refresh`, () => directusError(status, code)));
    expect(await refreshSession(session("r1"))).toEqual({ status: "ended" });
  });

  it("ends a session whose cookie carries no tokens", async () => {
    expect(await refreshSession({ sub: "user-1" })).toEqual({ status: "ended" });
  });

  it("keeps the session when Directus is unreachable, and tries again on the next request", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    clock.now = NOW + 899_000;
    let calls = 0;
    server.use(
      http.post(`${DIRECTUS}/auth/refresh`, () => {
        calls += 1;
        return calls === 1
          ? HttpResponse.error()
          : HttpResponse.json(authAnswer({ refreshToken: "r2", now: clock.now }));
      }),
    );
    expect(await refreshSession(session("r1"))).toEqual({ status: "unavailable" });
    expect(await refreshSession(session("r1"))).toMatchObject({ status: "refreshed" });
    expect(calls).toBe(2);
  });

  it.each([
    ["a 503", () => directusError(503, "SERVICE_UNAVAILABLE")],
    [
      "a 502 HTML page",
      () =>
        new HttpResponse("<h1>502</h1>", { status: 502, headers: { "content-type": "text/html" } }),
    ],
    [
      "a timeout",
      async () => {
        await delay(2_000);
        return HttpResponse.json({});
      },
    ],
  ])("answers unavailable on %s", async (_label, answer) => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    clock.now = NOW + 899_000;
    server.use(http.post(`${DIRECTUS}/auth/refresh`, answer));
    expect(await refreshSession(session("r1"))).toEqual({ status: "unavailable" });
  });

  it("never logs a refresh token", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    clock.now = NOW + 899_000;
    server.use(
      http.post(`${DIRECTUS}/auth/refresh`, () =>
        directusError(500, "INTERNAL", "token secret-refresh failed"),
      ),
    );
    await refreshSession(session("secret-refresh"));
    expect(JSON.stringify([...warn.mock.calls, ...error.mock.calls])).not.toContain(
      "secret-refresh",
    );
  });
});

describe("sign-out and the reuse cache", () => {
  it("finds the newest refresh token and forgets the whole chain", async () => {
    clock.now = NOW + 899_000;
    const calls = directusRefresh({ r1: "r2" });
    await refreshSession(session("r1"));
    expect(await newestRefreshToken("r1")).toBe("r2");
    expect(await newestRefreshToken("unknown")).toBe("unknown");

    forgetRefreshToken("r2");
    // The old cookie can no longer pick up cached tokens: it goes to Directus, which refuses a spent token.
    expect(await refreshSession(session("r1"))).toEqual({ status: "ended" });
    expect(calls).toEqual(["r1", "r1"]);
  });
});

// Over 250 lines on purpose: single flight, rotation chains and reuse cache are one mechanism.
import type { JWT } from "next-auth/jwt";
import { delay } from "msw";
import { describe, expect, it, vi } from "vitest";
import {
  forgetSessionToken,
  newestSessionToken,
  refreshSession,
  REUSE_WINDOW_MS,
} from "@/lib/auth/refresh";
import { needsRefresh, refreshIntervalMs, sessionTokensIn } from "@/lib/auth/tokens";
import {
  ADA,
  DIRECTUS,
  HttpResponse,
  customerJwt,
  directusError,
  fakeDirectus,
  http,
  server,
  sessionAnswer,
  sessionIdOf,
  freezeDateAt,
  setupServerTests,
} from "../../support/server";

setupServerTests();

const NOW = Date.UTC(2030, 0, 1, 12);
freezeDateAt(NOW);
const HOUR = 3_600_000;
/** Sessions live an hour here (SESSION_MAX_AGE_SECONDS): they are slid once 20 minutes old. */
const DUE_MS = 20 * 60_000;
/** Directus's SESSION_REFRESH_GRACE_PERIOD: how long a slid session's old token still works there. */
const GRACE_MS = 10_000;

const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);

function tokensOf(jwt: JWT) {
  const tokens = sessionTokensIn(jwt);
  if (!tokens) throw new Error("the JWT carries no session");
  return tokens;
}

const sessionOf = (outcome: Awaited<ReturnType<typeof refreshSession>>) =>
  outcome.kind === "refreshed" ? sessionIdOf(outcome.token.sessionToken) : undefined;

describe("when to refresh", () => {
  it("slides a long session at most once an hour: each refresh is a write in Directus", () => {
    const tokens = tokensOf(customerJwt({ sessionId: "s1", ttlMs: 24 * HOUR }));
    expect(refreshIntervalMs(tokens)).toBe(HOUR);
    expect(needsRefresh(tokens, NOW + HOUR - 1)).toBe(false);
    expect(needsRefresh(tokens, NOW + HOUR)).toBe(true);
  });

  it("slides a shorter one after a third of its lifetime", () => {
    const hour = tokensOf(customerJwt({ sessionId: "s1", ttlMs: HOUR }));
    expect(refreshIntervalMs(hour)).toBe(DUE_MS);
    expect(needsRefresh(hour, NOW + DUE_MS - 1)).toBe(false);
    expect(needsRefresh(hour, NOW + DUE_MS)).toBe(true);

    // A 6 s session (tests) is not refreshed on every request.
    const short = tokensOf(customerJwt({ sessionId: "s2", ttlMs: 6_000 }));
    expect(refreshIntervalMs(short)).toBe(2_000);
    expect(needsRefresh(short, NOW + 1_000)).toBe(false);
    expect(needsRefresh(short, NOW + 2_000)).toBe(true);
  });

  it("slides an expired session too: Directus, not the app, decides whether it is over", () => {
    expect(needsRefresh(tokensOf(customerJwt({ sessionId: "s1" })), NOW + 2 * HOUR)).toBe(true);
  });
});

describe("refreshSession", () => {
  it("answers still-valid without calling Directus", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn();
    advance(DUE_MS - 1_000);
    expect(await refreshSession(session)).toEqual({ kind: "still-valid" });
    expect(directus.calls).toEqual([]);
  });

  it("slides a due session with its own token and keeps the rest of the JWT", async () => {
    const directus = fakeDirectus();
    const session = { ...directus.signIn(), custom: "kept" };
    advance(DUE_MS);
    const outcome = await refreshSession(session);

    expect(directus.callsTo("refresh")).toEqual([sessionIdOf(session.sessionToken)]);
    expect(outcome.kind).toBe("refreshed");
    if (outcome.kind !== "refreshed") return;
    expect(sessionOf(outcome)).not.toBe(sessionIdOf(session.sessionToken));
    expect(directus.isLive(sessionOf(outcome))).toBe(true);
    expect(outcome.token).toMatchObject({
      sub: ADA.id,
      custom: "kept",
      signedInAt: session.signedInAt,
      sessionIssuedAt: Date.now(),
      sessionExpires: Date.now() + HOUR,
    });
  });

  it("makes exactly one Directus call for 20 concurrent requests with the same cookie", async () => {
    const directus = fakeDirectus({ latencyMs: 50 });
    const session = directus.signIn();
    advance(DUE_MS);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => refreshSession(session)));
    expect(directus.callsTo("refresh")).toHaveLength(1);
    const successor = sessionOf(outcomes[0] ?? { kind: "ended" });
    expect(successor).toBeDefined();
    for (const outcome of outcomes) expect(sessionOf(outcome)).toBe(successor);
  });

  it("gives late requests that still carry the old cookie the same successor, after Directus's own grace period", async () => {
    const directus = fakeDirectus({ graceMs: GRACE_MS });
    const session = directus.signIn();
    advance(DUE_MS);
    const first = await refreshSession(session);
    advance(REUSE_WINDOW_MS - 1_000);
    expect(REUSE_WINDOW_MS - 1_000).toBeGreaterThan(GRACE_MS);
    const late = await refreshSession(session);
    expect(directus.callsTo("refresh")).toHaveLength(1);
    expect(late).toEqual(first);
  });

  it("after the reuse window, an old cookie goes to Directus again, which has ended it", async () => {
    const directus = fakeDirectus({ graceMs: GRACE_MS });
    const session = directus.signIn();
    advance(DUE_MS);
    await refreshSession(session);
    advance(REUSE_WINDOW_MS + 1_000);
    expect(await refreshSession(session)).toEqual({ kind: "ended" });
    expect(directus.callsTo("refresh")).toEqual([
      sessionIdOf(session.sessionToken),
      sessionIdOf(session.sessionToken),
    ]);
  });

  it("follows a chain of rotations to the newest session", async () => {
    const directus = fakeDirectus({ ttlMs: 6_000 });
    const oldest = directus.signIn();
    advance(2_000);
    const once = await refreshSession(oldest);
    expect(once.kind).toBe("refreshed");
    if (once.kind !== "refreshed") return;
    advance(2_000);
    const twice = await refreshSession(once.token);
    expect(twice.kind).toBe("refreshed");
    // The oldest cookie, still in a slow request, gets the newest session without a third call.
    const late = await refreshSession(oldest);
    expect(sessionOf(late)).toBe(sessionOf(twice));
    expect(sessionOf(late)).not.toBe(sessionOf(once));
    expect(directus.callsTo("refresh")).toEqual([
      sessionIdOf(oldest.sessionToken),
      sessionOf(once),
    ]);
  });

  it("follows a long chain to its end, however many rotations a slow request missed", async () => {
    const directus = fakeDirectus({ ttlMs: 6_000 });
    const oldest = directus.signIn();
    let current: JWT = oldest;
    const sessions = [sessionIdOf(oldest.sessionToken)];
    for (let i = 0; i < 5; i++) {
      advance(2_000);
      const outcome = await refreshSession(current);
      if (outcome.kind !== "refreshed") throw new Error(`rotation ${i} ${outcome.kind}`);
      current = outcome.token;
      sessions.push(sessionOf(outcome));
    }
    const late = await refreshSession(oldest);
    expect(sessionOf(late)).toBe(sessions.at(-1));
    expect(await newestSessionToken(oldest.sessionToken ?? "")).toBe(current.sessionToken);
    // One call per rotation, none for the late request.
    expect(directus.callsTo("refresh")).toEqual(sessions.slice(0, -1));
  });

  it.each([
    [401, "INVALID_CREDENTIALS"],
    [401, "USER_SUSPENDED"],
    [401, "TOKEN_EXPIRED"],
    [403, "INVALID_TOKEN"],
    [403, "FORBIDDEN"],
    [400, "INVALID_PAYLOAD"],
  ])("ends the session when Directus answers %i %s", async (status, code) => {
    server.use(http.post(`${DIRECTUS}/auth/refresh`, () => directusError(status, code)));
    const session = customerJwt({ sessionId: "s1", ageMs: DUE_MS });
    expect(await refreshSession(session)).toEqual({ kind: "ended" });
  });

  it("ends a session Directus ended itself (signed out elsewhere, password changed)", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn();
    directus.end(sessionIdOf(session.sessionToken));
    advance(DUE_MS);
    expect(await refreshSession(session)).toEqual({ kind: "ended" });
  });

  it("ends a session whose cookie carries no usable session", async () => {
    expect(await refreshSession({ sub: ADA.id })).toEqual({ kind: "ended" });
    const incomplete = { ...customerJwt({ sessionId: "s1" }), sessionIssuedAt: undefined };
    expect(await refreshSession(incomplete)).toEqual({ kind: "ended" });
    expect(await refreshSession({ ...customerJwt({ sessionId: "s1" }), sessionToken: "" })).toEqual(
      { kind: "ended" },
    );
  });

  it("keeps the session when Directus is unreachable, and tries again on the next request", async () => {
    let calls = 0;
    server.use(
      http.post(`${DIRECTUS}/auth/refresh`, () => {
        calls += 1;
        return calls === 1 ? HttpResponse.error() : sessionAnswer({ sessionId: "s2" });
      }),
    );
    const session = customerJwt({ sessionId: "s1", ageMs: DUE_MS });
    expect(await refreshSession(session)).toEqual({ kind: "unavailable" });
    const retried = await refreshSession(session);
    expect(sessionOf(retried)).toBe("s2");
    expect(calls).toBe(2);
  });

  it.each([
    ["a 503", () => directusError(503, "SERVICE_UNAVAILABLE")],
    ["a 429", () => directusError(429, "REQUESTS_EXCEEDED")],
    [
      "a 502 HTML page",
      () =>
        new HttpResponse("<h1>502</h1>", { status: 502, headers: { "content-type": "text/html" } }),
    ],
    [
      "a timeout",
      async () => {
        await delay("infinite");
        return HttpResponse.json({});
      },
    ],
    ["a 200 without a session cookie", () => HttpResponse.json({ data: { expires: HOUR } })],
  ])("answers unavailable on %s", async (_label, answer: () => Response | Promise<Response>) => {
    server.use(http.post(`${DIRECTUS}/auth/refresh`, answer));
    const session = customerJwt({ sessionId: "s1", ageMs: DUE_MS });
    expect(await refreshSession(session)).toEqual({ kind: "unavailable" });
  });

  it("never logs a session token, even when Directus's message echoes it", async () => {
    const session = customerJwt({ sessionId: "s1", ageMs: DUE_MS });
    server.use(
      http.post(`${DIRECTUS}/auth/refresh`, () =>
        directusError(500, "INTERNAL", `session ${session.sessionToken ?? ""} failed`),
      ),
    );
    expect(await refreshSession(session)).toEqual({ kind: "unavailable" });
    // setupServerTests checks every log line for every session token made in this test.
    expect(vi.mocked(console.warn).mock.calls.length).toBeGreaterThan(0);
  });
});

describe("sign-out and the reuse cache", () => {
  it("finds the newest session token and forgets the whole chain", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn();
    const old = session.sessionToken ?? "";
    advance(DUE_MS);
    const outcome = await refreshSession(session);
    const successor = outcome.kind === "refreshed" ? (outcome.token.sessionToken ?? "") : "";
    expect(sessionIdOf(successor)).toBeDefined();
    expect(await newestSessionToken(old)).toBe(successor);
    expect(await newestSessionToken(successor)).toBe(successor);
    expect(await newestSessionToken("unknown")).toBe("unknown");

    forgetSessionToken(successor);
    expect(await newestSessionToken(old)).toBe(old);
    // The old cookie can no longer pick up the cached successor: it goes to Directus, which has
    // ended the session in the meantime (sign-out).
    directus.end(sessionIdOf(successor));
    directus.end(sessionIdOf(old));
    expect(await refreshSession(session)).toEqual({ kind: "ended" });
    expect(directus.callsTo("refresh")).toEqual([sessionIdOf(old), sessionIdOf(old)]);
  });
});

// Over 250 lines on purpose: checkSession's three paths share one mocked Directus.
import type { JWT } from "next-auth/jwt";
import { delay } from "msw";
import { describe, expect, it, vi } from "vitest";
import { checkSession, pastAbsoluteLifetime } from "@/lib/auth/live-session";
import { isSignOutPending } from "@/lib/auth/pending-sign-outs";
import { refreshSession, resetRefreshCacheForTests } from "@/lib/auth/refresh";
import {
  ADA,
  DIRECTUS,
  HttpResponse,
  TEST_ENV,
  customerMe,
  directusError,
  fakeDirectus,
  http,
  profileAnswer,
  server,
  sessionIdOf,
  freezeDateAt,
  setupServerTests,
} from "../../support/server";

setupServerTests();

const NOW = Date.UTC(2030, 0, 1, 12);
freezeDateAt(NOW);
const ABSOLUTE_MS = Number(TEST_ENV.SESSION_ABSOLUTE_MAX_AGE) * 1000;
/** SESSION_MAX_AGE_SECONDS is an hour here: a session is slid once it is 20 minutes old. */
const REFRESH_DUE_MS = 20 * 60_000;

const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);

const checkWithProfile = (token: JWT) => checkSession(token, { needProfile: true });

describe("the absolute lifetime", () => {
  it("ends a session signed in SESSION_ABSOLUTE_MAX_AGE ago, however active, and ends it at Directus", async () => {
    const directus = fakeDirectus();
    const token = directus.signIn(ADA.id, { signedInAgoMs: ABSOLUTE_MS });
    const sessionId = sessionIdOf(token.sessionToken);

    expect(await checkWithProfile(token)).toEqual({ kind: "ended" });
    expect(directus.callsTo("sign-out")).toEqual([sessionId]);
    expect(directus.isLive(sessionId)).toBe(false);
    // Neither slid nor read: an ended session is not used for anything else.
    expect(directus.callsTo("refresh")).toEqual([]);
    expect(directus.callsTo("me")).toEqual([]);
  });

  it("ends at Directus a successor another process slid the session into, which this process never saw", async () => {
    const directus = fakeDirectus();
    const token = directus.signIn(ADA.id, { signedInAgoMs: ABSOLUTE_MS });
    // Another process's copy of the cookie slides it; this process's refresh cache never learns of it.
    const slid = await refreshSession(token, { now: () => Date.now() + REFRESH_DUE_MS });
    resetRefreshCacheForTests();
    const successor = slid.kind === "refreshed" ? sessionIdOf(slid.token.sessionToken) : "";
    expect(directus.isLive(successor)).toBe(true);

    expect(await checkWithProfile(token)).toEqual({ kind: "ended" });
    expect(directus.callsTo("sign-out")).toEqual([sessionIdOf(token.sessionToken)]);
    expect(directus.isLive(successor)).toBe(false);
    expect(directus.isLive(sessionIdOf(token.sessionToken))).toBe(false);
  });

  it("lets a session through until its last millisecond", async () => {
    const directus = fakeDirectus();
    const token = directus.signIn(ADA.id, { signedInAgoMs: ABSOLUTE_MS - 1 });
    expect(await checkWithProfile(token)).toMatchObject({ kind: "active" });
    expect(directus.callsTo("sign-out")).toEqual([]);
  });

  it("ends it on requests that need no profile too", async () => {
    const directus = fakeDirectus();
    const token = directus.signIn(ADA.id, { signedInAgoMs: ABSOLUTE_MS + 60_000 });
    expect(await checkSession(token, { needProfile: false })).toEqual({ kind: "ended" });
    expect(directus.callsTo("sign-out")).toEqual([sessionIdOf(token.sessionToken)]);
  });

  it("counts from the `now` it is given", async () => {
    const directus = fakeDirectus();
    const token = directus.signIn();
    expect(await checkSession(token, { needProfile: true, now: NOW + ABSOLUTE_MS })).toEqual({
      kind: "ended",
    });
    expect(directus.callsTo("sign-out")).toEqual([sessionIdOf(token.sessionToken)]);
  });

  it("treats a cookie without signedInAt (from before it was recorded) as past it", async () => {
    const directus = fakeDirectus();
    const token = { ...directus.signIn(), signedInAt: undefined };
    expect(pastAbsoluteLifetime(token, NOW)).toBe(true);
    expect(await checkWithProfile(token)).toEqual({ kind: "ended" });
    expect(directus.callsTo("sign-out")).toEqual([sessionIdOf(token.sessionToken)]);
    expect(directus.callsTo("me")).toEqual([]);
  });

  it("still ends the session when Directus cannot be told, refuses its token from then on, and logs no token", async () => {
    const token = fakeDirectus().signIn(ADA.id, { signedInAgoMs: ABSOLUTE_MS });
    let signOuts = 0;
    server.use(
      http.post(`${DIRECTUS}/customer/sign-out`, () => {
        signOuts += 1;
        return HttpResponse.error();
      }),
    );
    expect(await checkWithProfile(token)).toEqual({ kind: "ended" });
    expect(signOuts).toBe(1);
    expect(vi.mocked(console.warn)).toHaveBeenCalledWith(
      expect.stringMatching(/ending the Directus session failed/),
    );
    // Until a retry reaches Directus, this process refuses the token itself.
    expect(isSignOutPending(token.sessionToken as string)).toBe(true);
  });

  it("asks nothing of Directus for an old cookie that carries no session token", async () => {
    expect(await checkWithProfile({ sub: ADA.id })).toEqual({ kind: "ended" });
  });
});

describe("reading the profile with the customer's own session", () => {
  it("answers active with the profile Directus gave for this very session", async () => {
    const directus = fakeDirectus();
    const token = directus.signIn();
    expect(await checkWithProfile(token)).toEqual({
      kind: "active",
      profile: { id: ADA.id, email: ADA.email, firstName: "Ada", lastName: "Lovelace" },
    });
    expect(directus.callsTo("me")).toEqual([sessionIdOf(token.sessionToken)]);
    expect(directus.callsTo("refresh")).toEqual([]);
  });

  it("slides a session that is due first, and reads the profile with the new token", async () => {
    const directus = fakeDirectus();
    const token = directus.signIn();
    const first = sessionIdOf(token.sessionToken);
    advance(REFRESH_DUE_MS);

    const result = await checkWithProfile(token);
    expect(result.kind).toBe("active");
    if (result.kind !== "active") return;
    const second = sessionIdOf(result.refreshed?.sessionToken);
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(result.refreshed).toMatchObject({
      sub: ADA.id,
      signedInAt: token.signedInAt,
      sessionIssuedAt: Date.now(),
    });
    expect(result.profile?.id).toBe(ADA.id);
    expect(directus.callsTo("refresh")).toEqual([first]);
    expect(directus.callsTo("me")).toEqual([second]);
  });

  it.each([
    ["401 INVALID_CREDENTIALS", () => directusError(401, "INVALID_CREDENTIALS")],
    ["401 USER_SUSPENDED", () => directusError(401, "USER_SUSPENDED")],
    // Directus's own answers for a session JWT it no longer accepts: expired (its clock ahead of
    // ours), or signed with a SECRET it no longer has.
    ["401 TOKEN_EXPIRED", () => directusError(401, "TOKEN_EXPIRED")],
    ["403 INVALID_TOKEN", () => directusError(403, "INVALID_TOKEN")],
    ["403 FORBIDDEN", () => directusError(403, "FORBIDDEN")],
    ["401 without a body", () => new HttpResponse(null, { status: 401 })],
  ])(
    "answers ended when Directus answers %s: its word that the session is over",
    async (_, answer) => {
      const directus = fakeDirectus();
      customerMe(answer);
      expect(await checkWithProfile(directus.signIn())).toEqual({ kind: "ended" });
    },
  );

  it("answers ended for a session Directus ended elsewhere (sign-out on another device)", async () => {
    const directus = fakeDirectus();
    const token = directus.signIn();
    directus.end(sessionIdOf(token.sessionToken));
    expect(await checkWithProfile(token)).toEqual({ kind: "ended" });
  });

  it("answers ended when the slide itself is refused", async () => {
    const directus = fakeDirectus();
    const token = directus.signIn();
    directus.end(sessionIdOf(token.sessionToken));
    advance(REFRESH_DUE_MS);
    expect(await checkWithProfile(token)).toEqual({ kind: "ended" });
    expect(directus.callsTo("me")).toEqual([]);
  });

  it.each([
    ["a 404 (the customer API is not installed)", () => directusError(404, "ROUTE_NOT_FOUND")],
    ["a 500", () => directusError(500, "INTERNAL_SERVER_ERROR")],
    ["a 502 HTML page", () => new HttpResponse("<h1>502</h1>", { status: 502 })],
    ["a 429", () => directusError(429, "REQUESTS_EXCEEDED")],
    ["a refused connection", () => HttpResponse.error()],
    [
      "a timeout",
      async () => {
        await delay("infinite");
        return profileAnswer();
      },
    ],
    ["a profile in an unknown shape", () => HttpResponse.json({ data: [ADA] })],
    ["another customer's profile", () => profileAnswer({ ...ADA, id: "user-2" })],
  ])(
    "answers unavailable for %s, and signs nobody out",
    async (_, answer: () => Response | Promise<Response>) => {
      const directus = fakeDirectus();
      const token = directus.signIn();
      customerMe(answer);
      expect(await checkWithProfile(token)).toEqual({ kind: "unavailable" });
      expect(directus.callsTo("sign-out")).toEqual([]);
      expect(directus.isLive(sessionIdOf(token.sessionToken))).toBe(true);
    },
  );

  it("hands back a slide that succeeded even when the profile read then fails", async () => {
    const directus = fakeDirectus();
    const token = directus.signIn();
    advance(REFRESH_DUE_MS);
    const bearers = customerMe(() => directusError(500, "INTERNAL_SERVER_ERROR"));
    const result = await checkWithProfile(token);
    expect(result.kind).toBe("unavailable");
    // The old token is spent once its grace period is over: the caller must store the new one.
    const refreshed = result.kind === "unavailable" ? result.refreshed : undefined;
    const successor = sessionIdOf(refreshed?.sessionToken);
    expect(successor).toBeDefined();
    expect(successor).not.toBe(sessionIdOf(token.sessionToken));
    expect(directus.isLive(successor)).toBe(true);
    expect(bearers.map(sessionIdOf)).toEqual([successor]);
  });

  it("answers unavailable without reading the profile when the slide cannot reach Directus", async () => {
    const directus = fakeDirectus();
    const token = directus.signIn();
    advance(REFRESH_DUE_MS);
    server.use(http.post(`${DIRECTUS}/auth/refresh`, () => HttpResponse.error()));
    expect(await checkWithProfile(token)).toEqual({ kind: "unavailable" });
    expect(directus.callsTo("me")).toEqual([]);
    expect(directus.callsTo("sign-out")).toEqual([]);
  });
});

describe("requests that need no profile", () => {
  it("do not read it", async () => {
    const directus = fakeDirectus();
    expect(await checkSession(directus.signIn(), { needProfile: false })).toEqual({
      kind: "active",
    });
    expect(directus.calls).toEqual([]);
  });

  it("still slide a session that is due", async () => {
    const directus = fakeDirectus();
    const token = directus.signIn();
    advance(REFRESH_DUE_MS);
    const result = await checkSession(token, { needProfile: false });
    expect(result).toMatchObject({ kind: "active", refreshed: { sub: ADA.id } });
    expect(directus.callsTo("refresh")).toEqual([sessionIdOf(token.sessionToken)]);
    expect(directus.callsTo("me")).toEqual([]);
  });

  it("count as active when Directus cannot be asked: nobody is signed out for that", async () => {
    const directus = fakeDirectus();
    const token = directus.signIn();
    advance(REFRESH_DUE_MS);
    server.use(http.post(`${DIRECTUS}/auth/refresh`, () => HttpResponse.error()));
    expect(await checkSession(token, { needProfile: false })).toEqual({ kind: "active" });
  });

  it("end when Directus refuses the slide", async () => {
    const directus = fakeDirectus();
    const token = directus.signIn();
    directus.end(sessionIdOf(token.sessionToken));
    advance(REFRESH_DUE_MS);
    expect(await checkSession(token, { needProfile: false })).toEqual({ kind: "ended" });
  });
});

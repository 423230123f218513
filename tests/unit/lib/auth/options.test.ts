// Over 250 lines on purpose: next-auth's callbacks and events are one configuration.
import type { Session, User } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { describe, expect, it, vi } from "vitest";
import { authOptions } from "@/lib/auth/options";
import { checkSession } from "@/lib/auth/live-session";
import { isSignOutPending, RETRY_DELAYS_MS } from "@/lib/auth/pending-sign-outs";
import { newestSessionToken, refreshSession, resetRefreshCacheForTests } from "@/lib/auth/refresh";
import {
  ADA,
  DIRECTUS,
  HttpResponse,
  customerJwt,
  directusError,
  fakeDirectus,
  http,
  presentedToken,
  server,
  sessionAnswer,
  sessionIdOf,
  setupServerTests,
  useAppUrl,
} from "../../support/server";

setupServerTests();

const user: User = {
  id: "user-1",
  sessionToken: "session-secret-of-user-1",
  sessionIssuedAt: Date.UTC(2030, 0, 1),
  sessionExpires: Date.UTC(2030, 0, 1, 1),
  signedInAt: Date.UTC(2030, 0, 1, 0, 0, 1),
};

/** SESSION_MAX_AGE_SECONDS is an hour in these tests: a session is slid once 20 minutes old. */
const DUE_MS = 20 * 60_000;

type JwtParams = Parameters<NonNullable<NonNullable<typeof authOptions.callbacks>["jwt"]>>[0];
type SessionParams = Parameters<
  NonNullable<NonNullable<typeof authOptions.callbacks>["session"]>
>[0];
type SignOutParams = Parameters<NonNullable<NonNullable<typeof authOptions.events>["signOut"]>>[0];

function jwt(params: Partial<JwtParams>) {
  return authOptions.callbacks!.jwt!({ token: {}, account: null, ...params } as JwtParams);
}

describe("authOptions", () => {
  it("reads its settings from the env when used, not when imported", () => {
    expect(authOptions.secret).toBe("a-test-secret-that-is-long-enough-0123456789");
    expect(authOptions.session).toMatchObject({ strategy: "jwt", maxAge: 3600 });
    expect(authOptions.useSecureCookies).toBe(false);
  });

  it("uses secure cookies for an https app", () => {
    useAppUrl("https://accounts.example.com");
    expect(authOptions.useSecureCookies).toBe(true);
  });

  it("sends sign-in and its errors to /login", () => {
    expect(authOptions.pages).toEqual({ signIn: "/login", error: "/login" });
  });
});

describe("callbacks.jwt", () => {
  it("stores the session at sign-in and nothing else of the user", async () => {
    const token = await jwt({
      token: { name: "x", email: "e@example.com", sub: "user-1" },
      user: { ...user, email: "ada@example.com", name: "Ada" } as User,
      trigger: "signIn",
    });
    expect(token).toEqual({
      sub: "user-1",
      sessionToken: user.sessionToken,
      sessionIssuedAt: user.sessionIssuedAt,
      sessionExpires: user.sessionExpires,
      signedInAt: user.signedInAt,
    });
  });

  it("returns the token unchanged afterwards, whatever the client sends with update()", async () => {
    const stored: JWT = customerJwt({ sessionId: "s1" });
    const token = await jwt({
      token: stored,
      trigger: "update",
      session: { sessionToken: "evil", signedInAt: Date.now() },
    } as Partial<JwtParams>);
    expect(token).toBe(stored);
  });
});

describe("callbacks.session", () => {
  it("exposes only the user id and the expiry: no token reaches the browser", async () => {
    const token: JWT = customerJwt({ sessionId: "s1" });
    const session = (await authOptions.callbacks!.session!({
      session: { user: { id: "" }, expires: "2030-01-01T00:00:00.000Z" } as Session,
      token,
    } as SessionParams)) as Session;
    expect(session).toEqual({ user: { id: "user-1" }, expires: "2030-01-01T00:00:00.000Z" });
    expect(JSON.stringify(session)).not.toMatch(/secret|signature/);
  });
});

describe("callbacks.redirect", () => {
  const baseUrl = "http://localhost:3000";
  const redirect = (url: string) => authOptions.callbacks!.redirect!({ url, baseUrl });

  it.each([
    ["/account", "http://localhost:3000/account"],
    ["/account?tab=1#top", "http://localhost:3000/account?tab=1#top"],
    ["http://localhost:3000/account", "http://localhost:3000/account"],
    ["/login?signedOut=1", "http://localhost:3000/login?signedOut=1"],
  ])("keeps the same-origin %s", async (url, expected) => {
    expect(await redirect(url)).toBe(expected);
  });

  it.each([
    // Each of the first two made next-auth's own callback throw: a 500 on the credentials sign-in.
    "http://localhost:3000.evil.example/",
    "http://[::1",
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example",
    "javascript:alert(1)",
    "http://localhost:3001/account",
    "",
    "%",
  ])("sends %j home instead, without throwing", async (url) => {
    expect(await redirect(url)).toBe("http://localhost:3000/");
  });
});

describe("events.signOut", () => {
  const signOut = (token: JWT | null) => authOptions.events!.signOut!({ token } as SignOutParams);

  /**
   * The customer API's sign-out, recording the session each call presented as a bearer, and whether
   * it sent a Directus cookie or a body (it should send neither).
   */
  function customerSignOut(answer: () => Response = () => new HttpResponse(null, { status: 204 })) {
    const ended: Array<{ sessionId?: string; cookie: boolean; body: string }> = [];
    server.use(
      http.post(`${DIRECTUS}/customer/sign-out`, async ({ request }) => {
        const { bearer, cookie } = presentedToken(request);
        ended.push({
          sessionId: sessionIdOf(bearer),
          cookie: cookie !== undefined,
          body: await request.text(),
        });
        return answer();
      }),
    );
    return ended;
  }

  it("ends the Directus session through the customer API, presenting it as a bearer", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn();
    const sessionId = sessionIdOf(session.sessionToken);
    await signOut(session);
    expect(directus.calls).toEqual([{ endpoint: "sign-out", sessionId }]);
    expect(directus.isLive(sessionId)).toBe(false);
    expect(isSignOutPending(session.sessionToken ?? "")).toBe(false);
  });

  it("ends the newest session too when a parallel request just slid it, and drops the cached slide", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn();
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + DUE_MS);
      const slid = await refreshSession(session);
      const successor = slid.kind === "refreshed" ? sessionIdOf(slid.token.sessionToken) : "";
      expect(directus.isLive(successor)).toBe(true);

      // The browser's sign-out still carries the old cookie. The newest token is presented: its
      // chain holds the old one too, and it is the one Directus still accepts after the grace period.
      await signOut(session);
      expect(directus.callsTo("sign-out")).toEqual([successor]);
      expect(directus.isLive(successor)).toBe(false);
      expect(directus.isLive(sessionIdOf(session.sessionToken))).toBe(false);

      // A replayed old cookie must reach Directus again instead of picking up the cached successor.
      expect(await refreshSession(session)).toEqual({ kind: "ended" });
      expect(directus.callsTo("refresh")).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("swallows Directus errors and logs them without the token", async () => {
    const warn = vi.mocked(console.warn);
    const ended = customerSignOut(() => HttpResponse.error());
    const session = customerJwt({ sessionId: "s1" });
    await expect(signOut(session)).resolves.toBeUndefined();
    expect(ended).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/sign-out: ending the Directus session failed/),
    );
  });

  it("when Directus is unreachable, refuses the old cookie at once and ends the sessions once Directus is back", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      let up = false;
      const ended = customerSignOut(() =>
        up ? new HttpResponse(null, { status: 204 }) : HttpResponse.error(),
      );
      // Not due for a slide: without the pending sign-out the proxy would not even ask Directus.
      const session = customerJwt({ sessionId: "s1" });
      const token = session.sessionToken ?? "";
      await signOut(session);
      expect(isSignOutPending(token)).toBe(true);
      expect(await refreshSession(session)).toEqual({ kind: "ended" });

      // First retry: still down. Second: Directus is back and ends the session.
      await vi.advanceTimersByTimeAsync(RETRY_DELAYS_MS[0] ?? 0);
      expect(ended).toHaveLength(2);
      expect(isSignOutPending(token)).toBe(true);
      up = true;
      await vi.advanceTimersByTimeAsync(RETRY_DELAYS_MS[1] ?? 0);
      expect(ended).toHaveLength(3);
      expect(ended[2]).toEqual({ sessionId: "s1", cookie: false, body: "" });
      // Directus refuses the session from now on; this process no longer needs to remember it.
      expect(isSignOutPending(token)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses the slid successor too while Directus cannot be told, and retries both", async () => {
    let refreshes = 0;
    server.use(
      http.post(`${DIRECTUS}/auth/refresh`, () => {
        refreshes += 1;
        return sessionAnswer({ sessionId: "s2" });
      }),
    );
    const ended = customerSignOut(() => HttpResponse.error());
    const session = customerJwt({ sessionId: "s1", ageMs: DUE_MS });
    const slid = await refreshSession(session);
    expect(slid.kind).toBe("refreshed");
    if (slid.kind !== "refreshed") return;

    await signOut(session);
    expect(ended.map((e) => e.sessionId).sort()).toEqual(["s1", "s2"]);
    expect(isSignOutPending(session.sessionToken ?? "")).toBe(true);
    expect(isSignOutPending(slid.token.sessionToken ?? "")).toBe(true);
    // The newer cookie the browser may already hold is refused as well, without asking Directus.
    expect(await refreshSession(slid.token)).toEqual({ kind: "ended" });
    expect(refreshes).toBe(1);
  });

  it("forgets a pending sign-out once no session could still carry the token", async () => {
    customerSignOut(() => HttpResponse.error());
    const session = customerJwt({ sessionId: "s1" });
    await signOut(session);
    expect(isSignOutPending(session.sessionToken ?? "")).toBe(true);
    // SESSION_MAX_AGE_SECONDS is 3600 in these tests.
    expect(isSignOutPending(session.sessionToken ?? "", Date.now() + 3_601_000)).toBe(false);
  });

  it.each([
    [401, "INVALID_CREDENTIALS"],
    [401, "TOKEN_EXPIRED"],
    [403, "INVALID_TOKEN"],
  ])(
    "does not retry when Directus refuses with %i %s: the session is over already",
    async (status, code) => {
      const ended = customerSignOut(() => directusError(status, code));
      const session = customerJwt({ sessionId: "s1" });
      await signOut(session);
      expect(ended).toHaveLength(1);
      expect(isSignOutPending(session.sessionToken ?? "")).toBe(false);
    },
  );

  it("retries, and logs an error, when Directus has no customer API (404): nothing was ended", async () => {
    const ended = customerSignOut(() => directusError(404, "ROUTE_NOT_FOUND"));
    const session = customerJwt({ sessionId: "s1" });
    await signOut(session);
    expect(ended).toHaveLength(1);
    expect(isSignOutPending(session.sessionToken ?? "")).toBe(true);
    expect(vi.mocked(console.error)).toHaveBeenCalledWith(
      expect.stringMatching(/sign-out: ending the Directus session failed/),
    );
  });

  it("retries when Directus is rate limiting", async () => {
    customerSignOut(() => directusError(429, "REQUESTS_EXCEEDED"));
    const session = customerJwt({ sessionId: "s1" });
    await signOut(session);
    expect(isSignOutPending(session.sessionToken ?? "")).toBe(true);
  });

  it("does nothing without a session token", async () => {
    await expect(signOut(null)).resolves.toBeUndefined();
    await expect(signOut({ sub: "user-1" })).resolves.toBeUndefined();
    // Any request to Directus would be unhandled here, and fail the test.
  });

  it("signs out a cookie whose session Directus already ended: refused, taken as done, not retried", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn();
    const sessionId = sessionIdOf(session.sessionToken);
    directus.end(sessionId);
    await expect(signOut(session)).resolves.toBeUndefined();
    expect(directus.callsTo("sign-out")).toEqual([sessionId]);
    expect(isSignOutPending(session.sessionToken ?? "")).toBe(false);
  });

  describe("every copy of the signed-out session ends, in every process; other sign-ins do not", () => {
    const GRACE = {
      id: "user-2",
      email: "grace@example.com",
      first_name: "Grace",
      last_name: "Hopper",
    };

    const check = (token: JWT) => checkSession(token, { needProfile: true });

    /**
     * Another app process slides `session` (a copy of the same cookie, due by that process's clock):
     * the same Directus refresh, but this process's refresh cache never learns the successor.
     * Everything stays within Directus's grace period, so the older session is still live.
     */
    async function slidInAnotherProcess(session: JWT): Promise<JWT> {
      const slid = await refreshSession(session, { now: () => Date.now() + DUE_MS });
      resetRefreshCacheForTests();
      if (slid.kind !== "refreshed") throw new Error(`expected a slide, got ${slid.kind}`);
      expect(sessionIdOf(slid.token.sessionToken)).not.toBe(sessionIdOf(session.sessionToken));
      return slid.token;
    }

    it("ends a successor minted in another process when the original cookie signs out", async () => {
      const directus = fakeDirectus();
      const original = directus.signIn();
      const successor = await slidInAnotherProcess(original);
      const originalToken = original.sessionToken ?? "";
      // Before: both copies work, and this process knows nothing newer than the original.
      expect(await check(successor)).toMatchObject({ kind: "active", profile: { id: ADA.id } });
      expect(await check(original)).toMatchObject({ kind: "active" });
      expect(await newestSessionToken(originalToken)).toBe(originalToken);

      await signOut(original);

      // One call, with the token this process had: Directus followed the chain itself.
      expect(directus.callsTo("sign-out")).toEqual([sessionIdOf(originalToken)]);
      expect(directus.isLive(sessionIdOf(successor.sessionToken))).toBe(false);
      expect(directus.isLive(sessionIdOf(originalToken))).toBe(false);
      expect(await check(successor)).toEqual({ kind: "ended" });
      expect(await check(original)).toEqual({ kind: "ended" });
      // Done at Directus: nothing left for this process to refuse or retry.
      expect(isSignOutPending(originalToken)).toBe(false);
    });

    it("follows the chain both ways from a copy in its middle: older and newer cookies all end", async () => {
      const directus = fakeDirectus();
      const first = directus.signIn();
      const second = await slidInAnotherProcess(first);
      const third = await slidInAnotherProcess(second);
      for (const copy of [first, second, third]) {
        expect(await check(copy)).toMatchObject({ kind: "active" });
      }

      await signOut(second);

      expect(directus.callsTo("sign-out")).toEqual([sessionIdOf(second.sessionToken)]);
      for (const copy of [first, second, third]) {
        expect(directus.isLive(sessionIdOf(copy.sessionToken))).toBe(false);
        expect(await check(copy)).toEqual({ kind: "ended" });
      }
    });

    it("leaves the same customer's separate sign-in (another device) and other customers signed in", async () => {
      const directus = fakeDirectus({ users: [ADA, GRACE] });
      const laptop = directus.signIn(ADA.id);
      const laptopSlid = await slidInAnotherProcess(laptop);
      const phone = directus.signIn(ADA.id);
      const phoneSlid = await slidInAnotherProcess(phone);
      const grace = directus.signIn(GRACE.id);

      await signOut(laptop);

      expect(directus.callsTo("sign-out")).toEqual([sessionIdOf(laptop.sessionToken)]);
      expect(await check(laptop)).toEqual({ kind: "ended" });
      expect(await check(laptopSlid)).toEqual({ kind: "ended" });
      // The phone's sign-in, and its own refreshed copy, are another chain: still Ada's, still live.
      const adaProfile = { id: ADA.id, email: ADA.email, firstName: "Ada", lastName: "Lovelace" };
      expect(await check(phone)).toEqual({ kind: "active", profile: adaProfile });
      expect(await check(phoneSlid)).toEqual({ kind: "active", profile: adaProfile });
      expect(directus.isLive(sessionIdOf(phone.sessionToken))).toBe(true);
      expect(directus.isLive(sessionIdOf(phoneSlid.sessionToken))).toBe(true);
      expect(await check(grace)).toMatchObject({ kind: "active", profile: { id: GRACE.id } });
    });
  });
});

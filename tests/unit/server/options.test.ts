import type { Session, User } from "next-auth";
import type { JWT } from "next-auth/jwt";
import { describe, expect, it, vi } from "vitest";
import { authOptions } from "@/lib/auth/options";
import { resetEnvCacheForTests } from "@/lib/env";
import { isSignOutPending, RETRY_DELAYS_MS } from "@/lib/auth/pending-sign-outs";
import { refreshSession } from "@/lib/auth/refresh";
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

const user: User = {
  id: "user-1",
  accessToken: fakeAccessToken({ id: "user-1" }),
  accessTokenExpires: Date.now() + 900_000,
  refreshToken: "refresh-secret",
};

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
    vi.stubEnv("NEXTAUTH_URL", "https://accounts.example.com");
    resetEnvCacheForTests();
    expect(authOptions.useSecureCookies).toBe(true);
  });

  it("sends sign-in and its errors to /login", () => {
    expect(authOptions.pages).toEqual({ signIn: "/login", error: "/login" });
  });
});

describe("callbacks.jwt", () => {
  it("stores the tokens at sign-in and nothing else of the user", async () => {
    const token = await jwt({
      token: { name: "x", email: "e@example.com", sub: "user-1" },
      user,
      trigger: "signIn",
    });
    expect(token).toEqual({
      sub: "user-1",
      accessToken: user.accessToken,
      accessTokenExpires: user.accessTokenExpires,
      refreshToken: "refresh-secret",
    });
  });

  it("returns the token unchanged afterwards, whatever the client sends with update()", async () => {
    const stored: JWT = {
      sub: "user-1",
      accessToken: "a",
      accessTokenExpires: 1,
      refreshToken: "r",
    };
    const token = await jwt({
      token: stored,
      trigger: "update",
      session: { refreshToken: "evil" },
    } as Partial<JwtParams>);
    expect(token).toBe(stored);
  });
});

describe("callbacks.session", () => {
  it("exposes only the user id and the expiry: no token reaches the browser", async () => {
    const token: JWT = {
      sub: "user-1",
      accessToken: "access-secret",
      accessTokenExpires: 1,
      refreshToken: "refresh-secret",
    };
    const session = (await authOptions.callbacks!.session!({
      session: { user: { id: "" }, expires: "2030-01-01T00:00:00.000Z" } as Session,
      token,
    } as SessionParams)) as Session;
    expect(session).toEqual({ user: { id: "user-1" }, expires: "2030-01-01T00:00:00.000Z" });
    expect(JSON.stringify(session)).not.toMatch(/secret/);
  });
});

describe("events.signOut", () => {
  const signOut = (token: JWT | null) => authOptions.events!.signOut!({ token } as SignOutParams);

  it("revokes the refresh token in Directus", async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${DIRECTUS}/auth/logout`, async ({ request }) => {
        bodies.push(await request.json());
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await signOut({ sub: "user-1", refreshToken: "refresh-secret" });
    expect(bodies).toEqual([{ mode: "json", refresh_token: "refresh-secret" }]);
  });

  it("revokes the newest token when a parallel request just rotated it, and drops the cached rotation", async () => {
    const logouts: unknown[] = [];
    let refreshes = 0;
    server.use(
      http.post(`${DIRECTUS}/auth/refresh`, () => {
        refreshes += 1;
        return HttpResponse.json(authAnswer({ refreshToken: "rotated-secret" }));
      }),
      http.post(`${DIRECTUS}/auth/logout`, async ({ request }) => {
        logouts.push(await request.json());
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const expiring: JWT = {
      sub: "user-1",
      accessToken: fakeAccessToken({}),
      accessTokenExpires: Date.now(),
      refreshToken: "old-secret",
    };
    await refreshSession(expiring);
    await signOut(expiring);
    expect(logouts).toEqual([{ mode: "json", refresh_token: "rotated-secret" }]);
    // A replayed old cookie must reach Directus again instead of picking up the cached tokens.
    await refreshSession(expiring);
    expect(refreshes).toBe(2);
  });

  it("swallows Directus errors and logs them without the token", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    server.use(http.post(`${DIRECTUS}/auth/logout`, () => HttpResponse.error()));
    await expect(signOut({ refreshToken: "refresh-secret" })).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalled();
    expect(JSON.stringify(warn.mock.calls)).not.toContain("refresh-secret");
  });

  it("when Directus is unreachable, refuses the old cookie at once and revokes the token once Directus is back", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      let up = false;
      const logouts: unknown[] = [];
      server.use(
        http.post(`${DIRECTUS}/auth/logout`, async ({ request }) => {
          if (!up) return HttpResponse.error();
          logouts.push(await request.json());
          return new HttpResponse(null, { status: 204 });
        }),
      );
      const session: JWT = {
        sub: "user-1",
        accessToken: fakeAccessToken({}),
        // Still valid for a while: without the pending sign-out the proxy would not even ask Directus.
        accessTokenExpires: Date.now() + 600_000,
        refreshToken: "refresh-secret",
      };
      await signOut(session);
      expect(await refreshSession(session)).toEqual({ status: "ended" });

      // First retry: still down. Second: Directus is back and revokes the token.
      await vi.advanceTimersByTimeAsync(RETRY_DELAYS_MS[0] ?? 0);
      expect(logouts).toEqual([]);
      up = true;
      await vi.advanceTimersByTimeAsync(RETRY_DELAYS_MS[1] ?? 0);
      expect(logouts).toEqual([{ mode: "json", refresh_token: "refresh-secret" }]);
      // Directus refuses the token from now on; this process no longer needs to remember it.
      expect(isSignOutPending("refresh-secret")).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it("forgets a pending sign-out once no session could still carry the token", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    server.use(http.post(`${DIRECTUS}/auth/logout`, () => HttpResponse.error()));
    await signOut({ refreshToken: "refresh-secret" });
    expect(isSignOutPending("refresh-secret")).toBe(true);
    // SESSION_MAX_AGE_SECONDS is 3600 in these tests.
    expect(isSignOutPending("refresh-secret", Date.now() + 3_601_000)).toBe(false);
  });

  it("does not retry when Directus refuses the token: it is spent already", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    server.use(
      http.post(`${DIRECTUS}/auth/logout`, () => directusError(400, "INVALID_CREDENTIALS")),
    );
    await signOut({ refreshToken: "refresh-secret" });
    expect(isSignOutPending("refresh-secret")).toBe(false);
  });

  it("does nothing without a refresh token", async () => {
    await expect(signOut(null)).resolves.toBeUndefined();
    await expect(signOut({ sub: "user-1" })).resolves.toBeUndefined();
  });
});

// Over 250 lines on purpose: the proxy decides every request; its cases share the mocks.
import { decode, encode, type JWT } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { authOptions } from "@/lib/auth/options";
import { KEPT_SESSION_COOKIE, KEPT_SESSION_HEADER } from "@/lib/auth/kept-session";
import proxy, { config } from "@/proxy";
import {
  ADA,
  APP,
  DIRECTUS,
  HttpResponse,
  TEST_ENV,
  customerMe,
  directusError,
  fakeDirectus,
  http,
  server,
  sessionIdOf,
  setupServerTests,
  useAppUrl,
} from "./support/server";

setupServerTests();

const COOKIE = "next-auth.session-token";
/** Sessions live an hour here (SESSION_MAX_AGE_SECONDS): they are slid once 20 minutes old. */
const DUE_MS = 20 * 60_000;
const ABSOLUTE_MS = Number(TEST_ENV.SESSION_ABSOLUTE_MAX_AGE) * 1000;

/** Headers Next's client router sends with an RSC payload fetch (a soft navigation's prefetch). */
const RSC_PREFETCH = { RSC: "1", "Next-Router-Prefetch": "1" };

async function cookieFor(token: JWT): Promise<string> {
  return encode({ token, secret: TEST_ENV.NEXTAUTH_SECRET, maxAge: 3600 });
}

async function decodeCookie(value: string): Promise<JWT | null> {
  return decode({ token: value, secret: TEST_ENV.NEXTAUTH_SECRET });
}

/** The session cookie's new value, when the answer sets one (not when it clears it). */
function newCookieValue(setCookie: string[]): string | undefined {
  const header = setCookie.find((c) => c.startsWith(`${COOKIE}=`) && !/Max-Age=0/i.test(c));
  return header?.slice(COOKIE.length + 1).split(";")[0];
}

const CLEARED = new RegExp(`^${COOKIE}=;.*Max-Age=0`, "m");

async function visit(path: string, cookie?: string, extraHeaders: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...extraHeaders };
  if (cookie) headers.cookie = `${COOKIE}=${cookie}; theme=dark`;
  const response = await proxy(new NextRequest(`${APP}${path}`, { headers }));
  const forwarded = (name: string) => response.headers.get(`x-middleware-request-${name}`);
  return {
    response,
    status: response.status,
    location: response.headers.get("location"),
    setCookie: response.headers.getSetCookie(),
    // What server components rendering this request will see as their Cookie header.
    forwardedCookies: forwarded("cookie"),
    // The request headers Next hands the page: any header not listed here is dropped.
    forwardedNames: (response.headers.get("x-middleware-override-headers") ?? "").split(","),
    passedThrough: response.headers.get("x-middleware-next") === "1",
  };
}

type Visit = Awaited<ReturnType<typeof visit>>;

function expectSessionExpiredRedirect(result: Visit, callbackUrl: string) {
  expect(result.status).toBe(307);
  const location = new URL(result.location ?? "");
  expect(location.origin).toBe(APP);
  expect(location.pathname).toBe("/login");
  expect(location.searchParams.get("error")).toBe("SessionExpired");
  expect(location.searchParams.get("callbackUrl")).toBe(callbackUrl);
  expect(result.setCookie.join("\n")).toMatch(CLEARED);
  expect(result.response.headers.get("cache-control")).toBe("no-store");
}

describe("proxy: who may see which page", () => {
  it.each(["/account", "/account/settings", "/"])(
    "sends a visitor without a session from %s to /login",
    async (path) => {
      const result = await visit(`${path}?tab=1`);
      expect(result.status).toBe(307);
      const location = new URL(result.location ?? "");
      expect(location.pathname).toBe("/login");
      expect(location.searchParams.get("callbackUrl")).toBe(`${path}?tab=1`);
      expect(location.searchParams.has("error")).toBe(false);
    },
  );

  it("lets a visitor without a session see the sign-in pages", async () => {
    for (const path of ["/login", "/register", "/forgot-password"])
      expect((await visit(path)).passedThrough).toBe(true);
  });

  it("sends a signed-in customer from /login and /register to /account, once Directus confirms the session", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn();
    const cookie = await cookieFor(session);
    for (const path of ["/login", "/register"]) {
      const result = await visit(path, cookie);
      expect(result.status).toBe(307);
      expect(new URL(result.location ?? "").pathname).toBe("/account");
    }
    const id = sessionIdOf(session.sessionToken);
    expect(directus.callsTo("me")).toEqual([id, id]);
  });

  it("lets /login?error=… render even with a session, so it can say why the session ended", async () => {
    const directus = fakeDirectus();
    const cookie = await cookieFor(directus.signIn());
    expect((await visit("/login?error=SessionExpired", cookie)).passedThrough).toBe(true);
  });

  it("lets a signed-in customer through to /account with the cookie untouched, asking Directus nothing: the page's own read is the check", async () => {
    const directus = fakeDirectus();
    const cookie = await cookieFor(directus.signIn());
    const result = await visit("/account", cookie);
    expect(result.passedThrough).toBe(true);
    expect(newCookieValue(result.setCookie)).toBeUndefined();
    expect(result.forwardedCookies).toContain(`${COOKIE}=${cookie}`);
    expect(directus.calls).toEqual([]);
  });

  it("marks a session it found active as kept until its slide is due, so the door can skip the proxy until then", async () => {
    const directus = fakeDirectus();
    const cookie = await cookieFor(directus.signIn());
    const [marker, ...others] = (await visit("/account", cookie)).setCookie;
    expect(others).toEqual([]);
    const until = Number(new RegExp(`^${KEPT_SESSION_COOKIE}=(\\d+);`).exec(marker ?? "")?.[1]);
    expect(marker).toMatch(/HttpOnly/i);
    expect(marker).toMatch(/SameSite=Lax/i);
    // Just signed in: the slide is DUE_MS away, well before the absolute lifetime ends.
    const maxAge = Number(/Max-Age=(\d+)/i.exec(marker ?? "")?.[1]);
    expect(maxAge).toBeGreaterThan(DUE_MS / 1000 - 5);
    expect(maxAge).toBeLessThanOrEqual(DUE_MS / 1000);
    // Its value is the same moment, for clients that ignore Max-Age.
    expect(Math.abs(until - (Date.now() / 1000 + maxAge))).toBeLessThan(5);
    // A browser holding the marker is not sent another one; one holding a stale one is.
    const headers = { cookie: `${COOKIE}=${cookie}; ${KEPT_SESSION_COOKIE}=${until}` };
    const withMarker = await proxy(new NextRequest(`${APP}/account`, { headers }));
    expect(withMarker.headers.getSetCookie()).toEqual([]);
    const stale = { cookie: `${COOKIE}=${cookie}; ${KEPT_SESSION_COOKIE}=1` };
    const withStale = await proxy(new NextRequest(`${APP}/account`, { headers: stale }));
    expect(withStale.headers.getSetCookie()).toHaveLength(1);
  });

  it("ends the marker's time at the absolute lifetime when that comes before the slide", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn();
    const cookie = await cookieFor({ ...session, signedInAt: Date.now() - ABSOLUTE_MS + 60_000 });
    const marker = (await visit("/account", cookie)).setCookie.find((c) =>
      c.startsWith(`${KEPT_SESSION_COOKIE}=`),
    );
    const maxAge = Number(/Max-Age=(\d+)/i.exec(marker ?? "")?.[1]);
    expect(maxAge).toBeGreaterThan(50);
    expect(maxAge).toBeLessThanOrEqual(60);
  });

  it("treats an unreadable cookie as no session and clears it", async () => {
    const result = await visit("/account", "garbage");
    expect(new URL(result.location ?? "").pathname).toBe("/login");
    expect(result.setCookie.join("\n")).toMatch(CLEARED);
  });

  it("matches pages and the session endpoint, not next-auth's other endpoints or static files", () => {
    const matches = (path: string) =>
      config.matcher.some((entry) => {
        const pattern = typeof entry === "string" ? entry : entry.source;
        return new RegExp(`^${pattern.replace("/:path*", "(/.*)?")}$`).test(path);
      });
    expect(matches("/account")).toBe(true);
    expect(matches("/login")).toBe(true);
    expect(matches("/api/auth/session")).toBe(true);
    expect(matches("/api/auth/callback/credentials")).toBe(false);
    expect(matches("/api/auth/register")).toBe(false);
    expect(matches("/_next/static/chunks/app.js")).toBe(false);
    expect(matches("/favicon.ico")).toBe(false);
  });

  it("leaves out the page reads the door marked as needing nothing from it", () => {
    const pages = config.matcher[0];
    expect(typeof pages === "string" ? null : pages?.missing).toEqual([
      { type: "header", key: KEPT_SESSION_HEADER },
    ]);
  });
});

describe("proxy: a copied cookie of a session Directus has ended", () => {
  /** Signed in, cookie copied; then signed out on another device (Directus deletes the session). */
  async function endedElsewhere() {
    const directus = fakeDirectus();
    const session = directus.signIn();
    const cookie = await cookieFor(session);
    expect((await visit("/account", cookie)).passedThrough).toBe(true);
    directus.end(sessionIdOf(session.sessionToken));
    return { directus, cookie };
  }

  /** The cookie is gone from the browser and from the request the sign-in page renders. */
  function expectCookieCleared(result: Visit) {
    expect(result.passedThrough).toBe(true);
    expect(result.setCookie.join("\n")).toMatch(CLEARED);
    expect(result.forwardedCookies ?? "").not.toContain(COOKIE);
    expect(result.forwardedCookies).toContain("theme=dark");
  }

  it("clears it on the /login?error=SessionExpired a page sends it to, and lets that page say why", async () => {
    const { cookie } = await endedElsewhere();
    expectCookieCleared(await visit("/login?error=SessionExpired&callbackUrl=%2Faccount", cookie));
  });

  it("does the same for an RSC payload request (a client-side navigation or prefetch)", async () => {
    const { cookie } = await endedElsewhere();
    expectCookieCleared(await visit("/login?error=SessionExpired", cookie, RSC_PREFETCH));
  });

  it("shows /login and /register the form, with the cookie cleared, instead of sending it to /account", async () => {
    const { cookie } = await endedElsewhere();
    for (const path of ["/login", "/register"]) expectCookieCleared(await visit(path, cookie));
  });

  it("lets the session endpoint answer as signed out: the cookie leaves the request and the browser", async () => {
    const { cookie } = await endedElsewhere();
    const result = await visit("/api/auth/session", cookie);
    expect(result.passedThrough).toBe(true);
    expect(result.forwardedCookies ?? "").not.toContain(COOKIE);
    expect(result.forwardedCookies).toContain("theme=dark");
    expect(result.setCookie.join("\n")).toMatch(CLEARED);
  });

  it("while a live session's cookie keeps working on the session endpoint", async () => {
    const directus = fakeDirectus();
    const cookie = await cookieFor(directus.signIn());
    const result = await visit("/api/auth/session", cookie);
    expect(result.passedThrough).toBe(true);
    expect(result.forwardedCookies).toContain(`${COOKIE}=${cookie}`);
    expect(newCookieValue(result.setCookie)).toBeUndefined();
    expect(result.setCookie.join("\n")).not.toMatch(CLEARED);
  });

  it("refuses at once a cookie signed out while Directus could not be told", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn();
    const cookie = await cookieFor(session);
    server.use(http.post(`${DIRECTUS}/customer/sign-out`, () => HttpResponse.error()));
    await authOptions.events!.signOut!({ token: session } as Parameters<
      NonNullable<NonNullable<typeof authOptions.events>["signOut"]>
    >[0]);
    // Directus still holds the session, but this process knows better.
    expect(directus.isLive(sessionIdOf(session.sessionToken))).toBe(true);
    expectSessionExpiredRedirect(await visit("/account", cookie), "/account");
    expect(directus.callsTo("me")).toEqual([]);
  });

  it.each([
    [
      "401 INVALID_CREDENTIALS (suspended, deleted)",
      () => directusError(401, "INVALID_CREDENTIALS"),
    ],
    ["403 INVALID_TOKEN (Directus's SECRET changed)", () => directusError(403, "INVALID_TOKEN")],
  ])("treats a profile read answered %s as an ended session", async (_label, answer) => {
    const directus = fakeDirectus();
    const cookie = await cookieFor(directus.signIn());
    customerMe(answer);
    expectCookieCleared(await visit("/login?error=SessionExpired", cookie));
  });
});

describe("proxy: the absolute lifetime", () => {
  it("ends a session signed in SESSION_ABSOLUTE_MAX_AGE ago, however active, and ends it at Directus", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn(ADA.id, { signedInAgoMs: ABSOLUTE_MS + 1_000 });
    const result = await visit("/account", await cookieFor(session));
    expectSessionExpiredRedirect(result, "/account");
    expect(directus.callsTo("sign-out")).toEqual([sessionIdOf(session.sessionToken)]);
    expect(directus.isLive(sessionIdOf(session.sessionToken))).toBe(false);
    expect(directus.callsTo("me")).toEqual([]);
  });

  it("honours SESSION_ABSOLUTE_MAX_AGE from the env", async () => {
    vi.stubEnv("SESSION_ABSOLUTE_MAX_AGE", "600");
    const { resetEnvCacheForTests } = await import("@/lib/env");
    resetEnvCacheForTests();
    const directus = fakeDirectus();
    const fresh = await visit(
      "/account",
      await cookieFor(directus.signIn(ADA.id, { signedInAgoMs: 599_000 })),
    );
    expect(fresh.passedThrough).toBe(true);
    const old = await visit(
      "/account",
      await cookieFor(directus.signIn(ADA.id, { signedInAgoMs: 600_000 })),
    );
    expectSessionExpiredRedirect(old, "/account");
  });

  it("ends it on public pages too: the cookie goes and Directus is told", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn(ADA.id, { signedInAgoMs: ABSOLUTE_MS + 1_000 });
    const result = await visit("/login", await cookieFor(session));
    expect(result.passedThrough).toBe(true);
    expect(result.setCookie.join("\n")).toMatch(CLEARED);
    expect(result.forwardedCookies ?? "").not.toContain(COOKIE);
    expect(directus.callsTo("sign-out")).toEqual([sessionIdOf(session.sessionToken)]);
  });
});

describe("proxy: refreshing the session", () => {
  it("slides a due session and hands the new cookie to the browser and to the page, which reads the profile with it", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn(ADA.id, { ageMs: DUE_MS });
    const result = await visit("/account", await cookieFor(session));
    expect(result.passedThrough).toBe(true);

    const setCookie = result.setCookie.find((c) => c.startsWith(`${COOKIE}=`)) ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/Max-Age=3600/);
    expect(setCookie).not.toMatch(/Secure/i);
    const value = newCookieValue(result.setCookie) ?? "";
    const decoded = await decodeCookie(value);
    const successor = sessionIdOf(decoded?.sessionToken);
    expect(successor).toBeDefined();
    expect(successor).not.toBe(sessionIdOf(session.sessionToken));
    expect(decoded).toMatchObject({ sub: ADA.id, signedInAt: session.signedInAt });

    expect(directus.callsTo("refresh")).toEqual([sessionIdOf(session.sessionToken)]);
    expect(directus.callsTo("me")).toEqual([]);
    expect(result.forwardedCookies).toContain(`${COOKIE}=${value}`);
    expect(result.forwardedCookies).toContain("theme=dark");
  });

  it("slides on public pages too, without reading the profile", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn(ADA.id, { ageMs: DUE_MS });
    const result = await visit("/forgot-password", await cookieFor(session));
    expect(result.passedThrough).toBe(true);
    expect(newCookieValue(result.setCookie)).toBeDefined();
    expect(directus.callsTo("refresh")).toHaveLength(1);
    expect(directus.callsTo("me")).toEqual([]);
  });

  it("uses the __Secure- cookie with the Secure attribute for an https app", async () => {
    useAppUrl("https://accounts.example.com");
    const directus = fakeDirectus();
    const cookie = await cookieFor(directus.signIn(ADA.id, { ageMs: DUE_MS }));
    const response = await proxy(
      new NextRequest("https://accounts.example.com/account", {
        headers: { cookie: `__Secure-${COOKIE}=${cookie}` },
      }),
    );
    const setCookie = response.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(new RegExp(`^__Secure-${COOKIE}=.+; .*Secure`, "m"));
  });

  it("ends the session when Directus refuses the slide: cookie cleared, sent to /login", async () => {
    const directus = fakeDirectus();
    const cookie = await cookieFor(directus.signIn(ADA.id, { ageMs: DUE_MS }));
    server.use(http.post(`${DIRECTUS}/auth/refresh`, () => directusError(401, "USER_SUSPENDED")));
    expectSessionExpiredRedirect(await visit("/account", cookie), "/account");
  });

  it("on a public page, an ended session just loses its cookie", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn(ADA.id, { ageMs: DUE_MS });
    directus.end(sessionIdOf(session.sessionToken));
    const result = await visit("/login", await cookieFor(session));
    expect(result.passedThrough).toBe(true);
    expect(result.forwardedCookies ?? "").not.toContain(COOKIE);
    expect(result.setCookie.join("\n")).toMatch(CLEARED);
  });

  it("keeps the session when Directus is unreachable, and answers 503", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn(ADA.id, { ageMs: DUE_MS });
    // Registered after fakeDirectus(), so it answers instead of the fake's refresh.
    server.use(http.post(`${DIRECTUS}/auth/refresh`, () => HttpResponse.error()));
    const result = await visit("/account", await cookieFor(session));
    expect(result.status).toBe(503);
    expect(result.setCookie).toEqual([]);
    expect(directus.isLive(sessionIdOf(session.sessionToken))).toBe(true);
  });

  it("serves parallel page requests with one Directus refresh", async () => {
    const directus = fakeDirectus({ latencyMs: 20 });
    const cookie = await cookieFor(directus.signIn(ADA.id, { ageMs: DUE_MS }));
    const results = await Promise.all(Array.from({ length: 10 }, () => visit("/account", cookie)));
    expect(directus.callsTo("refresh")).toHaveLength(1);
    const successors = await Promise.all(
      results.map(async (r) =>
        sessionIdOf((await decodeCookie(newCookieValue(r.setCookie) ?? ""))?.sessionToken),
      ),
    );
    expect(new Set(successors).size).toBe(1);
    expect(successors[0]).toBeDefined();
  });
});

describe("proxy: when Directus cannot vouch for the session", () => {
  it.each([
    ["answers 500", () => directusError(500, "INTERNAL_SERVER_ERROR")],
    ["has no customer API (404)", () => directusError(404, "ROUTE_NOT_FOUND")],
    ["answers someone else's profile", () => HttpResponse.json({ data: { ...ADA, id: "user-2" } })],
  ])(
    "answers a sign-in page 503 when the profile read %s, keeps the cookie and signs nobody out",
    async (_label, answer) => {
      const directus = fakeDirectus();
      const session = directus.signIn();
      customerMe(answer);
      const result = await visit("/login", await cookieFor(session));
      expect(result.status).toBe(503);
      expect(result.response.headers.get("retry-after")).toBe("30");
      expect(result.setCookie).toEqual([]);
      expect(directus.callsTo("sign-out")).toEqual([]);
      expect(directus.isLive(sessionIdOf(session.sessionToken))).toBe(true);
    },
  );

  it("still stores a slide that succeeded before the profile read failed", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn(ADA.id, { ageMs: DUE_MS });
    customerMe(() => directusError(500, "INTERNAL_SERVER_ERROR"));
    const result = await visit("/login", await cookieFor(session));
    expect(result.status).toBe(503);
    const decoded = await decodeCookie(newCookieValue(result.setCookie) ?? "");
    const successor = sessionIdOf(decoded?.sessionToken);
    expect(successor).not.toBe(sessionIdOf(session.sessionToken));
    expect(directus.isLive(successor)).toBe(true);
  });

  it("lets the session endpoint through with the cookie as it is", async () => {
    const directus = fakeDirectus();
    const cookie = await cookieFor(directus.signIn());
    customerMe(() => directusError(500, "INTERNAL_SERVER_ERROR"));
    const result = await visit("/api/auth/session", cookie);
    expect(result.passedThrough).toBe(true);
    expect(result.setCookie).toEqual([]);
    expect(result.forwardedCookies).toContain(`${COOKIE}=${cookie}`);
  });
});

describe("proxy: form posts and redirects", () => {
  it("refuses a cross-site form post to a page with a plain 403, and lets our own through", async () => {
    const crossSite: Array<Record<string, string>> = [
      { origin: "https://evil.example" },
      // What a browser sends from a page with Referrer-Policy: no-referrer.
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const headers of crossSite) {
      const response = await proxy(new NextRequest(`${APP}/login`, { method: "POST", headers }));
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(await response.json()).toMatchObject({ ok: false, message: /refused/ });
    }
    const own = await proxy(
      new NextRequest(`${APP}/login`, {
        method: "POST",
        headers: { origin: new URL(APP).origin, "sec-fetch-site": "same-origin" },
      }),
    );
    expect(own.status).toBe(200);
  });

  it("puts no-store on its redirects, including those that clear a cookie", async () => {
    for (const cookie of [undefined, "garbage"]) {
      const response = (await visit("/account", cookie)).response;
      expect(response.status).toBe(307);
      expect(response.headers.get("cache-control")).toBe("no-store");
    }
  });
});

describe("proxy: while Directus cannot be reached", () => {
  function directusPing(answer: () => Response) {
    let calls = 0;
    server.use(
      http.get(`${DIRECTUS}/server/ping`, () => {
        calls += 1;
        return answer();
      }),
    );
    return () => calls;
  }

  async function page(path: string, cookie?: string) {
    const headers = cookie ? { cookie: `${COOKIE}=${cookie}` } : undefined;
    return proxy(new NextRequest(`${APP}${path}`, { headers }));
  }

  it.each([
    ["refuses connections", () => HttpResponse.error()],
    ["answers 502", () => new HttpResponse("<h1>Bad Gateway</h1>", { status: 502 })],
  ])("answers every page with a plain 503 when Directus %s", async (_, answer) => {
    const pings = directusPing(answer);
    for (const path of ["/login", "/register", "/forgot-password", "/reset-password"]) {
      const res = await page(path);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("30");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toMatch(/Temporarily unavailable/);
      expect(html).not.toContain(DIRECTUS);
      expect(html).not.toMatch(/Bad Gateway/);
    }
    // One ping said "down"; the next second's pages believe it without asking again.
    expect(pings()).toBe(1);
  });

  it("lets a form's post through to its action, which answers in the form itself", async () => {
    directusPing(() => HttpResponse.error());
    expect((await page("/login")).status).toBe(503);
    const post = await proxy(
      new NextRequest(`${APP}/login`, {
        method: "POST",
        headers: {
          origin: new URL(APP).origin,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "email=a",
      }),
    );
    expect(post.status).toBe(200);
    expect(post.headers.get("x-middleware-next")).toBe("1");
  });

  it("gives the 503 page the nonce the door put on the request, and a way back to the same address", async () => {
    directusPing(() => HttpResponse.error());
    const res = await proxy(
      new NextRequest(`${APP}/verify-email?next=a%22b`, {
        headers: {
          "content-security-policy": "script-src 'self' 'nonce-Zm9vYmFy' 'strict-dynamic'",
        },
      }),
    );
    const html = await res.text();
    expect(html).toContain('<style nonce="Zm9vYmFy">');
    expect(html).toContain('href="/verify-email?next=a%22b"');
  });

  it("keeps a signed-in customer's cookie as it is", async () => {
    directusPing(() => HttpResponse.error());
    const directus = fakeDirectus();
    const cookie = await cookieFor(directus.signIn());
    customerMe(() => HttpResponse.error());
    const res = await page("/account", cookie);
    expect(res.status).toBe(503);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await res.text()).toContain('href="/account"');
  });

  it("still serves the session endpoint, keeping the cookie", async () => {
    const pings = directusPing(() => HttpResponse.error());
    const directus = fakeDirectus();
    const cookie = await cookieFor(directus.signIn());
    customerMe(() => HttpResponse.error());
    const res = await page("/api/auth/session", cookie);
    expect(res.headers.get("x-middleware-next")).toBe("1");
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(res.headers.get("x-middleware-request-cookie")).toContain(cookie);
    expect(pings()).toBe(0);
  });

  it("lets pages through again once Directus answers", async () => {
    let up = false;
    directusPing(() => (up ? HttpResponse.text("pong") : HttpResponse.error()));
    expect((await page("/login")).status).toBe(503);
    up = true;
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 1_500);
      expect((await page("/login")).headers.get("x-middleware-next")).toBe("1");
    } finally {
      vi.useRealTimers();
    }
  });
});

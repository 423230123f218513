import { decode, encode, type JWT } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import proxy, { config } from "@/proxy";
import {
  APP,
  DIRECTUS,
  HttpResponse,
  TEST_ENV,
  authAnswer,
  directusError,
  fakeAccessToken,
  http,
  server,
  setupServerTests,
} from "./support";

setupServerTests();

const COOKIE = "next-auth.session-token";

function sessionToken({ expiresInMs = 600_000, refreshToken = "refresh-1" } = {}): JWT {
  // Access tokens live 15 minutes; this one has `expiresInMs` left.
  const expires = Date.now() + expiresInMs;
  const iat = Math.floor((expires - 900_000) / 1000);
  return {
    sub: "user-1",
    accessToken: fakeAccessToken({ id: "user-1", iat, exp: iat + 900 }),
    accessTokenExpires: expires,
    refreshToken,
  };
}

async function cookieFor(token: JWT): Promise<string> {
  return encode({ token, secret: TEST_ENV.NEXTAUTH_SECRET, maxAge: 3600 });
}

async function visit(path: string, cookie?: string) {
  const headers = cookie ? { cookie: `${COOKIE}=${cookie}; theme=dark` } : undefined;
  const response = await proxy(new NextRequest(`${APP}${path}`, { headers }));
  return {
    status: response.status,
    location: response.headers.get("location"),
    setCookie: response.headers.getSetCookie(),
    // What server components rendering this request will see as their Cookie header.
    forwardedCookies: response.headers.get("x-middleware-request-cookie"),
    passedThrough: response.headers.get("x-middleware-next") === "1",
  };
}

function directusRefresh(answer: () => Response) {
  let calls = 0;
  server.use(
    http.post(`${DIRECTUS}/auth/refresh`, () => {
      calls += 1;
      return answer();
    }),
  );
  return () => calls;
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
    },
  );

  it("lets a visitor without a session see the sign-in pages", async () => {
    for (const path of ["/login", "/register", "/forgot-password"])
      expect((await visit(path)).passedThrough).toBe(true);
  });

  it("sends a signed-in customer from /login and /register to /account", async () => {
    const cookie = await cookieFor(sessionToken());
    for (const path of ["/login", "/register"]) {
      const result = await visit(path, cookie);
      expect(result.status).toBe(307);
      expect(new URL(result.location ?? "").pathname).toBe("/account");
    }
  });

  it("lets /login?error=… render even with a session, so it can say why the session ended", async () => {
    const cookie = await cookieFor(sessionToken());
    expect((await visit("/login?error=SessionExpired", cookie)).passedThrough).toBe(true);
  });

  it("lets a signed-in customer through to /account without touching the cookie", async () => {
    const calls = directusRefresh(() => HttpResponse.error());
    const result = await visit("/account", await cookieFor(sessionToken()));
    expect(result.passedThrough).toBe(true);
    expect(result.setCookie).toEqual([]);
    expect(calls()).toBe(0);
  });

  it("treats an unreadable cookie as no session and clears it", async () => {
    const result = await visit("/account", "garbage");
    expect(new URL(result.location ?? "").pathname).toBe("/login");
    expect(result.setCookie.join("\n")).toMatch(new RegExp(`^${COOKIE}=;.*Max-Age=0`, "m"));
  });

  it("matches pages and the session endpoint, not next-auth's other endpoints or static files", () => {
    const matches = (path: string) =>
      config.matcher.some((pattern) =>
        new RegExp(`^${pattern.replace("/:path*", "(/.*)?")}$`).test(path),
      );
    expect(matches("/account")).toBe(true);
    expect(matches("/login")).toBe(true);
    expect(matches("/api/auth/session")).toBe(true);
    expect(matches("/api/auth/callback/credentials")).toBe(false);
    expect(matches("/api/auth/register")).toBe(false);
    expect(matches("/_next/static/chunks/app.js")).toBe(false);
    expect(matches("/favicon.ico")).toBe(false);
  });
});

describe("proxy: refreshing the session", () => {
  it("refreshes an expiring token and hands the new cookie to the browser and to this request", async () => {
    directusRefresh(() => HttpResponse.json(authAnswer({ refreshToken: "refresh-2" })));
    const result = await visit("/account", await cookieFor(sessionToken({ expiresInMs: 1_000 })));
    expect(result.passedThrough).toBe(true);

    const setCookie = result.setCookie.find((c) => c.startsWith(`${COOKIE}=`)) ?? "";
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/Max-Age=3600/);
    expect(setCookie).not.toMatch(/Secure/i);
    const value = setCookie.slice(COOKIE.length + 1).split(";")[0] ?? "";
    const decoded = await decode({ token: value, secret: TEST_ENV.NEXTAUTH_SECRET });
    expect(decoded).toMatchObject({ sub: "user-1", refreshToken: "refresh-2" });

    expect(result.forwardedCookies).toContain(`${COOKIE}=${value}`);
    expect(result.forwardedCookies).toContain("theme=dark");
  });

  it("uses the __Secure- cookie with the Secure attribute for an https app", async () => {
    vi.stubEnv("NEXTAUTH_URL", "https://accounts.example.com");
    const { resetEnvCacheForTests } = await import("@/lib/env");
    resetEnvCacheForTests();
    directusRefresh(() => HttpResponse.json(authAnswer({ refreshToken: "refresh-2" })));
    const cookie = await cookieFor(sessionToken({ expiresInMs: 1_000 }));
    const response = await proxy(
      new NextRequest("https://accounts.example.com/account", {
        headers: { cookie: `__Secure-${COOKIE}=${cookie}` },
      }),
    );
    const setCookie = response.headers.getSetCookie().join("\n");
    expect(setCookie).toMatch(new RegExp(`^__Secure-${COOKIE}=.+; .*Secure`, "m"));
  });

  it("ends the session when Directus refuses the refresh token: cookie cleared, sent to /login", async () => {
    directusRefresh(() => directusError(401, "USER_SUSPENDED"));
    const result = await visit("/account", await cookieFor(sessionToken({ expiresInMs: 1_000 })));
    const location = new URL(result.location ?? "");
    expect(location.pathname).toBe("/login");
    expect(location.searchParams.get("error")).toBe("SessionExpired");
    expect(result.setCookie.join("\n")).toMatch(new RegExp(`^${COOKIE}=;.*Max-Age=0`, "m"));
  });

  it("on a public page, an ended session just loses its cookie", async () => {
    directusRefresh(() => directusError(401, "INVALID_CREDENTIALS"));
    const result = await visit("/login", await cookieFor(sessionToken({ expiresInMs: 1_000 })));
    expect(result.passedThrough).toBe(true);
    expect(result.forwardedCookies ?? "").not.toContain(COOKIE);
    expect(result.setCookie.join("\n")).toMatch(/Max-Age=0/);
  });

  it("keeps the session when Directus is unreachable, and answers 503", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    directusRefresh(() => HttpResponse.error());
    const result = await visit("/account", await cookieFor(sessionToken({ expiresInMs: 1_000 })));
    expect(result.status).toBe(503);
    expect(result.setCookie).toEqual([]);
  });

  it("serves parallel page requests with one Directus refresh", async () => {
    const calls = directusRefresh(() =>
      HttpResponse.json(authAnswer({ refreshToken: "refresh-2" })),
    );
    const cookie = await cookieFor(sessionToken({ expiresInMs: 1_000 }));
    const results = await Promise.all(Array.from({ length: 10 }, () => visit("/account", cookie)));
    expect(calls()).toBe(1);
    for (const result of results) expect(result.setCookie.join()).toContain(`${COOKIE}=`);
  });
});

describe("proxy: security headers", () => {
  const nonceOf = (policy: string | null) => /'nonce-([^']+)'/.exec(policy ?? "")?.[1];

  async function answer(path: string, cookie?: string) {
    const headers = cookie ? { cookie: `${COOKIE}=${cookie}` } : undefined;
    return proxy(new NextRequest(`${APP}${path}`, { headers }));
  }

  it("gives each page a fresh nonce, on the answer and on the request Next renders", async () => {
    const first = await answer("/login");
    const second = await answer("/login");
    const policy = first.headers.get("content-security-policy");
    expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(policy).toContain("frame-ancestors 'none'");
    // Next reads the nonce from the CSP header of the request it renders.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
    expect(nonceOf(policy)).toBeDefined();
    expect(nonceOf(second.headers.get("content-security-policy"))).not.toBe(nonceOf(policy));
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("x-frame-options")).toBe("DENY");
    expect(first.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(first.headers.get("permissions-policy")).toContain("camera=()");
    expect(first.headers.has("strict-transport-security")).toBe(false);
  });

  it("ignores a policy the client sent: the request Next renders carries ours", async () => {
    const response = await proxy(
      new NextRequest(`${APP}/login`, {
        headers: { "content-security-policy": "script-src 'nonce-chosenByTheClient'" },
      }),
    );
    const forwarded = response.headers.get("x-middleware-request-content-security-policy");
    expect(forwarded).not.toContain("chosenByTheClient");
    expect(forwarded).toBe(response.headers.get("content-security-policy"));
  });

  it("puts the headers and no-store on its redirects, including those that clear a cookie", async () => {
    for (const response of [await answer("/account"), await answer("/account", "garbage")]) {
      expect(response.status).toBe(307);
      expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("cache-control")).toBe("no-store");
    }
  });

  it("sends no Referer from the pages whose address carries a token", async () => {
    for (const path of ["/reset-password?token=abc", "/verify-email?token=abc"]) {
      expect((await answer(path)).headers.get("referrer-policy")).toBe("no-referrer");
    }
  });

  it("gives the session endpoint the API policy, without a nonce", async () => {
    const response = await answer("/api/auth/session");
    expect(response.headers.get("content-security-policy")).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  });

  it("adds HSTS and upgrade-insecure-requests for an https app", async () => {
    vi.stubEnv("NEXTAUTH_URL", "https://accounts.example.com");
    const { resetEnvCacheForTests } = await import("@/lib/env");
    resetEnvCacheForTests();
    const response = await proxy(new NextRequest("https://accounts.example.com/login"));
    expect(response.headers.get("strict-transport-security")).toBe(
      "max-age=63072000; includeSubDomains",
    );
    expect(response.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });

  it("allows eval and the hot-reload socket only under next dev", async () => {
    expect((await answer("/login")).headers.get("content-security-policy")).not.toMatch(
      /unsafe-eval|ws:/,
    );
    vi.stubEnv("NODE_ENV", "development");
    const { resetEnvCacheForTests } = await import("@/lib/env");
    resetEnvCacheForTests();
    const policy = (await answer("/login")).headers.get("content-security-policy");
    expect(policy).toContain("'unsafe-eval'");
    expect(policy).toContain("ws:");
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
    for (const path of ["/login", "/register", "/forgot-password", "/reset-password?token=t"]) {
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

  it("gives the 503 page this request's nonce and a way back to the same address", async () => {
    directusPing(() => HttpResponse.error());
    const res = await page("/verify-email?token=a%22b");
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    const html = await res.text();
    expect(nonce).toBeDefined();
    expect(html).toContain(`<style nonce="${nonce ?? ""}">`);
    expect(html).toContain('href="/verify-email?token=a%22b"');
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("keeps a signed-in customer's cookie as it is", async () => {
    directusPing(() => HttpResponse.error());
    const res = await page("/account", await cookieFor(sessionToken()));
    expect(res.status).toBe(503);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("still serves the session endpoint, which needs no Directus", async () => {
    const pings = directusPing(() => HttpResponse.error());
    const res = await page("/api/auth/session", await cookieFor(sessionToken()));
    expect(res.headers.get("x-middleware-next")).toBe("1");
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

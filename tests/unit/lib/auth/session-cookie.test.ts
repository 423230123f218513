import type { NextApiRequest, NextApiResponse } from "next";
import NextAuth from "next-auth";
import { decode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { authOptions } from "@/lib/auth/options";
import { sessionCookieName, sessionCookieOptions } from "@/lib/auth/session-cookie";
import {
  DIRECTUS,
  TEST_ENV,
  http,
  server,
  sessionAnswer,
  sessionIdOf,
  setupServerTests,
  useAppUrl,
} from "../../support/server";

setupServerTests();

/**
 * The cookies next-auth itself writes, with our authOptions, for an app served over https: runs
 * next-auth's request handler (its API-route form, which needs no Next request context) on a fake
 * request and reads the Set-Cookie headers it writes.
 */
type Call = {
  action: string[];
  method?: "GET" | "POST";
  body?: Record<string, string>;
  cookies?: Record<string, string>;
};

async function nextAuth(appUrl: string, { action, method = "GET", body, cookies = {} }: Call) {
  const url = new URL(appUrl);
  const req = {
    query: { nextauth: action },
    method,
    body,
    cookies,
    headers: {
      host: url.host,
      "x-forwarded-proto": url.protocol.replace(":", ""),
      "content-type": "application/x-www-form-urlencoded",
    },
  };
  const headers = new Map<string, string | string[]>();
  const res = {
    status: () => res,
    setHeader: (key: string, value: string | string[]) => {
      headers.set(key.toLowerCase(), value);
      return res;
    },
    getHeader: (key: string) => headers.get(key.toLowerCase()),
    end: () => res,
    json: () => res,
    send: () => res,
  };
  await NextAuth(req as unknown as NextApiRequest, res as unknown as NextApiResponse, authOptions);
  const setCookie = headers.get("set-cookie") ?? [];
  return (Array.isArray(setCookie) ? setCookie : [setCookie]).map(parseSetCookie);
}

type SetCookie = { name: string; value: string; attributes: Map<string, string> };

function parseSetCookie(header: string): SetCookie {
  const [pair = "", ...attributes] = header.split(";").map((s) => s.trim());
  const eq = pair.indexOf("=");
  return {
    name: pair.slice(0, eq),
    value: decodeURIComponent(pair.slice(eq + 1)),
    attributes: new Map(
      attributes.map((a) => {
        const [key = "", value = ""] = a.split("=");
        return [key.toLowerCase(), value.toLowerCase()];
      }),
    ),
  };
}

function expectHardened(cookie: SetCookie | undefined, { secure }: { secure: boolean }) {
  expect(cookie).toBeDefined();
  const attributes = cookie?.attributes ?? new Map();
  expect(attributes.has("httponly")).toBe(true);
  expect(attributes.get("samesite")).toBe("lax");
  expect(attributes.get("path")).toBe("/");
  expect(attributes.has("secure")).toBe(secure);
  // __Host- cookies must not name a domain; none of ours does, so none leaks to sibling subdomains.
  expect(attributes.has("domain")).toBe(false);
}

async function signIn(appUrl: string) {
  server.use(http.post(`${DIRECTUS}/auth/login`, () => sessionAnswer({ sessionId: "s1" })));
  const csrfCookies = await nextAuth(appUrl, { action: ["csrf"] });
  const csrf = csrfCookies.find((c) => c.name.endsWith("next-auth.csrf-token"));
  const signInCookies = await nextAuth(appUrl, {
    action: ["callback", "credentials"],
    method: "POST",
    body: {
      csrfToken: csrf?.value.split("|")[0] ?? "",
      email: "ada@example.com",
      password: "correct horse battery staple",
      json: "true",
    },
    cookies: csrf ? { [csrf.name]: csrf.value } : {},
  });
  return { csrfCookies, signInCookies };
}

describe("session cookies for an https app", () => {
  const APP_URL = "https://accounts.example.com";

  it("are __Secure-/__Host- prefixed, Secure, HttpOnly and SameSite=Lax", async () => {
    useAppUrl(APP_URL);
    const { csrfCookies, signInCookies } = await signIn(APP_URL);

    const csrf = csrfCookies.find((c) => c.name === "__Host-next-auth.csrf-token");
    expectHardened(csrf, { secure: true });
    expectHardened(
      csrfCookies.find((c) => c.name === "__Secure-next-auth.callback-url"),
      { secure: true },
    );

    const session = signInCookies.find((c) => c.name === "__Secure-next-auth.session-token");
    expectHardened(session, { secure: true });
    const token = await decode({ token: session?.value, secret: TEST_ENV.NEXTAUTH_SECRET });
    expect(token).toMatchObject({ sub: "user-1", signedInAt: expect.any(Number) });
    expect(sessionIdOf(token?.sessionToken)).toBe("s1");
    // No cookie of ours goes out without the prefix that makes browsers insist on Secure.
    for (const cookie of [...csrfCookies, ...signInCookies]) {
      expect(cookie.name).toMatch(/^__(Secure|Host)-/);
    }
  });

  it("match the cookie proxy.ts rewrites after a refresh", async () => {
    useAppUrl(APP_URL);
    const { signInCookies } = await signIn(APP_URL);
    const session = signInCookies.find((c) => c.name.endsWith("next-auth.session-token"));

    expect(session?.name).toBe(sessionCookieName());
    const ours = sessionCookieOptions();
    expect(ours).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/", secure: true });
    expect(session?.attributes.get("samesite")).toBe(ours.sameSite);
    expect(session?.attributes.get("path")).toBe(ours.path);
  });
});

describe("session cookies for an http app (local development)", () => {
  it("carry no prefix and no Secure, but stay HttpOnly and SameSite=Lax", async () => {
    const { csrfCookies, signInCookies } = await signIn(TEST_ENV.NEXTAUTH_URL);
    expectHardened(
      csrfCookies.find((c) => c.name === "next-auth.csrf-token"),
      { secure: false },
    );
    const session = signInCookies.find((c) => c.name === "next-auth.session-token");
    expectHardened(session, { secure: false });
    expect(sessionCookieName()).toBe("next-auth.session-token");
    expect(sessionCookieOptions().secure).toBe(false);
  });
});

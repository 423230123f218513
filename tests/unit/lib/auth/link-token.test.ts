import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { LINK_TOKEN_MAX_AGE_SECONDS, readLinkToken } from "@/lib/auth/link-token";
import proxy from "@/proxy";
import {
  APP,
  DIRECTUS,
  HttpResponse,
  http,
  server,
  setupServerTests,
  useAppUrl,
} from "../../support/server";

setupServerTests();

/** Any call to Directus fails the test: moving a token must not spend or even check it. */
function directusMustNotBeCalled() {
  const calls: string[] = [];
  server.use(
    http.all(`${DIRECTUS}/*`, ({ request }) => {
      calls.push(`${request.method} ${new URL(request.url).pathname}`);
      return HttpResponse.error();
    }),
  );
  return calls;
}

describe("proxy: tokens in mailed links leave the address bar", () => {
  it.each([
    ["/verify-email", "confirm-link-token"],
    ["/reset-password", "reset-link-token"],
  ])(
    "%s?token= answers 303 to the bare path and keeps the token in a cookie for that path only",
    async (page, name) => {
      const calls = directusMustNotBeCalled();
      const res = await proxy(new NextRequest(`${APP}${page}?token=abc.def-ghi&utm=x`));
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe(`${APP}${page}`);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("referrer-policy")).not.toBe("strict-origin-when-cross-origin");
      const [cookie, ...others] = res.headers.getSetCookie();
      expect(others).toEqual([]);
      expect(cookie).toMatch(new RegExp(`^${name}=abc\\.def-ghi;`));
      expect(cookie).toMatch(/; Path=\/[a-z-]+(;|$)/);
      expect(cookie).toContain(`Path=${page}`);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=lax/i);
      expect(cookie).toContain(`Max-Age=${LINK_TOKEN_MAX_AGE_SECONDS}`);
      expect(cookie).not.toMatch(/Secure/i);
      expect(calls).toEqual([]);
    },
  );

  it("marks the cookie Secure for an https app", async () => {
    useAppUrl("https://accounts.example.com");
    const res = await proxy(new NextRequest("https://accounts.example.com/verify-email?token=t"));
    expect(res.headers.getSetCookie()[0]).toMatch(/; Secure/i);
  });

  it("an empty or oversized token leaves no cookie (and clears an older one)", async () => {
    directusMustNotBeCalled();
    for (const token of ["", "x".repeat(5000)]) {
      const res = await proxy(new NextRequest(`${APP}/verify-email?token=${token}`));
      expect(res.status).toBe(303);
      expect(res.headers.getSetCookie()[0]).toMatch(/^confirm-link-token=;.*Max-Age=0/);
    }
  });

  it("leaves other pages, and a POST, alone", async () => {
    server.use(http.get(`${DIRECTUS}/server/ping`, () => HttpResponse.json({ data: "pong" })));
    const other = await proxy(new NextRequest(`${APP}/login?token=abc`));
    expect(other.status).toBe(200);
    expect(other.headers.getSetCookie()).toEqual([]);
    const post = await proxy(new NextRequest(`${APP}/verify-email?token=abc`, { method: "POST" }));
    expect(post.status).not.toBe(303);
  });

  it("pages read the token back from their own cookie only", () => {
    const jar = new Map([
      ["confirm-link-token", { value: "c" }],
      ["reset-link-token", { value: "r" }],
    ]);
    expect(readLinkToken(jar, "/verify-email")).toBe("c");
    expect(readLinkToken(jar, "/reset-password")).toBe("r");
    expect(readLinkToken(new Map(), "/verify-email")).toBeUndefined();
    expect(
      readLinkToken(
        new Map([["confirm-link-token", { value: "x".repeat(5000) }]]),
        "/verify-email",
      ),
    ).toBeUndefined();
  });
});

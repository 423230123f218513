import { afterEach, describe, expect, it } from "vitest";
import {
  KEPT_SESSION_COOKIE,
  KEPT_SESSION_HEADER,
  markKeptSessionRead,
  skipsProxy,
} from "@/lib/auth/kept-session";
import { reportDirectusHealth, resetDirectusHealthForTests } from "@/lib/directus/health";

/** A marker the proxy set: the time its session next needs the proxy, in epoch seconds. */
const AHEAD = Math.floor(Date.now() / 1000) + 600;
const KEPT = `next-auth.session-token=abc; ${KEPT_SESSION_COOKIE}=${AHEAD}`;

function request(method: string, url: string, cookie?: string) {
  return { method, url, headers: cookie === undefined ? {} : { cookie } };
}

describe("skipsProxy", () => {
  afterEach(() => resetDirectusHealthForTests());

  it("lets a GET or HEAD of a protected page with a kept session go straight to the page", () => {
    for (const url of ["/account", "/account?tab=1", "/account/settings", "/"]) {
      expect(skipsProxy(request("GET", url, KEPT)), url).toBe(true);
    }
    expect(skipsProxy(request("HEAD", "/account", `${KEPT_SESSION_COOKIE}=${AHEAD}`))).toBe(true);
  });

  it("sends everything else through the proxy", () => {
    // Form posts: the proxy's same-origin and malformed-action checks come first.
    expect(skipsProxy(request("POST", "/account", KEPT))).toBe(false);
    // No marker: the proxy checks the cookie and sets one.
    expect(skipsProxy(request("GET", "/account", "next-auth.session-token=abc"))).toBe(false);
    expect(skipsProxy(request("GET", "/account"))).toBe(false);
    expect(skipsProxy(request("GET", "/account", `x${KEPT_SESSION_COOKIE}=${AHEAD}`))).toBe(false);
    // A marker whose time has come, kept by a client that ignores Max-Age: the slide is due.
    const past = Math.floor(Date.now() / 1000) - 1;
    expect(skipsProxy(request("GET", "/account", `${KEPT_SESSION_COOKIE}=${past}`))).toBe(false);
    expect(skipsProxy(request("GET", "/account", `${KEPT_SESSION_COOKIE}=1`))).toBe(false);
    expect(skipsProxy(request("GET", "/account", `${KEPT_SESSION_COOKIE}=yes`))).toBe(false);
    // Pages that are not protected always need the proxy (sign-in pages, mailed links).
    for (const url of ["/login", "/register", "/reset-password?token=a", "/api/auth/session"]) {
      expect(skipsProxy(request("GET", url, KEPT)), url).toBe(false);
    }
    // Paths Next may resolve to another page.
    for (const url of [
      "/account/../login",
      "/account/%2e%2e/login",
      "/account//x",
      "/account/a.b",
    ]) {
      expect(skipsProxy(request("GET", url, KEPT)), url).toBe(false);
    }
  });

  it("sends a protected page through the proxy while Directus was last reported down: it answers 503", () => {
    reportDirectusHealth(false);
    expect(skipsProxy(request("GET", "/account", KEPT))).toBe(false);
    reportDirectusHealth(true);
    expect(skipsProxy(request("GET", "/account", KEPT))).toBe(true);
  });
});

describe("markKeptSessionRead", () => {
  it("sets the header the proxy's matcher skips, and removes any value a client sent", () => {
    const kept = request("GET", "/account", KEPT) as ReturnType<typeof request> & {
      headers: Record<string, string>;
    };
    markKeptSessionRead(kept);
    expect(kept.headers[KEPT_SESSION_HEADER]).toBe("1");

    const forged = { method: "POST", url: "/account", headers: { [KEPT_SESSION_HEADER]: "1" } };
    markKeptSessionRead(forged);
    expect(forged.headers).not.toHaveProperty(KEPT_SESSION_HEADER);
  });
});

import { describe, expect, it, vi } from "vitest";
import { jsonResult } from "@/lib/http/responses";
import { resetEnvCacheForTests } from "@/lib/env";
import { API_CONTENT_SECURITY_POLICY } from "@/lib/security/headers";
import { secureApiHeaders, securityContext, withSecurityHeaders } from "@/lib/security/runtime";
import { setupServerTests, useAppUrl } from "../../support/server";

setupServerTests();

describe("securityContext", () => {
  it("reads https and development from the env at run time", () => {
    expect(securityContext()).toEqual({ https: false, development: false });
    useAppUrl("https://accounts.example.com");
    vi.stubEnv("NODE_ENV", "development");
    resetEnvCacheForTests();
    expect(securityContext()).toEqual({ https: true, development: true });
  });
});

describe("secureApiHeaders", () => {
  it("sets the API policy, the hardening headers and no-store, without HSTS over http", () => {
    const headers = new Headers({ "Cache-Control": "public, max-age=600" });
    secureApiHeaders(headers);
    expect(headers.get("content-security-policy")).toBe(API_CONTENT_SECURITY_POLICY);
    expect(headers.get("x-content-type-options")).toBe("nosniff");
    expect(headers.get("x-frame-options")).toBe("DENY");
    expect(headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(headers.get("cache-control")).toBe("no-store");
    expect(headers.has("strict-transport-security")).toBe(false);
  });

  it("adds HSTS for an https app", () => {
    useAppUrl("https://accounts.example.com");
    const headers = new Headers();
    secureApiHeaders(headers);
    expect(headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
  });
});

describe("withSecurityHeaders", () => {
  it("adds the headers to whatever the wrapped handler answers, keeping its own", async () => {
    const handler = withSecurityHeaders(async () => {
      const headers = new Headers({ "Cache-Control": "private, no-cache, no-store" });
      headers.append("Set-Cookie", "a=1; Path=/; HttpOnly");
      return new Response("{}", { status: 200, headers });
    });
    const response = await handler(new Request("http://localhost:3000/api/auth/csrf"), {});
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-security-policy")).toBe(API_CONTENT_SECURITY_POLICY);
    expect(response.headers.getSetCookie()).toEqual(["a=1; Path=/; HttpOnly"]);
  });
});

describe("jsonResult", () => {
  it("answers every JSON route with the API headers", () => {
    useAppUrl("https://accounts.example.com");
    const response = jsonResult({ ok: false, message: "no" }, 422, { "Retry-After": "60" });
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("content-security-policy")).toBe(API_CONTENT_SECURITY_POLICY);
    expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=63072000/);
    expect(response.headers.get("retry-after")).toBe("60");
  });
});

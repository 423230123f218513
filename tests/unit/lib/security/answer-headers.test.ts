import type http from "node:http";
import { getScriptNonceFromHeader } from "next/dist/server/app-render/get-script-nonce-from-header";
import { describe, expect, it } from "vitest";
import { secureAnswer, type SecurityContext } from "@/lib/security/answer-headers";
import { API_CONTENT_SECURITY_POLICY, nonceInPolicy } from "@/lib/security/headers";

const PRODUCTION: SecurityContext = { https: false, development: false };

/** What the door hands secureAnswer: a request Next has not seen, and its still-empty answer. */
function answer(url: string, context = PRODUCTION, requestHeaders: http.IncomingHttpHeaders = {}) {
  const request = { url, headers: { ...requestHeaders } } as http.IncomingMessage;
  const set = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: string) => set.set(name.toLowerCase(), value),
  } as unknown as http.ServerResponse;
  secureAnswer(request, response, context);
  return { request, headers: set };
}

describe("secureAnswer", () => {
  it("gives a page a fresh nonce, on the answer and on the request Next renders", () => {
    const first = answer("/login?x=1");
    const second = answer("/login");
    const policy = first.headers.get("content-security-policy") ?? "";
    expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
    expect(policy).toContain("frame-ancestors 'none'");
    // Next reads the nonce from the CSP header of the request it renders.
    expect(first.request.headers["content-security-policy"]).toBe(policy);
    expect(getScriptNonceFromHeader(policy)).toBe(nonceInPolicy(policy));
    expect(nonceInPolicy(second.headers.get("content-security-policy"))).not.toBe(
      nonceInPolicy(policy),
    );
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("x-frame-options")).toBe("DENY");
    expect(first.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(first.headers.get("permissions-policy")).toContain("camera=()");
    expect(first.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(first.headers.has("strict-transport-security")).toBe(false);
  });

  it("replaces a policy the client sent: the request Next renders carries ours", () => {
    const { request, headers } = answer("/login", PRODUCTION, {
      "content-security-policy": "script-src 'nonce-chosenByTheClient'",
      "content-security-policy-report-only": "script-src 'nonce-chosenByTheClient'",
    });
    expect(request.headers["content-security-policy"]).toBe(headers.get("content-security-policy"));
    expect(JSON.stringify(request.headers)).not.toContain("chosenByTheClient");
  });

  it("sends no Referer to other sites from the pages a mailed link opens", () => {
    // Not no-referrer: from such a page a form's POST carries `Origin: null`, which Next refuses.
    for (const path of ["/verify-email?token=abc", "/verify-email", "/reset-password?token=a"]) {
      expect(answer(path).headers.get("referrer-policy")).toBe("same-origin");
    }
  });

  it("gives JSON routes and next-auth's endpoints the API policy, without a nonce", () => {
    for (const path of [
      "/api/auth/session",
      "/api/auth/callback/credentials",
      "/api/auth/register",
    ]) {
      expect(answer(path).headers.get("content-security-policy")).toBe(API_CONTENT_SECURITY_POLICY);
    }
  });

  it("adds HSTS and upgrade-insecure-requests for an https app", () => {
    const { headers } = answer("/login", { https: true, development: false });
    expect(headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });

  it("allows eval and the hot-reload socket only under next dev", () => {
    expect(answer("/login").headers.get("content-security-policy")).not.toMatch(/unsafe-eval|ws:/);
    const policy = answer("/login", { https: false, development: true }).headers.get(
      "content-security-policy",
    );
    expect(policy).toContain("'unsafe-eval'");
    expect(policy).toContain("ws:");
  });
});

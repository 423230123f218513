import { getScriptNonceFromHeader } from "next/dist/server/app-render/get-script-nonce-from-header";
import { describe, expect, it } from "vitest";
import nextConfig from "@/next.config.js";
import {
  API_CONTENT_SECURITY_POLICY,
  contentSecurityPolicy,
  createNonce,
  nonceInPolicy,
  securityHeaders,
} from "@/lib/security/headers";

const NONCE = "AAECAwQFBgcICQoLDA0ODw==";

/** Directive name → its sources, so tests can ask about one directive at a time. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((part) => {
      const [name = "", ...sources] = part.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe("contentSecurityPolicy", () => {
  it("in production: scripts and styles only from this origin or with this response's nonce", () => {
    expect(contentSecurityPolicy({ nonce: NONCE })).toBe(
      [
        "default-src 'self'",
        `script-src 'self' 'nonce-${NONCE}' 'strict-dynamic'`,
        `style-src 'self' 'nonce-${NONCE}'`,
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join("; "),
    );
  });

  it("never allows inline code or eval in production", () => {
    for (const https of [false, true]) {
      const policy = contentSecurityPolicy({ nonce: NONCE, https });
      expect(policy).not.toContain("unsafe-inline");
      expect(policy).not.toContain("unsafe-eval");
      expect(policy).not.toContain("ws:");
      expect(policy).not.toContain("*");
    }
  });

  it("in development adds only what next dev needs: eval, inline styles, the hot-reload socket", () => {
    const dev = directives(contentSecurityPolicy({ nonce: NONCE, development: true }));
    expect(dev.get("script-src")).toEqual([
      "'self'",
      `'nonce-${NONCE}'`,
      "'strict-dynamic'",
      "'unsafe-eval'",
    ]);
    // A nonce in style-src would make the browser ignore 'unsafe-inline'.
    expect(dev.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(dev.get("connect-src")).toEqual(["'self'", "ws:"]);
    expect(dev.get("frame-ancestors")).toEqual(["'none'"]);
    expect(dev.get("object-src")).toEqual(["'none'"]);
  });

  it("upgrades insecure requests only for an https app", () => {
    expect(
      directives(contentSecurityPolicy({ nonce: NONCE, https: true })).has(
        "upgrade-insecure-requests",
      ),
    ).toBe(true);
    expect(contentSecurityPolicy({ nonce: NONCE })).not.toContain("upgrade-insecure-requests");
  });

  it("without a nonce, allows no inline script at all (and no 'strict-dynamic' to trust one)", () => {
    const policy = directives(contentSecurityPolicy({}));
    expect(policy.get("script-src")).toEqual(["'self'"]);
    expect(policy.get("style-src")).toEqual(["'self'"]);
  });

  it("puts the nonce where Next looks for it", () => {
    expect(getScriptNonceFromHeader(contentSecurityPolicy({ nonce: NONCE }))).toBe(NONCE);
    expect(
      getScriptNonceFromHeader(contentSecurityPolicy({ nonce: NONCE, development: true })),
    ).toBe(NONCE);
  });
});

describe("createNonce", () => {
  it("is 128 random bits in base64, fresh every time, in the form Next accepts", () => {
    const nonces = new Set(Array.from({ length: 100 }, () => createNonce()));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) {
      expect(Buffer.from(nonce, "base64")).toHaveLength(16);
      expect(getScriptNonceFromHeader(`script-src 'nonce-${nonce}'`)).toBe(nonce);
    }
  });
});

describe("securityHeaders", () => {
  const page = (pathname: string, https = false) =>
    securityHeaders({ pathname, https, nonce: NONCE });

  it("gives a page the nonce policy and the hardening headers", () => {
    expect(page("/login")).toEqual({
      "Content-Security-Policy": contentSecurityPolicy({ nonce: NONCE }),
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
      "Cross-Origin-Opener-Policy": "same-origin",
    });
  });

  it("sends no Referer to other sites from the pages a mailed link opens", () => {
    // Their forms are real POSTs: from a no-referrer page they would carry `Origin: null`.
    expect(page("/reset-password")["Referrer-Policy"]).toBe("same-origin");
    expect(page("/verify-email")["Referrer-Policy"]).toBe("same-origin");
    expect(page("/reset-password-help")["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
    expect(page("/forgot-password")["Referrer-Policy"]).toBe("strict-origin-when-cross-origin");
  });

  it("adds HSTS only for an https app", () => {
    expect(page("/login", true)["Strict-Transport-Security"]).toBe(
      "max-age=63072000; includeSubDomains",
    );
    expect(page("/login", true)["Content-Security-Policy"]).toContain("upgrade-insecure-requests");
    expect(page("/login", false)).not.toHaveProperty("Strict-Transport-Security");
  });

  it("gives API answers a policy that loads and frames nothing, and no nonce", () => {
    for (const pathname of ["/api/auth/session", "/api/auth/register", "/api"]) {
      const headers = securityHeaders({ pathname, https: true, nonce: NONCE });
      expect(headers["Content-Security-Policy"]).toBe(API_CONTENT_SECURITY_POLICY);
      expect(headers["X-Content-Type-Options"]).toBe("nosniff");
      expect(headers["Strict-Transport-Security"]).toBeDefined();
    }
    expect(directives(API_CONTENT_SECURITY_POLICY).get("default-src")).toEqual(["'none'"]);
    expect(directives(API_CONTENT_SECURITY_POLICY).get("frame-ancestors")).toEqual(["'none'"]);
    expect(
      securityHeaders({ pathname: "/apis", https: false })["Content-Security-Policy"],
    ).not.toBe(API_CONTENT_SECURITY_POLICY);
  });
});

describe("nonceInPolicy", () => {
  it("finds the nonce the door put in a page policy, and nothing in a policy without one", () => {
    expect(nonceInPolicy(contentSecurityPolicy({ nonce: NONCE }))).toBe(NONCE);
    expect(nonceInPolicy(contentSecurityPolicy({}))).toBeUndefined();
    expect(nonceInPolicy(null)).toBeUndefined();
  });
});

describe("next.config.js", () => {
  it("sets no headers: a rule there would replace the policy that carries each page's nonce", () => {
    expect(nextConfig.headers).toBeUndefined();
  });
});

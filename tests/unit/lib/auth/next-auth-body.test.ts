import type { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { withBoundedBody } from "@/lib/auth/next-auth-body";
import { APP, setupServerTests } from "../../support/server";

setupServerTests();

/** Stands in for next-auth: records what it was given. */
function fakeNextAuth() {
  const seen: Array<{ method: string; body: string; url: string }> = [];
  const handler = vi.fn(async (request: NextRequest) => {
    seen.push({
      method: request.method,
      body: await request.text(),
      url: request.nextUrl.pathname,
    });
    return Response.json({ url: "ok" });
  });
  return { seen, handler: withBoundedBody(handler) };
}

const post = (body: BodyInit | null, headers: Record<string, string>) =>
  new Request(`${APP}/api/auth/callback/credentials`, { method: "POST", headers, body });

describe("withBoundedBody (next-auth's POST endpoints)", () => {
  it("hands next-auth the very form it checked", async () => {
    const { seen, handler } = fakeNextAuth();
    const form = "csrfToken=abc&email=ada%40example.com&password=x&json=true";
    const res = await handler(
      post(form, { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" }),
      {},
    );
    expect(res.status).toBe(200);
    expect(seen).toEqual([{ method: "POST", body: form, url: "/api/auth/callback/credentials" }]);
  });

  it("passes GET requests through untouched", async () => {
    const { seen, handler } = fakeNextAuth();
    await handler(new Request(`${APP}/api/auth/csrf`), {});
    expect(seen).toEqual([{ method: "GET", body: "", url: "/api/auth/csrf" }]);
  });

  it.each([
    ["text/plain", "email=a", { "content-type": "text/plain" }, 415],
    ["no Content-Type", "email=a", {}, 415],
    [
      "a body over 8 KB",
      `email=${"a".repeat(9_000)}`,
      { "content-type": "application/x-www-form-urlencoded" },
      413,
    ],
    ["malformed JSON", '{"email":', { "content-type": "application/json" }, 400],
    ["a JSON array", "[1]", { "content-type": "application/json" }, 400],
    ["JSON null", "null", { "content-type": "application/json" }, 400],
  ])("refuses %s with a plain %#", async (_label, body, headers, status) => {
    const { seen, handler } = fakeNextAuth();
    const res = await handler(post(body, headers), {});
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ ok: false, message: expect.stringMatching(/^[A-Z].*\.$/) });
    expect(seen).toEqual([]);
  });
});

// Over 250 lines on purpose: forgot and reset share their mocks and their throttle.
import { describe, expect, it, vi } from "vitest";
import { POST as forgot } from "@/app/api/auth/forgot-password/route";
import { POST as reset } from "@/app/api/auth/reset-password/route";
import { POLICIES } from "@/lib/abuse/budgets";
import { beginSignIn } from "@/lib/abuse/process-throttle";
import {
  DIRECTUS,
  HttpResponse,
  directusError,
  http,
  jsonRequest,
  presentedToken,
  server,
  sessionAnswer,
  sessionIdOf,
  setupServerTests,
} from "../../../support/server";

setupServerTests();

async function read(response: Response) {
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    text,
    json: JSON.parse(text) as Record<string, unknown>,
  };
}

describe("POST /api/auth/forgot-password", () => {
  function directusRequests(
    answer: () => Response = () => new HttpResponse(null, { status: 204 }),
  ) {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${DIRECTUS}/auth/password/request`, async ({ request }) => {
        bodies.push(await request.json());
        return answer();
      }),
    );
    return bodies;
  }
  const call = (body: unknown, headers: Record<string, string> = {}) =>
    forgot(jsonRequest("/api/auth/forgot-password", body, headers)).then(read);

  it("202 with the same message for known and unknown emails, and our reset URL", async () => {
    const bodies = directusRequests();
    const known = await call({ email: "Known@Example.com" });
    const unknown = await call({ email: "nobody@example.com" });
    expect(known.status).toBe(202);
    expect(unknown.text).toBe(known.text);
    expect(known.json.message).toMatch(/if an account exists/i);
    expect(bodies[0]).toEqual({
      email: "known@example.com",
      reset_url: "http://localhost:3000/reset-password",
    });
  });

  it("422 for an invalid email; 415, 400 and 403 like every JSON route", async () => {
    directusRequests();
    expect((await call({ email: "nope" })).status).toBe(422);
    expect((await call({ email: "a@example.com", role: "admin" })).status).toBe(422);
    expect((await call("{", {})).status).toBe(400);
    expect((await call({ email: "a@example.com" }, { "content-type": "text/plain" })).status).toBe(
      415,
    );
    expect(
      (await call({ email: "a@example.com" }, { "sec-fetch-site": "cross-site" })).status,
    ).toBe(403);
  });

  it("429 after three requests for one email, whether or not it has an account", async () => {
    const bodies = directusRequests();
    for (let i = 0; i < 3; i++) expect((await call({ email: "a@example.com" })).status).toBe(202);
    const throttled = await call({ email: "a@example.com" });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.retryAfter)).toBeGreaterThan(0);
    expect(throttled.json).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^Too many attempts\. Please wait \d+ minutes and try again\.$/,
      ),
    });
    expect(bodies).toHaveLength(3);
  });

  it("503 when Directus is unreachable or cannot send", async () => {
    server.use(http.post(`${DIRECTUS}/auth/password/request`, () => HttpResponse.error()));
    expect((await call({ email: "a@example.com" })).status).toBe(503);
    directusRequests(() =>
      directusError(400, "INVALID_PAYLOAD", 'URL "x" can\'t be used to reset passwords'),
    );
    const misconfigured = await call({ email: "b@example.com" });
    expect(misconfigured.status).toBe(503);
    expect(misconfigured.text).not.toMatch(/can't be used|INVALID_PAYLOAD/);
  });
});

describe("POST /api/auth/reset-password", () => {
  const valid = { token: "reset-token", password: "a brand new passphrase" };
  const call = (body: unknown, headers: Record<string, string> = {}) =>
    reset(jsonRequest("/api/auth/reset-password", body, headers)).then(read);

  it("200 and forwards token and password", async () => {
    const bodies: unknown[] = [];
    server.use(
      http.post(`${DIRECTUS}/auth/password/reset`, async ({ request }) => {
        bodies.push(await request.json());
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const result = await call(valid);
    expect(result.status).toBe(200);
    expect(result.json.ok).toBe(true);
    expect(bodies).toEqual([valid]);
  });

  it("429 with Retry-After and the wait in words after ten attempts from one address", async () => {
    server.use(
      http.post(`${DIRECTUS}/auth/password/reset`, () => directusError(403, "INVALID_TOKEN")),
    );
    for (let i = 0; i < POLICIES.resetAddress.points; i++)
      expect((await call(valid)).status).toBe(400);
    const throttled = await call(valid);
    expect(throttled.status).toBe(429);
    expect(Number(throttled.retryAfter)).toBeGreaterThan(0);
    expect(throttled.json).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^Too many attempts\. Please wait \d+ minutes and try again\.$/,
      ),
    });
  });

  it.each([
    [403, "FORBIDDEN"],
    [403, "INVALID_TOKEN"],
    [401, "TOKEN_EXPIRED"],
  ])("400 'invalid or has expired' when Directus answers %i %s", async (status, code) => {
    server.use(http.post(`${DIRECTUS}/auth/password/reset`, () => directusError(status, code)));
    const result = await call(valid);
    expect(result.status).toBe(400);
    expect(result.json).toEqual({
      ok: false,
      message: expect.stringMatching(/invalid or has expired/i),
    });
  });

  it("422 for a weak password, ours or Directus's", async () => {
    expect((await call({ ...valid, password: "short" })).status).toBe(422);
    server.use(
      http.post(`${DIRECTUS}/auth/password/reset`, () =>
        directusError(400, "FAILED_VALIDATION", "bad format", { field: "password" }),
      ),
    );
    const result = await call(valid);
    expect(result.status).toBe(422);
    expect(result.json.fieldErrors).toEqual({ password: [expect.any(String)] });
  });

  it.each(["aaaaaaaaaaaa", "password1234"])(
    "422 for the guessable %s with a plain reason, without calling Directus",
    async (password) => {
      // No Directus handler: a request reaching it would fail the test.
      const result = await call({ ...valid, password });
      expect(result.status).toBe(422);
      expect(result.json).toEqual({
        ok: false,
        message: "Check the highlighted fields.",
        fieldErrors: {
          password: [expect.stringMatching(/^This password is too easy to guess\. .+\.$/)],
        },
      });
    },
  );

  it("refuses a new password made of the account's email, which the reset token names", async () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const claims = { email: "zorblax.quintavius@example.com", scope: "password-reset" };
    const token = `${part({ alg: "HS256" })}.${part(claims)}.sig`;
    const result = await call({ token, password: "QuintaviusZorblax" });
    expect(result.status).toBe(422);
    expect(result.json.fieldErrors).toEqual({
      password: [expect.stringMatching(/contains your name or email address/)],
    });

    // For another account the same password is not personal, and goes to Directus.
    server.use(
      http.post(`${DIRECTUS}/auth/password/reset`, () => new HttpResponse(null, { status: 204 })),
      http.post(`${DIRECTUS}/auth/login`, () => directusError(401, "INVALID_CREDENTIALS")),
    );
    const other = `${part({ alg: "HS256" })}.${part({ ...claims, email: "ada@example.com" })}.sig`;
    expect((await call({ token: other, password: "QuintaviusZorblax" })).status).toBe(200);
  });

  it("503 when Directus is unreachable", async () => {
    server.use(http.post(`${DIRECTUS}/auth/password/reset`, () => HttpResponse.error()));
    expect((await call(valid)).status).toBe(503);
  });

  it("403 for a cross-site request", async () => {
    expect((await call(valid, { origin: "https://evil.example" })).status).toBe(403);
  });
});

describe("POST /api/auth/reset-password lifts a sign-in block", () => {
  /** Directus's reset token: a JWT naming the account (unsigned here; only Directus checks it). */
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const token = `${part({ alg: "HS256" })}.${part({ email: "ada@example.com", scope: "password-reset", hash: "h" })}.sig`;
  const newPassword = "a brand new passphrase";

  function directus(loginAnswer: () => Response) {
    const seen: Array<{ path: string; body?: unknown; session?: string; bearer?: string }> = [];
    const record =
      (path: string) =>
      async ({ request }: { request: Request }) => {
        const { cookie, bearer } = presentedToken(request);
        const text = await request.text();
        seen.push({
          path,
          ...(text ? { body: JSON.parse(text) as unknown } : {}),
          ...(cookie ? { session: sessionIdOf(cookie) } : {}),
          ...(bearer ? { bearer: sessionIdOf(bearer) } : {}),
        });
      };
    server.use(
      http.post(`${DIRECTUS}/auth/password/reset`, async (info) => {
        await record("reset")(info);
        return new HttpResponse(null, { status: 204 });
      }),
      http.post(`${DIRECTUS}/auth/login`, async (info) => {
        await record("login")(info);
        return loginAnswer();
      }),
      http.post(`${DIRECTUS}/customer/sign-out`, async (info) => {
        await record("sign-out")(info);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    return seen;
  }

  it("signs in once with the new password (resetting Directus's count), revokes that session and clears ours", async () => {
    const seen = directus(() => sessionAnswer({ sessionId: "unlock-session" }));
    for (let i = 0; i < POLICIES.signInAccount.points; i++) {
      await beginSignIn("ada@example.com", `203.0.113.${i}`);
    }
    expect((await beginSignIn("ada@example.com", "192.0.2.1")).kind).toBe("refused");

    const res = await reset(
      jsonRequest("/api/auth/reset-password", { token, password: newPassword }),
    );
    expect(res.status).toBe(200);
    expect(seen).toEqual([
      { path: "reset", body: { token, password: newPassword } },
      { path: "login", body: { email: "ada@example.com", password: newPassword, mode: "session" } },
      // Ended through the customer API with the session as a bearer: no body, no Directus cookie.
      { path: "sign-out", bearer: "unlock-session" },
    ]);
    expect((await beginSignIn("ada@example.com", "192.0.2.1")).kind).toBe("allowed");
  });

  it("still answers 200 when that sign-in fails, and logs no secret", async () => {
    const warn = vi.mocked(console.warn);
    directus(() => directusError(401, "INVALID_CREDENTIALS"));
    const res = await reset(
      jsonRequest("/api/auth/reset-password", { token, password: newPassword }),
    );
    expect(res.status).toBe(200);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/could not lift the sign-in block/));
    expect(JSON.stringify(warn.mock.calls)).not.toContain(token);
  });

  it("answers wrong types with plain sentences, never zod's own wording", async () => {
    const res = await reset(jsonRequest("/api/auth/reset-password", { token: 5, password: [1] }));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { fieldErrors: Record<string, string[]> };
    expect(JSON.stringify(body)).not.toMatch(/expected|received|invalid input/i);
    expect(Object.keys(body.fieldErrors).sort()).toEqual(["password", "token"]);
  });
});

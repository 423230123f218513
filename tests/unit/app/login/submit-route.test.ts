// Over 150 lines on purpose: one route, its success, every refusal, and what it never does.
import { decode } from "next-auth/jwt";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/(auth)/login/submit/route";
import { POLICIES } from "@/lib/abuse/budgets";
import { verifyKnownDevice } from "@/lib/abuse/known-device";
import { encodeSession } from "@/lib/auth/session-jwt";
import {
  DIRECTUS,
  TEST_ENV,
  directusError,
  fakeSessionToken,
  http,
  jsonRequest,
  server,
  sessionAnswer,
  setupServerTests,
} from "../../support/server";

/** The cookies Next would put on this route's answer. */
const jar = vi.hoisted(() => ({
  sent: [] as Array<{ name: string; value: string }>,
  set: [] as Array<{ name: string; value: string; options: Record<string, unknown> }>,
}));

vi.mock("next/headers", () => ({
  cookies: () =>
    Promise.resolve({
      getAll: () => jar.sent,
      set: (name: string, value: string, options: Record<string, unknown>) => {
        jar.set.push({ name, value, options });
      },
    }),
}));

setupServerTests();

const PASSWORD = "correct horse battery";

beforeEach(() => {
  jar.sent = [];
  jar.set = [];
});

function directusLogin() {
  const calls: unknown[] = [];
  server.use(
    http.post(`${DIRECTUS}/auth/login`, async ({ request }) => {
      const body = (await request.json()) as { password: string };
      calls.push(body);
      return body.password === PASSWORD
        ? sessionAnswer({ id: "user-42", sessionId: "s1", ttlMs: 86_400_000 })
        : directusError(401, "INVALID_CREDENTIALS");
    }),
  );
  return calls;
}

let address = 0;
async function call(body: unknown, headers: Record<string, string> = {}) {
  address += 1;
  const from = { "x-forwarded-for": `198.51.100.${address}`, ...headers };
  const response = await POST(jsonRequest("/login/submit", body, from));
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
}

describe("POST /login/submit: the enhanced sign-in form's post", () => {
  it("200: sets next-auth's session cookie and a known-device cookie, and says where to go", async () => {
    directusLogin();
    const result = await call({ email: "Ada@Example.com", password: PASSWORD });
    expect(result.status).toBe(200);
    expect(result.json).toEqual({
      status: 200,
      result: { ok: true },
      values: {},
      goTo: "/account",
    });
    expect(result.headers.get("cache-control")).toBe("no-store");

    const session = jar.set.find((c) => c.name === "next-auth.session-token");
    const token = await decode({ token: session?.value, secret: TEST_ENV.NEXTAUTH_SECRET });
    expect(token?.sub).toBe("user-42");
    expect(session?.options).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/" });
    const device = jar.set.find((c) => c.name === "known-device");
    expect(verifyKnownDevice(device?.value, "ada@example.com")).toEqual(expect.any(String));
    expect(device?.options).toMatchObject({ httpOnly: true, path: "/login" });
  });

  it("ends the session it replaces: signing in over an open one signs that one out in Directus", async () => {
    directusLogin();
    const previous = fakeSessionToken({ id: "user-7", sessionId: "old" });
    jar.sent = [
      {
        name: "next-auth.session-token",
        value: await encodeSession({
          token: { sub: "user-7", sessionToken: previous },
          secret: TEST_ENV.NEXTAUTH_SECRET,
        }),
      },
    ];
    const endedWith: Array<string | null> = [];
    server.use(
      http.post(`${DIRECTUS}/customer/sign-out`, ({ request }) => {
        endedWith.push(request.headers.get("authorization"));
        return new Response(null, { status: 204 });
      }),
    );
    const result = await call({ email: "ada@example.com", password: PASSWORD });
    expect(result.status).toBe(200);
    expect(endedWith).toEqual([`Bearer ${previous}`]);
    // The new session is the cookie that stays.
    const last = jar.set.filter((c) => c.name === "next-auth.session-token").at(-1);
    const token = await decode({ token: last?.value, secret: TEST_ENV.NEXTAUTH_SECRET });
    expect(token?.sub).toBe("user-42");
  });

  it("returns to a same-origin callbackUrl and ignores a foreign one", async () => {
    directusLogin();
    const back = await call({
      email: "ada@example.com",
      password: PASSWORD,
      callbackUrl: "/account/x?y=1",
    });
    expect(back.json.goTo).toBe("/account/x?y=1");
    const foreign = await call({
      email: "ada@example.com",
      password: PASSWORD,
      callbackUrl: "https://evil.example/steal",
    });
    expect(foreign.json.goTo).toBe("/account");
  });

  it("401: a wrong password keeps the email, never the password, and sets no cookie", async () => {
    directusLogin();
    const result = await call({ email: "ada@example.com", password: "not it at all" });
    expect(result.status).toBe(401);
    expect(result.json).toEqual({
      status: 401,
      result: { ok: false, message: expect.stringMatching(/incorrect/) },
      values: { email: "ada@example.com" },
    });
    expect(result.text).not.toContain("not it at all");
    expect(jar.set).toEqual([]);
  });

  it("422: checks the fields with the shared schema before Directus is asked", async () => {
    const calls = directusLogin();
    const result = await call({ email: "not-an-email", password: "" });
    expect(result.status).toBe(422);
    expect(Object.keys(result.json.result.fieldErrors).sort()).toEqual(["email", "password"]);
    expect(calls).toEqual([]);
  });

  it.each([
    [
      "a field the form does not have",
      { email: "a@example.com", password: PASSWORD, role: "admin" },
    ],
    ["an array", [PASSWORD]],
    ["a string", JSON.stringify(PASSWORD)],
    ["null", null],
  ])("422: %s is not a sign-in form, and its keys are not echoed", async (_name, body) => {
    const calls = directusLogin();
    const result = await call(body);
    expect(result.status).toBe(422);
    expect(result.json.result.ok).toBe(false);
    expect(result.text).not.toContain("role");
    expect(calls).toEqual([]);
  });

  it("403: refuses a cross-site post before any work", async () => {
    const calls = directusLogin();
    const crossSite = await call(
      { email: "ada@example.com", password: PASSWORD },
      { "sec-fetch-site": "cross-site" },
    );
    const foreignOrigin = await call(
      { email: "ada@example.com", password: PASSWORD },
      { origin: "https://evil.example", "sec-fetch-site": "same-origin" },
    );
    expect([crossSite.status, foreignOrigin.status]).toEqual([403, 403]);
    expect(calls).toEqual([]);
    expect(jar.set).toEqual([]);
  });

  it("415, 400, 413: a body that is not a small JSON form", async () => {
    directusLogin();
    const form = await call("email=a%40b.c&password=x", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(form.status).toBe(415);
    expect((await call("{not json")).status).toBe(400);
    const huge = await call({ email: "ada@example.com", password: "x".repeat(200_000) });
    expect(huge.status).toBe(413);
    expect(huge.text).not.toContain("xxxx");
  });

  it("429: a flooded address waits, with Retry-After and the wait in words", async () => {
    directusLogin();
    const from = { "x-forwarded-for": "203.0.113.77" };
    for (let i = 0; i < POLICIES.signInAccountAddress.points; i++) {
      await POST(
        jsonRequest("/login/submit", { email: "ada@example.com", password: `wrong ${i}` }, from),
      );
    }
    const response = await POST(
      jsonRequest("/login/submit", { email: "ada@example.com", password: PASSWORD }, from),
    );
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    const state = (await response.json()) as { result: { message: string } };
    expect(state.result.message).toMatch(/^Too many sign-in attempts\. Try again in /);
    expect(jar.set).toEqual([]);
  });

  it("503: Directus failing is not a wrong password, and no backend words leak", async () => {
    server.use(
      http.post(`${DIRECTUS}/auth/login`, () => directusError(503, "SERVICE_UNAVAILABLE")),
    );
    const result = await call({ email: "ada@example.com", password: PASSWORD });
    expect(result.status).toBe(503);
    expect(result.json.result.message).toMatch(/temporarily unavailable/);
    expect(result.text).not.toMatch(/SERVICE_UNAVAILABLE|directus/i);
  });
});

import { decode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { verifyKnownDevice } from "@/lib/abuse/known-device";
import { POLICIES } from "@/lib/abuse/budgets";
import { submitSignIn } from "@/lib/forms/sign-in";
import {
  DIRECTUS,
  TEST_ENV,
  directusError,
  http,
  server,
  sessionAnswer,
  sessionIdOf,
  setupServerTests,
} from "../../support/server";

setupServerTests();

const PASSWORD = "correct horse battery";
const from = (address: string) => ({ "x-forwarded-for": address });

function directusLogin() {
  let calls = 0;
  server.use(
    http.post(`${DIRECTUS}/auth/login`, async ({ request }) => {
      calls += 1;
      const { password } = (await request.json()) as { password: string };
      return password === PASSWORD
        ? sessionAnswer({ id: "user-42", sessionId: "s1", ttlMs: 86_400_000 })
        : directusError(401, "INVALID_CREDENTIALS");
    }),
  );
  return () => calls;
}

describe("submitSignIn: the sign-in form's handler", () => {
  it("answers a success with next-auth's own session cookie, readable by next-auth, and a known-device cookie", async () => {
    directusLogin();
    const result = await submitSignIn(
      { email: "Ada@Example.com", password: PASSWORD },
      from("198.51.100.1"),
    );
    if (result.kind === "refused") throw new Error(`refused: ${result.answer.result.message}`);
    const token = await decode({ token: result.sessionCookie, secret: TEST_ENV.NEXTAUTH_SECRET });
    // Exactly the claims callbacks.jwt gives, plus next-auth's iat/exp/jti.
    expect(Object.keys(token ?? {}).sort()).toEqual(
      [
        "exp",
        "iat",
        "jti",
        "sessionExpires",
        "sessionIssuedAt",
        "sessionToken",
        "signedInAt",
        "sub",
      ].sort(),
    );
    expect(token?.sub).toBe("user-42");
    expect(sessionIdOf(token?.sessionToken)).toBe("s1");
    expect((token?.exp as number) - (token?.iat as number)).toBe(
      Number(TEST_ENV.SESSION_MAX_AGE_SECONDS),
    );
    expect(verifyKnownDevice(result.knownDevice, "ada@example.com")).toEqual(expect.any(String));
  });

  it("refuses wrong credentials with 401 and the generic sentence, and sets nothing", async () => {
    directusLogin();
    const result = await submitSignIn(
      { email: "ada@example.com", password: "not it at all" },
      from("198.51.100.2"),
    );
    expect(result).toEqual({
      kind: "refused",
      answer: {
        status: 401,
        result: {
          ok: false,
          message:
            "Email or password is incorrect. If you just registered, confirm your email first.",
        },
      },
    });
  });

  it("answers an invalid form field by field, without asking Directus", async () => {
    const calls = directusLogin();
    const result = await submitSignIn({ email: "ada@", password: "" }, from("198.51.100.3"));
    expect(result.kind).toBe("refused");
    if (result.kind !== "refused") return;
    expect(result.answer.status).toBe(422);
    expect(result.answer.result).toMatchObject({
      ok: false,
      fieldErrors: {
        email: ["Enter a valid email address, like name@example.com."],
        password: ["Enter your password."],
      },
    });
    expect(calls()).toBe(0);
  });

  it("refuses a flooded address with 429, the wait in seconds and in words", async () => {
    directusLogin();
    const address = from("198.51.100.4");
    for (let i = 0; i < POLICIES.signInAccountAddress.points; i++) {
      await submitSignIn({ email: "ada@example.com", password: `wrong ${i}` }, address);
    }
    const result = await submitSignIn({ email: "ada@example.com", password: PASSWORD }, address);
    expect(result.kind).toBe("refused");
    if (result.kind !== "refused") return;
    expect(result.answer.status).toBe(429);
    expect(result.answer.retryAfterSeconds).toBeGreaterThan(0);
    expect(result.answer.result.message).toMatch(/^Too many sign-in attempts\. Try again in /);
  });

  it("says sign-in is unavailable, not that the password is wrong, when Directus fails", async () => {
    server.use(
      http.post(`${DIRECTUS}/auth/login`, () => directusError(503, "SERVICE_UNAVAILABLE")),
    );
    const result = await submitSignIn(
      { email: "ada@example.com", password: PASSWORD },
      from("198.51.100.5"),
    );
    expect(result.kind).toBe("refused");
    if (result.kind !== "refused") return;
    expect(result.answer.status).toBe(503);
    expect(result.answer.result.message).toMatch(/temporarily unavailable/);
  });
});

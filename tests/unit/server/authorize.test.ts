import { describe, expect, it, vi } from "vitest";
import { authorizeCredentials } from "@/lib/auth/authorize";
import { DIRECTUS_LOGIN_ATTEMPTS, POLICIES } from "@/lib/auth/throttle";
import {
  DIRECTUS,
  HttpResponse,
  directusError,
  directusSessionCookie,
  fakeSessionToken,
  jsonWithCookies,
  http,
  server,
  sessionAnswer,
  sessionIdOf,
  setupServerTests,
} from "./support";

setupServerTests();

const credentials = {
  email: "Ada@Example.com",
  password: "correct horse battery",
  csrfToken: "x",
  callbackUrl: "/account",
};
const from = (address: string) => ({ headers: { "x-forwarded-for": address } });

function directusLogin(answer: (body: { email: string; password: string }) => Response) {
  const calls: Array<Record<string, unknown>> = [];
  server.use(
    http.post(`${DIRECTUS}/auth/login`, async ({ request }) => {
      const body = (await request.json()) as { email: string; password: string };
      calls.push(body);
      return answer(body);
    }),
  );
  return calls;
}

const correct = (body: { password: string }) =>
  body.password === credentials.password
    ? sessionAnswer({ id: "user-42", sessionId: "s1", ttlMs: 86_400_000 })
    : directusError(401, "INVALID_CREDENTIALS");

describe("authorizeCredentials", () => {
  it("opens a Directus session in session mode and returns the user id and that session", async () => {
    const calls = directusLogin(correct);
    const before = Date.now();
    const user = await authorizeCredentials(credentials, from("198.51.100.1"));
    const after = Date.now();
    expect(calls).toEqual([
      { email: "ada@example.com", password: "correct horse battery", mode: "session" },
    ]);
    expect(user).toEqual({
      id: "user-42",
      sessionToken: expect.any(String),
      sessionIssuedAt: expect.any(Number),
      sessionExpires: expect.any(Number),
      signedInAt: expect.any(Number),
    });
    expect(sessionIdOf(user?.sessionToken)).toBe("s1");
    // The session's own times, from its JWT (whole seconds), and the moment of this sign-in.
    expect(user?.sessionIssuedAt).toBeGreaterThan(before - 1_000);
    expect(user?.sessionIssuedAt).toBeLessThanOrEqual(after);
    expect((user?.sessionExpires ?? 0) - (user?.sessionIssuedAt ?? 0)).toBe(86_400_000);
    expect(user?.signedInAt).toBeGreaterThanOrEqual(before);
    expect(user?.signedInAt).toBeLessThanOrEqual(after);
  });

  it("takes the user id from the session Directus issued", async () => {
    directusLogin(() =>
      jsonWithCookies({ data: { expires: 1 } }, [
        directusSessionCookie(fakeSessionToken({ id: "user-7", sessionId: "s9" })),
      ]),
    );
    expect(await authorizeCredentials(credentials, from("198.51.100.1"))).toMatchObject({
      id: "user-7",
    });
  });

  it("returns null for wrong credentials (Directus answers the same for unverified and suspended users)", async () => {
    directusLogin(correct);
    expect(
      await authorizeCredentials({ ...credentials, password: "wrong" }, from("198.51.100.1")),
    ).toBeNull();
  });

  it("returns null without calling Directus when the form is invalid", async () => {
    const calls = directusLogin(correct);
    expect(
      await authorizeCredentials({ email: "nope", password: "x" }, from("198.51.100.1")),
    ).toBeNull();
    expect(await authorizeCredentials(undefined, {})).toBeNull();
    expect(calls).toEqual([]);
  });

  it("lets one address try one account 10 times, then refuses it without calling Directus; the owner elsewhere still gets in", async () => {
    const calls = directusLogin(correct);
    for (let i = 0; i < 10; i++) {
      expect(
        await authorizeCredentials({ ...credentials, password: "wrong" }, from("198.51.100.1")),
      ).toBeNull();
    }
    await expect(authorizeCredentials(credentials, from("198.51.100.1"))).rejects.toThrow(
      /^TooManyRequests$/,
    );
    expect(calls).toHaveLength(10);
    expect(await authorizeCredentials(credentials, from("203.0.113.9"))).toMatchObject({
      id: "user-42",
    });
  });

  it("lets at most 20 of 35 parallel attempts from 35 addresses reach Directus, whatever the addresses", async () => {
    const calls = directusLogin(correct);
    const results = await Promise.allSettled(
      Array.from({ length: 35 }, (_, i) =>
        authorizeCredentials({ ...credentials, password: `wrong ${i}` }, from(`198.51.100.${i}`)),
      ),
    );
    expect(calls).toHaveLength(POLICIES.signInAccount.points);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(15);
    await expect(authorizeCredentials(credentials, from("203.0.113.9"))).rejects.toThrow(
      "TooManyRequests",
    );
  });

  it("keeps every account below Directus's suspension threshold, and one address at half the budget", () => {
    expect(POLICIES.signInAccount.points).toBeLessThan(DIRECTUS_LOGIN_ATTEMPTS);
    expect(POLICIES.signInAccountAddress.points * 2).toBeLessThanOrEqual(
      POLICIES.signInAccount.points,
    );
  });

  it("throttles one address spraying many accounts", async () => {
    directusLogin(correct);
    for (let i = 0; i < 20; i++) {
      await authorizeCredentials(
        { email: `user${i}@example.com`, password: "wrong" },
        from("198.51.100.66"),
      );
    }
    await expect(authorizeCredentials(credentials, from("198.51.100.66"))).rejects.toThrow(
      "TooManyRequests",
    );
    expect(await authorizeCredentials(credentials, from("198.51.100.67"))).toMatchObject({
      id: "user-42",
    });
  });

  it("a success clears the account's and this address's count", async () => {
    directusLogin(correct);
    for (let i = 0; i < 9; i++)
      await authorizeCredentials({ ...credentials, password: "wrong" }, from("198.51.100.1"));
    expect(await authorizeCredentials(credentials, from("198.51.100.1"))).not.toBeNull();
    for (let i = 0; i < 9; i++) {
      expect(
        await authorizeCredentials({ ...credentials, password: "wrong" }, from("198.51.100.1")),
      ).toBeNull();
    }
  });

  it("gives an attempt back only when it never reached Directus (connection refused)", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const refused = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    });
    const fetch = vi.spyOn(globalThis, "fetch").mockRejectedValue(refused);
    for (let i = 0; i < 15; i++) {
      await expect(authorizeCredentials(credentials, from("198.51.100.1"))).rejects.toThrow(
        /^ServiceUnavailable$/,
      );
    }
    expect(fetch).toHaveBeenCalledTimes(15);
  });

  it("counts an attempt Directus may have judged (an error mid-request, a timeout)", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const calls = directusLogin(() => HttpResponse.error());
    for (let i = 0; i < 10; i++) {
      await expect(authorizeCredentials(credentials, from("198.51.100.1"))).rejects.toThrow(
        /^ServiceUnavailable$/,
      );
    }
    await expect(authorizeCredentials(credentials, from("198.51.100.1"))).rejects.toThrow(
      /^TooManyRequests$/,
    );
    expect(calls).toHaveLength(10);
  });

  it("normalises the password to NFKC before Directus sees it", async () => {
    const calls = directusLogin(() => directusError(401, "INVALID_CREDENTIALS"));
    const nfd = "pässwörd ключ".normalize("NFD");
    await authorizeCredentials({ email: "ada@example.com", password: nfd }, from("198.51.100.1"));
    expect(calls[0]?.password).toBe("pässwörd ключ".normalize("NFC"));
  });

  it("throws ServiceUnavailable on a Directus 5xx, and never logs the password", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    directusLogin(() => directusError(500, "INTERNAL_SERVER_ERROR"));
    await expect(authorizeCredentials(credentials, from("198.51.100.1"))).rejects.toThrow(
      "ServiceUnavailable",
    );
    const logged = JSON.stringify([...error.mock.calls, ...warn.mock.calls]);
    expect(logged).not.toContain(credentials.password);
    expect(logged).not.toContain("ada@example.com");
  });

  it.each([
    ["no session cookie", () => HttpResponse.json({ data: { expires: 900_000 } })],
    [
      "a json-mode answer",
      () =>
        HttpResponse.json({
          data: { access_token: "a", refresh_token: "r", expires: 900_000 },
        }),
    ],
    [
      "a session cookie that is not a JWT",
      () => jsonWithCookies({ data: {} }, [directusSessionCookie("not-a-jwt")]),
    ],
  ])(
    "throws ServiceUnavailable when the answer carries %s, and gives the attempt back",
    async (_label, answer) => {
      directusLogin(answer);
      for (let i = 0; i < 12; i++) {
        await expect(authorizeCredentials(credentials, from("198.51.100.1"))).rejects.toThrow(
          /^ServiceUnavailable$/,
        );
      }
      expect(vi.mocked(console.error)).toHaveBeenCalledWith(
        expect.stringMatching(/without a usable session token/),
      );
    },
  );
});

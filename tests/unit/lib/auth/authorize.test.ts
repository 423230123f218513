// Over 250 lines on purpose: its cases share the throttle and a model of Directus's counter.
import { describe, expect, it, vi } from "vitest";
import { authorizeCredentials } from "@/lib/auth/authorize";
import { signKnownDevice } from "@/lib/abuse/known-device";
import { withSignInAnswer } from "@/lib/auth/sign-in-answer";
import { DIRECTUS_LOGIN_ATTEMPTS, POLICIES } from "@/lib/abuse/budgets";
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
} from "../../support/server";

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

/** Directus's password-reset requests (the lockout mail), as their bodies. */
function resetRequests() {
  const bodies: unknown[] = [];
  server.use(
    http.post(`${DIRECTUS}/auth/password/request`, async ({ request }) => {
      bodies.push(await request.json());
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return bodies;
}

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

  it("lets one address try one account 8 times, then refuses it without calling Directus; the owner elsewhere still gets in", async () => {
    const calls = directusLogin(correct);
    for (let i = 0; i < POLICIES.signInAccountAddress.points; i++) {
      expect(
        await authorizeCredentials({ ...credentials, password: "wrong" }, from("198.51.100.1")),
      ).toBeNull();
    }
    await expect(authorizeCredentials(credentials, from("198.51.100.1"))).rejects.toThrow(
      /^TooManyRequests\.\d+$/,
    );
    expect(calls).toHaveLength(POLICIES.signInAccountAddress.points);
    expect(await authorizeCredentials(credentials, from("203.0.113.9"))).toMatchObject({
      id: "user-42",
    });
  });

  it("lets at most 16 of 35 parallel attempts from 35 addresses reach Directus, whatever the addresses", async () => {
    const calls = directusLogin(correct);
    const mails = resetRequests();
    const results = await Promise.allSettled(
      Array.from({ length: 35 }, (_, i) =>
        authorizeCredentials({ ...credentials, password: `wrong ${i}` }, from(`198.51.100.${i}`)),
      ),
    );
    expect(calls).toHaveLength(POLICIES.signInAccount.points);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(
      35 - POLICIES.signInAccount.points,
    );
    await expect(authorizeCredentials(credentials, from("203.0.113.9"))).rejects.toThrow(
      /^TooManyRequests\.\d+$/,
    );
    // The ceiling tripped: the owner is mailed a marked reset link, once however often it is hit.
    await vi.waitFor(() => expect(mails).toHaveLength(1));
    expect(mails[0]).toEqual({
      email: "ada@example.com",
      reset_url: "http://localhost:3000/reset-password?reason=lockout",
    });
  });

  it("refuses alike when the lockout mail cannot go out, and logs neither the email nor Directus's words", async () => {
    directusLogin(correct);
    server.use(
      http.post(`${DIRECTUS}/auth/password/request`, () =>
        directusError(400, "INVALID_PAYLOAD", 'URL "http://x" can\'t be used to reset passwords'),
      ),
    );
    for (let i = 0; i < POLICIES.signInAccount.points; i++) {
      await authorizeCredentials(
        { ...credentials, password: `wrong ${i}` },
        from(`198.51.100.${i}`),
      );
    }
    await expect(authorizeCredentials(credentials, from("203.0.113.9"))).rejects.toThrow(
      /^TooManyRequests\.\d+$/,
    );
    await vi.waitFor(() =>
      expect(vi.mocked(console.error)).toHaveBeenCalledWith(
        expect.stringMatching(/^lockout-notice: Directus call failed/),
      ),
    );
    const logged = JSON.stringify(vi.mocked(console.error).mock.calls);
    expect(logged).not.toMatch(/ada@example\.com|can't be used/i);
  });

  it("keeps every account below Directus's suspension threshold, and one address at half the budget", () => {
    expect(POLICIES.signInAccount.points + POLICIES.signInKnownDevices.points).toBeLessThan(
      DIRECTUS_LOGIN_ATTEMPTS,
    );
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
    const budget = POLICIES.signInAccountAddress.points - 1;
    for (let i = 0; i < budget; i++)
      await authorizeCredentials({ ...credentials, password: "wrong" }, from("198.51.100.1"));
    expect(await authorizeCredentials(credentials, from("198.51.100.1"))).not.toBeNull();
    for (let i = 0; i < budget; i++) {
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
    for (let i = 0; i < POLICIES.signInAccountAddress.points; i++) {
      await expect(authorizeCredentials(credentials, from("198.51.100.1"))).rejects.toThrow(
        /^ServiceUnavailable$/,
      );
    }
    await expect(authorizeCredentials(credentials, from("198.51.100.1"))).rejects.toThrow(
      /^TooManyRequests\.\d+$/,
    );
    expect(calls).toHaveLength(POLICIES.signInAccountAddress.points);
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

describe("authorizeCredentials and the owner's returning browser (known-device cookie)", () => {
  /** A successful sign-in as the route wrapper sees it: the known-device cookie authorize asks for. */
  async function signInOnce(address: string, headers: Record<string, string> = {}) {
    return withSignInAnswer(async (answer) => {
      const user = await authorizeCredentials(credentials, {
        headers: { "x-forwarded-for": address, ...headers },
      });
      return { user, cookie: answer.knownDevice };
    });
  }
  const withCookie = (address: string, value: string) => ({
    headers: { "x-forwarded-for": address, cookie: `other=1; known-device=${value}` },
  });

  /**
   * Directus's own counter (services/authentication.js): every login attempt on an active user
   * counts, a success sets it back to 0, and the attempt past `auth_login_attempts` suspends.
   */
  function directusWithSuspension() {
    let count = 0;
    let suspended = false;
    const calls = directusLogin((body) => {
      if (suspended) return directusError(401, "INVALID_CREDENTIALS");
      count += 1;
      if (count > DIRECTUS_LOGIN_ATTEMPTS) {
        suspended = true;
        return directusError(401, "INVALID_CREDENTIALS");
      }
      if (body.password !== credentials.password) return directusError(401, "INVALID_CREDENTIALS");
      count = 0;
      return sessionAnswer({ id: "user-42", sessionId: `s${calls.length}` });
    });
    return { calls, suspended: () => suspended };
  }

  const hammer = (round: string, n = 100) =>
    Promise.allSettled(
      Array.from({ length: n }, (_, i) =>
        authorizeCredentials(
          { ...credentials, password: `wrong ${round} ${i}` },
          from(`203.0.${Math.floor(i / 250)}.${i % 250}`),
        ),
      ),
    );

  it("lets the owner's returning browser in after 100 addresses filled the ceiling; fresh browsers stay refused", async () => {
    const directus = directusWithSuspension();
    const mails = resetRequests();
    const { user, cookie } = await signInOnce("192.0.2.1");
    expect(user).not.toBeNull();
    expect(cookie).toMatch(/^v1\./);

    await hammer("a");
    expect(directus.calls).toHaveLength(1 + POLICIES.signInAccount.points);
    await expect(authorizeCredentials(credentials, from("192.0.2.77"))).rejects.toThrow(
      /^TooManyRequests\.\d+$/,
    );

    // The returning browser, even from a new address, gets in…
    expect(
      await authorizeCredentials(credentials, withCookie("198.51.100.5", cookie!)),
    ).toMatchObject({ id: "user-42" });
    // …and that does not reopen the door for the attacker or for unknown browsers.
    await hammer("b");
    await expect(authorizeCredentials(credentials, from("192.0.2.78"))).rejects.toThrow(
      /^TooManyRequests\.\d+$/,
    );
    expect(directus.suspended()).toBe(false);
    await vi.waitFor(() => expect(mails).toHaveLength(1));
  });

  it("gives no bypass to a forged, tampered, expired or other account's cookie", async () => {
    directusWithSuspension();
    resetRequests();
    const { cookie } = await signInOnce("192.0.2.1");
    const other = await withSignInAnswer(async (answer) => {
      await authorizeCredentials(
        { email: "grace@example.com", password: "wrong" },
        from("192.0.2.2"),
      );
      return answer.knownDevice;
    });
    expect(other).toBeUndefined(); // a refused sign-in makes no browser known
    const graceCookie = signKnownDevice("grace@example.com");
    const [v, id, expires, mac] = cookie!.split(".");
    const tampered = `${v}.${id}.${Number(expires) + 1}.${mac}`;
    const expired = signKnownDevice("ada@example.com", { now: Date.now() - 181 * 86_400_000 });

    await hammer("a");
    for (const value of [graceCookie, tampered, expired, "v1.forged.1.x", cookie!.slice(0, -2)]) {
      await expect(
        authorizeCredentials(credentials, withCookie("198.51.100.5", value)),
      ).rejects.toThrow(/^TooManyRequests\.\d+$/);
    }
  });

  it("locks a device cookie out after its own budget, so a stolen one cannot brute force", async () => {
    const directus = directusWithSuspension();
    resetRequests();
    const { cookie } = await signInOnce("192.0.2.1");
    const before = directus.calls.length;
    for (let i = 0; i < POLICIES.signInDevice.points; i++) {
      expect(
        await authorizeCredentials(
          { ...credentials, password: `guess ${i}` },
          withCookie(`198.51.100.${i}`, cookie!),
        ),
      ).toBeNull();
    }
    await expect(
      authorizeCredentials(credentials, withCookie("198.51.100.99", cookie!)),
    ).rejects.toThrow(/^TooManyRequests\.\d+$/);
    expect(directus.calls.length - before).toBe(POLICIES.signInDevice.points);
  });

  it("never lets Directus suspend, whatever mix of floods, stolen cookies and owner typos", async () => {
    const directus = directusWithSuspension();
    resetRequests();
    // The owner signs in on three browsers; the attacker steals all three cookies.
    const cookies: string[] = [];
    for (let i = 0; i < 3; i++) cookies.push((await signInOnce(`192.0.2.${i}`)).cookie!);
    await hammer("a");
    for (const [d, value] of cookies.entries()) {
      for (let i = 0; i < 10; i++) {
        await authorizeCredentials(
          { ...credentials, password: `stolen ${d} ${i}` },
          withCookie(`198.51.100.${d}`, value),
        ).catch(() => null);
      }
    }
    await hammer("b");
    // The two budgets in full reached Directus, and not one attempt more: 16 + 8 = 24 < 25.
    expect(directus.calls.length - 3).toBe(
      POLICIES.signInAccount.points + POLICIES.signInKnownDevices.points,
    );
    expect(directus.suspended()).toBe(false);
  });
});

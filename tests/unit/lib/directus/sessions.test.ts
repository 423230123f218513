// Over 250 lines on purpose: four session calls and their failures, one mocked Directus.
import { delay } from "msw";
import { describe, expect, it } from "vitest";
import {
  classifyDirectusError,
  DirectusHttpError,
  DirectusRefusal,
  DirectusUnreachableError,
} from "@/lib/directus/errors";
import { endSession, readOwnProfile, renewSession, startSession } from "@/lib/directus/sessions";
import {
  DIRECTUS,
  DIRECTUS_SESSION_COOKIE,
  HttpResponse,
  directusError,
  directusSessionCookie,
  fakeSessionToken,
  http,
  jsonWithCookies,
  presentedToken,
  server,
  sessionAnswer,
  sessionIdOf,
  setupServerTests,
} from "../../support/server";

setupServerTests();

const NOW = Date.UTC(2030, 0, 1, 12);

type Seen = { headers: Headers; body: unknown; cookie?: string; bearer?: string };

/** Registers `answer` for one Directus endpoint and records what each request to it carried. */
function directus(
  method: "get" | "post",
  path: string,
  answer: () => Response | Promise<Response>,
): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http[method](`${DIRECTUS}/${path}`, async ({ request }) => {
      const text = method === "post" ? await request.text() : "";
      seen.push({
        headers: request.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
        ...presentedToken(request),
      });
      return answer();
    }),
  );
  return seen;
}

/** What a call threw, classified the way every caller in the app classifies it. */
async function thrown(call: Promise<unknown>) {
  const error = await call.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );
  return { error, failure: classifyDirectusError(error) };
}

const noCookieAnswers: Array<[string, () => Response]> = [
  ["no Set-Cookie at all (a json-mode answer)", () => HttpResponse.json({ data: { expires: 1 } })],
  [
    "only some other cookie",
    () => jsonWithCookies({ data: { expires: 1 } }, ["directus_refresh_token=abc; Path=/"]),
  ],
  [
    "an emptied session cookie",
    () => jsonWithCookies({ data: {} }, [`${DIRECTUS_SESSION_COOKIE}=; Max-Age=0; Path=/`]),
  ],
  [
    "a session cookie that is not a JWT",
    () => jsonWithCookies({ data: {} }, [directusSessionCookie("opaque")]),
  ],
  [
    "a session JWT without a user id",
    () =>
      jsonWithCookies({ data: {} }, [
        directusSessionCookie(fakeSessionToken({ id: "", sessionId: "x" })),
      ]),
  ],
  [
    "a session JWT that expires before it was issued",
    () =>
      jsonWithCookies({ data: {} }, [
        directusSessionCookie(fakeSessionToken({ sessionId: "x", ttlMs: 0 })),
      ]),
  ],
  [
    "the session cookie under a name that merely starts alike",
    () =>
      jsonWithCookies({ data: {} }, [
        directusSessionCookie(fakeSessionToken({ sessionId: "x" })).replace(
          DIRECTUS_SESSION_COOKIE,
          `${DIRECTUS_SESSION_COOKIE}_old`,
        ),
      ]),
  ],
];

describe("startSession", () => {
  it("logs in in session mode and takes the session from Directus's Set-Cookie", async () => {
    const seen = directus("post", "auth/login", () =>
      sessionAnswer({ id: "user-42", sessionId: "s1", now: NOW, ttlMs: 86_400_000 }),
    );
    const session = await startSession("ada@example.com", "correct horse battery");

    expect(seen).toHaveLength(1);
    expect(seen[0]?.body).toEqual({
      email: "ada@example.com",
      password: "correct horse battery",
      mode: "session",
    });
    expect(seen[0]?.headers.get("content-type")).toBe("application/json");
    // Nothing to present yet: no session cookie, no bearer.
    expect(seen[0]?.cookie).toBeUndefined();
    expect(seen[0]?.bearer).toBeUndefined();

    expect(sessionIdOf(session?.token)).toBe("s1");
    expect(session).toMatchObject({
      userId: "user-42",
      issuedAt: NOW,
      expiresAt: NOW + 86_400_000,
    });
  });

  it("finds the session cookie among other cookies, without its attributes", async () => {
    const token = fakeSessionToken({ sessionId: "s1" });
    directus("post", "auth/login", () =>
      jsonWithCookies({ data: { expires: 1 } }, [
        "directus_refresh_token=; Max-Age=0; Path=/",
        directusSessionCookie(token),
      ]),
    );
    expect((await startSession("ada@example.com", "pw"))?.token).toBe(token);
  });

  it.each(noCookieAnswers)("answers null for a 200 with %s", async (_label, answer) => {
    directus("post", "auth/login", answer);
    expect(await startSession("ada@example.com", "pw")).toBeNull();
  });

  it.each([
    [401, "INVALID_CREDENTIALS", "invalid_credentials"],
    [401, "USER_SUSPENDED", "invalid_credentials"],
    [400, "INVALID_PAYLOAD", "invalid_input"],
    [429, "REQUESTS_EXCEEDED", "rate_limited"],
  ])("throws a DirectusRefusal for %i %s, classified %s", async (status, code, outcome) => {
    directus("post", "auth/login", () => directusError(status, code));
    const { error, failure } = await thrown(startSession("ada@example.com", "pw"));
    expect(error).toBeInstanceOf(DirectusRefusal);
    expect(failure).toEqual({ kind: outcome, status, code });
  });
});

describe("renewSession", () => {
  it("presents the session in Directus's cookie, in session mode, and takes the successor from Set-Cookie", async () => {
    const current = fakeSessionToken({ sessionId: "s1", now: NOW - 60_000 });
    const seen = directus("post", "auth/refresh", () =>
      sessionAnswer({ sessionId: "s2", now: NOW, ttlMs: 3_600_000 }),
    );
    const session = await renewSession(current);

    expect(seen).toHaveLength(1);
    expect(seen[0]?.cookie).toBe(current);
    expect(seen[0]?.bearer).toBeUndefined();
    expect(seen[0]?.body).toEqual({ mode: "session" });
    expect(sessionIdOf(session?.token)).toBe("s2");
    expect(session).toMatchObject({
      userId: "user-1",
      issuedAt: NOW,
      expiresAt: NOW + 3_600_000,
    });
  });

  it.each(noCookieAnswers)("answers null for a 200 with %s", async (_label, answer) => {
    directus("post", "auth/refresh", answer);
    expect(await renewSession(fakeSessionToken({ sessionId: "s1" }))).toBeNull();
  });

  it.each([
    [401, "INVALID_CREDENTIALS", "invalid_credentials"],
    [401, "TOKEN_EXPIRED", "invalid_token"],
    [403, "FORBIDDEN", "forbidden"],
  ])("throws a DirectusRefusal for %i %s, classified %s", async (status, code, outcome) => {
    directus("post", "auth/refresh", () => directusError(status, code));
    const { error, failure } = await thrown(renewSession(fakeSessionToken({ sessionId: "s1" })));
    expect(error).toBeInstanceOf(DirectusRefusal);
    expect(failure).toMatchObject({ kind: outcome, status, code });
  });
});

describe("endSession", () => {
  it("presents the session as a bearer to the customer API's /customer/sign-out, and sends no Directus cookie", async () => {
    const token = fakeSessionToken({ sessionId: "s1" });
    // 204 without a body, as the customer API answers. Directus's own /auth/logout is not handled
    // here: a call to it would be unhandled and fail the test.
    const seen = directus(
      "post",
      "customer/sign-out",
      () => new HttpResponse(null, { status: 204 }),
    );
    await expect(endSession(token)).resolves.toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers.get("authorization")).toBe(`Bearer ${token}`);
    expect(seen[0]?.bearer).toBe(token);
    expect(seen[0]?.cookie).toBeUndefined();
    expect(seen[0]?.headers.get("cookie")).toBeNull();
    // No body: the session is the bearer, there is no `mode` to say.
    expect(seen[0]?.body).toBeUndefined();
  });

  it.each([
    // Directus's own answers for a dead or unknown session, before the extension runs.
    [401, "INVALID_CREDENTIALS", "invalid_credentials"],
    [401, "TOKEN_EXPIRED", "invalid_token"],
    // The extension's own refusal of a token that is not a customer's session.
    [403, "FORBIDDEN", "forbidden"],
  ])("throws a DirectusRefusal for %i %s, classified %s", async (status, code, outcome) => {
    directus("post", "customer/sign-out", () => directusError(status, code));
    const { error, failure } = await thrown(endSession(fakeSessionToken({ sessionId: "s1" })));
    expect(error).toBeInstanceOf(DirectusRefusal);
    expect((error as DirectusRefusal).status).toBe(status);
    expect(failure).toMatchObject({ kind: outcome, status, code });
  });
});

describe("readOwnProfile", () => {
  const profile = {
    id: "user-1",
    email: "ada@example.com",
    first_name: "Ada",
    last_name: "Lovelace",
  };

  it("asks the customer API with the session as a bearer token and maps the fields", async () => {
    const token = fakeSessionToken({ sessionId: "s1" });
    const seen = directus("get", "customer/me", () => HttpResponse.json({ data: profile }));
    expect(await readOwnProfile(token)).toEqual({
      id: "user-1",
      email: "ada@example.com",
      firstName: "Ada",
      lastName: "Lovelace",
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.bearer).toBe(token);
    expect(seen[0]?.cookie).toBeUndefined();
  });

  it("turns missing names into empty strings", async () => {
    directus("get", "customer/me", () =>
      HttpResponse.json({ data: { id: "user-1", email: "ada@example.com", first_name: null } }),
    );
    expect(await readOwnProfile(fakeSessionToken({ sessionId: "s1" }))).toEqual({
      id: "user-1",
      email: "ada@example.com",
      firstName: "",
      lastName: "",
    });
  });

  it.each([
    ["a list instead of one profile", () => HttpResponse.json({ data: [profile] })],
    ["no email", () => HttpResponse.json({ data: { ...profile, email: undefined } })],
    ["a numeric id", () => HttpResponse.json({ data: { ...profile, id: 1 } })],
    ["no data", () => HttpResponse.json({ profile })],
    ["null", () => HttpResponse.json(null)],
    ["an HTML page", () => HttpResponse.html("<h1>Welcome</h1>")],
  ])("answers null for a 200 with %s", async (_label, answer) => {
    directus("get", "customer/me", answer);
    expect(await readOwnProfile(fakeSessionToken({ sessionId: "s1" }))).toBeNull();
  });

  it.each([
    [401, "INVALID_CREDENTIALS", "invalid_credentials"],
    [401, "TOKEN_EXPIRED", "invalid_token"],
    [403, "FORBIDDEN", "forbidden"],
    [404, "ROUTE_NOT_FOUND", "unexpected"],
  ])("throws a DirectusRefusal for %i %s, classified %s", async (status, code, outcome) => {
    directus("get", "customer/me", () => directusError(status, code));
    const { error, failure } = await thrown(readOwnProfile(fakeSessionToken({ sessionId: "s1" })));
    expect(error).toBeInstanceOf(DirectusRefusal);
    expect((error as DirectusRefusal).status).toBe(status);
    expect(failure).toMatchObject({ kind: outcome, status, code });
  });
});

describe("the four calls when Directus cannot answer", () => {
  const token = fakeSessionToken({ sessionId: "s1" });
  const calls: Array<[string, "get" | "post", string, () => Promise<unknown>]> = [
    ["startSession", "post", "auth/login", () => startSession("ada@example.com", "pw")],
    ["renewSession", "post", "auth/refresh", () => renewSession(token)],
    ["endSession", "post", "customer/sign-out", () => endSession(token)],
    ["readOwnProfile", "get", "customer/me", () => readOwnProfile(token)],
  ];

  it.each(calls)("%s: a refused connection is unavailable", async (_name, method, path, call) => {
    directus(method, path, () => HttpResponse.error());
    const { error, failure } = await thrown(call());
    expect(error).toBeInstanceOf(DirectusUnreachableError);
    expect(failure.kind).toBe("unavailable");
  });

  it.each(calls)("%s: a 5xx is unavailable", async (_name, method, path, call) => {
    directus(method, path, () => directusError(503, "SERVICE_UNAVAILABLE"));
    const { error, failure } = await thrown(call());
    expect(error).toBeInstanceOf(DirectusHttpError);
    expect(failure).toMatchObject({ kind: "unavailable", status: 503 });
  });

  it.each(calls)(
    "%s: an error without a JSON body is an HTTP error, not a refusal with a body",
    async (_name, method, path, call) => {
      directus(method, path, () => new HttpResponse("<h1>Bad gateway</h1>", { status: 401 }));
      const { error, failure } = await thrown(call());
      expect(error).toBeInstanceOf(DirectusHttpError);
      expect(failure).toMatchObject({ kind: "invalid_credentials", status: 401 });
    },
  );

  it.each(calls)(
    "%s: gives up after DIRECTUS_TIMEOUT_MS as unavailable",
    async (_name, method, path, call) => {
      directus(method, path, async () => {
        await delay("infinite");
        return HttpResponse.json({});
      });
      const started = performance.now();
      const { failure } = await thrown(call());
      expect(failure.kind).toBe("unavailable");
      expect(performance.now() - started).toBeLessThan(1_500);
    },
  );
});

// Over 250 lines on purpose: the unit tests' one mocked Directus, every endpoint the app calls.
import { HttpResponse, delay, http } from "msw";
import { setupServer } from "msw/node";
import type { JWT } from "next-auth/jwt";
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from "vitest";
import { resetPendingSignOutsForTests } from "@/lib/auth/pending-sign-outs";
import { resetRefreshCacheForTests } from "@/lib/auth/refresh";
import { resetThrottleForTests } from "@/lib/abuse/process-throttle";
import { setTimingFloorsForTests } from "@/lib/abuse/uniform-timing";
import { resetDirectusHealthForTests } from "@/lib/directus/health";
import { resetEnvCacheForTests } from "@/lib/env";

/** A Directus that exists only inside msw; any request it does not expect fails the test. */
export const DIRECTUS = "http://directus.test";
export const APP = "http://localhost:3000";

export const TEST_ENV = {
  NODE_ENV: "test",
  NEXTAUTH_URL: APP,
  NEXTAUTH_SECRET: "a-test-secret-that-is-long-enough-0123456789",
  DIRECTUS_URL: DIRECTUS,
  DIRECTUS_TIMEOUT_MS: "200",
  PASSWORD_MIN_LENGTH: "12",
  SESSION_MAX_AGE_SECONDS: "3600",
  SESSION_ABSOLUTE_MAX_AGE: "86400",
  TRUST_PROXY: "false",
} as const;

/** Directus's ping answers unless a test says otherwise: the proxy asks it when it knows nothing newer. */
export const server = setupServer(
  http.get(`${DIRECTUS}/server/ping`, () => HttpResponse.text("pong")),
);

/**
 * Requests no handler answered. msw fails them (a network error to the caller), and the app takes
 * network errors in its stride, so each one is recorded here and fails the test that made it.
 */
const unhandledRequests: string[] = [];

/** Markers in every fake session token (see fakeSessionToken): a log containing one leaked a token. */
const SESSION_CLAIM_MARKER = "session-secret-";
const SESSION_SIGNATURE_MARKER = "session-token-signature-";
/** Every session token made during the current test. */
const issuedSessionTokens: string[] = [];

/** Strings the tests use as passwords, tokens and secrets: none of them may ever reach a log. */
export const SECRETS = [
  TEST_ENV.NEXTAUTH_SECRET,
  SESSION_CLAIM_MARKER,
  SESSION_SIGNATURE_MARKER,
  "correct horse battery",
  "a brand new passphrase",
  "reset-token",
];

const LOG_LEVELS = ["log", "info", "warn", "error"] as const;

/**
 * Starts msw and a clean env, throttle and refresh cache around every test of the calling file.
 * Console output is captured, kept quiet, and checked for secrets after each test.
 */
/**
 * Freezes Date at `now` around every test of the calling file. Only Date: msw's delays and the
 * client's AbortSignal.timeout keep real time.
 */
export function freezeDateAt(now: number): void {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(now);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** Serves the app from `url` for the rest of the test (setupServerTests restores the env after it). */
export function useAppUrl(url: string): void {
  vi.stubEnv("NEXTAUTH_URL", url);
  resetEnvCacheForTests();
}

export function setupServerTests(): void {
  beforeAll(() => {
    server.listen({
      onUnhandledRequest: (request, print) => {
        unhandledRequests.push(`${request.method} ${request.url}`);
        print.error();
      },
    });
    // The padding that hides account existence in timing (lib/abuse/uniform-timing.ts) only slows these down.
    setTimingFloorsForTests(false);
  });
  beforeEach(() => {
    for (const [key, value] of Object.entries(TEST_ENV)) vi.stubEnv(key, value);
    resetEnvCacheForTests();
    resetThrottleForTests();
    resetRefreshCacheForTests();
    resetDirectusHealthForTests();
    resetPendingSignOutsForTests();
    unhandledRequests.length = 0;
    issuedSessionTokens.length = 0;
    for (const level of LOG_LEVELS) vi.spyOn(console, level).mockImplementation(() => {});
  });
  afterEach(() => {
    const unhandled = [...unhandledRequests];
    const logged = LOG_LEVELS.flatMap((level) => vi.mocked(console[level]).mock?.calls ?? []);
    const text = logged
      .map((args) =>
        args
          .map((a) => (a instanceof Error ? `${a.message} ${String(a.cause)}` : JSON.stringify(a)))
          .join(" "),
      )
      .join("\n");
    const tokens = [...issuedSessionTokens];
    server.resetHandlers();
    vi.unstubAllEnvs();
    resetEnvCacheForTests();

    expect(unhandled, "requests no msw handler answered").toEqual([]);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    for (const token of tokens) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(token.split(".")[1]);
    }
  });
  afterAll(() => {
    server.close();
    setTimingFloorsForTests(true);
  });
}

/** Directus's default SESSION_COOKIE_NAME. */
export const DIRECTUS_SESSION_COOKIE = "directus_session_token";

/** Directus's SESSION_COOKIE_TTL in these tests, in milliseconds: SESSION_MAX_AGE_SECONDS. */
export const SESSION_TTL_MS = Number(TEST_ENV.SESSION_MAX_AGE_SECONDS) * 1000;

/**
 * A session-mode JWT as Directus issues it: `{ id, role, app_access, admin_access, session, iat, exp,
 * iss }`. Its `session` claim (the session row's key) and its signature carry markers the log check
 * looks for, and every token issued during a test is checked for by value too.
 */
export function fakeSessionToken({
  id = "user-1",
  sessionId,
  now = Date.now(),
  ttlMs = SESSION_TTL_MS,
}: {
  id?: string;
  sessionId: string;
  now?: number;
  ttlMs?: number;
}): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const iat = Math.floor(now / 1000);
  const claims = {
    id,
    role: "customer-role",
    app_access: false,
    admin_access: false,
    session: `${SESSION_CLAIM_MARKER}${sessionId}`,
    iat,
    exp: iat + Math.floor(ttlMs / 1000),
    iss: "directus",
  };
  const token = `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}.${SESSION_SIGNATURE_MARKER}${sessionId}`;
  issuedSessionTokens.push(token);
  return token;
}

/** Which Directus session a session-mode JWT stands for (the `sessionId` it was made with). */
export function sessionIdOf(token: string | null | undefined): string | undefined {
  const payload = token?.split(".")[1];
  if (!payload) return undefined;
  try {
    const { session } = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      session?: unknown;
    };
    return typeof session === "string" && session.startsWith(SESSION_CLAIM_MARKER)
      ? session.slice(SESSION_CLAIM_MARKER.length)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The session token a request to Directus presented: in Directus's cookie or as a bearer token. */
export function presentedToken(request: Request): {
  cookie?: string;
  bearer?: string;
} {
  const cookie = (request.headers.get("cookie") ?? "")
    .split(";")
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${DIRECTUS_SESSION_COOKIE}=`))
    ?.slice(DIRECTUS_SESSION_COOKIE.length + 1);
  const authorization = request.headers.get("authorization") ?? "";
  const bearer = authorization.startsWith("Bearer ") ? authorization.slice(7) : undefined;
  return { ...(cookie ? { cookie } : {}), ...(bearer ? { bearer } : {}) };
}

/**
 * A JSON answer carrying Set-Cookie headers, built as a plain Response on purpose: msw keeps the
 * cookies of an `HttpResponse` in a cookie jar and adds them to later requests, as a browser would.
 * The app's server-side fetch has no cookie jar, so every cookie a test sees must be one the app sent.
 */
export function jsonWithCookies(body: unknown, setCookies: string[], status = 200): Response {
  const headers = new Headers({ "content-type": "application/json" });
  for (const cookie of setCookies) headers.append("set-cookie", cookie);
  return new Response(JSON.stringify(body), { status, headers });
}

/** Directus's Set-Cookie for a session-mode token. */
export function directusSessionCookie(token: string, ttlMs = SESSION_TTL_MS): string {
  return `${DIRECTUS_SESSION_COOKIE}=${token}; Max-Age=${Math.floor(ttlMs / 1000)}; Path=/; HttpOnly; SameSite=Lax`;
}

/** Directus's session-mode answer to login and refresh: `{ data: { expires } }` and the cookie. */
export function sessionAnswer(options: {
  id?: string;
  sessionId: string;
  ttlMs?: number;
  now?: number;
}): Response {
  const ttlMs = options.ttlMs ?? SESSION_TTL_MS;
  const token = fakeSessionToken({ ...options, ttlMs });
  return jsonWithCookies({ data: { expires: ttlMs } }, [directusSessionCookie(token, ttlMs)]);
}

export type DirectusProfile = {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
};

export const ADA: DirectusProfile = {
  id: "user-1",
  email: "ada@example.com",
  first_name: "Ada",
  last_name: "Lovelace",
};

/** The customer API's answer to `GET /customer/me`. */
export function profileAnswer(profile: DirectusProfile = ADA): Response {
  return HttpResponse.json({ data: profile });
}

/**
 * `GET /customer/me` answering with `answer`; returns the bearer tokens it was asked with, in order.
 */
export function customerMe(answer: (bearer: string | undefined) => Response | Promise<Response>) {
  const bearers: Array<string | undefined> = [];
  server.use(
    http.get(`${DIRECTUS}/customer/me`, ({ request }) => {
      const { bearer } = presentedToken(request);
      bearers.push(bearer);
      return answer(bearer);
    }),
  );
  return bearers;
}

/**
 * The next-auth JWT of a signed-in customer, as authorize() and the jwt callback build it: a Directus
 * session `sessionId` issued `ageMs` ago that lives `ttlMs`, signed in `signedInAgoMs` ago.
 */
export function customerJwt({
  sessionId,
  id = "user-1",
  now = Date.now(),
  ageMs = 0,
  ttlMs = SESSION_TTL_MS,
  signedInAgoMs = ageMs,
}: {
  sessionId: string;
  id?: string;
  now?: number;
  ageMs?: number;
  ttlMs?: number;
  signedInAgoMs?: number;
}): JWT {
  const issued = Math.floor((now - ageMs) / 1000) * 1000;
  return {
    sub: id,
    sessionToken: fakeSessionToken({ id, sessionId, now: issued, ttlMs }),
    sessionIssuedAt: issued,
    sessionExpires: issued + Math.floor(ttlMs / 1000) * 1000,
    signedInAt: now - signedInAgoMs,
  };
}

type SessionRow = {
  userId: string;
  token: string;
  expires: number;
  /** Set once refreshed: the successor, handed out again to refreshes within the grace period. */
  next?: string;
};

export type DirectusCall = {
  endpoint: "refresh" | "sign-out" | "me";
  /** The session the call presented (cookie or bearer). */
  sessionId?: string;
  body?: unknown;
};

/**
 * A Directus that keeps session rows the way Directus 11+ does in `session` mode: `signIn()` opens a
 * row as a login would; refresh opens a successor and keeps the old row for its grace period
 * (SESSION_REFRESH_GRACE_PERIOD; a refresh within it gets the same successor); the customer API's
 * `POST /customer/sign-out` deletes the row and every row linked to it through refreshes, in either
 * direction, of the same user (never that user's other sign-ins); `GET /customer/me` answers only for
 * a live row. `end()` plays a sign-out on another device, a
 * suspension or a password change. Every call is recorded.
 */
export function fakeDirectus({
  now = () => Date.now(),
  ttlMs = SESSION_TTL_MS,
  graceMs = 10_000,
  users = [ADA],
  latencyMs = 0,
}: {
  now?: () => number;
  ttlMs?: number;
  graceMs?: number;
  users?: DirectusProfile[];
  latencyMs?: number;
} = {}) {
  const rows = new Map<string, SessionRow>();
  const calls: DirectusCall[] = [];
  let opened = 0;

  /** Opens a session row issued at `issuedAt` (whole seconds, like the JWT's `iat`). */
  function open(userId: string, sessionId = `directus-${++opened}`, issuedAt = now()): string {
    const issued = Math.floor(issuedAt / 1000) * 1000;
    const token = fakeSessionToken({ id: userId, sessionId, now: issued, ttlMs });
    rows.set(sessionId, { userId, token, expires: issued + ttlMs });
    return token;
  }

  function live(token: string | undefined): { sessionId: string; row: SessionRow } | undefined {
    const sessionId = sessionIdOf(token);
    const row = sessionId === undefined ? undefined : rows.get(sessionId);
    if (!sessionId || !row || row.expires <= now() || row.token !== token) return undefined;
    return { sessionId, row };
  }

  const answer = (token: string) =>
    jsonWithCookies({ data: { expires: ttlMs } }, [directusSessionCookie(token, ttlMs)]);

  /**
   * The rows linked to `start` through refreshes, as the customer API's sign-out follows them: the
   * successor a row in the chain points to (`next`), and every row pointing to one in the chain, of
   * `userId` only.
   */
  function chainOf(start: string, userId: string): Set<string> {
    const found = new Set([start]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [sessionId, row] of rows) {
        const next = sessionIdOf(row.next);
        if (row.userId !== userId || next === undefined) continue;
        // Forwards: the successor of a row in the chain.
        if (found.has(sessionId) && !found.has(next) && rows.get(next)?.userId === userId) {
          found.add(next);
          grew = true;
        }
        // Backwards: a row that was refreshed into one in the chain.
        if (!found.has(sessionId) && found.has(next)) {
          found.add(sessionId);
          grew = true;
        }
      }
    }
    return found;
  }

  const wait = async () => {
    if (latencyMs) await delay(latencyMs);
  };

  server.use(
    http.post(`${DIRECTUS}/auth/refresh`, async ({ request }) => {
      const body = await request.json();
      const { cookie: presented } = presentedToken(request);
      calls.push({ endpoint: "refresh", sessionId: sessionIdOf(presented), body });
      await wait();
      const found = live(presented);
      if (!found || (body as { mode?: string }).mode !== "session") {
        return directusError(401, "INVALID_CREDENTIALS", "Invalid user credentials.");
      }
      let { next } = found.row;
      if (next === undefined) {
        next = open(found.row.userId);
        found.row.next = next;
        found.row.expires = Math.min(found.row.expires, now() + graceMs);
      }
      return answer(next);
    }),
    http.post(`${DIRECTUS}/customer/sign-out`, async ({ request }) => {
      const { bearer } = presentedToken(request);
      calls.push({ endpoint: "sign-out", sessionId: sessionIdOf(bearer) });
      await wait();
      // Directus itself refuses a missing, dead or expired session before the extension runs.
      const found = live(bearer);
      if (!found) return directusError(401, "INVALID_CREDENTIALS", "Invalid user credentials.");
      for (const sessionId of chainOf(found.sessionId, found.row.userId)) rows.delete(sessionId);
      return new HttpResponse(null, { status: 204 });
    }),
    http.get(`${DIRECTUS}/customer/me`, async ({ request }) => {
      const { bearer } = presentedToken(request);
      calls.push({ endpoint: "me", sessionId: sessionIdOf(bearer) });
      await wait();
      const found = live(bearer);
      const user = found && users.find((u) => u.id === found.row.userId);
      if (!user) return directusError(401, "INVALID_CREDENTIALS", "Invalid user credentials.");
      return profileAnswer(user);
    }),
  );

  return {
    calls,
    /** Calls to one endpoint, as the session ids they presented. */
    callsTo(endpoint: DirectusCall["endpoint"]): Array<string | undefined> {
      return calls.filter((c) => c.endpoint === endpoint).map((c) => c.sessionId);
    },
    /**
     * A session as a completed sign-in leaves it: Directus's row and the app's next-auth JWT. The
     * session was issued (or last slid) `ageMs` ago; the customer signed in `signedInAgoMs` ago.
     */
    signIn(
      userId = ADA.id,
      {
        ageMs = 0,
        signedInAgoMs = ageMs,
        sessionId,
      }: { ageMs?: number; signedInAgoMs?: number; sessionId?: string } = {},
    ): JWT {
      const issued = Math.floor((now() - ageMs) / 1000) * 1000;
      const token = open(userId, sessionId, issued);
      return {
        sub: userId,
        sessionToken: token,
        sessionIssuedAt: issued,
        sessionExpires: issued + Math.floor(ttlMs / 1000) * 1000,
        signedInAt: now() - signedInAgoMs,
      };
    },
    /** Directus ends a session on its own: sign-out on another device, suspension, deletion. */
    end(sessionId: string | undefined): void {
      if (sessionId !== undefined) rows.delete(sessionId);
    },
    isLive(sessionId: string | undefined): boolean {
      const row = sessionId === undefined ? undefined : rows.get(sessionId);
      return row !== undefined && row.expires > now();
    },
  };
}

/** Directus's error body: `{ errors: [{ message, extensions: { code } }] }`. */
export function directusError(
  status: number,
  code: string,
  message = "Directus says no",
  extra: object = {},
) {
  return HttpResponse.json({ errors: [{ message, extensions: { code, ...extra } }] }, { status });
}

export function jsonRequest(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Request {
  return new Request(`${APP}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: APP,
      "sec-fetch-site": "same-origin",
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export { HttpResponse, http };

import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, expect, vi } from "vitest";
import { resetPendingSignOutsForTests } from "@/lib/auth/pending-sign-outs";
import { resetRefreshCacheForTests } from "@/lib/auth/refresh";
import { resetThrottleForTests } from "@/lib/auth/throttle";
import { setTimingFloorsForTests } from "@/lib/auth/uniform-timing";
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
  DIRECTUS_SERVICE_TOKEN: "service-token-0123456789abcdef",
  DIRECTUS_TIMEOUT_MS: "200",
  PASSWORD_MIN_LENGTH: "12",
  SESSION_MAX_AGE_SECONDS: "3600",
  TRUST_PROXY: "false",
} as const;

/** Directus's ping answers unless a test says otherwise: the proxy asks it when it knows nothing newer. */
export const server = setupServer(
  http.get(`${DIRECTUS}/server/ping`, () => HttpResponse.text("pong")),
);

/** Strings the tests use as passwords, tokens and secrets: none of them may ever reach a log. */
export const SECRETS = [
  TEST_ENV.NEXTAUTH_SECRET,
  TEST_ENV.DIRECTUS_SERVICE_TOKEN,
  "correct horse battery",
  "a brand new passphrase",
  "reset-token",
  "refresh-secret",
  "secret-refresh",
  "rotated-secret",
];

const LOG_LEVELS = ["log", "info", "warn", "error"] as const;

/**
 * Starts msw and a clean env, throttle and refresh cache around every test of the calling file.
 * Console output is captured, kept quiet, and checked for secrets after each test.
 */
export function setupServerTests(): void {
  beforeAll(() => {
    server.listen({ onUnhandledRequest: "error" });
    // The padding that hides account existence in timing (uniform-timing.ts) only slows these down.
    setTimingFloorsForTests(false);
  });
  beforeEach(() => {
    for (const [key, value] of Object.entries(TEST_ENV)) vi.stubEnv(key, value);
    resetEnvCacheForTests();
    resetThrottleForTests();
    resetRefreshCacheForTests();
    resetDirectusHealthForTests();
    resetPendingSignOutsForTests();
    for (const level of LOG_LEVELS) vi.spyOn(console, level).mockImplementation(() => {});
  });
  afterEach(() => {
    const logged = LOG_LEVELS.flatMap((level) => vi.mocked(console[level]).mock?.calls ?? []);
    const text = logged
      .map((args) =>
        args
          .map((a) => (a instanceof Error ? `${a.message} ${String(a.cause)}` : JSON.stringify(a)))
          .join(" "),
      )
      .join("\n");
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    server.resetHandlers();
    vi.unstubAllEnvs();
    resetEnvCacheForTests();
  });
  afterAll(() => {
    server.close();
    setTimingFloorsForTests(true);
  });
}

/** An unsigned JWT with Directus's claims: enough for code that only reads them. */
export function fakeAccessToken(claims: { id?: string; iat?: number; exp?: number }): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "HS256", typ: "JWT" })}.${part({ role: null, app_access: false, ...claims })}.signature`;
}

/** Directus's json-mode answer to login and refresh. */
export function authAnswer(options: {
  id?: string;
  refreshToken: string;
  ttlMs?: number;
  now?: number;
}) {
  const ttlMs = options.ttlMs ?? 900_000;
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  return {
    data: {
      access_token: fakeAccessToken({
        id: options.id ?? "user-1",
        iat,
        exp: iat + Math.floor(ttlMs / 1000),
      }),
      refresh_token: options.refreshToken,
      expires: ttlMs,
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

import type { BrowserContext, Page } from "@playwright/test";
import { encode } from "next-auth/jwt";
import { KEPT_SESSION_COOKIE } from "@/lib/auth/kept-session";
import { createActiveCustomer, expect, signIn, stack, test } from "./fixtures";

/**
 * Promise 5: the session lives in a hardened cookie, and a cookie that is not exactly one this server
 * issued (garbage, cut short, altered, or sealed with another secret) counts as no session at all:
 * the visitor is signed out, the cookie is cleared, nothing answers 500.
 */

const SESSION_COOKIE = "next-auth.session-token";

/** One real session cookie, made by signing in once through the form. */
let realCookie = "";
let signedInCookies: Awaited<ReturnType<BrowserContext["cookies"]>> = [];

test.beforeAll(async ({ browser }) => {
  const customer = await createActiveCustomer();
  const context = await browser.newContext({ baseURL: stack.appUrl });
  const page = await context.newPage();
  await page.goto("/login");
  await signIn(page, customer.email, customer.password);
  await expect(page).toHaveURL(/\/account$/);
  signedInCookies = await context.cookies();
  realCookie = signedInCookies.find((c) => c.name === SESSION_COOKIE)?.value ?? "";
  expect(realCookie).not.toBe("");
  await context.close();
});

test("over http the cookies are HttpOnly and SameSite=Lax, host-only, without Secure or prefix", async () => {
  // The sign-in form posts to its Server Action, which sets the session cookie and the known-device
  // cookie; next-auth's csrf and callback-url cookies belong to its client, which no page uses now.
  // /account's proxy adds the kept marker (lib/auth/kept-session.ts).
  const ours = signedInCookies;
  expect(ours.map((c) => c.name).sort()).toEqual(
    [KEPT_SESSION_COOKIE, "known-device", SESSION_COOKIE].sort(),
  );
  for (const cookie of ours) {
    expect(cookie.httpOnly, cookie.name).toBe(true);
    expect(cookie.sameSite, cookie.name).toBe("Lax");
    expect(cookie.path, cookie.name).toBe(cookie.name === "known-device" ? "/login" : "/");
    // The https variant (__Secure-/__Host-, Secure) is checked in tests/unit/lib/auth/session-cookie.test.ts.
    expect(cookie.secure, cookie.name).toBe(false);
    expect(cookie.domain, cookie.name).toBe(new URL(stack.appUrl).hostname);
  }
  // It ends with the next-auth session (SESSION_MAX_AGE_SECONDS), not with the browser.
  const session = ours.find((c) => c.name === SESSION_COOKIE);
  expect(session?.expires ?? 0).toBeGreaterThan(Date.now() / 1000);
  // The marker lasts until the slide is due (a third of the idle lifetime), never as long.
  const kept = ours.find((c) => c.name === KEPT_SESSION_COOKIE);
  expect(kept?.expires ?? 0).toBeGreaterThan(Date.now() / 1000);
  expect(kept?.expires ?? Infinity).toBeLessThan(session?.expires ?? 0);
});

/** Flips one character in the middle of the JWE's ciphertext: the authentication tag no longer fits. */
function altered(jwe: string): string {
  const parts = jwe.split(".");
  const ciphertext = parts[3] ?? "";
  const i = Math.floor(ciphertext.length / 2);
  parts[3] = `${ciphertext.slice(0, i)}${ciphertext[i] === "A" ? "B" : "A"}${ciphertext.slice(i + 1)}`;
  return parts.join(".");
}

const BAD_COOKIES: Array<{ kind: string; cookies: () => Promise<Record<string, string>> }> = [
  { kind: "garbage", cookies: async () => ({ [SESSION_COOKIE]: "garbage" }) },
  {
    kind: "a JWE-shaped forgery",
    cookies: async () => ({
      [SESSION_COOKIE]: "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAA.BBBB.CCCC",
    }),
  },
  {
    kind: "a truncated real cookie",
    cookies: async () => ({ [SESSION_COOKIE]: realCookie.slice(0, realCookie.length / 2) }),
  },
  {
    kind: "an altered real cookie",
    cookies: async () => ({ [SESSION_COOKIE]: altered(realCookie) }),
  },
  {
    kind: "a cookie sealed with another secret",
    cookies: async () => ({
      [SESSION_COOKIE]: await encode({
        token: {
          sub: "00000000-0000-0000-0000-000000000000",
          sessionToken: "forged",
          sessionIssuedAt: Date.now(),
          sessionExpires: Date.now() + 600_000,
          signedInAt: Date.now(),
        },
        secret: "another-secret-that-is-long-enough-0123456789",
      }),
    }),
  },
  {
    kind: "garbage split into chunks",
    cookies: async () => ({ [`${SESSION_COOKIE}.0`]: "garbage", [`${SESSION_COOKIE}.1`]: "more" }),
  },
];

async function plant(context: BrowserContext, cookies: Record<string, string>) {
  await context.addCookies(
    Object.entries(cookies).map(([name, value]) => ({
      name,
      value,
      url: stack.appUrl,
      httpOnly: true,
      sameSite: "Lax" as const,
    })),
  );
}

async function sessionCookiesIn(context: BrowserContext): Promise<string[]> {
  return (await context.cookies())
    .filter((c) => c.name.startsWith(SESSION_COOKIE))
    .map((c) => c.name);
}

function watchServerErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("response", (response) => {
    if (response.status() >= 500) errors.push(`${response.status()} ${response.url()}`);
  });
  return errors;
}

for (const bad of BAD_COOKIES) {
  test(`${bad.kind} counts as signed out and is cleared`, async ({ page, context }) => {
    const cookies = await bad.cookies();
    const serverErrors = watchServerErrors(page);

    // A protected page: off to sign in, cookie gone.
    await plant(context, cookies);
    await page.goto("/account");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faccount$/);
    await expect(page.getByRole("heading", { name: /^sign in$/i })).toBeVisible();
    expect(await sessionCookiesIn(context)).toEqual([]);

    // A public page renders as for anyone signed out, and clears it too.
    await plant(context, cookies);
    const login = await page.goto("/login");
    expect(login?.status()).toBe(200);
    await expect(page).toHaveURL(/\/login$/);
    expect(await sessionCookiesIn(context)).toEqual([]);

    // The session endpoint: an empty session, not an error.
    await plant(context, cookies);
    const session = await page.request.get("/api/auth/session");
    expect(session.status()).toBe(200);
    expect(await session.json()).toEqual({});
    expect(await sessionCookiesIn(context)).toEqual([]);

    expect(serverErrors).toEqual([]);
  });
}

import type { APIResponse, Page, Response } from "@playwright/test";
import { watchForProblems } from "./browser-problems";
import { createActiveCustomer, expect, signIn, stack, test } from "./fixtures";

/**
 * Promise 6: every page runs under a strict Content-Security-Policy without a single violation, and
 * every answer (pages, the proxy's redirects, JSON routes, next-auth's endpoints) carries the
 * security headers. Runs against the production build, so the policy is the production one.
 */

const TOKEN_PAGES = ["/reset-password", "/verify-email"];
const API_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Every top-level document the page receives, redirects included. */
function collectDocuments(page: Page): Response[] {
  const documents: Response[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "document" && response.frame() === page.mainFrame())
      documents.push(response);
  });
  return documents;
}

type Answer = Response | APIResponse;

async function headersOf(answer: Answer): Promise<Record<string, string>> {
  return "allHeaders" in answer ? answer.allHeaders() : answer.headers();
}

function expectHardening(headers: Record<string, string>, label: string) {
  expect(headers["x-content-type-options"], label).toBe("nosniff");
  expect(headers["x-frame-options"], label).toBe("DENY");
  expect(headers["permissions-policy"], label).toContain("camera=()");
  expect(headers["cache-control"], label).toContain("no-store");
  // The e2e app runs over http: HSTS would be wrong there (see tests/unit/lib/security/headers.test.ts for https).
  expect(headers["strict-transport-security"], label).toBeUndefined();
}

async function expectPageHeaders(answer: Answer) {
  const { pathname } = new URL(answer.url());
  const label = `${answer.status()} ${pathname}`;
  const headers = await headersOf(answer);
  const policy = headers["content-security-policy"] ?? "";
  expect(policy, label).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/]+={0,2}' 'strict-dynamic'/);
  for (const directive of [
    "default-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ]) {
    expect(policy, label).toContain(directive);
  }
  expect(policy, label).not.toMatch(/unsafe-inline|unsafe-eval|ws:/);
  expect(headers["referrer-policy"], label).toBe(
    TOKEN_PAGES.includes(pathname) ? "same-origin" : "strict-origin-when-cross-origin",
  );
  expectHardening(headers, label);
}

async function expectApiHeaders(answer: Answer) {
  const label = `${answer.status()} ${new URL(answer.url()).pathname}`;
  const headers = await headersOf(answer);
  expect(headers["content-security-policy"], label).toBe(API_POLICY);
  expect(headers["referrer-policy"], label).toBe("strict-origin-when-cross-origin");
  expectHardening(headers, label);
}

/** Clicks until the form reacts: a click before hydration would submit the form natively. */
async function submitEmpty(page: Page, button: RegExp, error: RegExp) {
  await expect(async () => {
    await page.getByRole("button", { name: button }).click();
    await expect(page.getByText(error).first()).toBeVisible({ timeout: 1_000 });
  }).toPass();
}

test("every page runs under the CSP with nothing blocked, signed out and signed in", async ({
  page,
}) => {
  const customer = await createActiveCustomer();
  const problems = await watchForProblems(page);
  const documents = collectDocuments(page);

  await page.goto("/login");
  await submitEmpty(page, /^sign in$/i, /enter your email address/i);
  // A client-side navigation: the router fetches the next page's payload and scripts.
  await page.getByRole("link", { name: /create an account/i }).click();
  await expect(page).toHaveURL(/\/register$/);
  await page.goto("/register");
  await submitEmpty(page, /create account/i, /enter your first name/i);

  await page.goto("/forgot-password");
  await page.getByLabel(/email/i).fill(`nobody.${Date.now()}@example.com`);
  await page.getByRole("button", { name: /send/i }).click();
  await expect(page.getByText(/if an account exists/i)).toBeVisible();

  await page.goto("/reset-password?token=x");
  await page.getByLabel(/^new password$/i).fill(`a made-up token cannot ${Date.now()}`);
  await page.getByRole("button", { name: /^(reset|set|save|change)/i }).click();
  await expect(page.getByText(/invalid or has expired/i)).toBeVisible();

  await page.goto("/verify-email?token=x");
  await page.getByLabel(/^password$/i).fill("whatever was chosen");
  await page.getByRole("button", { name: /confirm my email/i }).click();
  await expect(page.getByRole("heading", { name: /can't be used/i })).toBeVisible();

  const notFound = await page.goto("/no-such-page");
  expect(notFound?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: /page not found/i })).toBeVisible();

  // Signing in and out goes through next-auth's fetches (csrf, callback, session, signout).
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faccount$/);
  await signIn(page, customer.email, customer.password);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText(customer.email)).toBeVisible();
  await page.getByRole("link", { name: /change password/i }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await page.goBack();
  await expect(page.getByText(customer.email)).toBeVisible();
  await page.getByRole("button", { name: /sign out/i }).click();
  await expect(page).toHaveURL(/\/login\?signedOut=1$/);
  await expect(page.getByText(/you've been signed out/i)).toBeVisible();

  expect(problems).toEqual([]);

  const seen = documents.map((d) => `${d.status()} ${new URL(d.url()).pathname}`);
  for (const expected of [
    "200 /login",
    "200 /register",
    "200 /forgot-password",
    "200 /reset-password",
    "200 /verify-email",
    "404 /no-such-page",
    "307 /account",
    "200 /account",
  ]) {
    expect(seen).toContain(expected);
  }
  for (const document of documents) await expectPageHeaders(document);
});

test("each page gets its own nonce, and every script on it carries that nonce", async ({
  request,
}) => {
  const nonces = new Set<string>();
  for (const path of ["/login", "/login", "/register", "/no-such-page"]) {
    const response = await request.get(path);
    const nonce = /'nonce-([^']+)'/.exec(response.headers()["content-security-policy"] ?? "")?.[1];
    expect(nonce, path).toBeDefined();
    nonces.add(nonce ?? "");
    const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length, path).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
  }
  expect(nonces.size).toBe(4);
});

test("the proxy's redirects carry the headers and are never cached", async ({ request }) => {
  const redirect = await request.get("/account", { maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expect(redirect.headers().location).toBe("/login?callbackUrl=%2Faccount");
  await expectPageHeaders(redirect);
  expect(redirect.headers()["cache-control"]).toBe("no-store");
});

test("JSON routes and next-auth's endpoints carry the API headers", async ({ request }) => {
  const register = await request.post("/api/auth/register", {
    data: { email: "not an email", role: "Administrator" },
    headers: { origin: stack.appUrl },
  });
  expect(register.status()).toBe(422);
  expect(register.headers()["content-type"]).toContain("application/json");
  await expectApiHeaders(register);

  const session = await request.get("/api/auth/session");
  expect(session.status()).toBe(200);
  expect(await session.json()).toEqual({});
  await expectApiHeaders(session);

  for (const path of ["/api/auth/csrf", "/api/auth/providers"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    await expectApiHeaders(response);
  }
});

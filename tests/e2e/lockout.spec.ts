import { createActiveCustomer, expect, signIn, stack, test } from "./fixtures";
import { CookieJar, send, signInOverHttp } from "./http-client";

/**
 * Promise 13: an account whose sign-in ceiling an attacker filled says when to retry, in words, on the
 * login page with and without JavaScript, while the owner's own browser still signs in.
 */

/** POLICIES.signInAccount.points in lib/abuse/budgets.ts (server-only, so not imported here). */
const CEILING = 16;
const WORDS =
  "Too many sign-in attempts. Try again in 7 days, or reset your password to sign in right away.";

test("a filled ceiling says the wait in words with and without JavaScript, and the owner's known browser still gets in", async ({
  browser,
  page,
}) => {
  const customer = await createActiveCustomer();

  // The owner signs in once in their own browser, which keeps a known-device cookie.
  const ownerContext = await browser.newContext({ baseURL: stack.appUrl });
  const owner = await ownerContext.newPage();
  await owner.goto("/login");
  await signIn(owner, customer.email, customer.password);
  await expect(owner).toHaveURL(/\/account$/);
  const device = (await ownerContext.cookies()).find((c) => c.name === "known-device");
  expect(device).toMatchObject({
    httpOnly: true,
    sameSite: "Lax",
    // Only the sign-in form's post (to its own page) carries it.
    path: "/login",
    secure: false,
  });
  expect(device?.expires ?? 0).toBeGreaterThan(Date.now() / 1000 + 179 * 86_400);
  await owner.getByRole("button", { name: /sign out/i }).click();
  await expect(owner).toHaveURL(/\/login\?signedOut=1$/);

  // Wrong passwords from as many addresses as the ceiling holds fill it.
  await Promise.all(
    Array.from({ length: CEILING }, (_, i) =>
      signInOverHttp(`127.0.0.${100 + i}`, new CookieJar(), customer.email, `wrong guess ${i}`),
    ),
  );

  // next-auth's client gets 429 with Retry-After.
  const refused = await signInOverHttp(
    "127.0.0.130",
    new CookieJar(),
    customer.email,
    customer.password,
  );
  expect(refused.status).toBe(429);
  const retryAfter = Number(refused.headers["retry-after"]);
  expect(retryAfter).toBeGreaterThan(6 * 86_400);

  // next-auth's own endpoint, posted as a plain form, is redirected to the login page, which says
  // the same words from the code in its address.
  const jar = new CookieJar();
  const csrf = await send("127.0.0.131", "GET", "/api/auth/csrf");
  jar.take(csrf.headers);
  const { csrfToken } = JSON.parse(csrf.text) as { csrfToken: string };
  let answer = await send("127.0.0.131", "POST", "/api/auth/callback/credentials", {
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({
      csrfToken,
      email: customer.email,
      password: customer.password,
    }).toString(),
  });
  let hops = 0;
  while (answer.status >= 300 && answer.status < 400 && hops++ < 3) {
    answer = await send("127.0.0.131", "GET", String(answer.headers.location));
  }
  expect(answer.status).toBe(200);
  expect(answer.text).toContain(WORDS);

  // Our sign-in form without JavaScript: its post lands on the page, which says the same words.
  const noScript = await browser.newContext({ baseURL: stack.appUrl, javaScriptEnabled: false });
  const noScriptPage = await noScript.newPage();
  await noScriptPage.goto("/login");
  await signIn(noScriptPage, customer.email, customer.password);
  await expect(noScriptPage.getByRole("alert").filter({ hasText: /too many/i })).toHaveText(WORDS);
  await expect(noScriptPage).toHaveURL(/\/login$/);
  await noScript.close();

  // With JavaScript, the form of a browser the owner never used says it too.
  await page.goto("/login");
  await signIn(page, customer.email, customer.password);
  await expect(page.getByRole("alert").filter({ hasText: /too many/i })).toHaveText(WORDS);
  await expect(page).toHaveURL(/\/login$/);

  // The owner's own browser signs in all the same.
  await owner.goto("/login");
  await signIn(owner, customer.email, customer.password);
  await expect(owner).toHaveURL(/\/account$/);
  await ownerContext.close();
});

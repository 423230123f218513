import { REFRESH_INTERVAL_SECONDS } from "./constants";
import {
  confirmWithLink,
  createActiveCustomer,
  expect,
  expectSessionEnded,
  fillRegister,
  newCustomer,
  registerAndConfirm,
  registerThroughForm,
  signIn,
  test,
} from "./fixtures";

test("register, confirm the email, sign in, stay signed in, sign out", async ({
  page,
  context,
}) => {
  const { customer } = await registerAndConfirm(page);
  await expect(page).toHaveURL(/\/login/);

  await signIn(page, customer.email, customer.password);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText(customer.email)).toBeVisible();
  await expect(page.getByText(customer.lastName, { exact: false })).toBeVisible();
  const signedInAt = Date.now();

  // Tokens stay on the server: the session cookie is HttpOnly and the session endpoint shows none.
  const session = await (await page.request.get("/api/auth/session")).json();
  expect(Object.keys(session).sort()).toEqual(["expires", "user"]);
  expect(Object.keys(session.user)).toEqual(["id"]);
  expect(await page.evaluate(() => document.cookie)).not.toMatch(/session-token/);
  expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
  const sessionCookie = (await context.cookies()).find((c) =>
    c.name.endsWith("next-auth.session-token"),
  );
  expect(sessionCookie?.httpOnly).toBe(true);
  expect(sessionCookie?.sameSite).toBe("Lax");
  // Neither the page nor its RSC payload carries a JWT (Directus session tokens are JWTs), nor the
  // encrypted session cookie's value.
  const jwtLike = /eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/;
  for (const url of ["/account", "/account?_rsc=1"]) {
    const body = await (
      await page.request.get(url, { headers: url.includes("_rsc") ? { RSC: "1" } : {} })
    ).text();
    expect(body).not.toMatch(jwtLike);
    expect(body).not.toContain(sessionCookie?.value ?? "no cookie");
  }

  // Outlive the refresh interval twice: the proxy slides the session and the customer never notices.
  for (let round = 1; round <= 2; round++) {
    const due = signedInAt + round * (REFRESH_INTERVAL_SECONDS + 1) * 1_000;
    await expect.poll(() => Date.now(), { timeout: 30_000, intervals: [500] }).toBeGreaterThan(due);
    await page.reload();
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByText(customer.email)).toBeVisible();
  }

  // Signed in, the auth pages send the customer to their account.
  await page.goto("/login");
  await expect(page).toHaveURL(/\/account$/);
  await page.goto("/register");
  await expect(page).toHaveURL(/\/account$/);

  const cookiesBeforeSignOut = await context.cookies();
  await page.getByRole("button", { name: /sign out/i }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faccount/);

  // The old cookie, replayed at once, is refused on its very next request: sign-out ended the
  // session in Directus, and the account page reads the profile with it. Replayed from a blank page:
  // the sign-in page's own prefetches would otherwise be that next request (and clear it first).
  await page.goto("about:blank");
  await context.addCookies(cookiesBeforeSignOut);
  await page.goto("/account");
  await expectSessionEnded(page);
  expect(
    (await context.cookies()).filter((c) => c.name.endsWith("next-auth.session-token")),
    "the refused cookie is cleared",
  ).toEqual([]);
});

test("a confirmation link works once", async ({ page }) => {
  const { customer, confirmationLink: link } = await registerAndConfirm(page);
  await confirmWithLink(page, link, customer.password);
  await expect(page.getByText(/invalid, expired or was already used/i).first()).toBeVisible();
  await expect(page.getByRole("link", { name: /send the link again/i }).first()).toBeVisible();
});

test("an unconfirmed account gets the same generic sign-in message as a wrong password", async ({
  page,
}) => {
  const { customer } = await registerThroughForm(page);

  await page.goto("/login");
  await signIn(page, customer.email, customer.password);
  const unverified = page.getByRole("alert").filter({ hasText: /incorrect/i });
  await expect(unverified).toBeVisible();
  const unverifiedText = await unverified.textContent();

  await page.goto("/login");
  await signIn(page, `nobody.${customer.email}`, customer.password);
  await expect(page.getByRole("alert").filter({ hasText: /incorrect/i })).toHaveText(
    unverifiedText ?? "",
  );
});

test("sign-in returns to a same-origin callbackUrl and ignores a foreign one", async ({ page }) => {
  // Created as an admin would (see password-reset.spec.ts).
  const customer = await createActiveCustomer();

  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faccount/);
  await signIn(page, customer.email, customer.password);
  await expect(page).toHaveURL(/\/account$/);
  await page.getByRole("button", { name: /sign out/i }).click();
  await expect(page).toHaveURL(/\/login/);

  await page.goto(`/login?callbackUrl=${encodeURIComponent("https://evil.example/steal")}`);
  await signIn(page, customer.email, customer.password);
  await expect(page).toHaveURL(/\/account$/);
});

test("the check-inbox screen wraps a long address only between its parts, never inside a word", async ({
  page,
}) => {
  await page.setViewportSize({ width: 320, height: 800 });
  const customer = {
    ...newCustomer(),
    email: `ada.lovelace.countess${Date.now().toString(36)}@analytical-engine.example.com`,
  };
  await page.goto("/register");
  await fillRegister(page, customer);
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page.getByText(/check your inbox/i)).toBeVisible();

  const address = page.locator("[data-email-address]");
  await expect(address).toHaveText(customer.email);
  // Each text node is one part of the address (wbr between them); one broken across lines shows as
  // more than one line box. A part wider than the card may wrap: none of these is.
  const parts = await address.evaluate((span) => {
    const width = span.parentElement?.getBoundingClientRect().width ?? 0;
    return [...span.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => {
        const range = document.createRange();
        range.selectNodeContents(node);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        return {
          text: node.textContent,
          lines: lines.size,
          fits: range.getBoundingClientRect().width <= width,
        };
      });
  });
  expect(parts.length).toBeGreaterThan(2);
  const addressLines = await address.evaluate(
    (span) => new Set([...span.getClientRects()].map((r) => Math.round(r.top))).size,
  );
  expect(addressLines, "at 320 px the address needs more than one line").toBeGreaterThan(1);
  for (const part of parts) {
    expect(part.fits).toBe(true);
    expect(part.lines, `"${part.text}" stays on one line`).toBe(1);
  }
});

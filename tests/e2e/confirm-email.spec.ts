import { listMail } from "../support/mail";
import {
  confirmWithLink,
  expect,
  mailLink,
  registerThroughForm,
  signIn,
  stack,
  test,
} from "./fixtures";

/**
 * Issue 12 item 2: a mailed link survives mail scanners and leaves no token behind. Opening it
 * activates nothing; the person confirms with a button (a real POST, with or without JavaScript) and
 * the password they chose; the token is gone from the address bar and from every Referer.
 */

async function confirmationMailsTo(email: string) {
  return (await listMail(stack.mailUrl)).filter(
    (m) => /verify/i.test(m.subject) && m.to.some((a) => a.address === email),
  );
}

test("opening the link activates nothing, and the token leaves the address bar and every Referer", async ({
  page,
}) => {
  const { customer, since } = await registerThroughForm(page);
  const link = await mailLink(customer.email, /verify/i, "/verify-email", since);
  const token = link.searchParams.get("token") ?? "";
  expect(token.length).toBeGreaterThan(20);

  // What a mail scanner does: a bare GET, following redirects, no JavaScript, no click.
  const scanned = await page.request.get(link.toString());
  expect(scanned.status()).toBe(200);

  const referers: string[] = [];
  page.on("request", (request) => {
    const referer = request.headers()["referer"];
    if (referer) referers.push(referer);
  });
  await page.goto(link.pathname + link.search);
  await expect(page).toHaveURL(/\/verify-email$/);
  await expect(page.getByRole("heading", { name: /confirm your email/i })).toBeVisible();
  expect(page.url()).not.toContain(token);
  expect(await page.evaluate(() => document.cookie)).not.toContain(token);
  // A request made from the page (a link to sign in) carries no token in its Referer.
  await page.getByRole("link", { name: /send the link again/i }).click();
  await expect(page).toHaveURL(/\/resend-confirmation$/);
  for (const referer of referers) expect(referer).not.toContain(token);

  // Nothing was activated by all that opening.
  await page.goto("/login");
  await signIn(page, customer.email, customer.password);
  await expect(page.getByRole("alert").filter({ hasText: /incorrect/i })).toBeVisible();
  // Every failed sign-in offers the link again (an unconfirmed account is refused like a wrong password).
  await expect(page.getByRole("link", { name: /send the link again/i })).toBeVisible();

  // A wrong password confirms nothing and says so plainly; the right one confirms.
  await confirmWithLink(page, link, `${customer.password} but wrong`);
  await expect(
    page.getByRole("alert").filter({ hasText: /not the password of your latest registration/i }),
  ).toBeVisible();
  await page.getByLabel(/^password$/i).fill(customer.password);
  await page.getByRole("button", { name: /confirm my email/i }).click();
  await expect(page).toHaveURL(/\/login\?verified=1$/);
  await signIn(page, customer.email, customer.password);
  await expect(page).toHaveURL(/\/account$/);
});

test("confirming works without JavaScript", async ({ browser, page }) => {
  const { customer, since } = await registerThroughForm(page);
  const link = await mailLink(customer.email, /verify/i, "/verify-email", since);

  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: stack.appUrl });
  const noJs = await context.newPage();
  await confirmWithLink(noJs, link, customer.password);
  await expect(noJs).toHaveURL(/\/login\?verified=1$/);
  await expect(noJs.getByText(/your email is confirmed/i)).toBeVisible();
  await context.close();

  await page.goto("/login");
  await signIn(page, customer.email, customer.password);
  await expect(page).toHaveURL(/\/account$/);
});

test("send the link again, from the check-inbox screen, delivers a fresh link that confirms", async ({
  page,
}) => {
  const { customer } = await registerThroughForm(page);
  await expect.poll(async () => (await confirmationMailsTo(customer.email)).length).toBe(1);
  await page.getByRole("button", { name: /send the link again/i }).click();
  await expect(page).toHaveURL(/\/resend-confirmation\?status=sent$/);
  await expect(page.getByText(/we've sent a new link/i)).toBeVisible();
  await expect
    .poll(async () => (await confirmationMailsTo(customer.email)).length, { timeout: 20_000 })
    .toBe(2);
  const since = Date.now() - 60_000;
  const fresh = await mailLink(customer.email, /verify/i, "/verify-email", since);
  await confirmWithLink(page, fresh, customer.password);
  await expect(page).toHaveURL(/\/login\?verified=1$/);
});

test("a reset link's token leaves the address bar too, and opening it spends nothing", async ({
  page,
}) => {
  // A made-up token is enough to see where it goes; a real one is checked in password-reset.spec.ts.
  await page.goto("/reset-password?token=made.up-token");
  await expect(page).toHaveURL(/\/reset-password$/);
  await expect(page.getByRole("heading", { name: /choose a new password/i })).toBeVisible();
  expect(page.url()).not.toContain("made.up-token");
});

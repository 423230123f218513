import type { Page } from "@playwright/test";
import {
  expect,
  createActiveCustomer,
  fillRegister,
  mailLink,
  newCustomer,
  recordPassword,
  signIn,
  test,
} from "./fixtures";

/**
 * Every journey with JavaScript off, as on a slow phone before the page has hydrated: each form is a
 * real POST that lands on a page the server rendered, with the same messages and redirects. The
 * same journeys with JavaScript run in the other specs.
 */
test.use({ javaScriptEnabled: false });

/** After every post: the password never reached the address bar. */
async function expectNoPasswordInAddress(page: Page, ...passwords: string[]) {
  const url = decodeURIComponent(page.url());
  for (const password of passwords) expect(url).not.toContain(password);
  expect(url).not.toMatch(/[?&]password=/);
}

async function registerWithoutJs(page: Page) {
  const customer = newCustomer();
  const since = Date.now();
  await page.goto("/register");
  await fillRegister(page, customer);
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page.getByRole("heading", { name: /check your inbox/i })).toBeVisible();
  await expect(page.getByText(customer.email)).toBeVisible();
  await expectNoPasswordInAddress(page, customer.password);
  return { customer, since };
}

test("register, confirm, sign in, stay signed in and sign out, all without JavaScript", async ({
  page,
}) => {
  const { customer, since } = await registerWithoutJs(page);
  const link = await mailLink(customer.email, /verify/i, "/verify-email", since);
  await page.goto(link.pathname + link.search);
  await page.getByLabel(/^password$/i).fill(customer.password);
  await page.getByRole("button", { name: /confirm my email/i }).click();
  await expect(page).toHaveURL(/\/login\?verified=1$/);
  await expect(page.getByLabel(/email/i)).toHaveValue(customer.email);

  await page.getByLabel(/^password$/i).fill(customer.password);
  await page.getByRole("button", { name: /^sign in$/i }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText(customer.email)).toBeVisible();
  await page.reload();
  await expect(page.getByText(customer.email)).toBeVisible();

  await page.getByRole("button", { name: /sign out/i }).click();
  await expect(page).toHaveURL(/\/login\?signedOut=1$/);
  await expect(page.getByText(/you've been signed out/i)).toBeVisible();
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faccount/);
});

test("a wrong password and an empty form answer on the page itself, keeping the email", async ({
  page,
}) => {
  await page.goto("/login");
  await page.getByRole("button", { name: /^sign in$/i }).click();
  await expect(page.getByLabel(/email/i)).toHaveAccessibleDescription(/enter your email/i);
  await expect(page.getByLabel(/^password$/i)).toHaveAccessibleDescription(/enter your password/i);

  const wrong = `not the password ${Date.now()}`;
  recordPassword(wrong);
  await signIn(page, "nobody@example.com", wrong);
  const alert = page.getByRole("alert").filter({ hasText: /incorrect/i });
  await expect(alert).toBeVisible();
  await expect(alert.getByRole("link", { name: /send the link again/i })).toBeVisible();
  await expect(page.getByLabel(/email/i)).toHaveValue("nobody@example.com");
  await expect(page.getByLabel(/^password$/i)).toHaveValue("");
  await expectNoPasswordInAddress(page, wrong);
});

test("registration errors come back field by field, with what was typed except the password", async ({
  page,
}) => {
  const customer = { ...newCustomer(), email: "not-an-email" };
  await page.goto("/register");
  await fillRegister(page, customer);
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page.getByLabel(/email/i)).toHaveAccessibleDescription(/valid email address/i);
  await expect(page.getByLabel(/email/i)).toHaveValue("not-an-email");
  await expect(page.getByLabel(/first name/i)).toHaveValue(customer.firstName);
  await expect(page.getByLabel(/^password$/i)).toHaveValue("");
  await expectNoPasswordInAddress(page, customer.password);
});

test("forgot password and reset it without JavaScript; the new password signs in", async ({
  page,
}) => {
  // Created as an admin would: each registration spends the browser address's hourly budget.
  const customer = await createActiveCustomer();

  await page.goto("/forgot-password");
  const since = Date.now();
  await page.getByLabel(/email/i).fill(customer.email);
  await page.getByRole("button", { name: /send reset link/i }).click();
  await expect(page.getByText(/if an account exists for/i)).toBeVisible();
  await page.getByRole("link", { name: /use a different email/i }).click();
  await expect(page.getByLabel(/email/i)).toHaveValue("");

  const reset = await mailLink(customer.email, /reset/i, "/reset-password", since);
  await page.goto(reset.pathname + reset.search);
  await expect(page).toHaveURL(/\/reset-password$/);
  const newPassword = `a brand new passphrase ${Date.now()}`;
  recordPassword(newPassword);
  await page.getByLabel(/^new password$/i).fill(newPassword);
  await page.getByRole("button", { name: /set new password/i }).click();
  await expect(page).toHaveURL(/\/login\?reset=1$/);
  await expect(page.getByText(/password was changed/i)).toBeVisible();

  await signIn(page, customer.email, newPassword);
  await expect(page).toHaveURL(/\/account$/);
  await expectNoPasswordInAddress(page, newPassword, customer.password);
});

test("sign-in returns to a same-origin callbackUrl and ignores a foreign one, without JavaScript", async ({
  page,
}) => {
  const customer = await createActiveCustomer();

  await page.goto("/account?tab=profile");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Faccount%3Ftab%3Dprofile/);
  await signIn(page, customer.email, customer.password);
  await expect(page).toHaveURL(/\/account\?tab=profile$/);
  await page.getByRole("button", { name: /sign out/i }).click();
  await expect(page).toHaveURL(/\/login/);

  await page.goto(`/login?callbackUrl=${encodeURIComponent("https://evil.example/steal")}`);
  await signIn(page, customer.email, customer.password);
  await expect(page).toHaveURL(/\/account$/);
});

test("no form on any page can be sent with GET", async ({ page }) => {
  const customer = await createActiveCustomer();
  const pages = [
    "/login",
    "/register",
    "/forgot-password",
    "/resend-confirmation",
    // A link's token opens the form (it is judged only when the form is sent).
    "/reset-password?token=not-judged-until-sent",
    "/verify-email?token=not-judged-until-sent",
  ];
  let forms = 0;
  const check = async (label: string) => {
    const methods = await page.$$eval("form", (all) => all.map((form) => form.method));
    forms += methods.length;
    for (const method of methods) expect(method, label).toBe("post");
  };
  for (const path of pages) {
    await page.goto(path);
    await check(path);
  }
  await page.goto("/login");
  await signIn(page, customer.email, customer.password);
  await expect(page).toHaveURL(/\/account$/);
  await check("/account");
  // The count proves the pages had their forms: an empty page passes any per-form check.
  expect(forms).toBeGreaterThanOrEqual(pages.length + 1);
});

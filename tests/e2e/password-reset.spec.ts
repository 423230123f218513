import { createActiveCustomer, expect, mailLink, signIn, test } from "./fixtures";

test("forgot password: mail, reset, the old password fails and the new one works; the link works once", async ({
  page,
}) => {
  // Created as an admin would: registering is covered elsewhere, and each registration spends the
  // browser address's hourly budget, which the whole suite shares.
  const customer = await createActiveCustomer();

  await page.goto("/login");
  await page.getByRole("link", { name: /forgot/i }).click();
  await expect(page).toHaveURL(/\/forgot-password/);
  const since = Date.now();
  await page.getByLabel(/email/i).fill(customer.email);
  await page.getByRole("button", { name: /send/i }).click();
  const answerForKnown = page.getByText(/if an account exists/i);
  await expect(answerForKnown).toBeVisible();

  const reset = await mailLink(customer.email, /reset/i, "/reset-password", since);
  // Opening the link twice spends nothing (a mail scanner may have opened it first).
  await page.request.get(reset.toString());
  await page.goto(reset.pathname + reset.search);
  await expect(page).toHaveURL(/\/reset-password$/);
  const newPassword = `a brand new passphrase ${Date.now()}`;
  await page.getByLabel(/^new password$/i).fill(newPassword);
  await page.getByRole("button", { name: /^(reset|set|save|change)/i }).click();
  await expect(page).toHaveURL(/\/login\?reset=1/);
  await expect(page.getByText(/password was changed/i)).toBeVisible();

  await signIn(page, customer.email, customer.password);
  await expect(page.getByRole("alert").filter({ hasText: /incorrect/i })).toBeVisible();
  await page.goto("/login");
  await signIn(page, customer.email, newPassword);
  await expect(page).toHaveURL(/\/account$/);
  await page.getByRole("button", { name: /sign out/i }).click();
  await expect(page).toHaveURL(/\/login/);

  // The same link a second time.
  await page.goto(reset.pathname + reset.search);
  await page.getByLabel(/^new password$/i).fill(`yet another passphrase ${Date.now()}`);
  await page.getByRole("button", { name: /^(reset|set|save|change)/i }).click();
  await expect(page.getByText(/invalid or has expired/i)).toBeVisible();
  await expect(page.getByRole("link", { name: /new link|request/i }).first()).toBeVisible();
});

test("forgot password answers the same for an unknown email", async ({ page }) => {
  await page.goto("/forgot-password");
  await page.getByLabel(/email/i).fill(`nobody.${Date.now()}@example.com`);
  await page.getByRole("button", { name: /send/i }).click();
  await expect(page.getByText(/if an account exists/i)).toBeVisible();
});

test("the old tutorial URL leads to the forgot-password page", async ({ page }) => {
  await page.goto("/request-reset-password");
  await expect(page).toHaveURL(/\/forgot-password$/);
});

import { ACCESS_TOKEN_TTL_SECONDS } from "./constants";
import { expect, fillRegister, mailLink, newCustomer, setCustomerStatus, signIn, test } from "./fixtures";

test("an admin suspending a customer ends their session at the next refresh", async ({ page }) => {
  const customer = newCustomer();
  const since = Date.now();
  await page.goto("/register");
  await fillRegister(page, customer);
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page.getByText(/check your inbox/i)).toBeVisible();
  const verify = await mailLink(customer.email, /verify/i, "/verify-email", since);
  await page.goto(verify.pathname + verify.search);

  await page.goto("/login");
  await signIn(page, customer.email, customer.password);
  await expect(page).toHaveURL(/\/account$/);

  await setCustomerStatus(customer.email, "suspended");
  const expiredAt = Date.now() + (ACCESS_TOKEN_TTL_SECONDS + 1) * 1_000;
  await expect.poll(() => Date.now(), { timeout: 30_000, intervals: [500] }).toBeGreaterThan(expiredAt);

  await page.reload();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText(/session (has )?ended|sign in again/i).first()).toBeVisible();
});

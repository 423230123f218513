import { ACCESS_TOKEN_TTL_SECONDS } from "./constants";
import { expect, registerAndConfirm, setCustomerStatus, signIn, test } from "./fixtures";

test("an admin suspending a customer ends their session at the next refresh", async ({ page }) => {
  const { customer } = await registerAndConfirm(page);

  await page.goto("/login");
  await signIn(page, customer.email, customer.password);
  await expect(page).toHaveURL(/\/account$/);

  await setCustomerStatus(customer.email, "suspended");
  const expiredAt = Date.now() + (ACCESS_TOKEN_TTL_SECONDS + 1) * 1_000;
  await expect
    .poll(() => Date.now(), { timeout: 30_000, intervals: [500] })
    .toBeGreaterThan(expiredAt);

  await page.reload();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText(/session (has )?ended|sign in again/i).first()).toBeVisible();
});

import {
  createActiveCustomer,
  expect,
  expectSessionEnded,
  setCustomerStatus,
  signIn,
  test,
} from "./fixtures";

test("an admin suspending a customer ends their session on its next request", async ({ page }) => {
  // Created as an admin would (see password-reset.spec.ts).
  const customer = await createActiveCustomer();

  await page.goto("/login");
  await signIn(page, customer.email, customer.password);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText(customer.email)).toBeVisible();

  // No waiting for anything to expire: Directus refuses the session from the moment it is suspended.
  await setCustomerStatus(customer.email, "suspended");
  await page.reload();
  await expectSessionEnded(page);
});

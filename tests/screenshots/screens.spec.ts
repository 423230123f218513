/**
 * Draws docs/screenshots/: each page state is reached once, then drawn at phone and desktop width in
 * the light and the dark scheme (the viewport and the scheme change in place, so states that live
 * only in the browser, such as "check your inbox", need no second journey). Dark files end in -dark.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "@playwright/test";
import {
  confirmWithLink,
  directus,
  expect,
  fillRegister,
  mailLink,
  newCustomer,
  signIn,
  stack,
  test,
} from "../e2e/fixtures";
import { waitForMail } from "../support/mail";

const OUT = fileURLToPath(new URL("../../docs/screenshots", import.meta.url));
const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };
const SCHEMES = ["light", "dark"] as const;

async function shoot(page: Page, name: string) {
  for (const [device, size] of Object.entries(WIDTHS)) {
    await page.setViewportSize(size);
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      const suffix = colorScheme === "dark" ? "-dark" : "";
      await page.screenshot({
        path: path.join(OUT, `${name}-${device}${suffix}.png`),
        fullPage: true,
        animations: "disabled",
        caret: "hide",
      });
    }
  }
  await page.setViewportSize(WIDTHS.desktop);
}

/** A mail as a mail client shows it: its HTML alone, on a 680px wide window. */
async function shootMail(page: Page, html: string, name: string) {
  await page.setViewportSize({ width: 680, height: 400 });
  await page.emulateMedia({ colorScheme: "light" });
  // Away from the app first: its Content-Security-Policy would refuse the mail's inline styles.
  await page.goto("about:blank");
  await page.setContent(html);
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

test("draw every page", async ({ page, context }) => {
  mkdirSync(OUT, { recursive: true });
  const customer = newCustomer();

  await page.goto("/login");
  await shoot(page, "login");
  await page.getByRole("button", { name: /^sign in$/i }).click();
  await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible();
  await shoot(page, "login-errors");
  await signIn(page, customer.email, "not the password at all");
  await expect(page.getByRole("alert").filter({ hasText: /\w/ })).toBeVisible();
  await shoot(page, "login-failed");

  await page.goto("/register");
  await shoot(page, "register");
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible();
  await shoot(page, "register-errors");
  const registeredAt = Date.now();
  await fillRegister(page, customer);
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page.getByText(/check your inbox/i)).toBeVisible();
  await shoot(page, "register-success");

  const confirmMail = await waitForMail(stack.mailUrl, {
    to: customer.email,
    subject: /verify/i,
    since: registeredAt,
  });
  await shootMail(page, confirmMail.html ?? "", "email-user-registration");
  const confirmLink = await mailLink(customer.email, /verify/i, "/verify-email", registeredAt);
  await page.goto(confirmLink.pathname + confirmLink.search);
  await expect(page).toHaveURL(/\/verify-email$/);
  await shoot(page, "verify-email");
  await page.goto("/verify-email?status=unavailable");
  await shoot(page, "verify-email-unavailable");
  await confirmWithLink(page, confirmLink, customer.password);
  await expect(page).toHaveURL(/\/login\?verified=1$/);
  await page.goto("/verify-email?status=invalid");
  await shoot(page, "verify-email-invalid");

  await page.goto("/login");
  await signIn(page, customer.email, customer.password);
  await expect(page).toHaveURL(/\/account$/);
  await shoot(page, "account");
  await directus.setFault({
    kind: "error",
    status: 503,
    contentType: "text/plain",
    body: "down",
  });
  try {
    await page.goto("/account");
    await expect(page.getByRole("heading", { name: "Temporarily unavailable" })).toBeVisible();
    await shoot(page, "account-unavailable");
  } finally {
    await directus.setFault({ kind: "none" });
  }
  await page.goto("/login?error=SessionExpired");
  await shoot(page, "session-ended");
  await context.clearCookies();

  await page.goto("/forgot-password");
  await shoot(page, "forgot-password");
  const requestedAt = Date.now();
  await page.getByLabel(/email/i).fill(customer.email);
  await page.getByRole("button", { name: /send/i }).click();
  await expect(page.getByText(/check your inbox/i)).toBeVisible();
  await shoot(page, "forgot-password-sent");
  const resetMail = await waitForMail(stack.mailUrl, {
    to: customer.email,
    subject: /reset/i,
    since: requestedAt,
  });
  await shootMail(page, resetMail.html ?? "", "email-password-reset");
  const resetLink = await mailLink(customer.email, /reset/i, "/reset-password", requestedAt);
  await page.goto(resetLink.pathname + resetLink.search);
  await expect(page).toHaveURL(/\/reset-password$/);
  await shoot(page, "reset-password");
  // Spend the link behind the page's back, as a second tab would, so the form's answer is "used".
  const spent = await fetch(`${stack.directusUrl}/auth/password/reset`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      token: resetLink.searchParams.get("token"),
      password: `${customer.password} again`,
    }),
  });
  expect(spent.ok).toBe(true);
  await page.locator("input[type=password]").fill(`${customer.password} once more`);
  await page.getByRole("button", { name: /^(reset|set|save|change)/i }).click();
  await expect(page.getByRole("alert").filter({ hasText: /\w/ })).toBeVisible();
  await shoot(page, "reset-password-spent");
  await context.clearCookies();
  await page.goto("/reset-password");
  await shoot(page, "reset-password-missing-token");

  await page.goto("/no-such-page");
  await shoot(page, "not-found");
});

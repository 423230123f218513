/**
 * axe (WCAG 2.0–2.2 A and AA rules, colour contrast included) on every page state reachable without
 * mail, in the light and the dark scheme. One browser context per scheme and one customer for both,
 * so the spec stays cheap; each page's violations are collected and reported together at the end.
 */
import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { createActiveCustomer, expect, signIn, stack, test } from "./fixtures";

const themeColors = JSON.parse(
  readFileSync(new URL("../../lib/theme-colors.json", import.meta.url), "utf8"),
) as Record<"light" | "dark", { canvas: string }>;

const WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** Each state: how to reach it, and what shows it was reached. */
const signedOutStates: Array<{ name: string; go: (page: Page) => Promise<void> }> = [
  {
    name: "sign in",
    go: async (page) => {
      await page.goto("/login");
      await expect(page.getByRole("heading", { name: /^sign in$/i })).toBeVisible();
    },
  },
  {
    name: "sign in, failed",
    go: async (page) => {
      await page.goto("/login?error=CredentialsSignin");
      await expect(page.getByRole("alert").filter({ hasText: /\w/ })).toBeVisible();
    },
  },
  {
    name: "register, field errors",
    go: async (page) => {
      await page.goto("/register");
      await page.getByRole("button", { name: /create account/i }).click();
      await expect(page.locator('[aria-invalid="true"]').first()).toBeVisible();
    },
  },
  {
    name: "forgot password",
    go: async (page) => {
      await page.goto("/forgot-password");
      await expect(page.getByRole("heading", { name: /reset your password/i })).toBeVisible();
    },
  },
  {
    name: "reset password, no token",
    go: async (page) => {
      await page.goto("/reset-password");
      await expect(page.getByRole("heading", { name: /incomplete/i })).toBeVisible();
    },
  },
  {
    name: "verify email, no token",
    go: async (page) => {
      await page.goto("/verify-email");
      await expect(page.getByRole("heading", { name: /can't be used/i })).toBeVisible();
    },
  },
  {
    name: "send the link again",
    go: async (page) => {
      await page.goto("/resend-confirmation");
      await expect(
        page.getByRole("heading", { name: /send the confirmation link/i }),
      ).toBeVisible();
    },
  },
  {
    name: "page not found",
    go: async (page) => {
      await page.goto("/no-such-page");
      await expect(page.getByRole("heading", { name: /page not found/i })).toBeVisible();
    },
  },
];

/**
 * axe's violations, plus colour-contrast checks it could not decide ("needs review"), except over the
 * page's background wash (a gradient axe cannot measure; the unit test theme-contrast checks text on
 * its strongest point).
 */
async function violations(page: Page, state: string): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA).analyze();
  const undecided = results.incomplete
    .filter((r) => r.id === "color-contrast")
    .map((r) => ({
      ...r,
      nodes: r.nodes.filter((n) => !n.any.some((c) => /background gradient/.test(c.message))),
    }))
    .filter((r) => r.nodes.length > 0);
  return [...results.violations, ...undecided].map(
    (v) =>
      `${state}: ${v.id} (${v.impact ?? "?"}) ${v.help}\n` +
      v.nodes.map((n) => `    ${n.target.join(" ")}: ${n.failureSummary ?? ""}`).join("\n"),
  );
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`every page passes axe's WCAG AA rules in the ${colorScheme} scheme`, async ({
    browser,
  }) => {
    const customer = await createActiveCustomer();
    const context = await browser.newContext({ baseURL: stack.appUrl, colorScheme });
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme });
    const found: string[] = [];

    for (const state of signedOutStates) {
      await test.step(state.name, async () => {
        await state.go(page);
        found.push(...(await violations(page, state.name)));
      });
    }
    // The scheme really is the one asked for: the page is drawn in its canvas colour.
    const canvas = themeColors[colorScheme].canvas;
    const rgb = `rgb(${[1, 3, 5].map((i) => Number.parseInt(canvas.slice(i, i + 2), 16)).join(", ")})`;
    await expect(page.locator("body")).toHaveCSS("background-color", rgb);

    await test.step("account, signed in", async () => {
      await page.goto("/login");
      await signIn(page, customer.email, customer.password);
      await expect(page).toHaveURL(/\/account$/);
      await expect(page.getByText(customer.email)).toBeVisible();
      found.push(...(await violations(page, "account")));
    });

    await context.close();
    expect(found, found.join("\n")).toEqual([]);
  });
}

/** What the browser reports while journeys run: the pages must run clean under their CSP. */
import type { Page } from "@playwright/test";

declare global {
  interface Window {
    __reportCspViolation?: (violation: string) => Promise<void>;
  }
}

/** Loads that are meant to fail, which Chromium logs as console errors all the same. */
export const EXPECTED_FAILED_LOADS = [
  /\/favicon\.ico$/, // there is none
  /\/no-such-page$/, // the 404 page itself
  /\/api\/auth\/reset-password$/, // a made-up reset token is refused
];

/** Everything the browser reports: CSP violations (as events and in the console), errors, warnings. */
export async function watchForProblems(
  page: Page,
  expectedFailedLoads: RegExp[] = EXPECTED_FAILED_LOADS,
): Promise<string[]> {
  const problems: string[] = [];
  await page.exposeFunction("__reportCspViolation", (violation: string) => {
    problems.push(`CSP violation: ${violation}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const where = `${event.sourceFile}:${event.lineNumber}`;
      void window.__reportCspViolation?.(
        `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} at ${where} on ${location.pathname}`,
      );
    });
  });
  page.on("console", (message) => {
    if (message.type() !== "error" && message.type() !== "warning") return;
    const url = message.location().url;
    const expected =
      message.text().startsWith("Failed to load resource:") &&
      expectedFailedLoads.some((pattern) => pattern.test(new URL(url).pathname));
    if (!expected) problems.push(`console ${message.type()}: ${message.text()} (${url})`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

import "server-only";
import { requestPasswordReset } from "@/lib/directus/passwords";
import { claimLockoutMail } from "./process-throttle";

/**
 * When the account-wide ceiling trips (someone, from many addresses, used up the budget of browsers
 * the app does not know), the owner hears about it at once, by mail, with a way in: a password reset
 * link whose mail says why it came (directus/templates/password-reset.liquid, `reason=lockout`).
 * Once per account and lockout (budgets.ts's `lockoutMail`), so the flood does not become a flood of
 * mail. Directus sends it only if the email has an active account, and answers alike either way.
 *
 * Not awaited by the sign-in: the refusal answers as fast for an email with an account as for one
 * without, and a mail that fails to go out is logged (lib/directus/passwords.ts), never the customer's problem.
 */
export function noticeLockout(email: string): void {
  void (async () => {
    try {
      if (await claimLockoutMail(email)) await requestPasswordReset(email, "lockout");
    } catch (error) {
      console.error("lockout-notice: could not mail the owner", (error as Error).name);
    }
  })();
}

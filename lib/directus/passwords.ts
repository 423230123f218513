import "server-only";
import { passwordRequest, passwordReset } from "@directus/sdk";
import { publicClient } from "./client";
import { classifyDirectusError, describeFailure, type DirectusFailure } from "./errors";
import { getEnv } from "@/lib/env";

export type PasswordResetRequestOutcome = { kind: "sent" } | { kind: "unavailable" };
export type ResetPasswordOutcome =
  { kind: "ok" } | { kind: "invalid_token" } | { kind: "weak_password" } | { kind: "unavailable" };

function logFailure(flow: string, failure: DirectusFailure): void {
  const log = failure.kind === "unavailable" ? console.warn : console.error;
  log(`${flow}: Directus call failed: ${describeFailure(failure)}`);
}

/**
 * Asks Directus to mail a reset link. Directus answers 204 for known and unknown emails alike, and so
 * does this (`sent`). Anything else means no mail can go out for anyone (Directus down, or the reset URL
 * missing from PASSWORD_RESET_URL_ALLOW_LIST), which is no secret about any one account.
 *
 * `reason: "lockout"` marks the link (`?reason=lockout`, which the allow list accepts: it compares
 * origin and path only) so that the mail template explains why it came (lib/abuse/lockout-notice.ts).
 */
export async function requestPasswordReset(
  email: string,
  reason?: "lockout",
): Promise<PasswordResetRequestOutcome> {
  const url = new URL("/reset-password", getEnv().NEXTAUTH_URL);
  if (reason) url.searchParams.set("reason", reason);
  const resetUrl = url.toString();
  try {
    await publicClient().request(passwordRequest(email, resetUrl));
    return { kind: "sent" };
  } catch (error) {
    logFailure(reason ? "lockout-notice" : "forgot-password", classifyDirectusError(error));
    return { kind: "unavailable" };
  }
}

/**
 * Sets a new password with a reset token. Tokens are single-use and die with any password change:
 * Directus answers 401/403 for a used, expired or forged one.
 */
export async function resetPassword(
  token: string,
  password: string,
): Promise<ResetPasswordOutcome> {
  try {
    await publicClient().request(passwordReset(token, password));
    return { kind: "ok" };
  } catch (error) {
    const failure = classifyDirectusError(error);
    switch (failure.kind) {
      case "invalid_token":
      case "invalid_credentials":
      case "forbidden":
        return { kind: "invalid_token" };
      // Directus's own password policy (Settings → Security), stricter than ours.
      case "invalid_input":
        return { kind: failure.code === "FAILED_VALIDATION" ? "weak_password" : "invalid_token" };
      default:
        logFailure("reset-password", failure);
        return { kind: "unavailable" };
    }
  }
}

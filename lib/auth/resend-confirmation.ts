import "server-only";
import { verificationUrl } from "@/lib/auth/register";
import { classifyDirectusError, describeFailure } from "@/lib/directus/errors";
import { submitResend } from "@/lib/directus/registration";

export type ResendOutcome = { kind: "sent" } | { kind: "unavailable" } | { kind: "failed" };

/**
 * "Send the link again": Directus mails a fresh confirmation link only if the address has a
 * registration waiting for confirmation, and answers the same, after the same stall, otherwise.
 * `sent` therefore means "if there was anything to send".
 */
export async function resendConfirmation(email: string): Promise<ResendOutcome> {
  try {
    await submitResend(email, verificationUrl());
    return { kind: "sent" };
  } catch (error) {
    const failure = classifyDirectusError(error);
    if (failure.kind === "unavailable" || failure.kind === "rate_limited") {
      console.warn(`resend-confirmation: Directus unavailable: ${describeFailure(failure)}`);
      return { kind: "unavailable" };
    }
    // Most likely the verification URL is missing from USER_REGISTER_URL_ALLOW_LIST.
    console.error(`resend-confirmation: Directus call failed: ${describeFailure(failure)}`);
    return { kind: "failed" };
  }
}

import "server-only";
import { normalisePassword } from "@/lib/auth/passwords";
import { classifyDirectusError, describeFailure } from "@/lib/directus/errors";
import { submitConfirmation } from "@/lib/directus/registration";

export type ConfirmEmailOutcome =
  | { kind: "confirmed"; email: string }
  /** A valid link for a pending registration, but not that registration's password. */
  | { kind: "wrong_password" }
  /** Forged, expired or used link, or an account that is already active (answered alike). */
  | { kind: "invalid" }
  | { kind: "unavailable" };

/**
 * Confirms a registration: the link's token proves the mailbox, the password proves this is the
 * registration being confirmed (an earlier claim by someone else was replaced by the latest one,
 * and its password no longer matches). Nothing is spent by opening the link: only this call, from
 * the confirmation form's POST, activates the account.
 */
export async function confirmEmail(token: string, password: string): Promise<ConfirmEmailOutcome> {
  if (!token) return { kind: "invalid" };
  try {
    // Normalised here as on every path that sends a password to Directus (passwords.ts): the hash
    // was made from the normalised form at registration.
    const email = await submitConfirmation(token, normalisePassword(password));
    return { kind: "confirmed", email };
  } catch (error) {
    const failure = classifyDirectusError(error);
    if (failure.kind === "invalid_credentials") return { kind: "wrong_password" };
    if (failure.kind === "unavailable" || failure.kind === "rate_limited") {
      console.warn(`confirm-email: Directus unavailable: ${describeFailure(failure)}`);
      return { kind: "unavailable" };
    }
    if (failure.kind === "invalid_token" || failure.kind === "invalid_input") {
      return { kind: "invalid" };
    }
    console.error(`confirm-email: unexpected answer from Directus: ${describeFailure(failure)}`);
    return { kind: "unavailable" };
  }
}

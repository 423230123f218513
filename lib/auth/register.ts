import "server-only";
import { classifyDirectusError, describeFailure } from "@/lib/directus/errors";
import { submitRegistration } from "@/lib/directus/registration";
import { getEnv } from "@/lib/env";
import type { RegisterInput } from "@/lib/validations/auth";

export type RegisterOutcome =
  /** New, pending and existing emails alike, so nobody learns who has an account. */
  | { kind: "accepted" }
  /** Directus's own password policy (Settings → Security) refused the password. */
  | { kind: "weak_password" }
  /** Registration is closed, or the email is outside Directus's registration email filter. */
  | { kind: "not_allowed" }
  | { kind: "unavailable" }
  | { kind: "failed" };

/** Where confirmation links point; also USER_REGISTER_URL_ALLOW_LIST in Directus. */
export function verificationUrl(): string {
  return new URL("/verify-email", getEnv().NEXTAUTH_URL).toString();
}

/**
 * Public registration through the customer API: Directus gives a new account the Customer role and
 * mails a confirmation link; for an address still waiting for confirmation, this registration's
 * password and names replace the earlier ones (whoever confirms must know this password).
 */
export async function registerCustomer(input: RegisterInput): Promise<RegisterOutcome> {
  try {
    await submitRegistration({ ...input, verification_url: verificationUrl() });
    return { kind: "accepted" };
  } catch (error) {
    const failure = classifyDirectusError(error);
    // Two registrations of one new email at once: Directus checks for the user, finds none in both,
    // and the second insert hits the unique index. The account exists now, which is what this caller
    // asked for and what an existing email answers anyway.
    if (failure.code === "RECORD_NOT_UNIQUE" && failure.field === "email") {
      return { kind: "accepted" };
    }
    if (
      failure.kind === "invalid_input" &&
      failure.code === "FAILED_VALIDATION" &&
      failure.field === "password"
    ) {
      return { kind: "weak_password" };
    }
    if (failure.kind === "forbidden") {
      console.warn(`register: Directus refused the registration: ${describeFailure(failure)}`);
      return { kind: "not_allowed" };
    }
    if (failure.kind === "unavailable" || failure.kind === "rate_limited") {
      console.warn(`register: Directus unavailable: ${describeFailure(failure)}`);
      return { kind: "unavailable" };
    }
    // Most likely the verification URL is missing from USER_REGISTER_URL_ALLOW_LIST.
    console.error(`register: Directus call failed: ${describeFailure(failure)}`);
    return { kind: "failed" };
  }
}

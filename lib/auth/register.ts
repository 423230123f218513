import "server-only";
import { registerUser } from "@directus/sdk";
import { publicClient } from "@/lib/directus/client";
import { classifyDirectusError, describeFailure } from "@/lib/directus/errors";
import { getEnv } from "@/lib/env";
import type { RegisterInput } from "@/lib/validations/auth";

export type RegisterOutcome =
  /** New and existing emails alike: Directus answers 204 for both, so nobody learns who has an account. */
  | { kind: "accepted" }
  /** Directus's own password policy (Settings → Security) refused the password. */
  | { kind: "weak_password" }
  /** Registration is closed, or the email is outside Directus's registration email filter. */
  | { kind: "not_allowed" }
  | { kind: "unavailable" }
  | { kind: "failed" };

/** Public registration: Directus gives the account the Customer role and mails a confirmation link. */
export async function registerCustomer(input: RegisterInput): Promise<RegisterOutcome> {
  const verificationUrl = new URL("/verify-email", getEnv().NEXTAUTH_URL).toString();
  try {
    await publicClient().request(
      registerUser(input.email, input.password, {
        first_name: input.first_name,
        last_name: input.last_name,
        verification_url: verificationUrl,
      }),
    );
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
      failure.outcome === "invalid_input" &&
      failure.code === "FAILED_VALIDATION" &&
      failure.field === "password"
    ) {
      return { kind: "weak_password" };
    }
    if (failure.outcome === "forbidden") {
      console.warn(`register: Directus refused the registration: ${describeFailure(failure)}`);
      return { kind: "not_allowed" };
    }
    if (failure.outcome === "unavailable" || failure.outcome === "rate_limited") {
      console.warn(`register: Directus unavailable: ${describeFailure(failure)}`);
      return { kind: "unavailable" };
    }
    // Most likely the verification URL is missing from USER_REGISTER_URL_ALLOW_LIST.
    console.error(`register: Directus call failed: ${describeFailure(failure)}`);
    return { kind: "failed" };
  }
}

import "server-only";
import { clientAddress } from "@/lib/abuse/client-address";
import type { HeaderSource } from "@/lib/http/header-source";
import { registerCustomer } from "@/lib/auth/register";
import { throttleRegister } from "@/lib/abuse/process-throttle";
import { padUntil } from "@/lib/abuse/uniform-timing";
import { registerSchema } from "@/lib/validations/auth";
import {
  accepted,
  internalError,
  refused,
  serviceUnavailable,
  tooManyRequests,
  weakPassword,
  type FormAnswer,
} from "./answer";
import { checkNewPasswordForm } from "./new-password";

const REGISTERED_MESSAGE =
  "Check your inbox: we've sent a link to confirm your email address. If you already have an account, sign in instead.";

/** The registration form, from the JSON route or the Server Action. */
export async function submitRegistration(
  input: unknown,
  headers: HeaderSource,
): Promise<FormAnswer> {
  // Strict schema: role, status, policies or any other extra field fails here and never reaches Directus.
  const checked = await checkNewPasswordForm(
    registerSchema,
    input,
    ({ email, first_name, last_name }) => [email, first_name, last_name],
  );
  if (checked.kind === "invalid") return checked.answer;
  const { email } = checked.data;

  const verdict = await throttleRegister(email, clientAddress(headers));
  if (verdict.kind === "refused") return tooManyRequests(verdict.retryAfterSeconds);

  const startedAt = performance.now();
  const outcome = await registerCustomer(checked.data);
  switch (outcome.kind) {
    case "accepted":
      // A new email costs Directus a user insert and a password hash, an existing one nothing.
      await padUntil(startedAt, "register");
      return accepted(REGISTERED_MESSAGE, 201);
    case "weak_password":
      return weakPassword(
        "This password is too easy to guess. Choose a longer or less common one.",
      );
    case "not_allowed":
      return refused(
        "We can't create an account for this email address. Contact support if you need one.",
        403,
      );
    case "unavailable":
      return serviceUnavailable();
    case "failed":
      return internalError();
  }
}

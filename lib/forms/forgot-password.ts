import "server-only";
import { clientAddress } from "@/lib/abuse/client-address";
import type { HeaderSource } from "@/lib/http/header-source";
import { throttleForgotPassword } from "@/lib/abuse/process-throttle";
import { requestPasswordReset } from "@/lib/directus/passwords";
import { forgotPasswordSchema } from "@/lib/validations/auth";
import {
  accepted,
  checkForm,
  serviceUnavailable,
  tooManyRequests,
  type FormAnswer,
} from "./answer";

const SENT_MESSAGE =
  "If an account exists for that email, we've sent a link to reset your password. Check your inbox.";

/** "Forgot your password?", from the JSON route or the Server Action. */
export async function submitForgotPassword(
  input: unknown,
  headers: HeaderSource,
): Promise<FormAnswer> {
  const checked = checkForm(forgotPasswordSchema, input);
  if (checked.kind === "invalid") return checked.answer;

  // Throttled per email whether or not it has an account, so a 429 reveals nothing either.
  const verdict = await throttleForgotPassword(checked.data.email, clientAddress(headers));
  if (verdict.kind === "refused") return tooManyRequests(verdict.retryAfterSeconds);

  const outcome = await requestPasswordReset(checked.data.email);
  if (outcome.kind === "unavailable") return serviceUnavailable();
  return accepted(SENT_MESSAGE, 202);
}

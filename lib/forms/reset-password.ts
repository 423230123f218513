import "server-only";
import { clientAddress } from "@/lib/abuse/client-address";
import type { HeaderSource } from "@/lib/http/header-source";
import { resetTokenEmail } from "@/lib/directus/reset-token";
import { throttleResetPassword } from "@/lib/abuse/process-throttle";
import { unlockAfterReset } from "@/lib/abuse/unlock-after-reset";
import { resetPassword } from "@/lib/directus/passwords";
import { resetPasswordSchema } from "@/lib/validations/auth";
import {
  accepted,
  refused,
  serviceUnavailable,
  tooManyRequests,
  weakPassword,
  type FormAnswer,
} from "./answer";
import { checkNewPasswordForm } from "./new-password";

/** A 400 from this form means the link is spent: the form offers a new one (its `helpFor`). */
export const SPENT_LINK_STATUS = 400;

/** The link's token is missing, spent or expired (the action's cookie may be gone, too). */
export function spentLink(): FormAnswer {
  return refused(
    "This reset link is invalid or has expired. Request a new link to try again.",
    SPENT_LINK_STATUS,
  );
}

/** "Choose a new password", from the JSON route or the Server Action (`input` holds the token). */
export async function submitResetPassword(
  input: unknown,
  headers: HeaderSource,
): Promise<FormAnswer> {
  // The token names the account's email (unverified here, and only used to refuse passwords built from it).
  const checked = await checkNewPasswordForm(resetPasswordSchema, input, ({ token }) => [
    resetTokenEmail(token),
  ]);
  if (checked.kind === "invalid") return checked.answer;
  const { token, password } = checked.data;

  const address = clientAddress(headers);
  const verdict = await throttleResetPassword(address);
  if (verdict.kind === "refused") return tooManyRequests(verdict.retryAfterSeconds);

  switch ((await resetPassword(token, password)).kind) {
    case "ok":
      await unlockAfterReset(token, password, address);
      return accepted("Your password was changed. Sign in with your new password.", 200);
    case "invalid_token":
      return spentLink();
    case "weak_password":
      return weakPassword(
        "This password is too easy to guess. Choose a longer or less common one.",
      );
    case "unavailable":
      return serviceUnavailable();
  }
}

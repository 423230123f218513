import { clientAddress } from "@/lib/auth/client-address";
import { resetPassword } from "@/lib/directus/passwords";
import { checkPasswordStrength } from "@/lib/auth/password-strength";
import { withNormalisedPassword } from "@/lib/auth/passwords";
import { resetTokenEmail } from "@/lib/auth/reset-token";
import { throttleResetPassword } from "@/lib/auth/throttle";
import { unlockAfterReset } from "@/lib/auth/unlock-after-reset";
import { getEnv } from "@/lib/env";
import {
  jsonResult,
  serviceUnavailable,
  tooManyRequests,
  weakPassword,
} from "@/lib/http/responses";
import { readValidatedJson } from "@/lib/http/validated-json";
import { resetPasswordSchema } from "@/lib/validations/auth";

export async function POST(request: Request): Promise<Response> {
  const parsed = await readValidatedJson(
    request,
    resetPasswordSchema(getEnv().PASSWORD_MIN_LENGTH),
    withNormalisedPassword,
  );
  if (!parsed.ok) return parsed.response;
  // Before the throttle and Directus, like the schema. The token names the account's email (unverified
  // here, and only used to refuse passwords built from it).
  const strength = await checkPasswordStrength(parsed.data.password, [
    resetTokenEmail(parsed.data.token),
  ]);
  if (!strength.ok) return weakPassword(strength.message);

  const address = clientAddress(request.headers);
  const verdict = await throttleResetPassword(address);
  if (!verdict.allowed) return tooManyRequests(verdict.retryAfterSeconds);

  const { token, password } = parsed.data;
  switch (await resetPassword(token, password)) {
    case "ok":
      await unlockAfterReset(token, password, address);
      return jsonResult(
        { ok: true, message: "Your password was changed. Sign in with your new password." },
        200,
      );
    case "invalid_token":
      return jsonResult(
        {
          ok: false,
          message: "This reset link is invalid or has expired. Request a new link to try again.",
        },
        400,
      );
    case "weak_password":
      return jsonResult(
        {
          ok: false,
          message: "Check the highlighted fields.",
          fieldErrors: {
            password: ["This password is too easy to guess. Choose a longer or less common one."],
          },
        },
        422,
      );
    case "unavailable":
      return serviceUnavailable();
  }
}

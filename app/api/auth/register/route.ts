import { clientAddress } from "@/lib/auth/client-address";
import { checkPasswordStrength } from "@/lib/auth/password-strength";
import { withNormalisedPassword } from "@/lib/auth/passwords";
import { registerCustomer } from "@/lib/auth/register";
import { throttleRegister } from "@/lib/auth/throttle";
import { padUntil } from "@/lib/auth/uniform-timing";
import { getEnv } from "@/lib/env";
import {
  internalError,
  jsonResult,
  serviceUnavailable,
  tooManyRequests,
  weakPassword,
} from "@/lib/http/responses";
import { readValidatedJson } from "@/lib/http/validated-json";
import { registerSchema } from "@/lib/validations/auth";

const REGISTERED_MESSAGE =
  "Check your inbox: we've sent a link to confirm your email address. If you already have an account, sign in instead.";

export async function POST(request: Request): Promise<Response> {
  // Strict schema: role, status, policies or any other extra field fails here and never reaches Directus.
  const parsed = await readValidatedJson(
    request,
    registerSchema(getEnv().PASSWORD_MIN_LENGTH),
    withNormalisedPassword,
  );
  if (!parsed.ok) return parsed.response;
  // Like the schema, before the throttle (retrying with a better password costs no attempt) and
  // before Directus; it looks at the form only, so it answers alike for every email.
  const { email, first_name, last_name, password } = parsed.data;
  const strength = await checkPasswordStrength(password, [email, first_name, last_name]);
  if (!strength.ok) return weakPassword(strength.message);

  const verdict = await throttleRegister(parsed.data.email, clientAddress(request.headers));
  if (!verdict.allowed) return tooManyRequests(verdict.retryAfterSeconds);

  const startedAt = performance.now();
  const outcome = await registerCustomer(parsed.data);
  switch (outcome.kind) {
    case "accepted":
      // A new email costs Directus a user insert and a password hash, an existing one nothing.
      await padUntil(startedAt, "register");
      return jsonResult({ ok: true, message: REGISTERED_MESSAGE }, 201);
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
    case "not_allowed":
      return jsonResult(
        {
          ok: false,
          message:
            "We can't create an account for this email address. Contact support if you need one.",
        },
        403,
      );
    case "unavailable":
      return serviceUnavailable();
    case "failed":
      return internalError();
  }
}

import { clientAddress } from "@/lib/auth/client-address";
import { requestPasswordReset } from "@/lib/auth/password-reset";
import { throttleForgotPassword } from "@/lib/auth/throttle";
import { readJson } from "@/lib/http/read-json";
import {
  invalidFields,
  jsonResult,
  plainIssue,
  serviceUnavailable,
  tooManyRequests,
} from "@/lib/http/responses";
import { rejectCrossSite } from "@/lib/http/same-origin";
import { forgotPasswordSchema } from "@/lib/validations/auth";

const SENT_MESSAGE =
  "If an account exists for that email, we've sent a link to reset your password. Check your inbox.";

export async function POST(request: Request): Promise<Response> {
  const refused = rejectCrossSite(request);
  if (refused) return refused;
  const body = await readJson(request);
  if (!body.ok) return body.response;

  const parsed = forgotPasswordSchema.safeParse(body.value, { error: plainIssue });
  if (!parsed.success) return invalidFields(parsed.error);

  // Throttled per email whether or not it has an account, so a 429 reveals nothing either.
  const verdict = await throttleForgotPassword(parsed.data.email, clientAddress(request.headers));
  if (!verdict.allowed) return tooManyRequests(verdict.retryAfterSeconds);

  const outcome = await requestPasswordReset(parsed.data.email);
  if (outcome === "unavailable") return serviceUnavailable();
  return jsonResult({ ok: true, message: SENT_MESSAGE }, 202);
}

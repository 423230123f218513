import { clientAddress } from "@/lib/auth/client-address";
import { requestPasswordReset } from "@/lib/directus/passwords";
import { throttleForgotPassword } from "@/lib/auth/throttle";
import { jsonResult, serviceUnavailable, tooManyRequests } from "@/lib/http/responses";
import { readValidatedJson } from "@/lib/http/validated-json";
import { forgotPasswordSchema } from "@/lib/validations/auth";

const SENT_MESSAGE =
  "If an account exists for that email, we've sent a link to reset your password. Check your inbox.";

export async function POST(request: Request): Promise<Response> {
  const parsed = await readValidatedJson(request, forgotPasswordSchema);
  if (!parsed.ok) return parsed.response;

  // Throttled per email whether or not it has an account, so a 429 reveals nothing either.
  const verdict = await throttleForgotPassword(parsed.data.email, clientAddress(request.headers));
  if (!verdict.allowed) return tooManyRequests(verdict.retryAfterSeconds);

  const outcome = await requestPasswordReset(parsed.data.email);
  if (outcome === "unavailable") return serviceUnavailable();
  return jsonResult({ ok: true, message: SENT_MESSAGE }, 202);
}

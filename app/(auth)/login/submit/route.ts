import { leavingFor } from "@/lib/forms/action-state";
import { completeSignIn } from "@/lib/forms/complete-sign-in";
import { retryAfterHeader } from "@/lib/forms/json-route";
import { readJson } from "@/lib/http/read-json";
import { jsonFormState } from "@/lib/http/responses";
import { rejectCrossSite } from "@/lib/http/same-origin";
import { isRecord } from "@/lib/is-record";

/**
 * The enhanced sign-in form's post: the same fields as the Server Action (../actions.ts), sent as
 * JSON, answered with the same FormState the action returns, at the status the JSON routes use.
 * A Server Action that sets a cookie makes Next render the whole page again into its answer, which
 * costs the sign-in time the form never shows; a route handler answers with only the state
 * (docs/architecture.md, "Forms"). It sits under /login so that the known-device cookie
 * (Path=/login) reaches it as it reaches the page's action.
 *
 * JSON only: a cross-site page cannot send it without a preflight, which nothing here answers, and
 * a present Origin or Sec-Fetch-Site from elsewhere is refused before any work.
 */
export async function POST(request: Request): Promise<Response> {
  const crossSite = rejectCrossSite(request);
  if (crossSite) return crossSite;
  const body = await readJson(request);
  if (body.kind === "refused") return body.response;

  // Anything but an object goes to the form's check as it came, and is refused there.
  const form = isRecord(body.value) ? body.value : null;
  const { callbackUrl, ...fields } = form ?? {};
  const done = await completeSignIn(form ? fields : body.value, callbackUrl, request.headers);
  if (done.kind === "refused") {
    return jsonFormState(done.state, done.answer.status, retryAfterHeader(done.answer));
  }
  return jsonFormState(leavingFor(done.path), 200);
}

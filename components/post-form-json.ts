import type { FormResult } from "@/lib/validations/auth";
import type { FormState } from "@/lib/validations/form-state";
import { isRecord } from "@/lib/is-record";

function isFormResult(value: unknown): value is FormResult {
  return isRecord(value) && typeof value.ok === "boolean";
}

function isFormState(value: unknown): value is FormState {
  return (
    isRecord(value) &&
    typeof value.status === "number" &&
    isRecord(value.values) &&
    (value.result === null || isFormResult(value.result))
  );
}

/**
 * Sends a form's fields as JSON to its route (the enhanced sign-in, app/(auth)/login/submit/route.ts)
 * and hands back the FormState it answers, as a Server Action would. A refusal made before the form's
 * own code ran (a cross-site or unreadable post) carries only a result, at its status; it is shown
 * the same way. Anything else (offline, a gateway's HTML page) throws, and the form says it could
 * not reach the server.
 */
export async function postFormJson(
  path: string,
  fields: Record<string, string>,
): Promise<FormState> {
  const response = await fetch(new URL(path, window.location.href), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(fields),
    credentials: "same-origin",
    cache: "no-store",
  });
  const answer: unknown = await response.json();
  if (isFormState(answer)) return answer;
  if (isFormResult(answer)) return { status: response.status, result: answer, values: {} };
  throw new Error(`The answer to the form could not be read (HTTP ${response.status}).`);
}

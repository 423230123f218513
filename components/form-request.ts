import * as z from "zod/mini";
import type { FormResult } from "@/lib/validations/auth";

export const NETWORK_ERROR_MESSAGE =
  "We couldn't reach the server. Check your connection and try again.";
export const UNAVAILABLE_MESSAGE = "The service is temporarily unavailable. Try again in a minute.";
export const GENERIC_ERROR_MESSAGE = "Something went wrong on our side. Try again.";

// The server is ours, but a proxy or load balancer in front of it may answer with HTML: never trust the shape.
const formResultSchema = z.union([
  z.object({ ok: z.literal(true), message: z.optional(z.string()) }),
  z.object({
    ok: z.literal(false),
    message: z.string(),
    fieldErrors: z.optional(z.record(z.string(), z.array(z.string()))),
  }),
]);

export interface SubmitOutcome {
  status: number;
  result: FormResult;
}

function retryAfterText(header: string | null): string {
  const seconds = header ? Number.parseInt(header, 10) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) return "Try again later.";
  if (seconds < 90) return "Try again in a minute.";
  return `Try again in about ${Math.ceil(seconds / 60)} minutes.`;
}

function fallbackMessage(status: number, retryAfter: string | null): string {
  if (status === 429) return `Too many attempts. ${retryAfterText(retryAfter)}`;
  if (status === 503 || status === 502 || status === 504) return UNAVAILABLE_MESSAGE;
  return GENERIC_ERROR_MESSAGE;
}

/**
 * Posts a form as JSON and always resolves to a FormResult the UI can show, whatever came back:
 * a network failure, an HTML error page or a malformed body never reaches the user as-is.
 */
export async function postForm(
  endpoint: string,
  body: Record<string, unknown>,
): Promise<SubmitOutcome> {
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    return { status: 0, result: { ok: false, message: NETWORK_ERROR_MESSAGE } };
  }

  let parsed: FormResult | null = null;
  try {
    const json: unknown = await res.json();
    const checked = formResultSchema.safeParse(json);
    if (checked.success) parsed = checked.data;
  } catch {
    // Not JSON: fall through to a message chosen by status.
  }

  if (res.ok) {
    // A 2xx with an unreadable body still means the server accepted the request.
    return { status: res.status, result: parsed?.ok ? parsed : { ok: true } };
  }
  if (parsed && !parsed.ok) return { status: res.status, result: parsed };
  return {
    status: res.status,
    result: { ok: false, message: fallbackMessage(res.status, res.headers.get("Retry-After")) },
  };
}

/**
 * A full page load rather than a client-side transition: the server must see the new session cookie
 * on its very first render of the next page. `replace` keeps a spent form out of the back button.
 */
export function leavePageFor(path: string): void {
  window.location.replace(path);
}

import "server-only";
import { knownDeviceSetCookie } from "@/lib/abuse/known-device";
import { retryAfterOf } from "@/lib/validations/login-errors";
import { setsSessionCookie } from "./session-cookie";
import { withSignInAnswer } from "./sign-in-answer";

/**
 * The throttle's side of next-auth's credentials answer, which next-auth builds itself:
 *
 * - A refusal by the throttle (`?error=TooManyRequests.<seconds>`, see authorize.ts) becomes a 429
 *   with Retry-After, like our own routes' refusals. next-auth's client reads the body of any status,
 *   so the form still gets its code and says the wait in words. Without JavaScript the answer stays
 *   next-auth's redirect (a browser would not follow a 429), and the login page says the same words
 *   from the code in its address.
 * - A successful sign-in sets the known-device cookie authorize() asked for (sign-in-answer.ts), only
 *   when next-auth really set a session: the browser is known once it is signed in, never before.
 */
export function withSignInThrottle<Context>(
  handler: (request: Request, context: Context) => Promise<Response>,
): (request: Request, context: Context) => Promise<Response> {
  return (request, context) =>
    withSignInAnswer(async (answer) => {
      const response = await handler(request, context);
      if (request.method !== "POST") return response;
      if (answer.knownDevice && setsSessionCookie(response)) {
        return copy(response, response.status, (headers) =>
          headers.append("Set-Cookie", knownDeviceSetCookie(answer.knownDevice!)),
        );
      }
      if (!response.headers.get("content-type")?.includes("application/json")) return response;
      const text = await response.clone().text();
      const wait = retryAfterOf(errorCodeIn(text));
      if (wait === undefined) return response;
      return new Response(text, {
        status: 429,
        headers: withHeader(response.headers, "Retry-After", String(wait)),
      });
    });
}

function copy(response: Response, status: number, edit: (headers: Headers) => void): Response {
  const headers = new Headers(response.headers);
  edit(headers);
  return new Response(response.body, { status, statusText: response.statusText, headers });
}

function withHeader(source: Headers, name: string, value: string): Headers {
  const headers = new Headers(source);
  headers.set(name, value);
  return headers;
}

/** The `error` code of next-auth's JSON answer `{ url }`, if it has one. */
function errorCodeIn(json: string): string | undefined {
  try {
    const { url } = JSON.parse(json) as { url?: unknown };
    if (typeof url !== "string") return undefined;
    return new URL(url, "http://x").searchParams.get("error") ?? undefined;
  } catch {
    return undefined;
  }
}

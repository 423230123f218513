import "server-only";
import { SIGN_IN_ERROR } from "./authorize";

/**
 * next-auth answers a failed credentials sign-in with 401 and the error in a URL (`{ url:
 * "/login?error=ServiceUnavailable" }`), whatever the cause. When the cause is Directus being
 * unreachable, say so in the status too: 503 with Retry-After, like our own routes. next-auth's client
 * reads the body of any status, so the form still shows its message.
 */
export function withUnavailableStatus<Context>(
  handler: (request: Request, context: Context) => Promise<Response>,
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    const response = await handler(request, context);
    if (request.method !== "POST") return response;
    if (!response.headers.get("content-type")?.includes("application/json")) return response;
    const text = await response.clone().text();
    if (!reportsUnavailable(text)) return response;
    const headers = new Headers(response.headers);
    headers.set("Retry-After", "30");
    return new Response(text, { status: 503, headers });
  };
}

function reportsUnavailable(json: string): boolean {
  try {
    const { url } = JSON.parse(json) as { url?: unknown };
    if (typeof url !== "string") return false;
    return new URL(url, "http://x").searchParams.get("error") === SIGN_IN_ERROR.serviceUnavailable;
  } catch {
    return false;
  }
}

import "server-only";
import { NextRequest } from "next/server";
import { sameOriginPath } from "@/lib/validations/callback-path";
import { jsonResult } from "@/lib/http/responses";

/**
 * What reaches next-auth: only the endpoints this app uses, with a callback URL it cannot choke on.
 *
 * next-auth answers 500 for a GET of the credentials callback ("not supported") and for a
 * `callbackUrl` query parameter or callback-url cookie that is not a valid http URL (its config
 * assertion treats them as a server misconfiguration). Unknown endpoints get 404 and known ones the
 * wrong method 405 with `Allow`; a callback URL is reduced to a same-origin path before next-auth
 * reads it, as the redirect callback in lib/auth/options.ts does for the one in a form body.
 */

const ENDPOINTS: Record<string, readonly string[]> = {
  session: ["GET", "POST"],
  csrf: ["GET"],
  providers: ["GET"],
  signin: ["GET"],
  "signin/credentials": ["GET", "POST"],
  "callback/credentials": ["POST"],
  signout: ["GET", "POST"],
  error: ["GET"],
  _log: ["POST"],
};

const CALLBACK_URL_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"];

/** The endpoint under `/api/auth/`, e.g. "callback/credentials"; undefined when not well-formed. */
function endpointOf(pathname: string): string | undefined {
  const match = /^\/api\/auth\/(.+?)\/?$/.exec(pathname);
  return match?.[1];
}

function allowedMethods(endpoint: string | undefined): readonly string[] | undefined {
  // Own keys only: "constructor" and friends are not endpoints.
  return endpoint !== undefined && Object.hasOwn(ENDPOINTS, endpoint)
    ? ENDPOINTS[endpoint]
    : undefined;
}

/** The request next-auth may see, or the 404 / 405 answer for one it must not. */
export function screenNextAuthRequest(request: Request): Request | Response {
  const url = new URL(request.url);
  const allowed = allowedMethods(endpointOf(url.pathname));
  if (!allowed) return jsonResult({ ok: false, message: "Not found." }, 404);
  const method = request.method === "HEAD" ? "GET" : request.method;
  if (!allowed.includes(method)) {
    const response = jsonResult({ ok: false, message: "This method is not allowed here." }, 405);
    response.headers.set(
      "Allow",
      [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : [])].join(", "),
    );
    return response;
  }
  return withSafeCallbackUrls(request, url, method);
}

/** `method` is the request's, except HEAD: GET without a body (Next strips it); next-auth only knows GET. */
function withSafeCallbackUrls(request: Request, url: URL, method: string): Request | Response {
  // next-auth reads cookies from the incoming request itself (next/headers), so a bad one cannot be
  // filtered out here: it is cleared, and the browser told to try again.
  const unsafeCookies = unsafeCallbackCookies(request.headers.get("cookie"), url.origin);
  if (unsafeCookies.length > 0) {
    const response = jsonResult(
      { ok: false, message: "Your browser sent an address we cannot use. Try again." },
      400,
    );
    for (const name of unsafeCookies) response.headers.append("Set-Cookie", expiredCookie(name));
    return response;
  }
  const callbackUrl = url.searchParams.get("callbackUrl");
  const safe = callbackUrl === null ? null : sameOriginPath(callbackUrl, url.origin, "/");
  if (safe === callbackUrl && method === request.method) return request;
  if (safe !== null) url.searchParams.set("callbackUrl", safe);
  // `duplex` is what streaming a body into a new Request needs; Next's init type does not list it.
  const init = { method, headers: request.headers, body: request.body, duplex: "half" };
  return new NextRequest(url, init as ConstructorParameters<typeof NextRequest>[1]);
}

/** next-auth's own test of a callback URL (a foreign one is fine: the redirect callback drops it). */
function isHttpUrl(value: string, origin: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? origin : undefined).protocol);
  } catch {
    return false;
  }
}

/** Callback-url cookies whose value next-auth would refuse with a 500. */
function unsafeCallbackCookies(header: string | null, origin: string): string[] {
  const unsafe: string[] = [];
  for (const pair of header?.split(";") ?? []) {
    const separator = pair.indexOf("=");
    if (separator < 0) continue;
    const name = pair.slice(0, separator).trim();
    if (!CALLBACK_URL_COOKIES.includes(name)) continue;
    let value: string;
    try {
      value = decodeURIComponent(pair.slice(separator + 1).trim());
    } catch {
      unsafe.push(name);
      continue;
    }
    if (!isHttpUrl(value, origin)) unsafe.push(name);
  }
  return unsafe;
}

function expiredCookie(name: string): string {
  const secure = name.startsWith("__Secure-") ? "; Secure" : "";
  return `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure}`;
}

/** Wraps next-auth's route handler with screenNextAuthRequest(). */
export function withKnownEndpoints<Context>(
  handler: (request: Request, context: Context) => Promise<Response>,
): (request: Request, context: Context) => Promise<Response> {
  return async (request, context) => {
    const screened = screenNextAuthRequest(request);
    return screened instanceof Response ? screened : handler(screened, context);
  };
}

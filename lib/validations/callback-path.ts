import { ROUTES } from "@/lib/routes";

/**
 * Where to go after signing in or out. Only a same-origin path is accepted, so a crafted link such as
 * `/login?callbackUrl=https://evil.example` cannot turn the sign-in page into an open redirect. Never
 * throws, whatever the input: the browser's form and next-auth's redirect callback both rely on that.
 */
export function safeCallbackPath(
  raw: string | null | undefined,
  origin: string,
  fallback: string = ROUTES.afterSignIn,
): string {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\"))
    return fallback;
  try {
    // The URL parser drops tabs and newlines and treats "\" as "/", so compare what it resolves to.
    const url = new URL(raw, origin);
    if (url.origin !== new URL(origin).origin) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

/**
 * The same-origin path of `raw`, which may also be an absolute URL on `origin` (next-auth hands its
 * redirect callback both kinds); `fallback` for anything else, including URLs that do not parse.
 */
export function sameOriginPath(raw: string, origin: string, fallback: string): string {
  let candidate = raw;
  try {
    const url = new URL(raw);
    if (url.origin !== new URL(origin).origin) return fallback;
    candidate = `${url.pathname}${url.search}${url.hash}`;
  } catch {
    // Not absolute (or not a URL at all): judged as a path below.
  }
  return safeCallbackPath(candidate, origin, fallback);
}

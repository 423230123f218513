import "server-only";
import type { JWT } from "next-auth/jwt";
import { getEnv, secureCookies } from "@/lib/env";
import { KEPT_SESSION_COOKIE } from "./kept-session";
import { decodeSession } from "./session-jwt";

/**
 * next-auth's session cookie, named and configured exactly as next-auth does it (its `defaultCookies`
 * is not exported): HttpOnly, SameSite=Lax, Path=/, and Secure with the __Secure- prefix when the app's
 * public URL is https. The proxy rewrites this cookie after a refresh, so both must agree.
 */
export function sessionCookieName(): string {
  return `${secureCookies() ? "__Secure-" : ""}next-auth.session-token`;
}

export function sessionCookieOptions() {
  return {
    httpOnly: true,
    sameSite: "lax" as const,
    path: "/",
    secure: secureCookies(),
    maxAge: getEnv().SESSION_MAX_AGE_SECONDS,
  };
}

type CookieReader = { getAll(): Array<{ name: string; value: string }> };
type CookieWriter = {
  set(name: string, value: string, options: ReturnType<typeof sessionCookieOptions>): unknown;
};

/**
 * Sets the session cookie to `value`, or clears it (`null`), on a response's or a Server Action's
 * cookies. Every chunk in `existing` (the names the browser sent) other than the new cookie is cleared:
 * chunks (`name.0`…) of an older, larger cookie must not be read back together with the new one.
 * Deleting a __Secure- cookie needs the same Secure/Path attributes as setting it. Clearing the
 * session also clears its kept marker (lib/auth/kept-session.ts).
 */
export function writeSessionCookie(
  jar: CookieWriter,
  existing: readonly string[],
  value: string | null,
): void {
  const name = sessionCookieName();
  const options = sessionCookieOptions();
  for (const stale of existing) {
    if (value === null || stale !== name) jar.set(stale, "", { ...options, maxAge: 0 });
  }
  if (value !== null) jar.set(name, value, options);
  else jar.set(KEPT_SESSION_COOKIE, "", { ...options, maxAge: 0 });
}

/**
 * Tells the door the session cookie needs nothing from the proxy for `seconds`
 * (lib/auth/kept-session.ts): set with the session cookie's own attributes, for that long.
 */
export function writeKeptMarker(jar: CookieWriter, seconds: number, now = Date.now()): void {
  const until = String(Math.floor(now / 1000) + seconds);
  jar.set(KEPT_SESSION_COOKIE, until, { ...sessionCookieOptions(), maxAge: seconds });
}

/** Names of the session cookie and of any chunks (`.0`, `.1`…) next-auth splits a large one into. */
export function sessionCookieNames(cookies: CookieReader): string[] {
  const name = sessionCookieName();
  return cookies
    .getAll()
    .map((c) => c.name)
    .filter((n) => n === name || n.startsWith(`${name}.`));
}

/** Whether an answer sets a session cookie (or a chunk of one), as a successful sign-in does. */
export function setsSessionCookie(response: Response): boolean {
  const name = sessionCookieName();
  return response.headers
    .getSetCookie()
    .some((line) => line.startsWith(`${name}=`) || line.startsWith(`${name}.`));
}

/** The encrypted session token, reassembled from chunks the way next-auth's SessionStore does. */
export function readSessionCookie(cookies: CookieReader): string | undefined {
  const name = sessionCookieName();
  const parts = cookies
    .getAll()
    .filter((c) => c.name === name || c.name.startsWith(`${name}.`))
    .sort((a, b) => chunkIndex(a.name) - chunkIndex(b.name));
  const value = parts.map((c) => c.value).join("");
  return value || undefined;
}

function chunkIndex(name: string): number {
  const suffix = Number.parseInt(name.split(".").pop() ?? "", 10);
  return Number.isNaN(suffix) ? 0 : suffix;
}

/**
 * The claims of the browser's session cookie, or null when it sent none or it does not decode
 * (expired, tampered, sealed with an old NEXTAUTH_SECRET): either way, no session.
 */
export async function readSessionToken(cookies: CookieReader): Promise<JWT | null> {
  const raw = readSessionCookie(cookies);
  if (!raw) return null;
  return decodeSession({ token: raw, secret: getEnv().NEXTAUTH_SECRET }).catch(() => null);
}

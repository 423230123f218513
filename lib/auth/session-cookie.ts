import "server-only";
import { getEnv } from "@/lib/env";

/**
 * next-auth's session cookie, named and configured exactly as next-auth does it (its `defaultCookies`
 * is not exported): HttpOnly, SameSite=Lax, Path=/, and Secure with the __Secure- prefix when the app's
 * public URL is https. The proxy rewrites this cookie after a refresh, so both must agree.
 */
export function secureCookies(): boolean {
  return getEnv().NEXTAUTH_URL.startsWith("https://");
}

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

/** Names of the session cookie and of any chunks (`.0`, `.1`…) next-auth splits a large one into. */
export function sessionCookieNames(cookies: CookieReader): string[] {
  const name = sessionCookieName();
  return cookies
    .getAll()
    .map((c) => c.name)
    .filter((n) => n === name || n.startsWith(`${name}.`));
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

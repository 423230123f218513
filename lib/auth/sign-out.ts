import "server-only";
import { endSessionEverywhere } from "./end-session";
import {
  readSessionToken,
  sessionCookieNames,
  writeSessionCookie,
  type sessionCookieOptions,
} from "./session-cookie";

type CookieJar = {
  getAll(): Array<{ name: string; value: string }>;
  set(name: string, value: string, options: ReturnType<typeof sessionCookieOptions>): unknown;
};

/**
 * Ends the Directus session behind this browser's session cookie, if it holds one (the same as
 * next-auth's `events.signOut`, lib/auth/options.ts). The cookie itself is left to the caller: a
 * sign-out clears it, a new sign-in overwrites it. A cookie that does not decode (expired, tampered,
 * an old secret) stands for no session.
 */
export async function endBrowserSession(jar: Pick<CookieJar, "getAll">): Promise<void> {
  const token = await readSessionToken(jar);
  if (typeof token?.sessionToken === "string") await endSessionEverywhere(token.sessionToken);
}

/** Signs this browser out: ends its Directus session and clears the session cookie with every chunk. */
export async function signOutBrowser(jar: CookieJar): Promise<void> {
  await endBrowserSession(jar);
  writeSessionCookie(jar, sessionCookieNames(jar), null);
}

import "server-only";
import { getEnv } from "@/lib/env";
import { endSessionEverywhere } from "./end-session";
import {
  readSessionCookie,
  sessionCookieNames,
  writeSessionCookie,
  type sessionCookieOptions,
} from "./session-cookie";
import { decodeSession } from "./session-jwt";

type CookieJar = {
  getAll(): Array<{ name: string; value: string }>;
  set(name: string, value: string, options: ReturnType<typeof sessionCookieOptions>): unknown;
};

/**
 * Signs this browser out: ends the customer's Directus session (the same as next-auth's
 * `events.signOut`, lib/auth/options.ts) and clears the session cookie with every chunk of it. A
 * cookie that does not decode (expired, tampered, an old secret) is simply cleared.
 */
export async function signOutBrowser(jar: CookieJar): Promise<void> {
  const raw = readSessionCookie(jar);
  if (raw) {
    const token = await decodeSession({ token: raw, secret: getEnv().NEXTAUTH_SECRET }).catch(
      () => null,
    );
    if (typeof token?.sessionToken === "string") await endSessionEverywhere(token.sessionToken);
  }
  writeSessionCookie(jar, sessionCookieNames(jar), null);
}

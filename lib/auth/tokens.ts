import { createHash } from "node:crypto";
import type { User } from "next-auth";
import type { JWT } from "next-auth/jwt";
import type { DirectusSession } from "@/lib/directus/sessions";

/** The Directus session a next-auth session carries inside its encrypted cookie. */
export type SessionTokens = {
  sessionToken: string;
  /** Epoch milliseconds, from the session JWT. */
  sessionIssuedAt: number;
  sessionExpires: number;
};

export function sessionTokensOf(session: DirectusSession): SessionTokens {
  return {
    sessionToken: session.token,
    sessionIssuedAt: session.issuedAt,
    sessionExpires: session.expiresAt,
  };
}

/**
 * What the encrypted session cookie holds right after a sign-in: the customer's id and Directus
 * session, nothing else (next-auth's default name/email/picture claims are dropped on purpose).
 */
export function sessionClaimsOf(user: User): JWT {
  return {
    sub: user.id,
    sessionToken: user.sessionToken,
    sessionIssuedAt: user.sessionIssuedAt,
    sessionExpires: user.sessionExpires,
    signedInAt: user.signedInAt,
  };
}

/** The tokens in a decoded cookie, or undefined for a cookie without them (an older deployment's). */
export function sessionTokensIn(token: JWT): SessionTokens | undefined {
  const { sessionToken, sessionIssuedAt, sessionExpires } = token;
  if (typeof sessionToken !== "string" || !sessionToken) return undefined;
  if (typeof sessionIssuedAt !== "number" || typeof sessionExpires !== "number") return undefined;
  return { sessionToken, sessionIssuedAt, sessionExpires };
}

/** Slide a long session at most this often: each refresh is a write in Directus. */
const MAX_REFRESH_INTERVAL_MS = 60 * 60_000;

/**
 * Directus's session lifetime (SESSION_COOKIE_TTL) is the idle timeout: the JWT expires that long
 * after it was issued, and only a refresh moves it. So a request refreshes a session older than a
 * third of its lifetime, or than an hour for long ones: an active customer keeps sliding, and a
 * session idle for its whole lifetime ends.
 */
export function refreshIntervalMs(tokens: SessionTokens): number {
  const lifetime = tokens.sessionExpires - tokens.sessionIssuedAt;
  return Math.min(MAX_REFRESH_INTERVAL_MS, Math.max(0, Math.floor(lifetime / 3)));
}

export function needsRefresh(tokens: SessionTokens, now: number): boolean {
  return now >= tokens.sessionIssuedAt + refreshIntervalMs(tokens);
}

/** Session tokens are credentials: in-memory maps keep only this hash of them as keys. */
export function sessionTokenKey(sessionToken: string): string {
  return createHash("sha256").update(sessionToken).digest("base64url");
}

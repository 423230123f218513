import { createHash } from "node:crypto";
import { accessTokenClaims } from "@/lib/directus/token-claims";

/** The Directus tokens a session carries inside its encrypted cookie. */
export type SessionTokens = {
  accessToken: string;
  /** Epoch milliseconds. */
  accessTokenExpires: number;
  refreshToken: string;
};

/**
 * Directus's login/refresh answer in json mode: `expires` is the access token's lifetime in ms.
 * Anything incomplete is refused rather than stored, since a session without a refresh token
 * could never be renewed.
 */
export function sessionTokensFrom(data: unknown, now: number): SessionTokens | null {
  if (typeof data !== "object" || data === null) return null;
  const { access_token, refresh_token, expires } = data as Record<string, unknown>;
  if (typeof access_token !== "string" || !access_token) return null;
  if (typeof refresh_token !== "string" || !refresh_token) return null;
  let accessTokenExpires: number | undefined;
  if (typeof expires === "number" && Number.isFinite(expires) && expires > 0) {
    accessTokenExpires = now + expires;
  } else {
    const { exp } = accessTokenClaims(access_token);
    if (exp !== undefined) accessTokenExpires = exp * 1000;
  }
  if (accessTokenExpires === undefined) return null;
  return { accessToken: access_token, accessTokenExpires, refreshToken: refresh_token };
}

const MAX_MARGIN_MS = 60_000;

/**
 * Refresh this long before expiry: a minute for normal tokens, a third of the lifetime for very short
 * ones (a 5 s token would otherwise always look expired and be refreshed on every request).
 */
export function refreshMarginMs(tokens: SessionTokens): number {
  const { iat } = accessTokenClaims(tokens.accessToken);
  if (iat === undefined) return MAX_MARGIN_MS;
  const lifetime = tokens.accessTokenExpires - iat * 1000;
  if (lifetime <= 0) return MAX_MARGIN_MS;
  return Math.min(MAX_MARGIN_MS, Math.floor(lifetime / 3));
}

export function needsRefresh(tokens: SessionTokens, now: number): boolean {
  return now >= tokens.accessTokenExpires - refreshMarginMs(tokens);
}

/** Refresh tokens are credentials: in-memory maps keep only this hash of them as keys. */
export function refreshTokenKey(refreshToken: string): string {
  return createHash("sha256").update(refreshToken).digest("base64url");
}

/**
 * Reads the claims of a Directus access token without verifying its signature. Only for tokens this
 * server just received from Directus over its own connection: never for tokens a browser sent.
 */
export type AccessTokenClaims = { id?: string; iat?: number; exp?: number };

export function accessTokenClaims(token: string): AccessTokenClaims {
  const payload = token.split(".")[1];
  if (!payload) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) return {};
    const { id, iat, exp } = parsed as Record<string, unknown>;
    return {
      ...(typeof id === "string" ? { id } : {}),
      ...(typeof iat === "number" ? { iat } : {}),
      ...(typeof exp === "number" ? { exp } : {}),
    };
  } catch {
    return {};
  }
}

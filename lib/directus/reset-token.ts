import "server-only";

/**
 * Directus's reset token is a JWT whose payload names the account: `{ email, scope, hash }`. Read
 * without checking the signature: only Directus can tell a genuine token, so callers use the email
 * either after Directus accepted the token, or for something a forged one cannot abuse.
 */
export function resetTokenEmail(token: string): string | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (typeof claims !== "object" || claims === null) return undefined;
    const { email, scope } = claims as Record<string, unknown>;
    return scope === "password-reset" && typeof email === "string" ? email : undefined;
  } catch {
    return undefined;
  }
}

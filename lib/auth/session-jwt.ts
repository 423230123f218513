import "server-only";
import { hkdfSync, randomUUID } from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose";
import type { JWT, JWTDecodeParams, JWTEncodeParams } from "next-auth/jwt";

/**
 * next-auth's session cookie codec (`next-auth/jwt` encode and decode), byte for byte the same format:
 * a JWE, `dir` + A256GCM, under a key derived from NEXTAUTH_SECRET with HKDF-SHA256 and next-auth's
 * own info string. The one difference: the derived key is kept instead of derived again for every
 * cookie. next-auth derives it on each call, and that HKDF was the largest single cost of a protected
 * page (bench/README.md, figure 1). next-auth's endpoints use this codec too (authOptions.jwt), and a
 * unit test checks that each side opens what the other seals.
 */

const INFO = "NextAuth.js Generated Encryption Key";
/** As next-auth: the clock skew tolerated on `exp`. */
const CLOCK_TOLERANCE_SECONDS = 15;
const DEFAULT_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

let derived: { secret: string; salt: string; key: Uint8Array } | null = null;

function derive(secret: string | Buffer, salt: string): Uint8Array {
  const info = salt ? `${INFO} (${salt})` : INFO;
  return new Uint8Array(hkdfSync("sha256", secret, salt, info, 32));
}

/** The app passes NEXTAUTH_SECRET, one string for the life of the process: its key is kept. */
function encryptionKey(secret: string | Buffer, salt: string): Uint8Array {
  if (typeof secret !== "string") return derive(secret, salt);
  if (derived?.secret !== secret || derived.salt !== salt) {
    derived = { secret, salt, key: derive(secret, salt) };
  }
  return derived.key;
}

export async function encodeSession({
  token = {},
  secret,
  maxAge = DEFAULT_MAX_AGE_SECONDS,
  salt = "",
}: JWTEncodeParams): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new EncryptJWT(token)
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt(now)
    .setExpirationTime(now + maxAge)
    .setJti(randomUUID())
    .encrypt(encryptionKey(secret, salt));
}

/** The session's claims; throws on a cookie that is expired, tampered or sealed with another secret. */
export async function decodeSession({
  token,
  secret,
  salt = "",
}: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const { payload } = await jwtDecrypt(token, encryptionKey(secret, salt), {
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  });
  return payload as JWT;
}

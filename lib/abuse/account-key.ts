import "server-only";
import { createHmac } from "node:crypto";
import { getEnv } from "@/lib/env";

/**
 * Emails are keyed by an HMAC under the app's secret, so that a shared store (Redis) never holds a
 * list of who tried to sign in: a plain hash of an email is confirmed by hashing a guess. Rotating
 * NEXTAUTH_SECRET starts every account's count afresh.
 */
export function accountKey(email: string): string {
  return createHmac("sha256", getEnv().NEXTAUTH_SECRET)
    .update(`rate-limit-account:${email.trim().toLowerCase()}`)
    .digest("base64url");
}

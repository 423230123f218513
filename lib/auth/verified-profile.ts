import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { CustomerProfile } from "@/lib/directus/sessions";
import { processWide } from "@/lib/process-wide";

/**
 * The hand-over from proxy.ts to the pages of one request: the proxy has just read the customer's
 * profile from Directus with their own session (which proved the session alive), and passes it on in
 * a request header so the page need not ask Directus a second time.
 *
 * The proxy always replaces or removes this header, so a browser cannot supply it; it is sealed with
 * a key that never leaves this process all the same, so a page reached some other way (a future
 * matcher change) finds no profile instead of trusting a forged one.
 */
export const VERIFIED_PROFILE_HEADER = "x-customer-auth-profile";

function key(): Buffer {
  return processWide("verified-profile-key", () => randomBytes(32));
}

function mac(payload: string): Buffer {
  return createHmac("sha256", key()).update(payload).digest();
}

export function sealProfile(profile: CustomerProfile): string {
  const payload = Buffer.from(JSON.stringify(profile)).toString("base64url");
  return `${payload}.${mac(payload).toString("base64url")}`;
}

function isProfile(value: unknown): value is CustomerProfile {
  if (typeof value !== "object" || value === null) return false;
  const { id, email, firstName, lastName } = value as Record<string, unknown>;
  return [id, email, firstName, lastName].every((field) => typeof field === "string");
}

export function openProfile(sealed: string | null | undefined): CustomerProfile | null {
  const [payload, signature, extra] = sealed?.split(".") ?? [];
  if (!payload || !signature || extra !== undefined) return null;
  const expected = mac(payload);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    return isProfile(value) ? value : null;
  } catch {
    return null;
  }
}

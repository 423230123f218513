import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { getEnv, secureCookies } from "@/lib/env";
import { ROUTES } from "@/lib/routes";
import { accountKey } from "./account-key";

/**
 * The known-device cookie (OWASP "Blocking Brute Force Attacks", device cookies). After a successful
 * sign-in the browser keeps a long-lived signed cookie that binds it to that account. A later sign-in
 * for the same email that presents it is the owner's returning browser with high likelihood, so it is
 * throttled on its own small budget (budgets.ts) instead of the account-wide ceiling that anyone who
 * knows the email can fill.
 *
 * Value: `v1.<device id>.<expiry, unix seconds>.<mac>`, the MAC an HMAC-SHA256 under a key derived
 * from NEXTAUTH_SECRET over the id, the expiry and the account's key (account-key.ts), so the cookie
 * names no account: it only verifies for the email it was issued to. The device id keys the device's
 * own budget, so a stolen cookie gets a few guesses and then is locked out like anyone else.
 * Rotating NEXTAUTH_SECRET forgets every known device.
 */

const VERSION = "v1";
const DAY = 24 * 60 * 60;
/** Long enough that a customer who signs in a few times a year stays known. Renewed on every success. */
export const KNOWN_DEVICE_MAX_AGE_SECONDS = 180 * DAY;

/**
 * Only the sign-in form's post reads it (a Server Action posts to the page it is on): no other request
 * carries it. next-auth's own credentials endpoint never sees it, so a sign-in there always counts
 * against the account-wide budget.
 */
const COOKIE_PATH = ROUTES.signIn;

export function knownDeviceCookieName(): string {
  return `${secureCookies() ? "__Secure-" : ""}known-device`;
}

function deviceKey(): Buffer {
  return createHmac("sha256", getEnv().NEXTAUTH_SECRET).update("known-device-cookie").digest();
}

function mac(deviceId: string, expires: number, email: string): Buffer {
  return createHmac("sha256", deviceKey())
    .update(`${VERSION}.${deviceId}.${expires}.${accountKey(email)}`)
    .digest();
}

/** A signed value for this email; `deviceId` keeps the id of a browser that is already known. */
export function signKnownDevice(
  email: string,
  { deviceId = randomBytes(16).toString("base64url"), now = Date.now() } = {},
): string {
  const expires = Math.floor(now / 1000) + KNOWN_DEVICE_MAX_AGE_SECONDS;
  return `${VERSION}.${deviceId}.${expires}.${mac(deviceId, expires, email).toString("base64url")}`;
}

/** The device id when `value` is a genuine, unexpired cookie issued for this email; else undefined. */
export function verifyKnownDevice(
  value: string | undefined,
  email: string,
  now = Date.now(),
): string | undefined {
  if (!value || value.length > 200) return undefined;
  const [version, deviceId, expiresText, given, ...rest] = value.split(".");
  if (version !== VERSION || !deviceId || !expiresText || !given || rest.length > 0)
    return undefined;
  if (!/^[A-Za-z0-9_-]{22}$/.test(deviceId) || !/^\d{1,12}$/.test(expiresText)) return undefined;
  const expires = Number(expiresText);
  if (expires * 1000 <= now) return undefined;
  // Compared as text: base64url decoding would accept other spellings of the same bytes.
  const expected = Buffer.from(mac(deviceId, expires, email).toString("base64url"));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  return deviceId;
}

/** The cookie's value from a request's Cookie header (next-auth hands authorize the headers only). */
export function knownDeviceCookie(cookieHeader: string | undefined): string | undefined {
  const name = knownDeviceCookieName();
  for (const pair of (cookieHeader ?? "").split(";")) {
    const at = pair.indexOf("=");
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** httpOnly, SameSite=Lax and Secure like next-auth's own cookies. */
export function knownDeviceCookieOptions() {
  return {
    path: COOKIE_PATH,
    maxAge: KNOWN_DEVICE_MAX_AGE_SECONDS,
    httpOnly: true,
    sameSite: "lax" as const,
    secure: secureCookies(),
  };
}

/** The same cookie as a Set-Cookie line, for next-auth's answer (lib/auth/next-auth-throttle.ts). */
export function knownDeviceSetCookie(value: string): string {
  const options = knownDeviceCookieOptions();
  return [
    `${knownDeviceCookieName()}=${value}`,
    `Path=${options.path}`,
    `Max-Age=${options.maxAge}`,
    "HttpOnly",
    "SameSite=Lax",
    ...(options.secure ? ["Secure"] : []),
  ].join("; ");
}

import "server-only";
import type { JWT } from "next-auth/jwt";
import { classifyDirectusError, describeFailure, isSessionRefused } from "@/lib/directus/errors";
import { readOwnProfile, type CustomerProfile } from "@/lib/directus/sessions";
import { getEnv } from "@/lib/env";
import { endSessionEverywhere } from "./end-session";
import { refreshSession } from "./refresh";
import { refreshIntervalMs, sessionTokensIn } from "./tokens";

/**
 * Whether a decoded session cookie still stands for a live Directus session. Directus is the
 * authority: a request that shows the customer's data reads it with the customer's own session, and
 * that read is the check, so a session Directus ended (sign-out on another device, suspension,
 * password or email change, deletion) is refused on its next request, in every app process, with
 * nothing cached in between.
 *
 * Two halves, asked in two places: proxy.ts keeps the cookie (its absolute lifetime, the slide when
 * it is due: `checkSession`), and the page that shows the data reads it (`readLiveProfile`, through
 * lib/auth/session.ts), so the read overlaps the page's own rendering instead of coming before it.
 */
export type LiveSession =
  | { kind: "active"; refreshed?: JWT; profile?: CustomerProfile }
  | { kind: "ended" }
  /** Directus could not say. Never a reason to sign anyone out; the caller answers 503. */
  | { kind: "unavailable"; refreshed?: JWT };

/** Past its absolute lifetime, however active; also a cookie from before the lifetime was recorded. */
export function pastAbsoluteLifetime(token: JWT, now: number): boolean {
  const { signedInAt } = token;
  if (typeof signedInAt !== "number") return true;
  return now - signedInAt >= getEnv().SESSION_ABSOLUTE_MAX_AGE * 1000;
}

/**
 * How long, from `now`, this session cookie needs nothing from the proxy: until its slide is due or
 * its absolute lifetime ends, whichever is first; 0 when either is already here.
 */
export function keptForSeconds(token: JWT, now: number): number {
  const tokens = sessionTokensIn(token);
  if (!tokens || typeof token.signedInAt !== "number") return 0;
  const slideDue = tokens.sessionIssuedAt + refreshIntervalMs(tokens);
  const lifetimeEnds = token.signedInAt + getEnv().SESSION_ABSOLUTE_MAX_AGE * 1000;
  return Math.max(0, Math.floor((Math.min(slideDue, lifetimeEnds) - now) / 1000));
}

export async function checkSession(
  token: JWT,
  { needProfile, now = Date.now() }: { needProfile: boolean; now?: number },
): Promise<LiveSession> {
  if (pastAbsoluteLifetime(token, now)) {
    // Its Directus session must not linger for whoever holds a copy of the cookie.
    const tokens = sessionTokensIn(token);
    if (tokens) await endSessionEverywhere(tokens.sessionToken);
    return { kind: "ended" };
  }
  const outcome = await refreshSession(token);
  if (outcome.kind === "ended") return { kind: "ended" };
  const refreshed = outcome.kind === "refreshed" ? outcome.token : undefined;
  if (!needProfile) return { kind: "active", refreshed };
  if (outcome.kind === "unavailable") return { kind: "unavailable", refreshed };

  const read = await readLiveProfile(refreshed ?? token);
  if (read.kind === "active") return { ...read, refreshed };
  return read.kind === "ended" ? read : { kind: "unavailable", refreshed };
}

export type LiveProfile =
  { kind: "active"; profile: CustomerProfile } | { kind: "ended" } | { kind: "unavailable" };

/** The customer's profile, read from Directus with the session in `token`: the liveness check. */
export async function readLiveProfile(token: JWT): Promise<LiveProfile> {
  const tokens = sessionTokensIn(token);
  if (!tokens) return { kind: "ended" };
  try {
    const profile = await readOwnProfile(tokens.sessionToken);
    // Only the id Directus verified counts; the cookie's own `sub` is never trusted over it.
    if (profile && profile.id === token.sub) return { kind: "active", profile };
    console.error("session: the customer API answered a profile that does not fit the session");
    return { kind: "unavailable" };
  } catch (error) {
    const failure = classifyDirectusError(error);
    // Anything but Directus's refusal (a missing extension's 404, a 5xx, a timeout) is our problem,
    // not the customer's: keep the session and answer 503.
    if (isSessionRefused(failure)) return { kind: "ended" };
    const log = failure.kind === "unavailable" ? console.warn : console.error;
    log(`session: could not read the profile: ${describeFailure(failure)}`);
    return { kind: "unavailable" };
  }
}

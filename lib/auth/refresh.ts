import "server-only";
import type { JWT } from "next-auth/jwt";
import { classifyDirectusError, describeFailure, isRefusal } from "@/lib/directus/errors";
import { renewSession } from "@/lib/directus/sessions";
import { processWide } from "@/lib/process-wide";
import { isSignOutPending } from "./pending-sign-outs";
import {
  needsRefresh,
  sessionTokenKey as keyOf,
  sessionTokensIn,
  sessionTokensOf,
  type SessionTokens,
} from "./tokens";

/**
 * Slides a session's Directus session token before it expires.
 *
 * Directus keeps a refreshed session's old token alive for SESSION_REFRESH_GRACE_PERIOD and hands
 * every refresh within it the same successor, so parallel refreshes in several processes all succeed.
 * Within one process a browser still fires several requests at once (page, RSC payloads, prefetches)
 * with the same cookie, so, to make one Directus call per burst:
 * - concurrent callers with the same token share one Directus call (single flight), and
 * - the successor is kept for REUSE_WINDOW_MS, so requests that still carry the old cookie get it
 *   without asking Directus again.
 */

export type RefreshOutcome =
  | { kind: "still-valid" }
  | { kind: "refreshed"; token: JWT }
  /** Directus says the session is over: signed out, expired, suspended, deleted or password changed. */
  | { kind: "ended" }
  /** Directus could not be asked: keep the session and try again on the next request. */
  | { kind: "unavailable" };

type CallResult =
  { kind: "refreshed"; tokens: SessionTokens } | { kind: "ended" } | { kind: "unavailable" };

export type RefreshDeps = {
  now: () => number;
  callRefresh: (sessionToken: string) => Promise<CallResult>;
};

export const REUSE_WINDOW_MS = 60_000;

type Entry = {
  promise: Promise<CallResult>;
  settledAt?: number;
  /** Key of the session token this one was rotated into, to follow chains of rotations. */
  successor?: string;
};

/** Process-wide: sign-out (a route handler) must be able to drop what the proxy cached. */
function flights(): Map<string, Entry> {
  return processWide("refresh-flights", () => new Map<string, Entry>());
}

function sweep(now: number): void {
  for (const [key, entry] of flights()) {
    const expired = entry.settledAt !== undefined && now - entry.settledAt > REUSE_WINDOW_MS;
    if (expired) flights().delete(key);
  }
}

function flight(sessionToken: string, deps: RefreshDeps): Promise<CallResult> {
  const key = keyOf(sessionToken);
  const existing = flights().get(key);
  if (existing) return existing.promise;

  const entry: Entry = {
    promise: deps
      .callRefresh(sessionToken)
      .catch((): CallResult => ({ kind: "unavailable" }))
      .then((result) => {
        if (flights().get(key) !== entry) return result;
        if (result.kind === "unavailable") {
          // Nothing was spent: the next request may try again right away.
          flights().delete(key);
        } else {
          entry.settledAt = deps.now();
          if (result.kind === "refreshed") entry.successor = keyOf(result.tokens.sessionToken);
        }
        return result;
      }),
  };
  flights().set(key, entry);
  return entry.promise;
}

/**
 * A late request may carry a token that was rotated twice already (old cookie, then a newer one that
 * was refreshed too): follow the chain to the newest tokens.
 */
async function newest(result: CallResult): Promise<CallResult> {
  let current = result;
  for (let hop = 0; hop < 10 && current.kind === "refreshed"; hop++) {
    const next = flights().get(keyOf(current.tokens.sessionToken));
    if (!next) break;
    const after = await next.promise;
    if (after.kind === "unavailable") break;
    current = after;
  }
  return current;
}

async function callDirectusRefresh(sessionToken: string): Promise<CallResult> {
  try {
    const session = await renewSession(sessionToken);
    if (session) return { kind: "refreshed", tokens: sessionTokensOf(session) };
    console.error("refresh: Directus answered without a usable session token");
    return { kind: "unavailable" };
  } catch (error) {
    const failure = classifyDirectusError(error);
    if (failure.kind === "unavailable" || failure.kind === "rate_limited") {
      console.warn(`refresh: Directus unavailable: ${describeFailure(failure)}`);
      return { kind: "unavailable" };
    }
    // Any other refusal means this refresh token will never work again.
    if (isRefusal(failure)) return { kind: "ended" };
    console.error(`refresh: unexpected answer from Directus: ${describeFailure(failure)}`);
    return { kind: "unavailable" };
  }
}

const defaultDeps: RefreshDeps = { now: () => Date.now(), callRefresh: callDirectusRefresh };

export async function refreshSession(
  token: JWT,
  overrides: Partial<RefreshDeps> = {},
): Promise<RefreshOutcome> {
  const deps = { ...defaultDeps, ...overrides };
  const tokens = sessionTokensIn(token);
  if (!tokens) return { kind: "ended" };
  // Signed out while Directus was unreachable: a copy of the old cookie must not revive the session.
  if (isSignOutPending(tokens.sessionToken, deps.now())) return { kind: "ended" };
  if (!needsRefresh(tokens, deps.now())) return { kind: "still-valid" };
  sweep(deps.now());

  let current = tokens;
  // Cached tokens can themselves be due again when sessions live only seconds (tests).
  for (let round = 0; round < 3; round++) {
    const result = await newest(await flight(current.sessionToken, deps));
    if (result.kind !== "refreshed") return { kind: result.kind };
    current = result.tokens;
    if (!needsRefresh(current, deps.now())) break;
  }
  return { kind: "refreshed", token: { ...token, ...current } };
}

/** The session token this one was (or is being) rotated into, if this process knows. */
export async function newestSessionToken(sessionToken: string): Promise<string> {
  let current = sessionToken;
  for (let hop = 0; hop < 10; hop++) {
    const entry = flights().get(keyOf(current));
    if (!entry) break;
    const result = await entry.promise;
    if (result.kind !== "refreshed") break;
    current = result.tokens.sessionToken;
  }
  return current;
}

/**
 * At sign-out: forget this session token and every older one rotated into it, so a replayed old
 * cookie cannot pick up cached tokens of a session that no longer exists.
 */
export function forgetSessionToken(sessionToken: string): void {
  const dropped = new Set([keyOf(sessionToken)]);
  flights().delete(keyOf(sessionToken));
  let changed = true;
  while (changed) {
    changed = false;
    for (const [key, entry] of flights()) {
      if (entry.successor !== undefined && dropped.has(entry.successor)) {
        flights().delete(key);
        dropped.add(key);
        changed = true;
      }
    }
  }
}

export function resetRefreshCacheForTests(): void {
  flights().clear();
}

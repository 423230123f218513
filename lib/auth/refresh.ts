import "server-only";
import { refresh } from "@directus/sdk";
import type { JWT } from "next-auth/jwt";
import { publicClient } from "@/lib/directus/client";
import { classifyDirectusError, describeFailure, isRefusal } from "@/lib/directus/errors";
import { isSignOutPending } from "./pending-sign-outs";
import { processWide } from "@/lib/process-wide";
import {
  needsRefresh,
  refreshTokenKey as keyOf,
  sessionTokensFrom,
  type SessionTokens,
} from "./tokens";

/**
 * Keeps a session's Directus access token fresh.
 *
 * Directus refresh tokens are single-use in json mode with no grace period: a second refresh with the
 * same token fails, and Directus then treats the session as over. A browser fires several requests at
 * once (page, RSC payloads, prefetches), all carrying the same cookie, so:
 * - concurrent callers with the same refresh token share one Directus call (single flight), and
 * - the rotated tokens are kept for REUSE_WINDOW_MS, so requests that still carry the old cookie get
 *   the same new tokens instead of spending the dead token again.
 */

export type RefreshOutcome =
  | { status: "still-valid" }
  | { status: "refreshed"; token: JWT }
  /** Directus says the session is over: revoked, expired, used refresh token, suspended or deleted user. */
  | { status: "ended" }
  /** Directus could not be asked: keep the session and try again on the next request. */
  | { status: "unavailable" };

type CallResult =
  { kind: "refreshed"; tokens: SessionTokens } | { kind: "ended" } | { kind: "unavailable" };

export type RefreshDeps = {
  now: () => number;
  callRefresh: (refreshToken: string) => Promise<CallResult>;
};

export const REUSE_WINDOW_MS = 60_000;

type Entry = {
  promise: Promise<CallResult>;
  settledAt?: number;
  /** Key of the refresh token this one was rotated into, to follow chains of rotations. */
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

function flight(refreshToken: string, deps: RefreshDeps): Promise<CallResult> {
  const key = keyOf(refreshToken);
  const existing = flights().get(key);
  if (existing) return existing.promise;

  const entry: Entry = {
    promise: deps
      .callRefresh(refreshToken)
      .catch((): CallResult => ({ kind: "unavailable" }))
      .then((result) => {
        if (flights().get(key) !== entry) return result;
        if (result.kind === "unavailable") {
          // Nothing was spent: the next request may try again right away.
          flights().delete(key);
        } else {
          entry.settledAt = deps.now();
          if (result.kind === "refreshed") entry.successor = keyOf(result.tokens.refreshToken);
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
    const next = flights().get(keyOf(current.tokens.refreshToken));
    if (!next) break;
    const after = await next.promise;
    if (after.kind === "unavailable") break;
    current = after;
  }
  return current;
}

function tokensOf(token: JWT): SessionTokens | undefined {
  const { accessToken, accessTokenExpires, refreshToken } = token;
  if (typeof accessToken !== "string" || typeof refreshToken !== "string") return undefined;
  if (typeof accessTokenExpires !== "number") return undefined;
  return { accessToken, accessTokenExpires, refreshToken };
}

async function callDirectusRefresh(refreshToken: string): Promise<CallResult> {
  try {
    const data = await publicClient().request(
      refresh({ mode: "json", refresh_token: refreshToken }),
    );
    const tokens = sessionTokensFrom(data, Date.now());
    if (tokens) return { kind: "refreshed", tokens };
    console.error("refresh: Directus answered without usable tokens");
    return { kind: "unavailable" };
  } catch (error) {
    const failure = classifyDirectusError(error);
    if (failure.outcome === "unavailable" || failure.outcome === "rate_limited") {
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
  const tokens = tokensOf(token);
  if (!tokens) return { status: "ended" };
  // Signed out while Directus was unreachable: a copy of the old cookie must not revive the session.
  if (isSignOutPending(tokens.refreshToken, deps.now())) return { status: "ended" };
  if (!needsRefresh(tokens, deps.now())) return { status: "still-valid" };
  sweep(deps.now());

  let current = tokens;
  // Cached tokens can themselves be near expiry when access tokens live only seconds.
  for (let round = 0; round < 3; round++) {
    const result = await newest(await flight(current.refreshToken, deps));
    if (result.kind !== "refreshed") return { status: result.kind };
    current = result.tokens;
    if (!needsRefresh(current, deps.now())) break;
  }
  return { status: "refreshed", token: { ...token, ...current } };
}

/** The refresh token this one was (or is being) rotated into, if this process knows. */
export async function newestRefreshToken(refreshToken: string): Promise<string> {
  let current = refreshToken;
  for (let hop = 0; hop < 10; hop++) {
    const entry = flights().get(keyOf(current));
    if (!entry) break;
    const result = await entry.promise;
    if (result.kind !== "refreshed") break;
    current = result.tokens.refreshToken;
  }
  return current;
}

/**
 * At sign-out: forget this refresh token and every older one rotated into it, so a replayed old
 * cookie cannot pick up cached tokens of a session that no longer exists.
 */
export function forgetRefreshToken(refreshToken: string): void {
  const dropped = new Set([keyOf(refreshToken)]);
  flights().delete(keyOf(refreshToken));
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

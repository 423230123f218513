import "server-only";
import { processWide } from "@/lib/process-wide";
import { sessionTokenKey as keyOf } from "./tokens";

/**
 * Sign-outs Directus has not heard of yet. When Directus cannot be reached at sign-out, the session
 * stays valid there, and a copy of the old cookie could bring it back once Directus returns. Until a
 * retry gets the session ended, this process refuses its token itself (see refresh.ts).
 *
 * In memory, like the refresh cache: it covers the process that handled the sign-out, for as long as
 * a session may live, and is lost on restart. Tokens are kept as hashes only.
 */

export const RETRY_DELAYS_MS = [5_000, 15_000, 60_000, 5 * 60_000, 15 * 60_000];
const MAX_ENTRIES = 10_000;

/** What one revocation attempt came to: done (or pointless to repeat), or worth another try. */
export type RevokeAttempt = { kind: "done" } | { kind: "retry" };

type Pending = { until: number; timer?: NodeJS.Timeout };

function pending(): Map<string, Pending> {
  return processWide("pending-sign-outs", () => new Map<string, Pending>());
}

function sweep(now: number): void {
  for (const [key, entry] of pending()) {
    if (entry.until <= now) forget(key);
  }
  // Oldest first (insertion order): a flood of sign-outs during an outage cannot grow this forever.
  for (const key of pending().keys()) {
    if (pending().size <= MAX_ENTRIES) break;
    forget(key);
  }
}

function forget(key: string): void {
  clearTimeout(pending().get(key)?.timer);
  pending().delete(key);
}

/**
 * Refuses `tokens` in this process until `lifetimeMs` has passed or `revoke` succeeds, retrying it
 * with growing delays (timers do not keep the process alive).
 */
export function revokeLater(
  tokens: string[],
  revoke: () => Promise<RevokeAttempt>,
  { lifetimeMs, now = Date.now() }: { lifetimeMs: number; now?: number },
): void {
  const keys = tokens.map(keyOf);
  const entry: Pending = { until: now + lifetimeMs };
  for (const key of keys) pending().set(key, entry);
  sweep(now);

  const attempt = (index: number) => {
    const delay = RETRY_DELAYS_MS[index];
    if (delay === undefined) return;
    entry.timer = setTimeout(() => {
      if (!keys.some((key) => pending().get(key) === entry)) return;
      void revoke()
        .catch((): RevokeAttempt => ({ kind: "retry" }))
        .then((result) => {
          if (result.kind === "done") for (const key of keys) forget(key);
          else attempt(index + 1);
        });
    }, delay);
    entry.timer.unref?.();
  };
  attempt(0);
}

export function isSignOutPending(sessionToken: string, now = Date.now()): boolean {
  const entry = pending().get(keyOf(sessionToken));
  return entry !== undefined && entry.until > now;
}

export function resetPendingSignOutsForTests(): void {
  for (const key of [...pending().keys()]) forget(key);
}

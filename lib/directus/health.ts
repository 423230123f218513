/**
 * Whether Directus is answering, as far as this Next process can tell.
 *
 * App Router pages cannot choose their own HTTP status (only 401, 403 and 404 exist for them), so a
 * page that fails for want of Directus would go out as a 500. The proxy asks here first and answers
 * 503 with a plain "temporarily unavailable" page instead. Every Directus call the app makes reports
 * its result (see boundedFetch in client.ts), so under traffic the answer is always fresh; a quiet
 * process pings `/server/ping` once the last report is older than a second.
 */

import { forgetProcessWide, processWide } from "@/lib/process-wide";

/**
 * How long a report stays believed. Within UP_FRESH_MS of the last good answer a page may still start
 * to render and then fail on Directus; it then sends the visitor back through the proxy
 * (lib/http/retry-through-proxy.ts), which answers 503. The cost is at most one ping a second in a
 * quiet process.
 */
export const UP_FRESH_MS = 1_000;
export const DOWN_FRESH_MS = 1_000;

type Health = { up: boolean; at: number; probe?: Promise<boolean> };

const NAME = "directus-health";

/** Process-wide: the proxy reads what the route handlers' calls reported. */
function state(): Health {
  return processWide(NAME, (): Health => ({ up: true, at: Number.NEGATIVE_INFINITY }));
}

/** A call answered (any status below 500) or failed (no answer, timeout, 5xx). */
export function reportDirectusHealth(up: boolean, now = Date.now()): void {
  const health = state();
  health.up = up;
  health.at = now;
}

/** Whether the latest report, however old, was a failure. */
export function lastReportedDown(): boolean {
  return !state().up;
}

export type HealthDeps = { now: () => number; ping: () => Promise<boolean> };

/**
 * True when Directus answered recently, or answers a ping now. Concurrent callers share one ping,
 * which is bounded by the same timeout as every other Directus call.
 */
export async function directusAvailable(deps: HealthDeps): Promise<boolean> {
  const health = state();
  const age = deps.now() - health.at;
  if (age < (health.up ? UP_FRESH_MS : DOWN_FRESH_MS)) return health.up;
  health.probe ??= deps
    .ping()
    .catch(() => false)
    .then((up) => {
      reportDirectusHealth(up, deps.now());
      return up;
    })
    .finally(() => {
      health.probe = undefined;
    });
  return health.probe;
}

export function resetDirectusHealthForTests(): void {
  forgetProcessWide(NAME);
}

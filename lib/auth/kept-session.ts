import { lastReportedDown } from "@/lib/directus/health";
import { requestPath } from "@/lib/http/request-path";
import { matchesAny, ROUTES } from "@/lib/routes";

/**
 * A protected page's plain read skips proxy.ts while its session cookie needs nothing from it.
 *
 * The proxy keeps the session cookie: its absolute lifetime and the slide of its Directus session,
 * due at most hourly. Whether Directus still honours the session is the page's own read
 * (lib/auth/session.ts). So between two slides a protected page needs nothing from the proxy, and
 * Next's proxy machinery alone costs a page about as much CPU as its whole rendering budget for auth
 * (docs/architecture.md, "One request to `/account`").
 *
 * - When the proxy finds a session active, it sets KEPT_SESSION_COOKIE to the time (epoch seconds)
 *   the cookie next needs it (the slide, or the end of the absolute lifetime, whichever comes first),
 *   and to expire then. The door compares the time too: not every client honours Max-Age.
 * - The door (lib/http/door.ts) marks a GET or HEAD of a protected page that carries that cookie
 *   with KEPT_SESSION_HEADER, overwriting any value a client sent, unless Directus was last reported
 *   down: the proxy must then answer with its 503 page.
 * - proxy.ts's matcher skips requests with that header. Posts (forms) and everything else still pass
 *   through the proxy.
 *
 * The marker is no credential: it only says "no slide is due yet". One that lies (planted, or left
 * from an earlier session) delays a slide, and the session's Directus token stays valid for three
 * times the slide interval (lib/auth/tokens.ts); the page still checks the session with Directus and
 * its absolute lifetime on every request.
 */
export const KEPT_SESSION_COOKIE = "customer-auth.session-kept";

/** Only the door sets it; proxy.ts's `config.matcher` names it literally (Next reads it statically). */
export const KEPT_SESSION_HEADER = "x-customer-auth-session-kept";

const KEPT_COOKIE_IN_HEADER = new RegExp(
  `(?:^|;)\\s*${KEPT_SESSION_COOKIE.replace(/[.]/g, "\\.")}=([^;]*)`,
);

/** Whether a marker's value (epoch seconds) is still ahead of `now` (epoch milliseconds). */
export function keptUntilAhead(value: string | undefined, now: number): boolean {
  return value !== undefined && /^\d{1,12}$/.test(value) && Number(value) * 1000 > now;
}

/** Plain paths only: Next may resolve a dot segment or an escape to some other page. */
const PLAIN_PATH = /^(?:\/[A-Za-z0-9_-]+)*\/?$/;

export type PlainRequest = {
  method?: string | undefined;
  url?: string | undefined;
  headers: Record<string, string | string[] | undefined>;
};

/** Whether this request may go straight to its page: see above. */
export function skipsProxy(request: PlainRequest): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  const pathname = requestPath(request.url);
  if (!PLAIN_PATH.test(pathname) || !matchesAny(ROUTES.protectedPages, pathname)) return false;
  const cookie = request.headers.cookie;
  if (typeof cookie !== "string") return false;
  if (!keptUntilAhead(KEPT_COOKIE_IN_HEADER.exec(cookie)?.[1], Date.now())) return false;
  return !lastReportedDown();
}

/** For the door: sets or removes KEPT_SESSION_HEADER on a request Next has not seen yet. */
export function markKeptSessionRead(request: PlainRequest): void {
  if (skipsProxy(request)) request.headers[KEPT_SESSION_HEADER] = "1";
  else delete request.headers[KEPT_SESSION_HEADER];
}

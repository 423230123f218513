import type { JWT } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { KEPT_SESSION_COOKIE, keptUntilAhead } from "@/lib/auth/kept-session";
import { checkSession, keptForSeconds, type LiveSession } from "@/lib/auth/live-session";
import { decodeSession, encodeSession } from "@/lib/auth/session-jwt";
import { isLinkTokenPage, linkTokenCookie, tokenInQuery } from "@/lib/auth/link-token";
import { isDirectusAvailable } from "@/lib/directus/client";
import {
  readSessionCookie,
  sessionCookieName,
  sessionCookieNames,
  writeKeptMarker,
  writeSessionCookie,
} from "@/lib/auth/session-cookie";
import { getEnv } from "@/lib/env";
import { matchesAny, ROUTES } from "@/lib/routes";
import { refuseMalformedActionPost } from "@/lib/http/action-post";
import { rejectCrossSite } from "@/lib/http/same-origin";
import { unavailablePage } from "@/lib/http/unavailable-page";
import { nonceInPolicy } from "@/lib/security/headers";

/**
 * Runs before pages: keeps visitors without a session off protected pages, sends signed-in ones away
 * from the sign-in pages, and keeps the session cookie: its absolute lifetime, and the slide of its
 * Directus session when due (lib/auth/live-session.ts). It lives here because the proxy can write
 * cookies for the browser and, through the forwarded request, for the server components rendering
 * this very request; a server component could do neither. Whether Directus still honours the session
 * is asked by whatever shows the customer's data: a protected page's own read (lib/auth/session.ts),
 * and here, for the session endpoint and for a sign-in page holding a cookie (before sending its
 * visitor on as signed in, or to clear a cookie a page found refused).
 *
 * A protected page's plain read skips the proxy while its cookie needs nothing from it: the door
 * marks such requests (lib/auth/kept-session.ts) and `config.matcher` leaves them out. The security
 * headers and the page's CSP nonce are set at the door too (lib/security/answer-headers.ts), so they
 * are on every answer, this proxy's included.
 */

function isProtected(pathname: string): boolean {
  return matchesAny(ROUTES.protectedPages, pathname);
}

const RETRY_AFTER_SECONDS = "30";

function isSignInPage(pathname: string): boolean {
  return matchesAny(ROUTES.signInPages, pathname);
}

const SESSION_ENDPOINT = "/api/auth/session";

/**
 * Requests whose answer here depends on Directus honouring the session: the session endpoint says who
 * is signed in, and a sign-in page either sends its visitor on as signed in or clears a refused
 * cookie. A protected page asks Directus itself, while it renders.
 */
function needsLiveCheck(pathname: string): boolean {
  return pathname === SESSION_ENDPOINT || isSignInPage(pathname);
}

type SessionState = { kind: "none"; unreadableCookie: boolean } | (LiveSession & { token: JWT });

async function sessionState(req: NextRequest, needProfile: boolean): Promise<SessionState> {
  const raw = readSessionCookie(req.cookies);
  if (!raw) return { kind: "none", unreadableCookie: false };
  let token: JWT | null;
  try {
    token = await decodeSession({ token: raw, secret: getEnv().NEXTAUTH_SECRET });
  } catch {
    // Expired session, rotated NEXTAUTH_SECRET or a tampered cookie.
    token = null;
  }
  if (!token) return { kind: "none", unreadableCookie: true };
  return { ...(await checkSession(token, { needProfile })), token };
}

/** What to do with the session cookie; `existing` lists the names (chunks included) the browser sent. */
type CookieChange = { existing: string[] } & ({ set: string } | { clear: true });

/**
 * The browser's copy; and, when `keptFor` seconds are given, the kept marker that lets the door skip
 * the proxy for that long (lib/auth/kept-session.ts).
 */
function applyCookie(res: NextResponse, change: CookieChange | null, keptFor = 0): NextResponse {
  if (change) writeSessionCookie(res.cookies, change.existing, "set" in change ? change.set : null);
  if (keptFor > 0) writeKeptMarker(res.cookies, keptFor);
  return res;
}

/** The copy that server components rendering this same request will read. */
function forwardRequestCookie(req: NextRequest, change: CookieChange | null): void {
  if (!change) return;
  for (const stale of change.existing) req.cookies.delete(stale);
  if ("set" in change) req.cookies.set(sessionCookieName(), change.set);
}

function loginUrl(req: NextRequest, params: Record<string, string>): URL {
  const url = new URL(ROUTES.signIn, req.url);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url;
}

/** Redirects are never to be cached: they may carry Set-Cookie. */
function uncachedIfRedirect(res: NextResponse): NextResponse {
  if (res.headers.has("location")) res.headers.set("Cache-Control", "no-store");
  return res;
}

/**
 * A mailed link's token goes from the address bar into a cookie for that page (link-token.ts), with
 * a 303 to the bare path. Before anything else: nothing, not even a 503 page, renders with the token
 * in the address.
 */
function moveLinkTokenToCookie(req: NextRequest): NextResponse | null {
  const { pathname } = req.nextUrl;
  if (!isLinkTokenPage(pathname) || !req.nextUrl.searchParams.has("token")) return null;
  if (req.method !== "GET" && req.method !== "HEAD") return null;
  const res = NextResponse.redirect(new URL(pathname, req.url), 303);
  const token = tokenInQuery(req.nextUrl);
  const cookie = linkTokenCookie(pathname);
  // An empty or oversized token leaves no cookie, and clears an older one: the page says the link is unusable.
  res.cookies.set(
    cookie.name,
    token ?? "",
    token ? cookie.options : { ...cookie.options, maxAge: 0 },
  );
  return res;
}

export default async function proxy(req: NextRequest): Promise<NextResponse> {
  const { pathname, search } = req.nextUrl;
  const moved = moveLinkTokenToCookie(req);
  if (moved) return uncachedIfRedirect(moved);
  // Pages take POSTs only as their forms' Server Actions. Next refuses a cross-site or malformed one
  // too, but as a 500; these answer 403 or a plain 4xx before any work.
  const refusedPost =
    req.method === "POST" && pathname !== SESSION_ENDPOINT
      ? (rejectCrossSite(req) ?? (await refuseMalformedActionPost(req)))
      : null;
  if (refusedPost) return new NextResponse(refusedPost.body, refusedPost);
  const state = await sessionState(req, needsLiveCheck(pathname));

  const existing = sessionCookieNames(req.cookies);
  let change: CookieChange | null = null;
  if ((state.kind === "active" || state.kind === "unavailable") && state.refreshed) {
    const value = await encodeSession({
      token: state.refreshed,
      secret: getEnv().NEXTAUTH_SECRET,
      maxAge: getEnv().SESSION_MAX_AGE_SECONDS,
    });
    change = { existing, set: value };
  } else if (state.kind === "ended" || (state.kind === "none" && state.unreadableCookie)) {
    change = { existing, clear: true };
  }
  // Renewed whenever the cookie is: a marker from before a slide would expire before the next one.
  const keptFor =
    state.kind === "active" &&
    (change || !keptUntilAhead(req.cookies.get(KEPT_SESSION_COOKIE)?.value, Date.now()))
      ? keptForSeconds(state.refreshed ?? state.token, Date.now())
      : 0;

  const callbackUrl = `${pathname}${search}`;
  const redirect = (url: URL) =>
    uncachedIfRedirect(applyCookie(NextResponse.redirect(url), change, keptFor));
  if (isProtected(pathname) && state.kind === "ended") {
    return redirect(loginUrl(req, { error: "SessionExpired", callbackUrl }));
  }
  if (isProtected(pathname) && state.kind === "none") {
    return redirect(loginUrl(req, { callbackUrl }));
  }
  // With `?error=` the page is explaining why a session ended (the redirect above): let it render.
  if (isSignInPage(pathname) && state.kind === "active" && !req.nextUrl.searchParams.has("error")) {
    return redirect(new URL(ROUTES.afterSignIn, req.url));
  }

  forwardRequestCookie(req, change);

  // Every page here either needs Directus or leads to a form that does. A page cannot answer 503
  // itself (see lib/http/unavailable-page.ts), so when Directus is down the proxy does, leaving the
  // session cookie as it is: being unable to reach Directus is no reason to sign anyone out. A form's
  // post goes on to its action, which says so in the form itself (and signing out still works).
  const answersItself = pathname === SESSION_ENDPOINT || req.method === "POST";
  const directusDown =
    !answersItself && (state.kind === "unavailable" || !(await isDirectusAvailable()));
  if (directusDown) {
    const res = new NextResponse(
      unavailablePage({
        nonce: nonceInPolicy(req.headers.get("content-security-policy")),
        retryPath: callbackUrl,
        appName: getEnv().APP_NAME,
      }),
      {
        status: 503,
        headers: {
          "Content-Type": "text/html; charset=utf-8",
          "Cache-Control": "no-store",
          "Retry-After": RETRY_AFTER_SECONDS,
        },
      },
    );
    return applyCookie(res, change);
  }

  const res = NextResponse.next({ request: { headers: req.headers } });
  return applyCookie(res, change, keptFor);
}

export const config = {
  matcher: [
    // Everything but next-auth's own endpoints, our JSON auth endpoints, static files and the
    // protected page reads the door marked as needing nothing from the proxy (KEPT_SESSION_HEADER)…
    {
      source: "/((?!api/auth/|_next/static/|_next/image|favicon\\.ico|.*\\.[A-Za-z0-9]+$).*)",
      missing: [{ type: "header", key: "x-customer-auth-session-kept" }],
    },
    // …except the session endpoint: it re-issues the cookie, so it must see the checked session first.
    "/api/auth/session",
  ],
};

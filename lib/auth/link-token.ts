import "server-only";
import { secureCookies } from "@/lib/env";

/**
 * The one-time tokens in our mails' links (confirm email, reset password) leave the address bar at
 * once. The proxy answers a GET of `/verify-email?token=X` (or `/reset-password?token=X`) with a 303
 * to the bare path and puts the token in a cookie that only that path receives, so it never sits in
 * the address bar, in history, or in the Referer of anything the page loads or links to. The page
 * reads the token from the cookie; opening the link spends nothing (only the form's POST does).
 *
 * The cookie is HttpOnly (no script reads it), SameSite=Lax (sent when the person arrives from their
 * mail client and on the form's own POST, not on cross-site sub-requests), scoped to the page's path,
 * and short-lived: long enough to type a password, short enough not to linger on a shared computer.
 */
export const LINK_TOKEN_PAGES = {
  "/verify-email": "confirm-link-token",
  "/reset-password": "reset-link-token",
} as const;

export type LinkTokenPage = keyof typeof LINK_TOKEN_PAGES;

export const LINK_TOKEN_MAX_AGE_SECONDS = 30 * 60;
/** Directus's tokens are JWTs of a few hundred bytes; anything far larger is not one of ours. */
const MAX_TOKEN_LENGTH = 2048;

export function isLinkTokenPage(pathname: string): pathname is LinkTokenPage {
  return Object.hasOwn(LINK_TOKEN_PAGES, pathname);
}

export function linkTokenCookie(page: LinkTokenPage) {
  return {
    name: LINK_TOKEN_PAGES[page],
    options: {
      httpOnly: true,
      sameSite: "lax" as const,
      path: page,
      secure: secureCookies(),
      maxAge: LINK_TOKEN_MAX_AGE_SECONDS,
    },
  };
}

/** The token to move into the cookie, if this request carries a usable one in its query. */
export function tokenInQuery(url: URL): string | undefined {
  const token = url.searchParams.get("token");
  return token && token.length <= MAX_TOKEN_LENGTH ? token : undefined;
}

type CookieReader = { get(name: string): { value: string } | undefined };

export function readLinkToken(cookies: CookieReader, page: LinkTokenPage): string | undefined {
  const value = cookies.get(LINK_TOKEN_PAGES[page])?.value;
  return value && value.length <= MAX_TOKEN_LENGTH ? value : undefined;
}

/**
 * After a confirmation the sign-in page greets the customer with their email already filled in. It
 * travels in a cookie for /login only, for a few minutes, rather than in the address (where it would
 * sit in history and logs); the address alone says `?verified=1`.
 */
export const CONFIRMED_EMAIL_COOKIE = "confirmed-email";

export function confirmedEmailCookie() {
  return {
    name: CONFIRMED_EMAIL_COOKIE,
    options: {
      httpOnly: true,
      sameSite: "lax" as const,
      path: "/login",
      secure: secureCookies(),
      maxAge: 5 * 60,
    },
  };
}

/**
 * Sentences for the codes next-auth hands back after a sign-in (`signIn()`'s `error`, or `?error=` on
 * /login) and for our own `?error=SessionExpired`. Shared by the login page and the client form, so it
 * must stay free of server-only imports. Unknown codes get a generic sentence: the raw code is never shown.
 */
export const GENERIC_SIGN_IN_FAILURE =
  "Email or password is incorrect. If you just registered, confirm your email first.";

const MESSAGES: Record<string, string> = {
  CredentialsSignin: GENERIC_SIGN_IN_FAILURE,
  TooManyRequests:
    "Too many sign-in attempts for now. To sign in right away, reset your password; otherwise try again later.",
  ServiceUnavailable: "Sign-in is temporarily unavailable. Please try again in a few minutes.",
  SessionExpired: "Your session has ended. Please sign in again.",
  SessionRequired: "Please sign in to continue.",
};

const FALLBACK = "Something went wrong while signing you in. Please try again.";

export function loginErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  return Object.hasOwn(MESSAGES, code) ? (MESSAGES[code] ?? FALLBACK) : FALLBACK;
}

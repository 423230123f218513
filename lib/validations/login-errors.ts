import { waitInWords } from "./wait-in-words";

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

const TOO_MANY = "TooManyRequests";
const WAIT = /^TooManyRequests\.([1-9]\d{0,5})$/;
/** The longest wait the throttle sets (7 days): a longer one in an address bar was made up. */
const LONGEST_WAIT_SECONDS = 7 * 24 * 60 * 60;

/**
 * The throttle's refusal with its wait in seconds. next-auth's `signIn()` gives the browser only the
 * `error` value, so the wait travels inside it.
 */
export function tooManyRequestsCode(retryAfterSeconds: number): string {
  return `${TOO_MANY}.${Math.max(1, Math.ceil(retryAfterSeconds))}`;
}

/** The wait carried by a TooManyRequests code, if any. */
export function retryAfterOf(code: string | null | undefined): number | undefined {
  const seconds = Number(WAIT.exec(code ?? "")?.[1]);
  return seconds > 0 && seconds <= LONGEST_WAIT_SECONDS ? seconds : undefined;
}

export function loginErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  const wait = retryAfterOf(code);
  if (wait !== undefined) {
    return `Too many sign-in attempts. Try again in ${waitInWords(wait)}, or reset your password to sign in right away.`;
  }
  return Object.hasOwn(MESSAGES, code) ? (MESSAGES[code] ?? FALLBACK) : FALLBACK;
}

import "server-only";
import type { LimitPolicy } from "./limiter-store";

/**
 * Every rate-limit budget of the customer flows, per account (normalised email, hashed: see
 * account-key.ts) and per client address (see client-address.ts for how far it can be trusted). The
 * budgets and the arithmetic that keeps sign-in below Directus's suspension (16 + 8 < 25) stay side by
 * side, so one reading shows they add up; throttle.ts says how an attempt spends them.
 *
 * Sign-in has one hard constraint. Directus counts every login attempt on an account since its last
 * successful one, never forgets (the counter only resets on success), and **suspends** the account
 * when the count passes `auth_login_attempts` (25): from then on only an administrator can let the
 * owner back in, and the owner cannot even reset their password. Whoever knows an email could do that
 * to its owner, so the app must keep every account's count well below 25 on its own, whatever the
 * attacker does, including sending from as many addresses as they like.
 *
 * Attempts from browsers the app does not know (anyone's) pay three budgets:
 *
 * - `signInAccount`, 16 attempts per account per 7 days, from anywhere: the ceiling. It does not
 *   depend on addresses, so spoofed or rotated addresses do not raise it. 7 days (not one) because
 *   Directus's counter never expires: two days of attacks at a daily ceiling would suspend anyone who
 *   did not sign in meanwhile; now it takes more than 7 days of silence from the owner.
 * - `signInAccountAddress`, 8 per account and address per 7 days: one address can use at most half
 *   of the ceiling. Against an attacker with one address (or a few, honestly reported), the owner
 *   signing in from any other address still gets through.
 * - `signInAddress`, 20 per address per 15 minutes across all accounts: password spraying.
 *
 * An attempt that presents a valid known-device cookie for the email it tries (known-device.ts: the
 * owner's returning browser) pays none of those, so an attacker who filled the ceiling does not lock
 * the owner out. It pays its own two:
 *
 * - `signInKnownDevices`, 8 per account per 7 days, all its known browsers together. The ceiling
 *   plus this budget (16 + 8 = 24) stays below Directus's 25, so no mix of attacker and owner
 *   traffic within a window can suspend the account.
 * - `signInDevice`, 4 per browser per 7 days: a stolen device cookie gets four guesses, then it is
 *   locked out like any other client.
 *
 * When an attacker with many addresses has used up the ceiling, browsers the owner never signed in
 * from are blocked too, for at most 7 days — never suspended. The owner gets one mail per lockout
 * (`lockoutMail`, see lockout-notice.ts) with a reset link, and a reset lets them in at once: the
 * reset route signs in with the new password once (unlock-after-reset.ts), which proves ownership of
 * the mailbox, resets Directus's counter and clears ours.
 */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Directus's default `auth_login_attempts`; raise the ceiling only if Directus's setting is raised. */
export const DIRECTUS_LOGIN_ATTEMPTS = 25;

export const POLICIES = {
  signInAccount: { keyPrefix: "signin:account", points: 16, duration: 7 * DAY },
  signInAccountAddress: { keyPrefix: "signin:account-address", points: 8, duration: 7 * DAY },
  signInAddress: { keyPrefix: "signin:address", points: 20, duration: 15 * MINUTE },
  signInKnownDevices: { keyPrefix: "signin:known-devices", points: 8, duration: 7 * DAY },
  signInDevice: { keyPrefix: "signin:device", points: 4, duration: 7 * DAY },
  // One "someone is trying to get into your account" mail per account and lockout.
  lockoutMail: { keyPrefix: "lockout-mail:account", points: 1, duration: 7 * DAY },
  // Each registration of a still-unverified email sends another mail: limit per recipient.
  registerAccount: { keyPrefix: "register:account", points: 3, duration: HOUR },
  registerAddress: { keyPrefix: "register:address", points: 10, duration: HOUR },
  forgotAccount: { keyPrefix: "forgot:account", points: 3, duration: 15 * MINUTE },
  forgotAddress: { keyPrefix: "forgot:address", points: 10, duration: 15 * MINUTE },
  resetAddress: { keyPrefix: "reset:address", points: 10, duration: 15 * MINUTE },
  // Confirming guesses a pending registration's password: budgets like sign-in's, per link (only the
  // mailbox has it, so nobody else can spend the owner's budget) and per address.
  confirmLink: { keyPrefix: "confirm:link", points: 10, duration: 15 * MINUTE },
  confirmAddress: { keyPrefix: "confirm:address", points: 20, duration: 15 * MINUTE },
  // "Send the link again" mails the address's owner: limit per recipient, like registering.
  resendAccount: { keyPrefix: "resend:account", points: 3, duration: HOUR },
  resendAddress: { keyPrefix: "resend:address", points: 10, duration: HOUR },
} satisfies Record<string, LimitPolicy>;

export type PolicyName = keyof typeof POLICIES;

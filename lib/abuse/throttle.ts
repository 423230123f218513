import "server-only";
import { createHmac } from "node:crypto";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getEnv } from "@/lib/env";
import { forgetProcessWide, processWide } from "@/lib/process-wide";
import { memoryStore, redisStore, type LimiterStore, type LimitPolicy } from "./limiter-store";

/**
 * Rate limits for the customer flows, per account (normalised email, hashed) and per client address
 * (see client-address.ts for how far that address can be trusted).
 *
 * Longer than most files on purpose: every budget and the arithmetic that keeps them below Directus's
 * suspension (16 + 8 < 25) stay side by side, so one reading shows they add up.
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
 * Points are taken **before** Directus is called (counting failures afterwards would let a burst of
 * parallel attempts through together). A success gives back what Directus just forgot: a success
 * from an unknown browser clears the ceiling, this address's pair and the known-device budget; a
 * success from a known browser clears the known-device budgets but leaves the ceiling as it is, so
 * an attacker stays locked out while the owner signs in. An attempt that certainly never reached
 * Directus (connection refused) costs nothing, and neither does an attempt we refuse, so hammering a
 * blocked account does not extend its block. A timed-out attempt does count: Directus may have
 * counted it too.
 *
 * When an attacker with many addresses has used up the ceiling, browsers the owner never signed in
 * from are blocked too, for at most 7 days — never suspended. The owner gets one mail per lockout
 * (`lockoutMail`, see lockout-notice.ts) with a reset link, and a reset lets them in at once: the
 * reset route signs in with the new password once (unlock-after-reset.ts), which proves ownership of
 * the mailbox, resets Directus's counter and clears ours.
 *
 * Counted attempts, not just failures, since we cannot know an attempt's outcome before Directus
 * judges it. Memory store: a restart of Next forgets the counts while Directus (whose counter lives in
 * its own memory or Redis) does not, and several instances each keep their own: production with more
 * than one instance, or frequent restarts, should set REDIS_URL.
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

type PolicyName = keyof typeof POLICIES;

/** A refusal names the budgets that refused it (lockout-notice.ts reacts to the ceiling's). */
export type ThrottleVerdict =
  { allowed: true } | { allowed: false; retryAfterSeconds: number; refusedBy: PolicyName[] };

type Charge = [PolicyName, string];

/**
 * Emails are keyed by an HMAC under the app's secret, so that a shared store (Redis) never holds a
 * list of who tried to sign in: a plain hash of an email is confirmed by hashing a guess. Rotating
 * NEXTAUTH_SECRET starts every account's count afresh.
 */
export function accountKey(email: string): string {
  return createHmac("sha256", getEnv().NEXTAUTH_SECRET)
    .update(`rate-limit-account:${email.trim().toLowerCase()}`)
    .digest("base64url");
}

/** The address's charge first (see consumeAddressThenAccount), then the account's. */
function signInCharges(email: string, address: string): Charge[] {
  const account = accountKey(email);
  return [
    ["signInAddress", address],
    ["signInAccount", account],
    ["signInAccountAddress", `${account}:${address}`],
  ];
}

/** A known browser's charges: its own budget, then its account's known-device budget. */
function knownDeviceCharges(email: string, deviceId: string): Charge[] {
  const account = accountKey(email);
  return [
    ["signInDevice", `${account}:${deviceId}`],
    ["signInKnownDevices", account],
  ];
}

export type Throttle = ReturnType<typeof createThrottle>;

/** The limits on top of one store. Each Next instance has one (see `throttle()`); tests make several. */
export function createThrottle(store: LimiterStore) {
  const limiters = new Map<PolicyName, RateLimiterAbstract>();
  const limiter = (name: PolicyName): RateLimiterAbstract => {
    let found = limiters.get(name);
    if (!found) {
      found = store.limiter(POLICIES[name]);
      limiters.set(name, found);
    }
    return found;
  };

  async function settle(work: Array<Promise<unknown>>): Promise<void> {
    for (const result of await Promise.allSettled(work)) {
      if (result.status === "rejected") {
        console.error("throttle: rate limit store failed", errorName(result.reason));
      }
    }
  }

  async function consumeAll(charges: Charge[]): Promise<ThrottleVerdict> {
    const results = await Promise.allSettled(
      charges.map(([name, key]) => limiter(name).consume(key)),
    );
    let waitMs: number | undefined;
    const refusedBy: PolicyName[] = [];
    for (const [index, result] of results.entries()) {
      if (result.status === "fulfilled") continue;
      if (result.reason instanceof RateLimiterRes) {
        waitMs = Math.max(waitMs ?? 0, result.reason.msBeforeNext);
        refusedBy.push(charges[index]![0]);
      } else {
        // Both Redis and its in-memory insurance failed: nothing left to count with. Failing open
        // keeps customers able to sign in; Directus's own counter is the last line.
        console.error(
          "throttle: rate limit store failed, request allowed",
          errorName(result.reason),
        );
      }
    }
    if (waitMs === undefined) return { allowed: true };
    await settle(charges.map(([name, key]) => limiter(name).reward(key, 1)));
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      refusedBy,
    };
  }

  /**
   * The address first, the account's budgets only if the address is within its own: a client
   * spraying made-up emails is stopped before it can create a week-long counter for each of them.
   */
  async function consumeAddressThenAccount(
    address: Charge,
    account: Charge[],
  ): Promise<ThrottleVerdict> {
    const first = await consumeAll([address]);
    if (!first.allowed) return first;
    const second = await consumeAll(account);
    if (!second.allowed) await settle([limiter(address[0]).reward(address[1], 1)]);
    return second;
  }

  return {
    store,

    /**
     * Takes a point for this attempt before Directus is called. `deviceId` is set when the attempt
     * carries a valid known-device cookie for this email (known-device.ts).
     */
    beginSignIn(email: string, address: string, deviceId?: string): Promise<ThrottleVerdict> {
      if (deviceId) return consumeAll(knownDeviceCharges(email, deviceId));
      const [byAddress, ...byAccount] = signInCharges(email, address);
      return consumeAddressThenAccount(byAddress!, byAccount);
    },

    /**
     * The owner got in, so Directus reset its counter. From an unknown browser: the account and this
     * pair start fresh. From a known one: only the known-device budgets do; the ceiling stays, so
     * whoever filled it is still held back while the owner is in.
     */
    async signInSucceeded(email: string, address: string, deviceId?: string): Promise<void> {
      const account = accountKey(email);
      const knownDevices = [
        limiter("signInKnownDevices").delete(account),
        ...(deviceId ? [limiter("signInDevice").delete(`${account}:${deviceId}`)] : []),
      ];
      if (deviceId) {
        await settle(knownDevices);
        return;
      }
      await settle([
        ...knownDevices,
        limiter("signInAccount").delete(account),
        limiter("signInAccountAddress").delete(`${account}:${address}`),
        limiter("signInAddress").reward(address, 1),
        limiter("lockoutMail").delete(account),
      ]);
    },

    /** Directus never judged the attempt (it was unreachable): nobody should pay for it. */
    async signInNotJudged(email: string, address: string, deviceId?: string): Promise<void> {
      const charges = deviceId
        ? knownDeviceCharges(email, deviceId)
        : signInCharges(email, address);
      await settle(charges.map(([name, key]) => limiter(name).reward(key, 1)));
    },

    /** True once per account and lockout: the caller may mail the owner now. */
    async claimLockoutMail(email: string): Promise<boolean> {
      return (await consumeAll([["lockoutMail", accountKey(email)]])).allowed;
    },

    register: (email: string, address: string) =>
      consumeAddressThenAccount(
        ["registerAddress", address],
        [["registerAccount", accountKey(email)]],
      ),

    forgotPassword: (email: string, address: string) =>
      consumeAddressThenAccount(["forgotAddress", address], [["forgotAccount", accountKey(email)]]),

    resetPassword: (address: string) => consumeAll([["resetAddress", address]]),

    confirmEmail: (token: string, address: string) =>
      consumeAddressThenAccount(["confirmAddress", address], [["confirmLink", accountKey(token)]]),

    resendConfirmation: (email: string, address: string) =>
      consumeAddressThenAccount(["resendAddress", address], [["resendAccount", accountKey(email)]]),
  };
}

/** A store error's name only: messages may carry hosts or, for Redis URLs, credentials. */
function errorName(error: unknown): string {
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.name;
  return typeof error;
}

/**
 * This instance's limits: in Redis when REDIS_URL is set, in memory otherwise. Process-wide: the
 * forms' Server Actions and the JSON and next-auth routes are separate bundles, and must all count
 * against the same buckets.
 */
const CURRENT = "throttle";
const current = () => processWide<{ throttle?: Throttle }>(CURRENT, () => ({}));

export function throttle(): Throttle {
  const slot = current();
  if (!slot.throttle) {
    const url = getEnv().REDIS_URL;
    slot.throttle = createThrottle(url ? redisStore(url) : memoryStore());
  }
  return slot.throttle;
}

export function beginSignIn(
  email: string,
  address: string,
  deviceId?: string,
): Promise<ThrottleVerdict> {
  return throttle().beginSignIn(email, address, deviceId);
}

export function signInSucceeded(email: string, address: string, deviceId?: string): Promise<void> {
  return throttle().signInSucceeded(email, address, deviceId);
}

export function signInNotJudged(email: string, address: string, deviceId?: string): Promise<void> {
  return throttle().signInNotJudged(email, address, deviceId);
}

export function claimLockoutMail(email: string): Promise<boolean> {
  return throttle().claimLockoutMail(email);
}

export function throttleRegister(email: string, address: string): Promise<ThrottleVerdict> {
  return throttle().register(email, address);
}

export function throttleForgotPassword(email: string, address: string): Promise<ThrottleVerdict> {
  return throttle().forgotPassword(email, address);
}

export function throttleResetPassword(address: string): Promise<ThrottleVerdict> {
  return throttle().resetPassword(address);
}

export function throttleConfirmEmail(token: string, address: string): Promise<ThrottleVerdict> {
  return throttle().confirmEmail(token, address);
}

export function throttleResendConfirmation(
  email: string,
  address: string,
): Promise<ThrottleVerdict> {
  return throttle().resendConfirmation(email, address);
}

/** Each test starts with empty buckets (and a store chosen from the env it set). */
export function resetThrottleForTests(): void {
  void current().throttle?.store.close();
  forgetProcessWide(CURRENT);
}

import "server-only";
import { createHash } from "node:crypto";
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getEnv } from "@/lib/env";

/**
 * Rate limits for the customer flows, per account (normalised email) and per client address
 * (see client-address.ts for how honest that address is).
 *
 * Why sign-in counts attempts, not failures: Directus suspends an account after `auth_login_attempts`
 * (25) failures, a counter that never expires and is reset only by a successful login. If we only
 * counted failures after the fact, a burst of parallel attempts would all pass the check and reach
 * Directus together. So every attempt takes a point before Directus is called; a success clears the
 * account's points and gives the address its point back.
 * The daily account limit matters as much as the 15-minute one: at 5 per 15 min alone, a patient
 * attacker would still reach 25 in 75 minutes; with 15 per day it takes two days, during which any
 * successful sign-in by the owner resets Directus's counter.
 * The price: whoever knows an email can block its sign-in for up to a day. That is temporary and
 * self-healing, unlike a Directus suspension, which needs an administrator.
 */

type Policy = { keyPrefix: string; points: number; duration: number };

const MINUTE = 60;
const HOUR = 60 * MINUTE;

export const POLICIES = {
  signInAccountShort: { keyPrefix: "signin:account:15m", points: 5, duration: 15 * MINUTE },
  signInAccountDaily: { keyPrefix: "signin:account:1d", points: 15, duration: 24 * HOUR },
  signInAddress: { keyPrefix: "signin:address", points: 20, duration: 15 * MINUTE },
  // Each registration of a still-unverified email sends another mail: limit per recipient.
  registerAccount: { keyPrefix: "register:account", points: 3, duration: HOUR },
  registerAddress: { keyPrefix: "register:address", points: 10, duration: HOUR },
  forgotAccount: { keyPrefix: "forgot:account", points: 3, duration: 15 * MINUTE },
  forgotAddress: { keyPrefix: "forgot:address", points: 10, duration: 15 * MINUTE },
  resetAddress: { keyPrefix: "reset:address", points: 10, duration: 15 * MINUTE },
} satisfies Record<string, Policy>;

type PolicyName = keyof typeof POLICIES;

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

let limiters: Map<PolicyName, RateLimiterAbstract> | undefined;
let warnedAboutRedis = false;

/**
 * One place decides the store. With REDIS_URL set this is where RateLimiterRedis goes (same options,
 * plus a RateLimiterMemory as `insuranceLimiter` so a Redis outage degrades to per-instance limits).
 */
function createLimiter(policy: Policy): RateLimiterAbstract {
  if (getEnv().REDIS_URL && !warnedAboutRedis) {
    warnedAboutRedis = true;
    console.warn(
      "throttle: REDIS_URL is set, but rate limits are still kept per Next instance in memory",
    );
  }
  return new RateLimiterMemory(policy);
}

function limiter(name: PolicyName): RateLimiterAbstract {
  limiters ??= new Map();
  let found = limiters.get(name);
  if (!found) {
    found = createLimiter(POLICIES[name]);
    limiters.set(name, found);
  }
  return found;
}

/** Emails are hashed so that a shared store (Redis) never holds a list of who tried to sign in. */
function accountKey(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("base64url");
}

type Charge = [PolicyName, string];

async function consumeAll(charges: Charge[]): Promise<ThrottleVerdict> {
  const results = await Promise.allSettled(
    charges.map(([name, key]) => limiter(name).consume(key)),
  );
  let waitMs: number | undefined;
  for (const result of results) {
    if (result.status === "fulfilled") continue;
    if (result.reason instanceof RateLimiterRes) {
      waitMs = Math.max(waitMs ?? 0, result.reason.msBeforeNext);
    } else {
      // Only a remote store can fail; failing open keeps customers able to sign in meanwhile.
      console.error("throttle: rate limit store failed, request allowed", result.reason);
    }
  }
  if (waitMs === undefined) return { allowed: true };
  // A refused attempt never reaches Directus, so it costs nothing: otherwise hammering a blocked
  // account would fill its daily bucket within minutes.
  await settle(charges.map(([name, key]) => limiter(name).reward(key, 1)));
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}

async function settle(work: Array<Promise<unknown>>): Promise<void> {
  for (const result of await Promise.allSettled(work)) {
    if (result.status === "rejected") {
      console.error("throttle: rate limit store failed", result.reason);
    }
  }
}

function signInCharges(email: string, address: string): Charge[] {
  const account = accountKey(email);
  return [
    ["signInAccountShort", account],
    ["signInAccountDaily", account],
    ["signInAddress", address],
  ];
}

/** Takes a point for this attempt before Directus is called. */
export function beginSignIn(email: string, address: string): Promise<ThrottleVerdict> {
  return consumeAll(signInCharges(email, address));
}

/** The owner got in: their account starts fresh, and the address gets its point back. */
export async function signInSucceeded(email: string, address: string): Promise<void> {
  const account = accountKey(email);
  await settle([
    limiter("signInAccountShort").delete(account),
    limiter("signInAccountDaily").delete(account),
    limiter("signInAddress").reward(address, 1),
  ]);
}

/** Directus never judged the attempt (it was unreachable): nobody should pay for it. */
export async function signInNotJudged(email: string, address: string): Promise<void> {
  await settle(signInCharges(email, address).map(([name, key]) => limiter(name).reward(key, 1)));
}

export function throttleRegister(email: string, address: string): Promise<ThrottleVerdict> {
  return consumeAll([
    ["registerAccount", accountKey(email)],
    ["registerAddress", address],
  ]);
}

export function throttleForgotPassword(email: string, address: string): Promise<ThrottleVerdict> {
  return consumeAll([
    ["forgotAccount", accountKey(email)],
    ["forgotAddress", address],
  ]);
}

export function throttleResetPassword(address: string): Promise<ThrottleVerdict> {
  return consumeAll([["resetAddress", address]]);
}

/** Each test starts with empty buckets. */
export function resetThrottleForTests(): void {
  limiters = undefined;
}

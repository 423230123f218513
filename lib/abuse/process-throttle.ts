import "server-only";
import { getEnv } from "@/lib/env";
import { forgetProcessWide, processWide } from "@/lib/process-wide";
import { memoryStore, redisStore } from "./limiter-store";
import { createThrottle, type Throttle, type ThrottleVerdict } from "./throttle";

/**
 * This instance's throttle, and one function per flow for the callers. The counts live in Redis when
 * REDIS_URL is set, in memory otherwise. Memory: a restart of Next forgets the counts while Directus
 * (whose counter lives in its own memory or Redis) does not, and several instances each keep their
 * own: production with more than one instance, or frequent restarts, should set REDIS_URL.
 *
 * Process-wide: the forms' Server Actions and the JSON and next-auth routes are separate bundles, and
 * must all count against the same buckets.
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

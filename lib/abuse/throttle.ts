import "server-only";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { accountKey } from "./account-key";
import { POLICIES, type PolicyName } from "./budgets";
import type { LimiterStore } from "./limiter-store";

/**
 * How an attempt spends the budgets of budgets.ts, on top of one store (memory or Redis).
 *
 * Points are taken **before** Directus is called (counting failures afterwards would let a burst of
 * parallel attempts through together). A success gives back what Directus just forgot: a success
 * from an unknown browser clears the ceiling, this address's pair and the known-device budget; a
 * success from a known browser clears the known-device budgets but leaves the ceiling as it is, so
 * an attacker stays locked out while the owner signs in. An attempt that certainly never reached
 * Directus (connection refused) costs nothing, and neither does an attempt we refuse, so hammering a
 * blocked account does not extend its block. A timed-out attempt does count: Directus may have
 * counted it too. Counted attempts, not just failures, since we cannot know an attempt's outcome
 * before Directus judges it.
 */

/** A refusal names the budgets that refused it (lockout-notice.ts reacts to the ceiling's). */
export type ThrottleVerdict =
  { kind: "allowed" } | { kind: "refused"; retryAfterSeconds: number; refusedBy: PolicyName[] };

type Charge = [PolicyName, string];

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

/** The limits on top of one store. Each Next instance has one (process-throttle.ts); tests make several. */
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
    if (waitMs === undefined) return { kind: "allowed" };
    await settle(charges.map(([name, key]) => limiter(name).reward(key, 1)));
    return {
      kind: "refused",
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
    if (first.kind === "refused") return first;
    const second = await consumeAll(account);
    if (second.kind === "refused") await settle([limiter(address[0]).reward(address[1], 1)]);
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
      return (await consumeAll([["lockoutMail", accountKey(email)]])).kind === "allowed";
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

/**
 * Promise 2: throttling protects customers instead of locking them out. Against a real Directus on
 * both lanes, floods of wrong passwords for a victim's email — from one address, and from as many
 * spoofed addresses as the attacker likes — never get the victim suspended in Directus, and the real
 * owner always has a way in: from any other address when the attack came from one, and through a
 * password reset when it came from everywhere (see lib/auth/throttle.ts for the policy).
 */
import { describe, expect, it } from "vitest";
import { POLICIES } from "@/lib/auth/throttle";
import {
  type SuiteContext,
  callRoute,
  directusUsers,
  newCustomer,
  registerAndVerify,
  resetToken,
  signIn,
} from "./security-support";

type Outcome = "refused" | "throttled" | "unavailable" | "signed-in";

async function attempt(email: string, password: string, address: string): Promise<Outcome> {
  try {
    return (await signIn(email, password, address)) ? "signed-in" : "refused";
  } catch (error) {
    const { message } = error as Error;
    expect(["TooManyRequests", "ServiceUnavailable"]).toContain(message);
    return message === "TooManyRequests" ? "throttled" : "unavailable";
  }
}

/** Attempts that reached Directus (refused, or timed out under the flood) and those we held back. */
function tally(outcomes: Outcome[]) {
  return {
    reachedDirectus: outcomes.filter((o) => o === "refused" || o === "unavailable").length,
    throttled: outcomes.filter((o) => o === "throttled").length,
  };
}

export function throttlingSuite({ lane, backend: current, logs }: SuiteContext): void {
  describe("throttling that protects customers", () => {
    async function victim() {
      const customer = newCustomer(`throttle-${lane}`);
      logs.secret(customer.password);
      logs.secret((await registerAndVerify(current(), customer)).verificationToken);
      return customer;
    }

    async function statusOf(email: string) {
      return (await directusUsers(current(), email))[0]?.status;
    }

    it("35 parallel wrong passwords from one address reach Directus 10 times; the victim stays active and signs in from elsewhere", async () => {
      const v = await victim();
      const outcomes = await Promise.all(
        Array.from({ length: 35 }, (_, i) =>
          attempt(v.email, `wrong guess number ${i}`, "198.51.100.66"),
        ),
      );
      expect(tally(outcomes)).toEqual({
        reachedDirectus: POLICIES.signInAccountAddress.points,
        throttled: 35 - POLICIES.signInAccountAddress.points,
      });
      expect(await statusOf(v.email)).toBe("active");

      // Even the right password is refused from the attacking address now…
      expect(await attempt(v.email, v.password, "198.51.100.66")).toBe("throttled");
      // …but not from the owner's own, and the success clears the account's count.
      const user = await signIn(v.email, v.password, "192.0.2.10");
      expect(user).not.toBeNull();
      logs.secret(user?.sessionToken);
      expect(await statusOf(v.email)).toBe("active");
    });

    it("35 parallel wrong passwords from 35 spoofed addresses reach Directus 20 times; never suspended, and a password reset lets the owner in at once", async () => {
      const v = await victim();
      const flood = (round: string) =>
        Promise.all(
          Array.from({ length: 35 }, (_, i) =>
            attempt(v.email, `wrong guess ${round} ${i}`, `203.0.113.${i + 1}`),
          ),
        );
      expect(tally(await flood("a"))).toEqual({
        reachedDirectus: POLICIES.signInAccount.points,
        throttled: 35 - POLICIES.signInAccount.points,
      });
      expect(await statusOf(v.email)).toBe("active");

      // The ceiling holds for everyone, the owner included: this is the "for a while" (up to 7 days).
      expect(await attempt(v.email, v.password, "192.0.2.20")).toBe("throttled");

      // The owner resets the password (proof of the mailbox) and is let in straight away.
      const token = await resetToken(current(), v.email);
      logs.secret(token);
      const newPassword = `a brand new passphrase for ${lane}`;
      logs.secret(newPassword);
      const reset = await callRoute(
        current(),
        "reset",
        { token, password: newPassword },
        { address: "192.0.2.20" },
      );
      expect(reset.status).toBe(200);
      const user = await signIn(v.email, newPassword, "192.0.2.20");
      expect(user).not.toBeNull();
      logs.secret(user?.sessionToken);

      // The reset also cleared Directus's own count (it signed in once): a second flood of the same
      // size is again stopped at 20 and again cannot suspend. Without that, 20 + 20 would pass 25.
      expect(tally(await flood("b"))).toEqual({
        reachedDirectus: POLICIES.signInAccount.points,
        throttled: 35 - POLICIES.signInAccount.points,
      });
      expect(await statusOf(v.email)).toBe("active");
    });

    it("register and forgot-password answer 429 with Retry-After per email and per address", async () => {
      const c = newCustomer(`throttle-${lane}-forms`);
      logs.secret(c.password);
      const register = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          callRoute(current(), "register", c, { address: `198.51.100.${i + 1}` }),
        ),
      );
      expect(register.map((r) => r.status).sort()).toEqual([201, 201, 201, 429]);
      const limited = register.find((r) => r.status === 429);
      expect(Number(limited?.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(limited?.json).toEqual({
        ok: false,
        message: expect.stringMatching(/^Too many attempts\. Please wait .+ and try again\.$/),
      });

      const forgot = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          callRoute(current(), "forgot", { email: c.email }, { address: `198.51.100.${i + 1}` }),
        ),
      );
      expect(forgot.map((r) => r.status).sort()).toEqual([202, 202, 202, 429]);
      expect(
        Number(forgot.find((r) => r.status === 429)?.headers.get("retry-after")),
      ).toBeGreaterThan(0);

      // One address asking for many accounts' links.
      const spray = await Promise.all(
        Array.from({ length: 11 }, (_, i) =>
          callRoute(
            current(),
            "forgot",
            { email: `nobody.${i}.${c.email}` },
            { address: "198.51.100.99" },
          ),
        ),
      );
      expect(spray.map((r) => r.status).sort()).toEqual([...Array<number>(10).fill(202), 429]);
    });
  });
}

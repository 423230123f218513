// Over 250 lines on purpose: promise 2's floods share one backend per lane.
/**
 * Promise 2: throttling protects customers instead of locking them out. Against a real Directus on
 * both lanes, floods of wrong passwords for a victim's email — from one address, and from as many
 * spoofed addresses as the attacker likes — never get the victim suspended in Directus, and the real
 * owner always has a way in: from any other address when the attack came from one, and through a
 * password reset when it came from everywhere (see lib/abuse/budgets.ts for the policy).
 */
import { describe, expect, it } from "vitest";
import { loginErrorMessage } from "@/lib/validations/login-errors";
import { POLICIES } from "@/lib/abuse/budgets";
import { linkIn, listMail, waitForMail } from "../support/mail";
import {
  type SuiteContext,
  callRoute,
  directusUsers,
  newCustomer,
  registerAndVerify,
  resetToken,
  signIn,
  signInThroughNextAuth,
} from "./security-support";

type Outcome = "refused" | "throttled" | "unavailable" | "signed-in";

async function attempt(email: string, password: string, address: string): Promise<Outcome> {
  try {
    return (await signIn(email, password, address)) ? "signed-in" : "refused";
  } catch (error) {
    const { message } = error as Error;
    expect(message).toMatch(/^(TooManyRequests\.\d+|ServiceUnavailable)$/);
    return message.startsWith("TooManyRequests") ? "throttled" : "unavailable";
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

    it("35 parallel wrong passwords from one address reach Directus 8 times; the victim stays active and signs in from elsewhere", async () => {
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

    it("35 parallel wrong passwords from 35 spoofed addresses reach Directus 16 times; never suspended, and a password reset lets the owner in at once", async () => {
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
      // size is again stopped at 16 and again cannot suspend. Without that, 16 + 16 would pass 25.
      expect(tally(await flood("b"))).toEqual({
        reachedDirectus: POLICIES.signInAccount.points,
        throttled: 35 - POLICIES.signInAccount.points,
      });
      expect(await statusOf(v.email)).toBe("active");
      // Two floods of 16 password checks each and a mailed reset: past a minute on a loaded machine.
    }, 120_000);

    it("100 addresses hammering one account cannot lock out the owner's returning browser; fresh browsers get 429 in words, the owner one lockout mail whose link lets them in", async () => {
      const v = await victim();
      const since = Date.now();
      const knownDevice = (result: { cookies: Array<{ name: string; value: string }> }) =>
        result.cookies.find((c) => c.name === "known-device");
      const signedIn = (result: { cookies: Array<{ name: string }> }) =>
        result.cookies.some((c) => c.name === "next-auth.session-token");

      // The owner signs in on their own browser once: it becomes known.
      const first = await signInThroughNextAuth(current(), v.email, v.password, "192.0.2.30");
      expect(first.status).toBe(200);
      expect(signedIn(first)).toBe(true);
      const device = knownDevice(first);
      expect(device?.value).toMatch(/^v1\./);
      logs.secret(device?.value);
      const cookie = `known-device=${device?.value}`;

      // Another customer's genuine cookie, for the forged-cookie checks below.
      const other = await victim();
      const otherCookie = knownDevice(
        await signInThroughNextAuth(current(), other.email, other.password, "192.0.2.31"),
      );
      logs.secret(otherCookie?.value);

      // 100 spoofed addresses hammer the account at once (TRUST_PROXY: whatever they claim counts).
      const hammer = (round: string) =>
        Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            attempt(v.email, `wrong ${round} ${i}`, `203.0.${Math.floor(i / 50) + 10}.${i % 50}`),
          ),
        );
      expect(tally(await hammer("a"))).toEqual({
        reachedDirectus: POLICIES.signInAccount.points,
        throttled: 100 - POLICIES.signInAccount.points,
      });
      expect(await statusOf(v.email)).toBe("active");

      // The returning browser, from an address it never used: signed in, its cookie renewed.
      const back = await signInThroughNextAuth(current(), v.email, v.password, "198.51.100.40", [
        cookie,
      ]);
      expect(back.status).toBe(200);
      expect(signedIn(back)).toBe(true);
      expect(knownDevice(back)?.value.split(".")[1]).toBe(device?.value.split(".")[1]);
      logs.secret(knownDevice(back)?.value);

      // A browser the owner never used is refused with 429, Retry-After and the wait in words.
      const fresh = await signInThroughNextAuth(current(), v.email, v.password, "198.51.100.41");
      expect(fresh.status).toBe(429);
      const retryAfter = Number(fresh.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThan(6 * 24 * 3600);
      expect(retryAfter).toBeLessThanOrEqual(7 * 24 * 3600);
      expect(signedIn(fresh)).toBe(false);
      const code = new URL(String(fresh.json.url)).searchParams.get("error");
      expect(code).toBe(`TooManyRequests.${retryAfter}`);
      expect(loginErrorMessage(code)).toBe(
        "Too many sign-in attempts. Try again in 7 days, or reset your password to sign in right away.",
      );

      // A forged cookie, a tampered one and another account's genuine one give no way past.
      const [version, id, expires, mac] = (device?.value ?? "").split(".");
      for (const forged of [
        `known-device=${otherCookie?.value}`,
        `known-device=${version}.${id}.${Number(expires) + 1}.${mac}`,
        `known-device=v1.AAAAAAAAAAAAAAAAAAAAAA.99999999999.${mac}`,
      ]) {
        const result = await signInThroughNextAuth(
          current(),
          v.email,
          v.password,
          "198.51.100.42",
          [forged],
        );
        expect(result.status).toBe(429);
        expect(signedIn(result)).toBe(false);
      }

      // A second flood changes nothing: the ceiling still holds, Directus never suspends.
      expect(tally(await hammer("b"))).toEqual({ reachedDirectus: 0, throttled: 100 });
      expect(await statusOf(v.email)).toBe("active");

      // The owner got exactly one mail about it, and its link works.
      const mail = await waitForMail(current().mailUrl, { to: v.email, subject: /reset/i, since });
      expect(mail.html).toContain("Someone tried to sign in to your account many times");
      const link = linkIn(mail, "/reset-password");
      expect(link.searchParams.get("reason")).toBe("lockout");
      const lockoutMails = (await listMail(current().mailUrl)).filter(
        (m) =>
          m.to.some((a) => a.address.toLowerCase() === v.email.toLowerCase()) &&
          (m.html ?? "").includes("reason=lockout"),
      );
      expect(lockoutMails).toHaveLength(1);
      const token = link.searchParams.get("token") ?? "";
      logs.secret(token);
      const newPassword = `a lockout-proof passphrase for ${lane}`;
      logs.secret(newPassword);
      const reset = await callRoute(
        current(),
        "reset",
        { token, password: newPassword },
        { address: "198.51.100.41" },
      );
      expect(reset.status).toBe(200);

      // The reset lets the owner in from that fresh browser at once.
      const after = await signInThroughNextAuth(current(), v.email, newPassword, "198.51.100.41");
      expect(after.status).toBe(200);
      expect(signedIn(after)).toBe(true);
      logs.secret(knownDevice(after)?.value);
      expect(await statusOf(v.email)).toBe("active");
      // Two customers, two floods of 100, eight sign-ins and a mailed reset: on a loaded 2-core
      // machine this takes longer than the default minute.
    }, 180_000);

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

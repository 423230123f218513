/**
 * Promise 9: the app's logs never hold a password, a reset or verification token, or a Directus access
 * or refresh token, at any level. Every flow runs against a real Directus — including the paths that
 * do log (Directus down, spent tokens, refused refreshes) while those secrets are in hand — with
 * everything the app prints captured (console at every level, raw stdout and stderr), then searched
 * for each secret used. The other security-*.test.ts files make the same check over their own flows.
 */
import type { JWT } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { authOptions } from "@/lib/auth/options";
import { refreshSession, resetRefreshCacheForTests } from "@/lib/auth/refresh";
import { resetThrottleForTests } from "@/lib/abuse/process-throttle";
import { confirmEmail } from "@/lib/auth/verify-email";
import type { Backend } from "../support/backend";
import { linkIn, waitForMail } from "../support/mail";
import {
  type SuiteContext,
  callRoute,
  newCustomer,
  resetToken,
  signIn,
  signInThroughNextAuth,
  pointAppAt,
} from "./security-support";

const ONE_HOUR = 60 * 60 * 1_000;
/** A port nothing listens on: Directus "down". */
const DEAD_DIRECTUS = "http://127.0.0.1:4";

export function logsSuite({ lane, backend: current, logs }: SuiteContext): void {
  describe("no secrets in the app's logs", () => {
    let backend: Backend;
    const up = () => pointAppAt(backend, { NEXTAUTH_SECRET: secret });
    const down = () =>
      pointAppAt(backend, {
        NEXTAUTH_SECRET: secret,
        DIRECTUS_URL: DEAD_DIRECTUS,
        DIRECTUS_TIMEOUT_MS: "1000",
      });
    const secret = `next-auth-secret-${Date.now()}-0123456789abcdefghijklmnop`;

    it("runs every flow, on its happy and its failing paths, and prints none of the secrets it used", async () => {
      backend = current();
      up();
      resetThrottleForTests();
      logs.secret(secret);
      const c = newCustomer(`logs-${lane}`);
      logs.secret(c.password);

      // Register (and again while Directus is down), then confirm the email twice.
      const since = Date.now();
      expect((await callRoute(backend, "register", c)).status).toBe(201);
      const mail = await waitForMail(backend.mailUrl, { to: c.email, subject: /verify/i, since });
      const verificationToken = linkIn(mail, "/verify-email").searchParams.get("token") ?? "";
      logs.secret(verificationToken);
      down();
      expect(await confirmEmail(verificationToken, c.password)).toEqual({ kind: "unavailable" });
      expect(
        (await callRoute(backend, "register", { ...c, email: `other.${c.email}` })).status,
      ).toBe(503);
      up();
      expect(await confirmEmail(verificationToken, `${c.password} but wrong`)).toEqual({
        kind: "wrong_password",
      });
      expect((await confirmEmail(verificationToken, c.password)).kind).toBe("confirmed");
      expect(await confirmEmail(verificationToken, c.password)).toEqual({ kind: "invalid" });

      // Sign in: wrong password, right one, through next-auth's own route, and while Directus is down.
      expect(await signIn(c.email, `${c.password} but wrong`)).toBeNull();
      const user = await signIn(c.email, c.password);
      expect(user).not.toBeNull();
      logs.secret(user?.sessionToken);
      const viaRoute = await signInThroughNextAuth(backend, c.email, c.password);
      for (const cookie of viaRoute.cookies)
        if (cookie.value.length >= 16) logs.secret(cookie.value);
      down();
      await expect(signIn(c.email, c.password, "192.0.2.77")).rejects.toThrow("ServiceUnavailable");
      up();

      // Refresh (slides the session), again from a process that has not seen it (Directus's grace
      // window hands out the same successor), and while Directus is down.
      const jwt = (await authOptions.callbacks!.jwt!({
        token: {},
        user: user!,
        account: null,
      } as never)) as JWT;
      const later = () => Date.now() + ONE_HOUR;
      const refreshed = await refreshSession(jwt, { now: later });
      expect(refreshed.kind).toBe("refreshed");
      if (refreshed.kind === "refreshed") logs.secret(refreshed.token.sessionToken as string);
      resetRefreshCacheForTests();
      const elsewhere = await refreshSession(jwt, { now: later });
      expect(elsewhere.kind).toBe("refreshed");
      if (elsewhere.kind === "refreshed") logs.secret(elsewhere.token.sessionToken as string);
      down();
      resetRefreshCacheForTests();
      const other = await (async () => {
        up();
        const again = await signIn(c.email, c.password, "192.0.2.78");
        logs.secret(again?.sessionToken);
        return (await authOptions.callbacks!.jwt!({
          token: {},
          user: again!,
          account: null,
        } as never)) as JWT;
      })();
      down();
      expect((await refreshSession(other, { now: later })).kind).not.toBe("refreshed");

      // Sign out while Directus is down (logged as a warning), then for real.
      await authOptions.events!.signOut!({ token: other, session: undefined as never });
      up();
      resetRefreshCacheForTests();
      await authOptions.events!.signOut!({ token: other, session: undefined as never });

      // Forgot and reset: the reset with Directus down, then for real, then the spent token again.
      const token = await resetToken(backend, c.email);
      logs.secret(token);
      const newPassword = `an entirely new passphrase ${Date.now()}`;
      logs.secret(newPassword);
      down();
      expect(
        (await callRoute(backend, "forgot", { email: c.email }, { address: "192.0.2.90" })).status,
      ).toBe(503);
      expect((await callRoute(backend, "reset", { token, password: newPassword })).status).toBe(
        503,
      );
      up();
      expect((await callRoute(backend, "reset", { token, password: newPassword })).status).toBe(
        200,
      );
      expect(
        (await callRoute(backend, "reset", { token, password: `${newPassword} 2` })).status,
      ).toBe(400);
      const afterReset = await signIn(c.email, newPassword, "192.0.2.91");
      logs.secret(afterReset?.sessionToken);
      expect(await signIn(c.email, c.password, "192.0.2.92")).toBeNull();

      // The failing paths above did print something, and the capture sees every channel: the check
      // below is not vacuous.
      console.error("canary on console.error");
      process.stderr.write("canary on stderr\n");
      const printed = logs.text();
      expect(printed).toContain("canary on console.error");
      expect(printed).toContain("canary on stderr");
      expect(printed).toMatch(/sign-in: Directus login failed: unavailable/);
      expect(printed).toMatch(/reset-password: Directus call failed/);
      const { secrets, lines } = logs.assertClean();
      console.info(`logs: ${lines} lines printed, none holding any of the ${secrets} secrets used`);
      expect(secrets).toBeGreaterThanOrEqual(12);
    });
  });
}

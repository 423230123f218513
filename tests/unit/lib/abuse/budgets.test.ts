import { describe, expect, it } from "vitest";
import { DIRECTUS_LOGIN_ATTEMPTS, POLICIES } from "@/lib/abuse/budgets";

describe("budgets", () => {
  it("keeps the ceiling plus the known-device budget below Directus's suspension, and a device below its account", () => {
    expect(POLICIES.signInAccount.points + POLICIES.signInKnownDevices.points).toBeLessThan(
      DIRECTUS_LOGIN_ATTEMPTS,
    );
    expect(POLICIES.signInDevice.points).toBeLessThan(POLICIES.signInKnownDevices.points);
    expect(POLICIES.signInAccountAddress.points * 2).toBe(POLICIES.signInAccount.points);
    // The login page shows waits up to 7 days (login-errors.ts): no sign-in budget lasts longer.
    for (const policy of Object.values(POLICIES)) {
      expect(policy.duration).toBeLessThanOrEqual(7 * 24 * 3600);
    }
  });
});

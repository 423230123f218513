import { describe, expect, it } from "vitest";
import { POLICIES } from "@/lib/abuse/budgets";
import { memoryStore } from "@/lib/abuse/limiter-store";
import { createThrottle } from "@/lib/abuse/throttle";
import { setupServerTests } from "../../support/server";

setupServerTests();

describe("throttle", () => {
  it("a refused attempt costs nothing: hammering a blocked account does not extend its block", async () => {
    const limits = createThrottle(memoryStore());
    for (let i = 0; i < POLICIES.signInAccountAddress.points; i++) {
      expect(await limits.beginSignIn("a@example.com", "198.51.100.1")).toEqual({
        kind: "allowed",
      });
    }
    for (let i = 0; i < 50; i++) {
      expect((await limits.beginSignIn("a@example.com", "198.51.100.1")).kind).toBe("refused");
    }
    // Had the 50 refusals counted, the account would be full; it has exactly its other half left.
    for (let i = 0; i < POLICIES.signInAccount.points - POLICIES.signInAccountAddress.points; i++) {
      expect((await limits.beginSignIn("a@example.com", `203.0.113.${i}`)).kind).toBe("allowed");
    }
    expect((await limits.beginSignIn("a@example.com", "203.0.113.99")).kind).toBe("refused");
  });

  it("counts an email the same however it is spelled", async () => {
    const limits = createThrottle(memoryStore());
    const spellings = ["Ada@Example.com", " ada@example.com", "ADA@EXAMPLE.COM "];
    for (let i = 0; i < POLICIES.registerAccount.points; i++) {
      expect((await limits.register(spellings[i]!, `198.51.100.${i}`)).kind).toBe("allowed");
    }
    const refused = await limits.register("ada@example.com", "198.51.100.9");
    expect(refused).toEqual({
      kind: "refused",
      retryAfterSeconds: expect.any(Number),
      refusedBy: ["registerAccount"],
    });
    expect(refused.kind === "allowed" ? 0 : refused.retryAfterSeconds).toBeLessThanOrEqual(3600);
  });

  it("names the budget that refused: the ceiling when many addresses filled it", async () => {
    const limits = createThrottle(memoryStore());
    for (let i = 0; i < POLICIES.signInAccount.points; i++) {
      expect((await limits.beginSignIn("a@example.com", `203.0.113.${i}`)).kind).toBe("allowed");
    }
    expect(await limits.beginSignIn("a@example.com", "192.0.2.1")).toEqual({
      kind: "refused",
      retryAfterSeconds: expect.any(Number),
      refusedBy: ["signInAccount"],
    });
    const byAddress = createThrottle(memoryStore());
    for (let i = 0; i < POLICIES.signInAccountAddress.points; i++) {
      await byAddress.beginSignIn("a@example.com", "198.51.100.1");
    }
    const refused = await byAddress.beginSignIn("a@example.com", "198.51.100.1");
    expect(refused.kind === "allowed" ? [] : refused.refusedBy).toEqual(["signInAccountAddress"]);
  });

  it("a known device pays its own budgets, not the ceiling an attacker filled", async () => {
    const limits = createThrottle(memoryStore());
    for (let i = 0; i < POLICIES.signInAccount.points; i++) {
      await limits.beginSignIn("a@example.com", `203.0.113.${i}`);
    }
    expect((await limits.beginSignIn("a@example.com", "192.0.2.1")).kind).toBe("refused");
    for (let i = 0; i < POLICIES.signInDevice.points; i++) {
      expect((await limits.beginSignIn("a@example.com", "203.0.113.1", "device-1")).kind).toBe(
        "allowed",
      );
    }
    // This device's own budget is used up: a stolen cookie stops here…
    expect(await limits.beginSignIn("a@example.com", "192.0.2.1", "device-1")).toEqual({
      kind: "refused",
      retryAfterSeconds: expect.any(Number),
      refusedBy: ["signInDevice"],
    });
    // …while the account's other known devices share what is left of theirs.
    const left = POLICIES.signInKnownDevices.points - POLICIES.signInDevice.points;
    for (let i = 0; i < left; i++) {
      expect((await limits.beginSignIn("a@example.com", "192.0.2.1", `device-${i + 2}`)).kind).toBe(
        "allowed",
      );
    }
    const last = await limits.beginSignIn("a@example.com", "192.0.2.1", "device-9");
    expect(last.kind === "allowed" ? [] : last.refusedBy).toEqual(["signInKnownDevices"]);
  });

  it("a known device's success clears its budgets but not the ceiling; an unknown browser's success clears both", async () => {
    const limits = createThrottle(memoryStore());
    for (let i = 0; i < POLICIES.signInAccount.points; i++) {
      await limits.beginSignIn("a@example.com", `203.0.113.${i}`);
    }
    for (let i = 0; i < POLICIES.signInDevice.points; i++) {
      await limits.beginSignIn("a@example.com", "192.0.2.1", "device-1");
    }
    await limits.signInSucceeded("a@example.com", "192.0.2.1", "device-1");
    expect((await limits.beginSignIn("a@example.com", "192.0.2.1", "device-1")).kind).toBe(
      "allowed",
    );
    expect((await limits.beginSignIn("a@example.com", "192.0.2.2")).kind).toBe("refused");

    // A completed reset signs in from the reset's address as an unknown browser (unlock-after-reset.ts).
    await limits.signInSucceeded("a@example.com", "192.0.2.2");
    expect((await limits.beginSignIn("a@example.com", "192.0.2.2")).kind).toBe("allowed");
  });

  it("allows one lockout mail per account until a success from an unknown browser ends the lockout", async () => {
    const limits = createThrottle(memoryStore());
    expect(await limits.claimLockoutMail("a@example.com")).toBe(true);
    expect(await limits.claimLockoutMail("A@example.com ")).toBe(false);
    expect(await limits.claimLockoutMail("b@example.com")).toBe(true);
    await limits.signInSucceeded("a@example.com", "192.0.2.1", "device-1");
    expect(await limits.claimLockoutMail("a@example.com")).toBe(false);
    await limits.signInSucceeded("a@example.com", "192.0.2.1");
    expect(await limits.claimLockoutMail("a@example.com")).toBe(true);
  });
});

describe("throttle: confirming and sending the link again", () => {
  it("guesses at a pending registration's password are limited per link, like sign-ins", async () => {
    const limits = createThrottle(memoryStore());
    for (let i = 0; i < POLICIES.confirmLink.points; i++) {
      expect((await limits.confirmEmail("link-1", `198.51.100.${i}`)).kind).toBe("allowed");
    }
    expect((await limits.confirmEmail("link-1", "198.51.100.200")).kind).toBe("refused");
    // Another link (only its mailbox has it) keeps its own budget.
    expect((await limits.confirmEmail("link-2", "198.51.100.200")).kind).toBe("allowed");
  });

  it("one client address cannot try more than its own budget across links", async () => {
    const limits = createThrottle(memoryStore());
    for (let i = 0; i < POLICIES.confirmAddress.points; i++) {
      expect((await limits.confirmEmail(`link-${i}`, "203.0.113.5")).kind).toBe("allowed");
    }
    const refused = await limits.confirmEmail("link-x", "203.0.113.5");
    expect(refused).toEqual({
      kind: "refused",
      retryAfterSeconds: expect.any(Number),
      refusedBy: ["confirmAddress"],
    });
  });

  it("links are sent again at most a few times an hour per address, however it is spelled", async () => {
    const limits = createThrottle(memoryStore());
    const spellings = ["Ada@Example.com", " ada@example.com", "ADA@EXAMPLE.COM "];
    for (let i = 0; i < POLICIES.resendAccount.points; i++) {
      const spelling = spellings[i % spellings.length]!;
      expect((await limits.resendConfirmation(spelling, `198.51.100.${i}`)).kind).toBe("allowed");
    }
    expect((await limits.resendConfirmation("ada@example.com", "198.51.100.99")).kind).toBe(
      "refused",
    );
  });
});

import { describe, expect, it } from "vitest";
import { POLICIES, createThrottle } from "@/lib/abuse/throttle";
import { memoryStore } from "@/lib/abuse/limiter-store";
import { setupServerTests } from "../../support/server";

setupServerTests();

describe("throttle: confirming and sending the link again", () => {
  it("guesses at a pending registration's password are limited per link, like sign-ins", async () => {
    const limits = createThrottle(memoryStore());
    for (let i = 0; i < POLICIES.confirmLink.points; i++) {
      expect((await limits.confirmEmail("link-1", `198.51.100.${i}`)).allowed).toBe(true);
    }
    expect((await limits.confirmEmail("link-1", "198.51.100.200")).allowed).toBe(false);
    // Another link (only its mailbox has it) keeps its own budget.
    expect((await limits.confirmEmail("link-2", "198.51.100.200")).allowed).toBe(true);
  });

  it("one client address cannot try more than its own budget across links", async () => {
    const limits = createThrottle(memoryStore());
    for (let i = 0; i < POLICIES.confirmAddress.points; i++) {
      expect((await limits.confirmEmail(`link-${i}`, "203.0.113.5")).allowed).toBe(true);
    }
    const refused = await limits.confirmEmail("link-x", "203.0.113.5");
    expect(refused).toEqual({
      allowed: false,
      retryAfterSeconds: expect.any(Number),
      refusedBy: ["confirmAddress"],
    });
  });

  it("links are sent again at most a few times an hour per address, however it is spelled", async () => {
    const limits = createThrottle(memoryStore());
    const spellings = ["Ada@Example.com", " ada@example.com", "ADA@EXAMPLE.COM "];
    for (let i = 0; i < POLICIES.resendAccount.points; i++) {
      const spelling = spellings[i % spellings.length]!;
      expect((await limits.resendConfirmation(spelling, `198.51.100.${i}`)).allowed).toBe(true);
    }
    expect((await limits.resendConfirmation("ada@example.com", "198.51.100.99")).allowed).toBe(
      false,
    );
  });
});

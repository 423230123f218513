import { describe, expect, it, vi } from "vitest";
import { POLICIES, createThrottle, resetThrottleForTests, throttle } from "@/lib/auth/throttle";
import { resetEnvCacheForTests } from "@/lib/env";
import { tooManyRequests, waitInWords } from "@/lib/http/responses";
import { memoryStore } from "@/lib/security/limits";
import { setupServerTests } from "./support";

setupServerTests();

describe("throttle", () => {
  it("keeps counts in memory unless REDIS_URL is set", () => {
    expect(throttle().store.kind).toBe("memory");
    vi.stubEnv("REDIS_URL", "redis://127.0.0.1:6379");
    resetEnvCacheForTests();
    resetThrottleForTests();
    // Only the choice is checked here; tests/integration/security-redis.test.ts talks to Redis.
    const store = throttle().store;
    expect(store.kind).toBe("redis");
    resetThrottleForTests();
  });

  it("a refused attempt costs nothing: hammering a blocked account does not extend its block", async () => {
    const limits = createThrottle(memoryStore());
    for (let i = 0; i < POLICIES.signInAccountAddress.points; i++) {
      expect(await limits.beginSignIn("a@example.com", "198.51.100.1")).toEqual({ allowed: true });
    }
    for (let i = 0; i < 50; i++) {
      expect((await limits.beginSignIn("a@example.com", "198.51.100.1")).allowed).toBe(false);
    }
    // Had the 50 refusals counted, the account (20) would be full; it has exactly 10 left.
    for (let i = 0; i < POLICIES.signInAccount.points - POLICIES.signInAccountAddress.points; i++) {
      expect((await limits.beginSignIn("a@example.com", `203.0.113.${i}`)).allowed).toBe(true);
    }
    expect((await limits.beginSignIn("a@example.com", "203.0.113.99")).allowed).toBe(false);
  });

  it("counts an email the same however it is spelled", async () => {
    const limits = createThrottle(memoryStore());
    const spellings = ["Ada@Example.com", " ada@example.com", "ADA@EXAMPLE.COM "];
    for (let i = 0; i < POLICIES.registerAccount.points; i++) {
      expect((await limits.register(spellings[i]!, `198.51.100.${i}`)).allowed).toBe(true);
    }
    const refused = await limits.register("ada@example.com", "198.51.100.9");
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    expect(refused.allowed ? 0 : refused.retryAfterSeconds).toBeLessThanOrEqual(3600);
  });

  it.each([
    [30, "a minute"],
    [600, "10 minutes"],
    [3 * 3600, "3 hours"],
    [7 * 24 * 3600, "7 days"],
  ])("Retry-After %i s reads “%s”", (seconds, words) => {
    expect(waitInWords(seconds)).toBe(words);
    const res = tooManyRequests(seconds);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe(String(seconds));
  });
});

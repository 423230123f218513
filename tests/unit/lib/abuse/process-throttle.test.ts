import { describe, expect, it, vi } from "vitest";
import { resetThrottleForTests, throttle } from "@/lib/abuse/process-throttle";
import { resetEnvCacheForTests } from "@/lib/env";
import { setupServerTests } from "../../support/server";

setupServerTests();

describe("this process's throttle", () => {
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
});

/**
 * Promise 2, shared limits: with REDIS_URL set, every Next instance counts in the same Redis, so a
 * client cannot multiply its budget by the number of instances (or by waiting for a restart). Runs
 * against the machine's Redis (127.0.0.1:6379, or TEST_REDIS_URL); without one it is skipped with the
 * reason printed, except on CI, where it must run.
 */
import net from "node:net";
import { createHmac, randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { POLICIES } from "@/lib/abuse/budgets";
import { resetThrottleForTests, throttle } from "@/lib/abuse/process-throttle";
import { createThrottle, type Throttle } from "@/lib/abuse/throttle";
import { resetEnvCacheForTests } from "@/lib/env";
import { REDIS_KEY_NAMESPACE, redisStore } from "@/lib/abuse/limiter-store";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 6379) });
    socket.setTimeout(1_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const redisUp = await reachable(REDIS_URL);
if (!redisUp) {
  const reason = `no Redis reachable at ${new URL(REDIS_URL).host} (start one, or set TEST_REDIS_URL)`;
  if (process.env.CI) throw new Error(`Redis tests required on CI: ${reason}`);
  console.warn(`Skipping the Redis rate-limit tests: ${reason}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe.skipIf(!redisUp)("rate limits shared through Redis", () => {
  const namespace = `customer-auth-test-${randomBytes(4).toString("hex")}`;
  const admin = redisUp ? new Redis(REDIS_URL, { lazyConnect: true }) : undefined;
  const instances: Throttle[] = [];

  /** One Next instance's limits: its own Redis connection, the shared counters. */
  async function instance(): Promise<Throttle> {
    const created = createThrottle(redisStore(REDIS_URL, { namespace }));
    instances.push(created);
    await created.store.ready();
    return created;
  }

  async function keys(pattern: string): Promise<string[]> {
    return (await admin?.keys(pattern)) ?? [];
  }

  const secret = randomBytes(32).toString("base64url");

  beforeAll(async () => {
    await admin?.connect();
    vi.stubEnv("NEXTAUTH_URL", "http://localhost:3000");
    vi.stubEnv("NEXTAUTH_SECRET", secret);
    vi.stubEnv("DIRECTUS_URL", "http://127.0.0.1:8055");
    resetEnvCacheForTests();
  });
  afterEach(async () => {
    for (const created of instances.splice(0)) await created.store.close();
  });
  afterAll(async () => {
    const made = await keys(`${namespace}:*`);
    if (made.length > 0) await admin?.del(...made);
    admin?.disconnect();
    vi.unstubAllEnvs();
    resetEnvCacheForTests();
  });

  it("a second instance sees the first one's sign-in attempts, and a success on either clears them", async () => {
    const [a, b] = [await instance(), await instance()];
    const email = `victim.${namespace}@example.com`;
    for (let i = 0; i < POLICIES.signInAccountAddress.points; i++) {
      expect(await a.beginSignIn(email, "198.51.100.1")).toEqual({ kind: "allowed" });
    }
    const refused = await b.beginSignIn(email, "198.51.100.1");
    expect(refused).toEqual({
      kind: "refused",
      retryAfterSeconds: expect.any(Number),
      refusedBy: ["signInAccountAddress"],
    });
    expect(refused.kind === "allowed" ? 0 : refused.retryAfterSeconds).toBeGreaterThan(
      6 * 24 * 3600,
    );

    // The owner, elsewhere, on the other instance: allowed, and their success clears the account.
    expect(await b.beginSignIn(email, "192.0.2.1")).toEqual({ kind: "allowed" });
    await b.signInSucceeded(email, "192.0.2.1");
    const fresh = await instance();
    for (let i = 0; i < POLICIES.signInAccount.points - POLICIES.signInAccountAddress.points; i++) {
      expect(await fresh.beginSignIn(email, `203.0.113.${i}`)).toEqual({ kind: "allowed" });
    }
  });

  it("the account ceiling holds across instances: 20 attempts from 20 addresses spread over 3 instances, then no more", async () => {
    const all = [await instance(), await instance(), await instance()];
    const email = `ceiling.${namespace}@example.com`;
    const verdicts = await Promise.all(
      Array.from({ length: 30 }, (_, i) => all[i % 3]!.beginSignIn(email, `203.0.113.${i + 1}`)),
    );
    expect(verdicts.filter((v) => v.kind === "allowed")).toHaveLength(
      POLICIES.signInAccount.points,
    );
  });

  it("register and forgot-password limits are shared too, and no key holds an email in clear", async () => {
    const [a, b] = [await instance(), await instance()];
    const email = `forms.${namespace}@example.com`;
    for (let i = 0; i < POLICIES.registerAccount.points; i++) {
      expect((await a.register(email, `198.51.100.${i}`)).kind).toBe("allowed");
    }
    expect((await b.register(email, "198.51.100.50")).kind).toBe("refused");
    for (let i = 0; i < POLICIES.forgotAccount.points; i++) {
      expect((await b.forgotPassword(email, `198.51.100.${i}`)).kind).toBe("allowed");
    }
    expect((await a.forgotPassword(email, "198.51.100.50")).kind).toBe("refused");

    const made = await keys(`${namespace}:*`);
    expect(made.length).toBeGreaterThan(0);
    expect(made.filter((key) => key.includes("@") || key.includes("forms."))).toEqual([]);
  });

  it("the app uses Redis when REDIS_URL is set", async () => {
    vi.stubEnv("REDIS_URL", REDIS_URL);
    resetEnvCacheForTests();
    resetThrottleForTests();
    try {
      const app = throttle();
      expect(app.store.kind).toBe("redis");
      await app.store.ready();
      const email = `app.${namespace}@example.com`;
      expect((await app.register(email, "198.51.100.77")).kind).toBe("allowed");
      const accountHash = createHmac("sha256", secret)
        .update(`rate-limit-account:${email}`)
        .digest("base64url");
      const made = [
        `${REDIS_KEY_NAMESPACE}:register:address:198.51.100.77`,
        `${REDIS_KEY_NAMESPACE}:register:account:${accountHash}`,
      ];
      try {
        expect(await admin?.exists(...made)).toBe(2);
      } finally {
        await admin?.del(...made);
      }
    } finally {
      resetThrottleForTests();
      vi.stubEnv("REDIS_URL", undefined);
      resetEnvCacheForTests();
    }
  });

  it("while Redis is unreachable, limits still hold per instance and the URL's password is never logged", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const password = `s3cret-${randomBytes(6).toString("hex")}`;
    const down = createThrottle(
      redisStore(`redis://:${password}@127.0.0.1:${await freePort()}`, { namespace }),
    );
    instances.push(down);
    const email = `outage.${namespace}@example.com`;
    const verdicts = [];
    for (let i = 0; i < POLICIES.signInAccountAddress.points + 1; i++) {
      verdicts.push((await down.beginSignIn(email, "198.51.100.9")).kind);
    }
    expect(verdicts).toEqual([
      ...Array<string>(POLICIES.signInAccountAddress.points).fill("allowed"),
      "refused",
    ]);
    await vi.waitFor(() => expect(warn).toHaveBeenCalled());
    const logged = JSON.stringify([...warn.mock.calls, ...error.mock.calls]);
    expect(logged).toMatch(/Redis unreachable/);
    expect(logged).not.toContain(password);
  });
});

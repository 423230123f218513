import "server-only";
import { Redis } from "ioredis";
import {
  RateLimiterMemory,
  RateLimiterRedis,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";

/**
 * Where rate-limit counters live. One Next instance: in memory (the default). Several instances: in
 * Redis (REDIS_URL), so that a client cannot multiply its budget by the number of instances, and a
 * restart or deploy of one instance does not hand an attacker a fresh budget.
 *
 * A Redis outage must not stop customers from signing in, nor turn into "no limits at all": every
 * Redis limiter has an in-memory twin (`insuranceLimiter`) that takes over while Redis is unreachable,
 * giving per-instance limits until it is back. Commands are not queued while disconnected
 * (`enableOfflineQueue: false`, `rejectIfRedisNotReady`): a request never waits for a reconnect.
 */
export type LimitPolicy = { keyPrefix: string; points: number; duration: number };

export type LimiterStore = {
  readonly kind: "memory" | "redis";
  limiter(policy: LimitPolicy): RateLimiterAbstract;
  /** Resolves once the store can take commands (Redis connected); memory is always ready. */
  ready(): Promise<void>;
  close(): Promise<void>;
};

/** Every key this app writes to a shared Redis starts with this, so other users of it are safe. */
export const REDIS_KEY_NAMESPACE = "customer-auth";

export function memoryStore(): LimiterStore {
  return {
    kind: "memory",
    limiter: (policy) => new RateLimiterMemory(policy),
    ready: async () => {},
    close: async () => {},
  };
}

/**
 * Counters in Redis. `namespace` separates deployments (or test runs) sharing one Redis. The URL may
 * carry a password: it is never logged, nor is any error message that could echo it.
 */
export function redisStore(url: string, { namespace = REDIS_KEY_NAMESPACE } = {}): LimiterStore {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    // Keep reconnecting, at most every 2 s: the insurance limiters cover the gap.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let reportedOutage = false;
  client.on("error", (error: NodeJS.ErrnoException) => {
    if (reportedOutage) return;
    reportedOutage = true;
    console.warn(
      `throttle: Redis unreachable (${error.code ?? error.name}); rate limits fall back to this instance's memory until it is back`,
    );
  });
  client.on("ready", () => {
    if (reportedOutage) console.warn("throttle: Redis reachable again; rate limits are shared");
    reportedOutage = false;
  });

  return {
    kind: "redis",
    limiter: (policy) =>
      new RateLimiterRedis({
        ...policy,
        keyPrefix: `${namespace}:${policy.keyPrefix}`,
        storeClient: client,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(policy),
      }),
    ready: () =>
      client.status === "ready"
        ? Promise.resolve()
        : new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
              client.off("ready", onReady);
              reject(new Error("Redis did not become ready in time"));
            }, 5_000);
            const onReady = () => {
              clearTimeout(timer);
              resolve();
            };
            client.once("ready", onReady);
          }),
    close: async () => {
      client.disconnect();
    },
  };
}

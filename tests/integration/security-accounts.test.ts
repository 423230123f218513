/**
 * Account security against a real Directus, on SQLite and on Postgres, one backend per lane:
 * - promise 1, no account enumeration (security-enumeration.suite.ts);
 * - promise 2, throttling that protects customers instead of locking them out
 *   (security-throttle.suite.ts; the Redis-shared limits are in security-redis.test.ts);
 * - promise 9, no secret in the app's logs (security-logs.suite.ts, on one lane: the app prints the
 *   same on both), while every suite here also fails if its own flows printed a secret they used.
 */
import { afterAll, beforeAll, beforeEach, describe } from "vitest";
import { resetThrottleForTests } from "@/lib/abuse/process-throttle";
import { type Backend, type Lane, postgresLane, startBackend } from "../support/backend";
import { enumerationSuite } from "./security-enumeration.suite";
import { logsSuite } from "./security-logs.suite";
import { captureLogs, pointAppAt } from "./security-support";
import { throttlingSuite } from "./security-throttle.suite";

const pg = await postgresLane();
const lanes: Lane[] = pg.run ? ["sqlite", "postgres"] : ["sqlite"];

describe.each(lanes)("account security on %s", (lane) => {
  let backend: Backend;
  const logs = captureLogs();

  beforeAll(async () => {
    backend = await startBackend(lane);
  });
  afterAll(async () => {
    logs.assertClean();
    await backend?.stop();
  });
  beforeEach(() => {
    // 20 parallel logins queue up for Directus's password hashing; on a busy 2-core machine the last
    // ones take seconds. A generous timeout keeps them judged rather than "unavailable" (which still
    // counts: see authorize.ts), so the counts are exact.
    pointAppAt(backend, { DIRECTUS_TIMEOUT_MS: "30000" });
    resetThrottleForTests();
  });

  const context = { lane, backend: () => backend, logs };
  enumerationSuite(context);
  throttlingSuite(context);
  if (lane === lanes.at(-1)) logsSuite(context);
});

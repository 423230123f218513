/**
 * Promise 8: many signed-in customers browse protected pages for a while, on loopback, while their
 * Directus sessions come due for a refresh every few seconds. Nobody may be signed out, nothing may fail, every
 * page must show its own customer, and the server's memory must stay flat (its heap is capped, see
 * global-setup.ts, so retained memory cannot hide behind V8's lazy heap growth). Bounded in time and
 * in requests; the figures go to the console and to .test-data/e2e/soak.json.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { REFRESH_INTERVAL_SECONDS, SESSION_TTL_SECONDS } from "./constants";
import { appRssKb, createActiveCustomer, expect, test } from "./fixtures";
import { type Answer, CookieJar, send, signInOverHttp } from "./http-client";
import { E2E_OUTPUT_DIR } from "./log-scan";

const CLIENTS = 24;
const DURATION_MS = 90_000;
const MAX_REQUESTS = 30_000;
const THINK_MS = 40;
const SESSION_COOKIE = "next-auth.session-token";

type Client = { email: string; from: string; jar: CookieJar };

/** At most `limit` of `tasks` at a time. */
async function inBatches<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += limit) {
    results.push(...(await Promise.all(tasks.slice(i, i + limit).map((task) => task()))));
  }
  return results;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

test("a soak: many signed-in customers browse while their sessions slide every few seconds", async () => {
  test.setTimeout(300_000);

  const customers = await inBatches(
    Array.from({ length: CLIENTS }, () => () => createActiveCustomer()),
    4,
  );
  // Each customer on an address of their own, as separate people would be.
  const clients: Client[] = customers.map((c, i) => ({
    email: c.email,
    from: `127.0.1.${i + 1}`,
    jar: new CookieJar(),
  }));
  await inBatches(
    clients.map((client, i) => async () => {
      const answer = await signInOverHttp(
        client.from,
        client.jar,
        client.email,
        customers[i]?.password ?? "",
      );
      expect(answer.status, `sign-in of client ${i}`).toBe(200);
      expect(client.jar.has(SESSION_COOKIE)).toBe(true);
    }),
    4,
  );

  const tally = {
    requests: 0,
    pages: 0,
    signedOut: 0,
    serverErrors: 0,
    wrongCustomer: 0,
    other: 0,
  };
  const statuses = new Map<number, number>();
  // What a failure looked like, so a red run on CI says which request failed and why.
  const failures: string[] = [];
  const appLog = path.join(E2E_OUTPUT_DIR, "app-output.log");
  const appLogStart = statSync(appLog).size;
  let refreshedCookies = 0;
  const latencies: number[] = [];
  const memory: Array<{ atMs: number; rssKb: number }> = [];

  const started = Date.now();
  const running = () => Date.now() - started < DURATION_MS && tally.requests < MAX_REQUESTS;

  const judge = (client: Client, kind: "page" | "prefetch" | "session", answer: Answer) => {
    tally.requests += 1;
    latencies.push(answer.ms);
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    // The session endpoint re-issues its cookie on every call; on pages only a refresh sets it.
    const setsSession = (answer.headers["set-cookie"] ?? []).some((c) =>
      c.startsWith(`${SESSION_COOKIE}=`),
    );
    if (kind === "page" && setsSession) refreshedCookies += 1;
    client.jar.take(answer.headers);
    if (answer.status >= 500) {
      tally.serverErrors += 1;
      if (failures.length < 5) {
        const at = ((Date.now() - started) / 1000).toFixed(1);
        failures.push(`${at}s ${kind} ${answer.status} ${answer.text.slice(0, 200)}`);
      }
    } else if (kind === "session") {
      const body = JSON.parse(answer.text) as { user?: { id?: string } };
      if (!body.user?.id) tally.signedOut += 1;
    } else if (answer.status === 307 && /\/login/.test(String(answer.headers.location))) {
      tally.signedOut += 1;
    } else if (answer.status !== 200) tally.other += 1;
    else if (kind === "page") {
      tally.pages += 1;
      if (!answer.text.includes(client.email)) tally.wrongCustomer += 1;
    }
  };

  // A browser fires several requests at once with one cookie: the page, a prefetch, the session.
  const browse = async (client: Client) => {
    while (running()) {
      const cookie = client.jar.header();
      const [page, prefetch, session] = await Promise.all([
        send(client.from, "GET", "/account", { headers: { cookie } }),
        send(client.from, "GET", "/account", { headers: { cookie, "next-router-prefetch": "1" } }),
        send(client.from, "GET", "/api/auth/session", { headers: { cookie } }),
      ]);
      judge(client, "page", page);
      judge(client, "prefetch", prefetch);
      judge(client, "session", session);
      await new Promise((r) => setTimeout(r, THINK_MS));
    }
  };

  const sampler = (async () => {
    while (running()) {
      memory.push({ atMs: Date.now() - started, rssKb: await appRssKb() });
      await new Promise((r) => setTimeout(r, 1_000));
    }
  })();
  await Promise.all([...clients.map(browse), sampler]);
  const elapsedMs = Date.now() - started;

  // Flat memory: the last third of the run holds no more than the middle third, give or take GC.
  const third = (n: number) =>
    memory.filter((m) => m.atMs >= (elapsedMs * n) / 3 && m.atMs < (elapsedMs * (n + 1)) / 3);
  const middleMb = median(third(1).map((m) => m.rssKb)) / 1024;
  const lastMb = median(third(2).map((m) => m.rssKb)) / 1024;
  const sortedLatency = [...latencies].sort((a, b) => a - b);
  const figures = {
    clients: CLIENTS,
    seconds: Math.round(elapsedMs / 100) / 10,
    sessionTtlSeconds: SESSION_TTL_SECONDS,
    refreshIntervalSeconds: REFRESH_INTERVAL_SECONDS,
    ...tally,
    statuses: Object.fromEntries(statuses),
    refreshedCookies,
    requestsPerSecond: Math.round(tally.requests / (elapsedMs / 1000)),
    latencyMs: {
      p50: Math.round(sortedLatency[Math.floor(sortedLatency.length * 0.5)] ?? 0),
      p99: Math.round(sortedLatency[Math.floor(sortedLatency.length * 0.99)] ?? 0),
    },
    rssMb: {
      first: Math.round((memory[0]?.rssKb ?? 0) / 1024),
      peak: Math.round(Math.max(...memory.map((m) => m.rssKb)) / 1024),
      middleThirdMedian: Math.round(middleMb),
      lastThirdMedian: Math.round(lastMb),
    },
  };
  console.log(`soak: ${JSON.stringify(figures)}`);
  console.log(
    `soak memory (s: MB): ${memory.map((m) => `${Math.round(m.atMs / 1000)}:${Math.round(m.rssKb / 1024)}`).join(" ")}`,
  );
  writeFileSync(path.join(E2E_OUTPUT_DIR, "soak.json"), `${JSON.stringify(figures, null, 2)}\n`);
  if (failures.length > 0) {
    // The app's own words on it: its warnings and errors while the soak ran.
    const printed = readFileSync(appLog).subarray(appLogStart).toString("utf8");
    const complaints = printed
      .split("\n")
      .filter((line) => /warn|error|unavailable|refresh:|session:/i.test(line));
    console.log(`soak failures:\n${failures.join("\n")}`);
    console.log(
      `app output during the soak (last 30 warnings):\n${complaints.slice(-30).join("\n")}`,
    );
  }

  expect(tally.signedOut, "unexpected sign-outs").toBe(0);
  expect(tally.serverErrors, "5xx answers").toBe(0);
  expect(tally.other, "answers other than 200").toBe(0);
  expect(tally.wrongCustomer, "pages showing someone else, or no one").toBe(0);
  // The run must really have crossed refresh intervals: each session slid several times. A session
  // slides on the first request after it comes due, a round trip late (seconds here: every page asks
  // Directus), so the floor leaves out two intervals: the one before the first slide, and the round
  // trips that add up over the run. Still at least four slides per session in 90 s.
  const intervals = elapsedMs / 1000 / REFRESH_INTERVAL_SECONDS;
  expect(refreshedCookies).toBeGreaterThanOrEqual(Math.floor(CLIENTS * (intervals - 2)));
  expect(memory.length).toBeGreaterThan(10);
  expect(lastMb, "memory grew in the last third of the run").toBeLessThanOrEqual(
    middleMb * 1.15 + 16,
  );
});

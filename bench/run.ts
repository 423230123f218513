/**
 * `npm run bench`: what the auth layer costs next to its two neighbours, measured side by side in one
 * run against a production build (`next build` + `next start`) and a real, provisioned Directus on
 * SQLite, all on loopback. See bench/README.md for what each figure means.
 *
 *   npm run bench                 the whole bench (about 3 minutes on 2 cores)
 *   npm run bench -- --cold       only the cold set-up (clone, npm run setup, npm run dev; ~6 minutes)
 *   npm run bench -- --quick      fewer, shorter rounds: for working on the harness, not for figures
 *   npm run bench -- --keep-twin  keep the twin build folder; --twin <dir> reuses one
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { decode, encode } from "next-auth/jwt";
import { freePort, secret } from "../scripts/stack.mjs";
import { startBackend, type Backend } from "../tests/support/backend";
import { startBuiltApp, type AppServer } from "./app-server";
import {
  createCustomer,
  directusLogin,
  nextAuthSignIn,
  SignInError,
  type Customer,
  type SignInResult,
} from "./auth-client";
import { countsSince, startCountingProxy, type CountingProxy, type Counts } from "./counting-proxy";
import {
  cpuMs,
  findDirectusPid,
  headerValues,
  interleaved,
  load,
  median,
  pageWeight,
  quantile,
  rssSampler,
  sleep,
  type LoadResult,
  type PageWeight,
} from "./measure";
import {
  gitInfo,
  kB,
  machineInfo,
  ms,
  RESULTS_DIR,
  signedMs,
  table,
  verdict,
  writeResults,
  x,
  type Row,
} from "./report";
import {
  BENCH_DIR,
  buildTwin,
  isBuilt,
  prepareTwin,
  removeTwin,
  ROOT,
  type TwinInfo,
} from "./twin";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = flag("--quick");

const CONFIG = {
  /** Directus session lifetime (SESSION_COOKIE_TTL) for the whole bench stack. The proxy slides a
   * session once it is a third of that old (20 min here), so figure 1 never measures a refresh; the
   * storm makes its sessions due by back-dating them in the cookie (see dueForRefresh). */
  sessionTtlSeconds: 3600,
  perRequest: {
    rounds: quick ? 1 : 12,
    seconds: 2,
    warmupSeconds: quick ? 1 : 2,
    connections: 10,
  },
  signIn: { pairs: quick ? 4 : 15, warmupPairs: 2 },
  storm: { rounds: quick ? 1 : 3, concurrency: 50 },
  settleSeconds: quick ? 4 : 10,
  /** Hard stop for the whole bench, whatever happens. */
  watchdogMinutes: 12,
} as const;

const TARGETS = {
  throughputRatio: 0.9,
  signInExtraMs: 25,
  refreshesPerStorm: 1,
  stormP99Ratio: 2,
  extraJsBytes: 20_000,
  settleDriftKb: 5 * 1024,
  coldSeconds: 8 * 60,
} as const;

const t0 = Date.now();
function log(message: string): void {
  const s = ((Date.now() - t0) / 1000).toFixed(0).padStart(4);
  process.stderr.write(`[bench ${s}s] ${message}\n`);
}

const cleanups: Array<() => Promise<void> | void> = [];
async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const step = cleanups.pop();
    try {
      await step?.();
    } catch (err) {
      log(`clean-up step failed: ${(err as Error).message}`);
    }
  }
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    void cleanUp().then(() => process.exit(130));
  });
}

type Stack = {
  backend: Backend;
  proxy: CountingProxy;
  app: AppServer;
  appUrl: string;
  nextAuthSecret: string;
  twin: TwinInfo & { buildSeconds: number | null };
  directusPid: number | undefined;
  users: { main: Customer; signIn: Customer; storm: Customer };
};

async function startStack(): Promise<Stack> {
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;

  const reuse = option("--twin");
  let twin: TwinInfo & { buildSeconds: number | null };
  const backendStarting = startBackend("sqlite", {
    appUrl,
    extraEnv: {
      SESSION_COOKIE_TTL: `${CONFIG.sessionTtlSeconds}s`,
      REFRESH_TOKEN_TTL: `${CONFIG.sessionTtlSeconds}s`,
    },
  });
  // Stop the backend even if the build fails first.
  backendStarting.then((b) => cleanups.push(b.stop)).catch(() => {});
  try {
    if (reuse) {
      if (!isBuilt(reuse)) throw new Error(`--twin ${reuse}: no build there`);
      const proxySource = readFileSync(path.join(reuse, "proxy.ts"), "utf8");
      twin = {
        dir: reuse,
        proxySkipsTwin: proxySource.includes("bench-unprotected|"),
        accountPage: "(reused)",
        buildSeconds: null,
      };
      log(`reusing the twin build in ${reuse}`);
    } else {
      const prepared = prepareTwin();
      if (!flag("--keep-twin")) cleanups.push(() => removeTwin(prepared.dir));
      log(`building the twin (next build) in ${prepared.dir}, Directus starting meanwhile`);
      const buildSeconds = await buildTwin(prepared.dir);
      twin = { ...prepared, buildSeconds };
      log(`twin built in ${buildSeconds.toFixed(0)} s`);
    }
  } catch (err) {
    await backendStarting.catch(() => {});
    throw err;
  }
  const backend = await backendStarting;
  log(`Directus up at ${backend.directusUrl}`);

  const proxy = await startCountingProxy(backend.directusUrl);
  cleanups.push(proxy.stop);

  const adminToken = await backend.adminToken();
  const roleId = backend.report.customerRoleId;
  const users = {
    main: await createCustomer(backend.directusUrl, adminToken, roleId, "main"),
    signIn: await createCustomer(backend.directusUrl, adminToken, roleId, "signin"),
    storm: await createCustomer(backend.directusUrl, adminToken, roleId, "storm"),
  };

  // The twin reads the same profile with a session of its own (bench/twin/lib/bench/current-user.ts).
  const twinSession = await directusLogin(
    backend.directusUrl,
    users.main.email,
    users.main.password,
  );
  const nextAuthSecret = secret(32);
  const app = await startBuiltApp({
    dir: twin.dir,
    port: appPort,
    nodeArgs: ["--expose-gc"],
    env: {
      ...process.env,
      NEXTAUTH_URL: appUrl,
      NEXTAUTH_SECRET: nextAuthSecret,
      DIRECTUS_URL: proxy.url,
      BENCH_SESSION_TOKEN: twinSession.sessionToken,
    },
  });
  cleanups.push(app.stop);
  log(
    `next start up at ${appUrl} (pid ${app.pid}); Directus reached through the counting proxy ${proxy.url}`,
  );
  const directusPid = findDirectusPid(Number(new URL(backend.directusUrl).port));
  return { backend, proxy, app, appUrl, nextAuthSecret, twin, directusPid, users };
}

async function signInOrExplain(stack: Stack, user: Customer): Promise<SignInResult> {
  try {
    return await nextAuthSignIn(stack.appUrl, user.email, user.password);
  } catch (err) {
    throw new Error(
      `bench: signing in ${user.email} failed: ${(err as Error).message}\n${stack.app.output().slice(-3000)}`,
    );
  }
}

// ── 4. Page weight ────────────────────────────────────────────────────────────────────────────────
async function measureWeight(stack: Stack) {
  const session = await signInOrExplain(stack, stack.users.main);
  const blank = await pageWeight(stack.appUrl, "/bench-blank");
  const pages: PageWeight[] = [];
  for (const [pathname, cookie] of [
    ["/login", undefined],
    ["/register", undefined],
    ["/account", session.cookie],
  ] as const) {
    pages.push(await pageWeight(stack.appUrl, pathname, cookie));
  }
  return {
    compression: "gzip, zlib level 9, each script separately",
    blank,
    pages: pages.map((p) => ({
      ...p,
      extraGzipBytes: p.gzipBytes - blank.gzipBytes,
      pass: p.gzipBytes - blank.gzipBytes <= TARGETS.extraJsBytes,
    })),
  };
}

type HeapReading = { collected: boolean; rssKb: number; heapUsedKb: number };

/** The server's heap after a full GC (twin-only route; the server runs with --expose-gc). */
async function heapAfterGc(stack: Stack): Promise<HeapReading> {
  const res = await fetch(`${stack.appUrl}/api/bench-memory`);
  const body = (await res.json()) as HeapReading;
  if (!body.collected) throw new Error("bench: the server was started without --expose-gc");
  return body;
}

// ── 1 and 5. Per-request auth cost, and memory ────────────────────────────────────────────────────
type Arm = "A" | "B" | "C";
const ARMS: Record<Arm, { path: string; label: string }> = {
  A: { path: "/account", label: "protected  " },
  B: { path: "/bench-unprotected", label: "unprotected" },
  C: { path: "/bench-proxied", label: "proxied    " },
};
/** Every order of the three arms once per six rounds, so each arm goes first, second and last equally. */
const ORDERS: Arm[][] = [
  ["A", "B", "C"],
  ["B", "C", "A"],
  ["C", "A", "B"],
  ["C", "B", "A"],
  ["B", "A", "C"],
  ["A", "C", "B"],
];

async function measurePerRequest(stack: Stack) {
  const { perRequest } = CONFIG;
  const email = stack.users.main.email;
  const page = (status: number, body: string) => status === 200 && body.includes(email);
  const sampler = rssSampler(stack.app.pid);

  let session: SignInResult | undefined;
  const freshFor = (CONFIG.sessionTtlSeconds * 1_000) / 3 - 5_000;
  /** A session that stays clear of its refresh for the whole round. */
  const ensureSession = async (seconds: number) => {
    if (!session || Date.now() + seconds * 1000 > session.signedInAt + freshFor) {
      session = await signInOrExplain(stack, stack.users.main);
    }
  };
  const run = async (arm: Arm, seconds: number) => {
    if (arm === "A") await ensureSession(seconds);
    const cookie = arm === "A" ? session?.cookie : undefined;
    return load({
      url: `${stack.appUrl}${ARMS[arm].path}`,
      cookie,
      connections: perRequest.connections,
      duration: seconds,
      check: page,
    });
  };

  await sleep(1000);
  const baseline = sampler.now();
  const started = Date.now();
  log("per-request: warming up the three pages");
  for (const arm of ["A", "B", "C"] as const) await run(arm, perRequest.warmupSeconds);
  const heapWarm = await heapAfterGc(stack);

  const rounds: Record<Arm, LoadResult[]> = { A: [], B: [], C: [] };
  const directus: Record<Arm, Counts[]> = { A: [], B: [], C: [] };
  const rssAfterRound: number[] = [];
  /** CPU ms used during each round: the Next server, and Directus. */
  const cpu: Record<Arm, Array<{ next: number; directus: number }>> = { A: [], B: [], C: [] };
  const directusCpu = () => (stack.directusPid ? cpuMs(stack.directusPid) : Number.NaN);
  const orders = Array.from(
    { length: perRequest.rounds },
    (_, i) => ORDERS[i % ORDERS.length] as Arm[],
  );
  for (const [i, order] of orders.entries()) {
    for (const arm of order) {
      if (arm === "A") await ensureSession(perRequest.seconds);
      const before = await stack.proxy.counts();
      const cpuBefore = { next: cpuMs(stack.app.pid), directus: directusCpu() };
      const result = await run(arm, perRequest.seconds);
      cpu[arm].push({
        next: cpuMs(stack.app.pid) - cpuBefore.next,
        directus: directusCpu() - cpuBefore.directus,
      });
      directus[arm].push(countsSince(before, await stack.proxy.counts()));
      rounds[arm].push(result);
      rssAfterRound.push(sampler.now()?.rssKb ?? 0);
      log(
        `per-request round ${i + 1} ${ARMS[arm].label}: ` +
          `${result.reqPerSec.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`,
      );
    }
  }
  const ended = Date.now();
  const hwmAtEnd = sampler.now()?.hwmKb ?? 0;
  log(`memory: letting the server settle for ${CONFIG.settleSeconds} s`);
  await sleep(CONFIG.settleSeconds * 1000);
  const settled = sampler.now();
  const settleEnd = Date.now();
  const heapAfter = await heapAfterGc(stack);
  const lastFive = sampler.between(settleEnd - 5_000, settleEnd).map((s) => s.rssKb);
  const during = sampler.between(started, ended).map((s) => s.rssKb);
  sampler.stop();

  const all = [...rounds.A, ...rounds.B, ...rounds.C];
  const valid = all.every((r) => r.non2xx === 0 && r.errors === 0 && r.rejected === 0);
  const medians = (arm: Arm) => ({
    reqPerSec: median(rounds[arm].map((r) => r.reqPerSec)),
    p50: median(rounds[arm].map((r) => r.p50)),
    p99: median(rounds[arm].map((r) => r.p99)),
  });
  const answered = (arm: Arm) => rounds[arm].reduce((a, r) => a + r.requests, 0);
  const perPage = (arm: Arm, key: string) =>
    directus[arm].reduce((a, c) => a + (c[key] ?? 0), 0) / Math.max(1, answered(arm));
  const refreshes = [...directus.A, ...directus.B, ...directus.C].reduce(
    (a, c) => a + (c["POST /auth/refresh"] ?? 0),
    0,
  );
  // Arms of one round ran back to back and shared whatever else the machine was doing.
  const ratios = (top: Arm, bottom: Arm) =>
    rounds[top].map((r, i) => r.reqPerSec / (rounds[bottom][i]?.reqPerSec ?? Number.NaN));
  const pairRatios = ratios("A", "B");
  const pairRatio = median(pairRatios);
  /** CPU ms per answered page, over all rounds of an arm. */
  const cpuPerPage = (arm: Arm, key: "next" | "directus") =>
    cpu[arm].reduce((a, c) => a + c[key], 0) / Math.max(1, answered(arm));
  const cpuTotal = (arm: Arm) => cpuPerPage(arm, "next") + cpuPerPage(arm, "directus");
  const drift = lastFive.length ? Math.max(...lastFive) - Math.min(...lastFive) : Number.NaN;
  const retainedGrowthKb = heapAfter.heapUsedKb - heapWarm.heapUsedKb;

  return {
    perRequest: {
      paths: { protected: ARMS.A.path, unprotected: ARMS.B.path, proxied: ARMS.C.path },
      proxySkipsUnprotected: stack.twin.proxySkipsTwin,
      connections: perRequest.connections,
      secondsPerRound: perRequest.seconds,
      orders: orders.map((o) => o.join("")),
      protected: rounds.A,
      unprotected: rounds.B,
      proxied: rounds.C,
      median: { protected: medians("A"), unprotected: medians("B"), proxied: medians("C") },
      /** Judged: each protected round over the unprotected round next to it, then the median. */
      throughputRatio: pairRatio,
      pairRatios,
      pairRatioIqr: [quantile(pairRatios, 0.25), quantile(pairRatios, 0.75)],
      ratioOfMedians: medians("A").reqPerSec / medians("B").reqPerSec,
      /**
       * CPU time per answered page (from /proc/<pid>/stat, 10 ms ticks): hardly moved by other load on
       * the machine, unlike req/s. With both cores saturated, req/s ≈ 1 / CPU per page, so
       * `cpuThroughputRatio` (unprotected CPU ÷ protected CPU, Next + Directus) estimates the same ratio.
       */
      cpuMsPerPage: {
        next: {
          protected: cpuPerPage("A", "next"),
          unprotected: cpuPerPage("B", "next"),
          proxied: cpuPerPage("C", "next"),
        },
        directus: {
          protected: cpuPerPage("A", "directus"),
          unprotected: cpuPerPage("B", "directus"),
          proxied: cpuPerPage("C", "directus"),
        },
      },
      cpuThroughputRatio: cpuTotal("B") / cpuTotal("A"),
      /** Where the cost sits: proxy.ts with no cookie (C/B), then the session itself (A/C). */
      breakdown: {
        proxyOnlyRatio: median(ratios("C", "B")),
        sessionOverProxyRatio: median(ratios("A", "C")),
      },
      /** Directus profile reads per answered page; slightly above 1 because requests still in flight
       * when a round ends reach Directus but are not counted by autocannon. */
      directusProfileReadsPerPage: {
        protected: perPage("A", "GET /customer/me"),
        unprotected: perPage("B", "GET /customer/me"),
        proxied: perPage("C", "GET /customer/me"),
      },
      refreshesDuringRounds: refreshes,
      valid,
      pass: valid && pairRatio >= TARGETS.throughputRatio,
    },
    memory: {
      source: `/proc/${stack.app.pid}/status of next start (plus children: ${sampler.childCount()}), every 250 ms`,
      baselineRssKb: baseline?.rssKb ?? 0,
      peakRssDuringRun1Kb: Math.max(...during),
      hwmAfterRun1Kb: hwmAtEnd,
      settledRssKb: settled?.rssKb ?? 0,
      settleSeconds: CONFIG.settleSeconds,
      driftLast5sKb: drift,
      rssAfterEachRoundKb: rssAfterRound,
      heapUsedAfterGcKb: { afterWarmup: heapWarm.heapUsedKb, afterSettle: heapAfter.heapUsedKb },
      rssAfterGcKb: { afterWarmup: heapWarm.rssKb, afterSettle: heapAfter.rssKb },
      retainedGrowthKb,
      passSettled: drift < TARGETS.settleDriftKb,
    },
  };
}

// ── 2. Sign-in cost ──────────────────────────────────────────────────────────────────────────────
async function measureSignIn(stack: Stack) {
  const user = stack.users.signIn;
  const samples: Record<"A" | "B", number[]> = { A: [], B: [] };
  const steps: Array<SignInResult["steps"]> = [];
  let throttled = 0;
  let failed = 0;
  let counting = false;
  const once = async (side: "A" | "B") => {
    if (side === "B") return (await directusLogin(stack.proxy.url, user.email, user.password)).ms;
    try {
      const result = await nextAuthSignIn(stack.appUrl, user.email, user.password);
      if (counting) steps.push(result.steps);
      return result.ms;
    } catch (err) {
      if (err instanceof SignInError && err.throttled) throttled += 1;
      else failed += 1;
      return undefined;
    }
  };
  for (const side of interleaved(CONFIG.signIn.warmupPairs).flat()) await once(side);
  const warmupFailures = throttled + failed;
  counting = true;
  for (const pair of interleaved(CONFIG.signIn.pairs)) {
    for (const side of pair) {
      const taken = await once(side);
      if (taken !== undefined) samples[side].push(taken);
    }
  }
  log(
    `sign-in: next-auth median ${ms(median(samples.A))}, bare Directus median ${ms(median(samples.B))}`,
  );
  const medA = median(samples.A);
  const medB = median(samples.B);
  const diffs = samples.A.map((a, i) => a - (samples.B[i] ?? Number.NaN)).filter(Number.isFinite);
  const valid = throttled === 0 && failed === 0;
  return {
    flow: "GET /api/auth/csrf → POST /api/auth/callback/credentials → GET /api/auth/session",
    bare: "POST /auth/login (session mode) to Directus, through the same counting proxy the app uses",
    n: CONFIG.signIn.pairs,
    nextAuthMs: samples.A,
    directusMs: samples.B,
    median: { nextAuth: medA, directus: medB },
    medianDifferenceMs: medA - medB,
    medianOfPairDifferencesMs: median(diffs),
    medianStepMs: {
      csrf: median(steps.map((s) => s.csrf)),
      callback: median(steps.map((s) => s.callback)),
      session: median(steps.map((s) => s.session)),
    },
    throttledSignIns: throttled,
    failedSignIns: failed,
    warmupFailures,
    valid,
    pass: valid && medA - medB <= TARGETS.signInExtraMs,
  };
}

/**
 * The same session as if a third of its lifetime had passed: the bench holds the next-auth secret, so
 * it back-dates the session's issue time in the cookie. The Directus session itself is untouched and
 * valid, exactly as a real session would be at that age; only the app's clock for it moves.
 */
async function dueForRefresh(stack: Stack, session: SignInResult): Promise<SignInResult> {
  const name = "next-auth.session-token";
  const value = session.cookie
    .split("; ")
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);
  const token = value ? await decode({ token: value, secret: stack.nextAuthSecret }) : null;
  if (!token) throw new Error("bench: could not read the storm session's cookie");
  // Shift the whole lifetime: the app refreshes once a third of it is gone, and it must not expire.
  const shiftMs = (CONFIG.sessionTtlSeconds * 1000) / 3 + 1000;
  const backDated = {
    ...token,
    sessionIssuedAt: Number(token.sessionIssuedAt) - shiftMs,
    sessionExpires: Number(token.sessionExpires) - shiftMs,
  };
  const cookie = await encode({ token: backDated, secret: stack.nextAuthSecret, maxAge: 3600 });
  return { ...session, cookie: `${name}=${cookie}` };
}

// ── 3. Refresh storm ─────────────────────────────────────────────────────────────────────────────
async function measureStorm(stack: Stack, expired: SignInResult[]) {
  const K = CONFIG.storm.concurrency;
  const email = stack.users.storm.email;
  const burst = async (cookie: string) => {
    const newTokens: string[] = [];
    const before = await stack.proxy.counts();
    const result = await load({
      url: `${stack.appUrl}/account`,
      cookie,
      connections: K,
      amount: K,
      check: (status, body, headers) => {
        for (const line of headerValues(headers, "set-cookie")) {
          const [pair = ""] = line.split(";");
          const eq = pair.indexOf("=");
          if (pair.slice(0, eq).includes("next-auth.session-token") && pair.slice(eq + 1))
            newTokens.push(pair.slice(eq + 1));
        }
        return status === 200 && body.includes(email);
      },
    });
    const delta = countsSince(before, await stack.proxy.counts());
    return { result, refreshes: delta["POST /auth/refresh"] ?? 0, newTokens };
  };

  const rounds = [];
  for (const [i, pair] of interleaved(CONFIG.storm.rounds).entries()) {
    const session = expired[i];
    if (!session) throw new Error("bench: missing a session due for refresh");
    const round: Record<string, unknown> = { round: i + 1, order: pair.join("") };
    for (const side of pair) {
      if (side === "A") {
        const { result, refreshes, newTokens } = await burst(session.cookie);
        const sessionTokens = new Set<string>();
        for (const value of newTokens) {
          const token = await decode({ token: value, secret: stack.nextAuthSecret }).catch(
            () => null,
          );
          if (typeof token?.sessionToken === "string") sessionTokens.add(token.sessionToken);
        }
        // The session must live on: the refreshed cookie opens the page without another refresh.
        let survived = false;
        if (newTokens[0]) {
          const before = await stack.proxy.counts();
          const res = await fetch(`${stack.appUrl}/account`, {
            redirect: "manual",
            headers: { cookie: `next-auth.session-token=${newTokens[0]}` },
          });
          const body = await res.text();
          const again = countsSince(before, await stack.proxy.counts())["POST /auth/refresh"] ?? 0;
          survived = res.status === 200 && body.includes(email) && again === 0;
        }
        round.expired = {
          ...result,
          refreshes,
          responsesWithNewCookie: newTokens.length,
          distinctNewSessionTokens: sessionTokens.size,
          sessionSurvived: survived,
        };
        log(
          `storm ${i + 1} expired: ${refreshes} refresh(es), p99 ${result.p99} ms, ${result.non2xx + result.rejected} bad answers`,
        );
      } else {
        const fresh = await signInOrExplain(stack, stack.users.storm);
        const { result, refreshes } = await burst(fresh.cookie);
        round.fresh = { ...result, refreshes };
        log(`storm ${i + 1} fresh:   ${refreshes} refresh(es), p99 ${result.p99} ms`);
      }
    }
    rounds.push(round as { round: number; order: string; expired: StormSide; fresh: StormSide });
  }
  const expiredP99 = median(rounds.map((r) => r.expired.p99));
  const freshP99 = median(rounds.map((r) => r.fresh.p99));
  const okAnswers = (s: StormSide) => s.non2xx === 0 && s.errors === 0 && s.rejected === 0;
  const valid = rounds.every(
    (r) => okAnswers(r.expired) && okAnswers(r.fresh) && r.fresh.refreshes === 0,
  );
  const exactlyOne = rounds.every(
    (r) =>
      r.expired.refreshes === TARGETS.refreshesPerStorm &&
      r.expired.distinctNewSessionTokens === 1 &&
      r.expired.sessionSurvived,
  );
  return {
    concurrency: K,
    tool: "autocannon, connections = amount = K: one request per connection, all in flight together",
    sessionTtlSeconds: CONFIG.sessionTtlSeconds,
    rounds,
    refreshesPerStorm: rounds.map((r) => r.expired.refreshes),
    median: {
      expiredP99,
      freshP99,
      expiredP50: median(rounds.map((r) => r.expired.p50)),
      freshP50: median(rounds.map((r) => r.fresh.p50)),
    },
    p99Ratio: expiredP99 / freshP99,
    valid,
    passRefreshes: valid && exactlyOne,
    passLatency: valid && expiredP99 / freshP99 <= TARGETS.stormP99Ratio,
  };
}
type StormSide = LoadResult & {
  refreshes: number;
  responsesWithNewCookie?: number;
  distinctNewSessionTokens?: number;
  sessionSurvived?: boolean;
};

function readCold(): { seconds: number; at: string; sha: string; pass: boolean } | null {
  const file = path.join(RESULTS_DIR, "cold-latest.json");
  if (!existsSync(file)) return null;
  try {
    const cold = JSON.parse(readFileSync(file, "utf8")) as {
      totalSeconds?: number;
      startedAt?: string;
      git?: { sha?: string };
      ok?: boolean;
    };
    if (typeof cold.totalSeconds !== "number" || !cold.ok) return null;
    return {
      seconds: cold.totalSeconds,
      at: cold.startedAt ?? "?",
      sha: cold.git?.sha ?? "?",
      pass: cold.totalSeconds < TARGETS.coldSeconds,
    };
  } catch {
    return null;
  }
}

async function main() {
  if (flag("--cold")) {
    const cold = spawnSync(
      process.execPath,
      [path.join(BENCH_DIR, "cold-setup.mjs"), ...args.filter((a) => a !== "--cold")],
      {
        stdio: "inherit",
      },
    );
    process.exit(cold.status ?? 1);
  }
  const watchdog = setTimeout(() => {
    log(`watchdog: still running after ${CONFIG.watchdogMinutes} minutes, stopping`);
    void cleanUp().then(() => process.exit(2));
  }, CONFIG.watchdogMinutes * 60_000);
  watchdog.unref();

  const startedAt = new Date();
  const loadStart = os.loadavg();
  const git = gitInfo(ROOT);
  const stack = await startStack();

  // Sessions for the storm, due for their refresh.
  const expired: SignInResult[] = [];
  for (let i = 0; i < CONFIG.storm.rounds; i++)
    expired.push(await dueForRefresh(stack, await signInOrExplain(stack, stack.users.storm)));

  log("page weight");
  const weight = await measureWeight(stack);
  log("per-request auth cost (autocannon), interleaved");
  const { perRequest, memory } = await measurePerRequest(stack);
  log("sign-in cost, interleaved");
  const signIn = await measureSignIn(stack);
  log("refresh storm");
  const storm = await measureStorm(stack, expired);
  const endSampler = rssSampler(stack.app.pid);
  endSampler.stop();
  const rssAtEnd = endSampler.now()?.rssKb ?? 0;
  await cleanUp();
  const finishedAt = new Date();
  const cold = readCold();

  const pr = perRequest;
  const mb = (k: number) => `${(k / 1024).toFixed(0)} MB`;
  const rows: Row[] = [
    {
      measurement: "1. /account req/s: protected vs unprotected twin",
      figure:
        `${pr.median.protected.reqPerSec.toFixed(0)} vs ${pr.median.unprotected.reqPerSec.toFixed(0)} req/s; ` +
        `${pr.pairRatios.length} same-round ratios: median ${x(pr.throughputRatio)}, ` +
        `IQR ${pr.pairRatioIqr.map((r) => r.toFixed(2)).join("–")}`,
      target: `median pair ratio ≥ ${x(TARGETS.throughputRatio)}`,
      verdict: verdict(pr.pass, pr.valid),
    },
    {
      measurement: "1. CPU per page, Next + Directus: protected vs twin",
      figure:
        `${ms(pr.cpuMsPerPage.next.protected)} + ${ms(pr.cpuMsPerPage.directus.protected)} vs ` +
        `${ms(pr.cpuMsPerPage.next.unprotected)} + ${ms(pr.cpuMsPerPage.directus.unprotected)} → ${x(pr.cpuThroughputRatio)}`,
      target: `(cross-check of the ratio)`,
      verdict: "INFO",
    },
    {
      measurement: "1. … extra Next CPU: proxy.ts with no session / session check",
      figure:
        `${signedMs(pr.cpuMsPerPage.next.proxied - pr.cpuMsPerPage.next.unprotected)} / ` +
        `${signedMs(pr.cpuMsPerPage.next.protected - pr.cpuMsPerPage.next.proxied)} per page`,
      target: "(reported)",
      verdict: "INFO",
    },
    {
      measurement: "1. /account latency p50 / p99: protected vs twin",
      figure: `${ms(pr.median.protected.p50)} / ${ms(pr.median.protected.p99)} vs ${ms(pr.median.unprotected.p50)} / ${ms(pr.median.unprotected.p99)}`,
      target: "(reported)",
      verdict: "INFO",
    },
    {
      measurement: "2. Sign-in: next-auth flow vs bare Directus login",
      figure: `${ms(signIn.median.nextAuth)} vs ${ms(signIn.median.directus)} (${signedMs(signIn.medianDifferenceMs)})`,
      target: `≤ +${TARGETS.signInExtraMs} ms (medians)`,
      verdict: verdict(signIn.pass, signIn.valid),
    },
    {
      measurement: `3. Refresh storm (${storm.concurrency} parallel, session due): Directus refreshes`,
      figure: `${storm.refreshesPerStorm.join(", ")} per storm`,
      target: "exactly 1 per session",
      verdict: verdict(storm.passRefreshes, storm.valid),
    },
    {
      measurement: "3. Refresh storm p99: due vs fresh session",
      figure: `${ms(storm.median.expiredP99)} vs ${ms(storm.median.freshP99)} = ${x(storm.p99Ratio)}`,
      target: `≤ ${x(TARGETS.stormP99Ratio)}`,
      verdict: verdict(storm.passLatency, storm.valid),
    },
    ...weight.pages.map((p): Row => ({
      measurement: `4. First-load JS ${p.path} vs blank page (gzip -9)`,
      figure: `${kB(p.gzipBytes)} vs ${kB(weight.blank.gzipBytes)} (+${kB(p.extraGzipBytes)})`,
      target: `≤ blank + ${kB(TARGETS.extraJsBytes)}`,
      verdict: verdict(p.pass),
    })),
    {
      measurement: `5. next start RSS: before / peak in 1 / ${CONFIG.settleSeconds} s after`,
      figure: `${mb(memory.baselineRssKb)} / ${mb(memory.peakRssDuringRun1Kb)} / ${mb(memory.settledRssKb)} (last 5 s ±${mb(memory.driftLast5sKb)}); end of bench ${mb(rssAtEnd)}`,
      target: `settled: last 5 s move < ${mb(TARGETS.settleDriftKb)}`,
      verdict: verdict(memory.passSettled),
    },
    {
      measurement: "5. Heap after forced GC: after warm-up / after settle",
      figure: `${mb(memory.heapUsedAfterGcKb.afterWarmup)} / ${mb(memory.heapUsedAfterGcKb.afterSettle)} (${memory.retainedGrowthKb >= 0 ? "+" : ""}${mb(memory.retainedGrowthKb)})`,
      target: "(reported: swings by tens of MB between GCs)",
      verdict: "INFO",
    },
    {
      measurement: "6. Cold set-up: clone + npm run setup + dev → /login 200",
      figure: cold
        ? `${cold.seconds.toFixed(0)} s (run ${cold.at.slice(0, 16)}, ${cold.sha})`
        : "npm run bench -- --cold",
      target: `< ${TARGETS.coldSeconds} s`,
      verdict: cold ? verdict(cold.pass) : "NOT RUN",
    },
  ];

  const result = {
    schema: 1,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSeconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    git,
    machine: { ...machineInfo(), loadAverageAtStart: loadStart, loadAverageAtEnd: os.loadavg() },
    config: CONFIG,
    targets: TARGETS,
    stack: {
      app: "next start on a production build of the twin (working tree + bench pages)",
      directus: `Directus (SQLite, provisioned, customer API loaded), SESSION_COOKIE_TTL=${CONFIG.sessionTtlSeconds}s, behind a counting proxy`,
      twinBuildSeconds: stack.twin.buildSeconds,
      proxySkipsTwinPages: stack.twin.proxySkipsTwin,
      accountPage: stack.twin.accountPage,
    },
    perRequest,
    signIn,
    storm,
    weight,
    memory: { ...memory, rssAtEndKb: rssAtEnd },
    cold,
    table: rows,
  };
  const files = writeResults(result, git.sha);

  console.log(
    `\nnpm run bench — ${startedAt.toISOString().slice(0, 16)}Z, ${git.sha}${git.dirty ? " (+ uncommitted changes)" : ""}, ` +
      `${result.machine.cores} cores, Node ${process.version}, ${result.durationSeconds.toFixed(0)} s, ` +
      `load average ${loadStart[0]?.toFixed(1)} → ${result.machine.loadAverageAtEnd[0]?.toFixed(1)}` +
      `${quick ? " — QUICK MODE: not for figures" : ""}\n`,
  );
  console.log(table(rows));
  console.log(`\nWritten: ${files.map((f) => path.relative(ROOT, f)).join(", ")}`);
}

main().catch(async (err: unknown) => {
  console.error(`\nbench failed: ${err instanceof Error ? err.message : String(err)}`);
  await cleanUp();
  process.exit(1);
});

/**
 * 1 and 5. What auth costs per page (the protected /account against its unprotected twin and a page
 * that only passes through proxy.ts), and the server's memory while it serves them.
 */
import type { SignInResult } from "../auth-client";
import { CONFIG, TARGETS } from "../config";
import { countsSince, type Counts } from "../counting-proxy";
import { log } from "../lifecycle";
import { cpuMs, load, median, quantile, rssSampler, sleep, type LoadResult } from "../measure";
import { signInOrExplain, type Stack } from "../stack";

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

export async function measurePerRequest(stack: Stack) {
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

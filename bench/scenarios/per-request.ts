/**
 * 1 and 5. What auth costs per page (the protected /account against its unprotected twin and a page
 * that only passes through proxy.ts), and the server's memory while it serves them.
 */
import { landedCookies, type SignInResult } from "../auth-client";
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
type Arm = "A" | "B" | "C" | "D";
const ARMS: Record<Arm, { path: string; label: string }> = {
  A: { path: "/account", label: "protected  " },
  B: { path: "/bench-unprotected", label: "unprotected" },
  C: { path: "/bench-proxied", label: "proxied    " },
  D: { path: "/bench-floor", label: "floor      " },
};
/**
 * A balanced Latin square: over four rounds each arm runs once in every position and follows every
 * other arm once, so neither the order nor the arm before it favours one.
 */
const ORDERS: Arm[][] = [
  ["A", "B", "D", "C"],
  ["B", "C", "A", "D"],
  ["C", "D", "B", "A"],
  ["D", "A", "C", "B"],
];

/** Why a round's answers failed the check, for the log (the JSON keeps the samples). */
function rejectedNote(result: LoadResult): string {
  if (result.rejected === 0 && result.errors === 0) return "";
  const statuses = result.rejectedSamples.map((r) => r.status).join(", ");
  return `; ${result.rejected} answers failed the check (status ${statuses || "?"}), ${result.errors} errors`;
}

export async function measurePerRequest(stack: Stack) {
  const { perRequest } = CONFIG;
  const email = stack.users.main.email;
  const page = (status: number, body: string) => status === 200 && body.includes(email);
  const sampler = rssSampler(stack.app.pid);

  let session: SignInResult | undefined;
  const freshFor = (CONFIG.sessionTtlSeconds * 1_000) / 3 - 5_000;
  /** A session that stays clear of its refresh for the whole round, with the cookies a browser holds. */
  const ensureSession = async (seconds: number) => {
    if (!session || Date.now() + seconds * 1000 > session.signedInAt + freshFor) {
      const signedIn = await signInOrExplain(stack, stack.users.main);
      session = { ...signedIn, cookie: await landedCookies(stack.appUrl, signedIn.cookie) };
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
  for (const arm of ["A", "B", "C", "D"] as const) await run(arm, perRequest.warmupSeconds);
  const heapWarm = await heapAfterGc(stack);

  const rounds: Record<Arm, LoadResult[]> = { A: [], B: [], C: [], D: [] };
  const directus: Record<Arm, Counts[]> = { A: [], B: [], C: [], D: [] };
  const rssAfterRound: number[] = [];
  /** CPU ms used during each round: the Next server, and Directus. */
  const cpu: Record<Arm, Array<{ next: number; directus: number }>> = {
    A: [],
    B: [],
    C: [],
    D: [],
  };
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
          `${result.reqPerSec.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms` +
          rejectedNote(result),
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

  const all = [...rounds.A, ...rounds.B, ...rounds.C, ...rounds.D];
  const valid = all.every((r) => r.non2xx === 0 && r.errors === 0 && r.rejected === 0);
  const medians = (arm: Arm) => ({
    reqPerSec: median(rounds[arm].map((r) => r.reqPerSec)),
    p50: median(rounds[arm].map((r) => r.p50)),
    p99: median(rounds[arm].map((r) => r.p99)),
  });
  const answered = (arm: Arm) => rounds[arm].reduce((a, r) => a + r.requests, 0);
  const perPage = (arm: Arm, key: string) =>
    directus[arm].reduce((a, c) => a + (c[key] ?? 0), 0) / Math.max(1, answered(arm));
  const refreshes = [...directus.A, ...directus.B, ...directus.C, ...directus.D].reduce(
    (a, c) => a + (c["POST /auth/refresh"] ?? 0),
    0,
  );
  // Arms of one round ran back to back and shared whatever else the machine was doing.
  const ratios = (top: Arm, bottom: Arm) =>
    rounds[top].map((r, i) => r.reqPerSec / (rounds[bottom][i]?.reqPerSec ?? Number.NaN));
  const pairRatios = ratios("A", "B");
  const pairRatio = median(pairRatios);
  /**
   * CPU ms per answered page: the median over the arm's rounds. A major GC of the server's few hundred
   * MB heap lands in whichever 2 s round is running and can double that round's figure; the median
   * keeps one such round from deciding the result, as the req/s ratios already do.
   */
  const cpuPerPage = (arm: Arm, key: "next" | "directus") =>
    median(cpu[arm].map((c, i) => c[key] / Math.max(1, rounds[arm][i]?.requests ?? 0)));
  /** Share of the round's wall time Next's process spent on CPU: below 1, it sat waiting. */
  const nextBusy = (arm: Arm) => median(cpu[arm].map((c) => c.next / (perRequest.seconds * 1000)));
  const cpuTotal = (arm: Arm) => cpuPerPage(arm, "next") + cpuPerPage(arm, "directus");
  const drift = lastFive.length ? Math.max(...lastFive) - Math.min(...lastFive) : Number.NaN;
  const retainedGrowthKb = heapAfter.heapUsedKb - heapWarm.heapUsedKb;

  return {
    perRequest: {
      paths: {
        protected: ARMS.A.path,
        unprotected: ARMS.B.path,
        proxied: ARMS.C.path,
        floor: ARMS.D.path,
      },
      proxySkipsUnprotected: stack.twin.proxySkipsTwin,
      connections: perRequest.connections,
      secondsPerRound: perRequest.seconds,
      orders: orders.map((o) => o.join("")),
      protected: rounds.A,
      unprotected: rounds.B,
      proxied: rounds.C,
      floor: rounds.D,
      median: {
        protected: medians("A"),
        unprotected: medians("B"),
        proxied: medians("C"),
        floor: medians("D"),
      },
      /** Judged: each protected round over the unprotected round next to it, then the median. */
      throughputRatio: pairRatio,
      pairRatios,
      pairRatioIqr: [quantile(pairRatios, 0.25), quantile(pairRatios, 0.75)],
      ratioOfMedians: medians("A").reqPerSec / medians("B").reqPerSec,
      /**
       * CPU time per answered page (from /proc/<pid>/stat, 10 ms ticks), the median of the rounds.
       * `cpuThroughputRatio` is unprotected ÷ protected for Next + Directus together.
       */
      cpuMsPerPage: {
        next: {
          protected: cpuPerPage("A", "next"),
          unprotected: cpuPerPage("B", "next"),
          proxied: cpuPerPage("C", "next"),
          floor: cpuPerPage("D", "next"),
        },
        directus: {
          protected: cpuPerPage("A", "directus"),
          unprotected: cpuPerPage("B", "directus"),
          proxied: cpuPerPage("C", "directus"),
          floor: cpuPerPage("D", "directus"),
        },
      },
      nextBusy: {
        protected: nextBusy("A"),
        unprotected: nextBusy("B"),
        proxied: nextBusy("C"),
        floor: nextBusy("D"),
      },
      cpuThroughputRatio: cpuTotal("B") / cpuTotal("A"),
      /**
       * Next's main thread is the bottleneck (it runs at ~95% while Directus idles at ~70%), so req/s
       * follows Next's CPU per page alone: unprotected Next CPU ÷ protected Next CPU.
       */
      nextCpuThroughputRatio: cpuPerPage("B", "next") / cpuPerPage("A", "next"),
      /** Where the cost sits: proxy.ts with no cookie (C/B), then the session itself (A/C). */
      breakdown: {
        proxyOnlyRatio: median(ratios("C", "B")),
        /** An empty proxy.ts against none: the best ratio any proxy.ts can reach. */
        floorRatio: median(ratios("D", "B")),
        sessionOverProxyRatio: median(ratios("A", "C")),
      },
      /** Directus profile reads per answered page; slightly above 1 because requests still in flight
       * when a round ends reach Directus but are not counted by autocannon. */
      directusProfileReadsPerPage: {
        protected: perPage("A", "GET /customer/me"),
        unprotected: perPage("B", "GET /customer/me"),
        proxied: perPage("C", "GET /customer/me"),
        floor: perPage("D", "GET /customer/me"),
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

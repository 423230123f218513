/** The bench's closing table: one row per figure, judged against its target. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { CONFIG, TARGETS } from "./config";
import { kB, ms, RESULTS_DIR, signedMs, verdict, x, type Row } from "./report";
import type { measurePerRequest } from "./scenarios/per-request";
import type { measureSignIn } from "./scenarios/sign-in";
import type { measureStorm } from "./scenarios/storm";
import type { measureWeight } from "./scenarios/weight";

type PerRequest = Awaited<ReturnType<typeof measurePerRequest>>;

export type Figures = {
  perRequest: PerRequest["perRequest"];
  memory: PerRequest["memory"];
  signIn: Awaited<ReturnType<typeof measureSignIn>>;
  storm: Awaited<ReturnType<typeof measureStorm>>;
  weight: Awaited<ReturnType<typeof measureWeight>>;
  rssAtEnd: number;
  cold: ReturnType<typeof readCold>;
};

/**
 * Extra Next CPU per page a protected page may cost and still serve the target share of the twin's
 * req/s, when Next's thread is the bottleneck: twin ÷ ratio − twin.
 */
function cpuBudget(twinMs: number): number {
  return twinMs / TARGETS.throughputRatio - twinMs;
}

/** The latest `npm run bench -- --cold` result, if one was run on this machine. */
export function readCold(): { seconds: number; at: string; sha: string; pass: boolean } | null {
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

export function summaryRows({
  perRequest,
  memory,
  signIn,
  storm,
  weight,
  rssAtEnd,
  cold,
}: Figures): Row[] {
  const pr = perRequest;
  const mb = (k: number) => `${(k / 1024).toFixed(0)} MB`;
  return [
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
        `${ms(pr.cpuMsPerPage.next.unprotected)} + ${ms(pr.cpuMsPerPage.directus.unprotected)} → ` +
        `Next alone ${x(pr.nextCpuThroughputRatio)}`,
      target: `(cross-check: Next's thread is the bottleneck)`,
      verdict: "INFO",
    },
    {
      measurement: "1. … the floor: an empty proxy.ts vs none",
      figure:
        `${signedMs(pr.cpuMsPerPage.next.floor - pr.cpuMsPerPage.next.unprotected)} Next CPU per page; ` +
        `same-round ratio ${x(pr.breakdown.floorRatio)}`,
      target: "(the best any proxy.ts allows)",
      verdict: "INFO",
    },
    {
      measurement: `1. … what ${x(TARGETS.throughputRatio)} leaves for all auth at this page's cost`,
      figure:
        `${signedMs(cpuBudget(pr.cpuMsPerPage.next.unprotected))} Next CPU per page ` +
        `(${ms(pr.cpuMsPerPage.next.unprotected)} ÷ ${TARGETS.throughputRatio} − ` +
        `${ms(pr.cpuMsPerPage.next.unprotected)}); the floor takes ` +
        `${signedMs(pr.cpuMsPerPage.next.floor - pr.cpuMsPerPage.next.unprotected)} of it`,
      target: `(req/s follows Next's CPU; the CPU target allows ${TARGETS.extraNextCpuMs} ms)`,
      verdict: "INFO",
    },
    {
      measurement: "1. … Next's process busy: protected / twin / floor",
      figure: [pr.nextBusy.protected, pr.nextBusy.unprotected, pr.nextBusy.floor]
        .map((b) => `${(b * 100).toFixed(0)}%`)
        .join(" / "),
      target: "(below the twin's: requests waiting on Directus, not CPU)",
      verdict: "INFO",
    },
    {
      // A signed-in browser's plain reads of /account skip proxy.ts (lib/auth/kept-session.ts), so the
      // protected arm is compared with the twin directly; the proxied arm shows what a request that
      // does pass through the proxy costs.
      measurement: "1. … extra Next CPU per page: protected / a read through proxy.ts (no session)",
      figure:
        `${signedMs(pr.cpuMsPerPage.next.protected - pr.cpuMsPerPage.next.unprotected)} / ` +
        `${signedMs(pr.cpuMsPerPage.next.proxied - pr.cpuMsPerPage.next.unprotected)} per page`,
      target: `protected ≤ ${TARGETS.extraNextCpuMs} ms`,
      verdict: verdict(
        pr.cpuMsPerPage.next.protected - pr.cpuMsPerPage.next.unprotected <= TARGETS.extraNextCpuMs,
        pr.valid,
      ),
    },
    {
      measurement: "1. /account latency p50 / p99: protected vs twin",
      figure: `${ms(pr.median.protected.p50)} / ${ms(pr.median.protected.p99)} vs ${ms(pr.median.unprotected.p50)} / ${ms(pr.median.unprotected.p99)}`,
      target: "(reported)",
      verdict: "INFO",
    },
    {
      measurement: "2. Sign-in: form post without JS vs bare Directus login",
      figure: `${ms(signIn.median.noJs)} vs ${ms(signIn.median.directus)} (${signedMs(signIn.medianDifferenceMs.noJs)})`,
      target: `≤ +${TARGETS.signInExtraMs} ms (medians)`,
      verdict: verdict(signIn.pass.noJs, signIn.valid),
    },
    {
      measurement: "2. Sign-in: enhanced form (JSON post to /login/submit) vs bare Directus",
      figure: `${ms(signIn.median.enhanced)} vs ${ms(signIn.median.directus)} (${signedMs(signIn.medianDifferenceMs.enhanced)})`,
      target: `≤ +${TARGETS.signInExtraMs} ms (medians)`,
      verdict: verdict(signIn.pass.enhanced, signIn.valid),
    },
    {
      measurement: "2. … the same form through its Server Action (its earlier way)",
      figure: `${ms(signIn.median.action)} vs ${ms(signIn.median.directus)} (${signedMs(signIn.medianDifferenceMs.action)}); ${signedMs(signIn.median.action - signIn.median.enhanced)} over the route`,
      target: "(comparison: Next re-renders /login after an action that sets a cookie)",
      verdict: signIn.valid ? "INFO" : "INVALID",
    },
    {
      measurement: "2. … old next-auth client flow (UI no longer uses it)",
      figure: `${ms(signIn.median.nextAuth)} vs ${ms(signIn.median.directus)} (${signedMs(signIn.medianDifferenceMs.nextAuth)})`,
      target: "(comparison)",
      verdict: signIn.valid ? "INFO" : "INVALID",
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
    ...(weight.loginChunks
      ? [
          {
            measurement: "4. … /login's chunks the blank page lacks / blank's it lacks",
            figure:
              `${weight.loginChunks.added.map((c) => `+${kB(c.gzipBytes)}`).join(", ") || "none"} / ` +
              `${weight.loginChunks.dropped.map((c) => `−${kB(c.gzipBytes)}`).join(", ") || "none"}`,
            target: "(breakdown; modules: bench/js-breakdown.ts)",
            verdict: "INFO" as const,
          },
        ]
      : []),
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
}

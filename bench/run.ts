/**
 * `npm run bench`: what the auth layer costs next to its two neighbours, measured side by side in one
 * run against a production build (`next build` + `next start`) and a real, provisioned Directus on
 * SQLite, all on loopback. See bench/README.md for what each figure means.
 *
 *   npm run bench                 the whole bench (about 3 minutes on 2 cores)
 *   npm run bench -- --cold       only the cold set-up (clone, npm run setup, npm run dev; ~6 minutes)
 *   npm run bench -- --quick      fewer, shorter rounds: for working on the harness, not for figures
 *   npm run bench -- --keep-twin  keep the twin build folder; --twin <dir> reuses one
 *
 * This file only runs the scenarios in order (scenarios/), then prints and saves the figures.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import type { SignInResult } from "./auth-client";
import { args, CONFIG, flag, quick, TARGETS } from "./config";
import { cleanUp, cleanUpOnSignals, log } from "./lifecycle";
import { rssSampler } from "./measure";
import { gitInfo, machineInfo, table, writeResults } from "./report";
import { measurePerRequest } from "./scenarios/per-request";
import { measureSignIn } from "./scenarios/sign-in";
import { dueForRefresh, measureStorm } from "./scenarios/storm";
import { measureWeight } from "./scenarios/weight";
import { signInOrExplain, startStack } from "./stack";
import { readCold, summaryRows } from "./summary";
import { BENCH_DIR, ROOT } from "./twin";

async function main() {
  cleanUpOnSignals();
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
  // What the server logged as a warning or error: the first place to look when a figure is INVALID.
  const appWarnings = stack.app
    .output()
    .split("\n")
    .filter((line) => /warn|error|unavailable|session:|refresh:/i.test(line))
    .slice(-20);
  await cleanUp();
  const finishedAt = new Date();

  const cold = readCold();
  const rows = summaryRows({ perRequest, memory, signIn, storm, weight, rssAtEnd, cold });

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
    appWarnings,
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

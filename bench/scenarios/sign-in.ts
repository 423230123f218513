/** 2. Sign-in: the whole next-auth flow against a bare Directus login, interleaved pairs. */
import { directusLogin, nextAuthSignIn, SignInError, type SignInResult } from "../auth-client";
import { CONFIG, TARGETS } from "../config";
import { log } from "../lifecycle";
import { interleaved, median } from "../measure";
import { ms } from "../report";
import type { Stack } from "../stack";

export async function measureSignIn(stack: Stack) {
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

/**
 * 2. Sign-in: the sign-in form's post against a bare Directus login, in interleaved rounds.
 *
 * Five arms per round: the form posted without JavaScript and the enhanced form's JSON post (the two
 * figures judged), the enhanced form's earlier call of the Server Action (kept to show what Next's
 * re-render of /login costs; see form-sign-in.ts), next-auth's old client flow (the UI no longer uses
 * it; kept for comparison) and the bare Directus login. The order rotates every round and
 * flips after every five, so each arm runs in each position equally often; every app arm is compared
 * with the Directus login of its own round.
 */
import { directusLogin, SignInError, type SignInResult } from "../auth-client";
import { CONFIG, TARGETS } from "../config";
import { actionSignIn, enhancedSignIn, noJsSignIn } from "../form-sign-in";
import { log } from "../lifecycle";
import { openLoginPage } from "../login-page";
import { median } from "../measure";
import { nextAuthSignIn } from "../next-auth-client";
import { ms } from "../report";
import type { Stack } from "../stack";

const ARMS = ["noJs", "enhanced", "action", "nextAuth", "directus"] as const;
type Arm = (typeof ARMS)[number];
type AppArm = Exclude<Arm, "directus">;

function orderOf(round: number): Arm[] {
  const k = round % ARMS.length;
  const rotated = [...ARMS.slice(k), ...ARMS.slice(0, k)];
  return Math.floor(round / ARMS.length) % 2 === 0 ? rotated : rotated.reverse();
}

export async function measureSignIn(stack: Stack) {
  const user = stack.users.signIn;
  // A browser already has the page when the customer presses "Sign in".
  const page = await openLoginPage(stack.appUrl);
  const flows: Record<AppArm, () => Promise<SignInResult>> = {
    noJs: () => noJsSignIn(page, user.email, user.password),
    enhanced: () => enhancedSignIn(page, user.email, user.password),
    action: () => actionSignIn(page, user.email, user.password),
    nextAuth: () => nextAuthSignIn(stack.appUrl, user.email, user.password),
  };
  const samples: Record<Arm, Array<number | undefined>> = {
    noJs: [],
    enhanced: [],
    action: [],
    nextAuth: [],
    directus: [],
  };
  const steps: Array<SignInResult["steps"]> = [];
  const errors: string[] = [];
  let throttled = 0;
  let counting = false;
  const once = async (arm: Arm): Promise<number | undefined> => {
    if (arm === "directus")
      return (await directusLogin(stack.proxy.url, user.email, user.password)).ms;
    try {
      const result = await flows[arm]();
      if (counting && arm === "nextAuth") steps.push(result.steps);
      return result.ms;
    } catch (err) {
      if (err instanceof SignInError && err.throttled) throttled += 1;
      errors.push(`${arm}: ${(err as Error).message}`);
      return undefined;
    }
  };
  for (let round = 0; round < CONFIG.signIn.warmupRounds; round++)
    for (const arm of orderOf(round)) await once(arm);
  const warmupFailures = errors.length;
  counting = true;
  const orders: string[] = [];
  for (let round = 0; round < CONFIG.signIn.rounds; round++) {
    const order = orderOf(round);
    orders.push(order.join(" "));
    for (const arm of order) samples[arm].push(await once(arm));
  }

  const valid = (xs: Array<number | undefined>) => xs.filter((v): v is number => v !== undefined);
  const med = Object.fromEntries(ARMS.map((a) => [a, median(valid(samples[a]))])) as Record<
    Arm,
    number
  >;
  /** Median of (arm − Directus) over rounds where both answered. */
  const pairMedian = (arm: AppArm) =>
    median(
      samples[arm]
        .map((v, i) => (v ?? Number.NaN) - (samples.directus[i] ?? Number.NaN))
        .filter(Number.isFinite),
    );
  log(
    `sign-in medians: form ${ms(med.noJs)}, enhanced ${ms(med.enhanced)} ` +
      `(${ms(med.action)} through the Server Action), ` +
      `next-auth client ${ms(med.nextAuth)}, bare Directus ${ms(med.directus)}`,
  );
  const isValid = throttled === 0 && errors.length === 0;
  const extra = (arm: AppArm) => med[arm] - med.directus;
  return {
    flows: {
      noJs: "POST /login, multipart: React's hidden $ACTION_… fields + email + password, Origin set; 303 to /account with the session cookie",
      enhanced:
        "POST /login/submit, JSON: email, password, callbackUrl, Origin set; the FormState { goTo } + the session cookie",
      action:
        "(comparison: the enhanced form's earlier way) POST /login with Next-Action, Next-Router-State-Tree, Accept: text/x-component; React-encoded (previous state, FormData); { goTo }, the session cookie and /login re-rendered",
      nextAuth:
        "(old client flow, no longer used by the UI) GET /api/auth/csrf → POST /api/auth/callback/credentials → GET /api/auth/session",
      directus:
        "POST /auth/login (session mode) to Directus, through the same counting proxy the app uses",
    },
    rounds: CONFIG.signIn.rounds,
    orders,
    ms: samples,
    median: med,
    medianDifferenceMs: {
      noJs: extra("noJs"),
      enhanced: extra("enhanced"),
      action: extra("action"),
      nextAuth: extra("nextAuth"),
    },
    medianOfPairDifferencesMs: {
      noJs: pairMedian("noJs"),
      enhanced: pairMedian("enhanced"),
      action: pairMedian("action"),
      nextAuth: pairMedian("nextAuth"),
    },
    nextAuthMedianStepMs: {
      csrf: median(steps.map((s) => s.csrf ?? Number.NaN)),
      callback: median(steps.map((s) => s.callback ?? Number.NaN)),
      session: median(steps.map((s) => s.session ?? Number.NaN)),
    },
    throttledSignIns: throttled,
    failedSignIns: errors.length - warmupFailures,
    warmupFailures,
    errors: errors.slice(0, 10),
    valid: isValid,
    pass: {
      noJs: isValid && extra("noJs") <= TARGETS.signInExtraMs,
      enhanced: isValid && extra("enhanced") <= TARGETS.signInExtraMs,
    },
  };
}

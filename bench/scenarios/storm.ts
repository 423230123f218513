/** 3. Refresh storm: many requests at once with one session due for its refresh. */
import { decode, encode } from "next-auth/jwt";
import type { SignInResult } from "../auth-client";
import { CONFIG, TARGETS } from "../config";
import { countsSince } from "../counting-proxy";
import { log } from "../lifecycle";
import { headerValues, interleaved, load, median, type LoadResult } from "../measure";
import { signInOrExplain, type Stack } from "../stack";

/**
 * The same session as if a third of its lifetime had passed: the bench holds the next-auth secret, so
 * it back-dates the session's issue time in the cookie. The Directus session itself is untouched and
 * valid, exactly as a real session would be at that age; only the app's clock for it moves.
 */
export async function dueForRefresh(stack: Stack, session: SignInResult): Promise<SignInResult> {
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
export async function measureStorm(stack: Stack, expired: SignInResult[]) {
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

/** What `npm run bench` measures with, and what it judges against: the command line, sizes and targets. */
export const args = process.argv.slice(2);
export const flag = (name: string) => args.includes(name);
export const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
export const quick = flag("--quick");

export const CONFIG = {
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
  /** Rounds of the five sign-in arms (scenarios/sign-in.ts); a multiple of 10 balances the orders. */
  signIn: { rounds: quick ? 5 : 20, warmupRounds: quick ? 1 : 2 },
  storm: { rounds: quick ? 1 : 3, concurrency: 50 },
  settleSeconds: quick ? 4 : 10,
  /** Hard stop for the whole bench, whatever happens. */
  watchdogMinutes: 12,
} as const;

export const TARGETS = {
  throughputRatio: 0.9,
  signInExtraMs: 25,
  refreshesPerStorm: 1,
  stormP99Ratio: 2,
  extraJsBytes: 12_000,
  /** Next CPU a protected page may cost over its unprotected twin (proxy machinery + session check). */
  extraNextCpuMs: 2,
  settleDriftKb: 5 * 1024,
  coldSeconds: 8 * 60,
} as const;

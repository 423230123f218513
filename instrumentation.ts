/**
 * Runs once when a Next.js server starts, before it handles any request. In the Node.js runtime it
 * - checks the configuration, so a bad `.env.local` stops `next start` with the schema's message
 *   instead of failing the first request with a 500 (not while `next build` runs: the build has no
 *   secrets, configuration is read at run time);
 * - pins every request's TCP peer address into a header that clients cannot forge, so per-address
 *   rate limits rest on the real socket address even without a reverse proxy (lib/http/socket-address.ts).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE !== "phase-production-build") {
    const { getEnv } = await import("./lib/env");
    try {
      getEnv();
    } catch (error) {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    }
  }
  const { pinSocketAddress } = await import("./lib/http/socket-address");
  pinSocketAddress();
}

/**
 * Runs once when a Next.js server starts, before it handles any request. In the Node.js runtime it
 * - checks the configuration, so a bad `.env.local` stops `next start` with the schema's message
 *   instead of failing the first request with a 500 (not while `next build` runs: the build has no
 *   secrets, configuration is read at run time);
 * - installs the door (lib/http/door.ts): every request, before Next sees it, gets its TCP peer
 *   address in a header that clients cannot forge, so per-address rate limits rest on the real socket
 *   address even without a reverse proxy; its answer gets the security headers and, for a page, a
 *   fresh CSP nonce; and a protected page's plain read whose session needs nothing may skip proxy.ts.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { getEnv } = await import("./lib/env");
  try {
    getEnv();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
  const { installDoor } = await import("./lib/http/door");
  const { securityContext } = await import("./lib/security/runtime");
  const { markKeptSessionRead } = await import("./lib/auth/kept-session");
  installDoor({ security: securityContext(), markRequest: markKeptSessionRead });
}

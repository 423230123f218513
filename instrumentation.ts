/**
 * Runs once when a Next.js server starts, before it handles any request. In the Node.js runtime it pins
 * every request's TCP peer address into a header that clients cannot forge, so per-address rate limits
 * rest on the real socket address even without a reverse proxy (see lib/http/socket-address.ts).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { pinSocketAddress } = await import("./lib/http/socket-address");
  pinSocketAddress();
}

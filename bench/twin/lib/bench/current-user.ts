import "server-only";
import type { CurrentUser } from "@/lib/auth/session";
import { readOwnProfile } from "@/lib/directus/sessions";

/**
 * Bench-only (copied into the twin build by bench/twin.ts, never part of the real app). The twin of
 * `/account` imports `requireCustomer` from here instead of lib/auth/session.ts. The app holds no
 * credential that can read customers, so the cheapest honest read of the same profile is the very
 * Directus call `/account` makes, with a fixed session token (BENCH_SESSION_TOKEN): no cookie, no
 * decryption, no refresh, no proxy. The difference to `/account` is then the app's own auth work.
 * Everything else lib/auth/session.ts exports passes through unchanged.
 */
export * from "@/lib/auth/session";

export async function requireCustomer(path: string): Promise<CurrentUser> {
  const token = process.env.BENCH_SESSION_TOKEN;
  if (!token) throw new Error("BENCH_SESSION_TOKEN is not set");
  const profile = await readOwnProfile(token);
  if (!profile) throw new Error(`bench: Directus answered no profile for ${path}`);
  return profile;
}

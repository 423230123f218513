import "server-only";
import { redirect } from "next/navigation";
import { lastReportedDown } from "@/lib/directus/health";

/**
 * For a page that found Directus unreachable while rendering. A page cannot answer 503 itself, but
 * the failed call has just been reported (lib/directus/health.ts), so sending the visitor back to the
 * same address lets the proxy answer with its 503 page, or render the page again if Directus is
 * back. Returns, for the caller's own fallback, when no failure was reported: redirecting then could
 * loop.
 */
export function retryThroughProxyIfDown(path: string): void {
  if (lastReportedDown()) redirect(path);
}

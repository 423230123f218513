import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { CustomerProfile } from "@/lib/directus/sessions";
import { retryThroughProxyIfDown } from "@/lib/http/retry-through-proxy";
import { ROUTES } from "@/lib/routes";
import { pastAbsoluteLifetime, readLiveProfile, type LiveProfile } from "./live-session";
import { readSessionToken } from "./session-cookie";

export type CurrentUser = CustomerProfile;

/**
 * The customer behind this request's session cookie, read from Directus with their own session.
 * That read is the session check (lib/auth/live-session.ts): the page asks it while it renders, so
 * Directus's answer overlaps the rendering instead of holding it up in the proxy. proxy.ts keeps the
 * cookie (lifetime, slide) and forwards a slid one to this request, but a plain read whose cookie
 * needed nothing may have skipped it (lib/auth/kept-session.ts), so the absolute lifetime is checked
 * here too. Once per request, however many components ask.
 */
const readCurrentCustomer = cache(async (): Promise<LiveProfile | { kind: "none" }> => {
  const token = await readSessionToken(await cookies());
  if (!token) return { kind: "none" };
  // The sign-in page this sends the visitor to ends the Directus session and clears the cookie.
  if (pastAbsoluteLifetime(token, Date.now())) return { kind: "ended" };
  return readLiveProfile(token);
});

function signInPath(params: Record<string, string>): string {
  return `${ROUTES.signIn}?${new URLSearchParams(params).toString()}`;
}

/**
 * The signed-in customer for a page at `path`, or no return: nobody signed in goes to sign in; a
 * session Directus refused goes there saying so (the sign-in page's proxy check clears its cookie,
 * which a page cannot); a Directus that could not answer sends the visitor back through the proxy
 * for its 503 page.
 */
export async function requireCustomer(path: string): Promise<CurrentUser> {
  const customer = await readCurrentCustomer();
  if (customer.kind === "active") return customer.profile;
  if (customer.kind === "none") redirect(signInPath({ callbackUrl: path }));
  if (customer.kind === "ended")
    redirect(signInPath({ error: "SessionExpired", callbackUrl: path }));
  retryThroughProxyIfDown(path);
  throw new Error("session: Directus could not confirm the session");
}

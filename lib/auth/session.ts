import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import type { CustomerProfile } from "@/lib/directus/sessions";
import { openProfile, VERIFIED_PROFILE_HEADER } from "./verified-profile";

export type CurrentUser = CustomerProfile;

/**
 * The signed-in customer's profile for this request, or null when nobody is signed in.
 *
 * proxy.ts has already read it from Directus with the customer's own session on this very request
 * (which is also what proves the session alive) and handed it over in a sealed request header, so
 * this asks Directus nothing. Pages still check for null themselves: the proxy's matcher is not
 * their only guard.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  return openProfile((await headers()).get(VERIFIED_PROFILE_HEADER));
});

"use server";

import { cookies } from "next/headers";
import { redirect, RedirectType } from "next/navigation";
import { signOutBrowser } from "@/lib/auth/sign-out";
import { ROUTES } from "@/lib/routes";

/**
 * "Sign out": a form post, with or without JavaScript. Ends the Directus session and clears the
 * cookie, then a 303 (or, enhanced, a navigation) to the sign-in page, which says so.
 */
export async function signOutAction(): Promise<void> {
  await signOutBrowser(await cookies());
  redirect(`${ROUTES.signIn}?signedOut=1`, RedirectType.replace);
}

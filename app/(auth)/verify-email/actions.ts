"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { clientAddress } from "@/lib/abuse/client-address";
import { confirmedEmailCookie, linkTokenCookie, readLinkToken } from "@/lib/auth/link-token";
import { normalisePassword } from "@/lib/auth/passwords";
import { throttleConfirmEmail } from "@/lib/abuse/process-throttle";
import { confirmEmail } from "@/lib/auth/verify-email";
import { confirmEmailSchema } from "@/lib/validations/confirmation";

/** What the confirmation page says after a POST that did not confirm (`/verify-email?status=`). */
export type ConfirmStatus = "missing_password" | "wrong_password" | "throttled" | "unavailable";

const PAGE = "/verify-email";

/**
 * The confirmation form's POST (a Server Action: a real form post, so it works without JavaScript,
 * and Next checks that it comes from our own origin). The token comes from the page's cookie, never
 * from the form. Each outcome ends in a redirect (303 for a plain form post), so a reload never posts
 * the password again.
 */
export async function confirmEmailAction(formData: FormData): Promise<void> {
  const jar = await cookies();
  const token = readLinkToken(jar, PAGE);
  if (!token) redirect(`${PAGE}?status=invalid`);

  const password = formData.get("password");
  const parsed = confirmEmailSchema.safeParse({
    password: typeof password === "string" ? normalisePassword(password) : password,
  });
  if (!parsed.success) redirect(`${PAGE}?status=missing_password`);

  const verdict = await throttleConfirmEmail(token, clientAddress(await headers()));
  if (verdict.kind === "refused") redirect(`${PAGE}?status=throttled`);

  const outcome = await confirmEmail(token, parsed.data.password);
  if (outcome.kind === "wrong_password") redirect(`${PAGE}?status=wrong_password`);
  if (outcome.kind === "unavailable") redirect(`${PAGE}?status=unavailable`);

  // Confirmed, or a link that can no longer confirm anything: either way this token is done.
  const cookie = linkTokenCookie(PAGE);
  jar.set(cookie.name, "", { ...cookie.options, maxAge: 0 });
  if (outcome.kind === "invalid") redirect(`${PAGE}?status=invalid`);
  const confirmed = confirmedEmailCookie();
  if (outcome.email) jar.set(confirmed.name, outcome.email, confirmed.options);
  redirect("/login?verified=1");
}

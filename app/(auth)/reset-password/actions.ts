"use server";

import { cookies, headers } from "next/headers";
import { linkTokenCookie, readLinkToken } from "@/lib/auth/link-token";
import { fieldsOf, leaveFor, stateOf } from "@/lib/forms/action-state";
import { spentLink, submitResetPassword } from "@/lib/forms/reset-password";
import type { FormState } from "@/lib/validations/form-state";

const PAGE = "/reset-password";

/**
 * "Choose a new password". The token comes from the page's cookie (the proxy moved it there from the
 * mailed link), never from the form, so it is in neither the page nor the post.
 */
export async function resetPasswordAction(
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const fields = fieldsOf(formData, ["password"]);
  const jar = await cookies();
  const token = readLinkToken(jar, PAGE);
  if (!token) return stateOf(spentLink(), fields);
  const answer = await submitResetPassword({ ...fields, token }, await headers());
  if (!answer.result.ok) return stateOf(answer, fields);
  // Only once the form is done: a cookie changed by an action re-renders the page it is on, and a
  // spent link's page must keep showing why, with its way to a new link. It expires in 30 minutes.
  const cookie = linkTokenCookie(PAGE);
  jar.set(cookie.name, "", { ...cookie.options, maxAge: 0 });
  return leaveFor("/login?reset=1");
}

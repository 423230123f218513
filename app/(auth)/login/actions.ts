"use server";

import { cookies, headers } from "next/headers";
import { knownDeviceCookieName, knownDeviceCookieOptions } from "@/lib/abuse/known-device";
import { sessionCookieNames, writeSessionCookie } from "@/lib/auth/session-cookie";
import { fieldsOf, leaveFor, stateOf } from "@/lib/forms/action-state";
import { submitSignIn } from "@/lib/forms/sign-in";
import { getEnv } from "@/lib/env";
import { safeCallbackPath } from "@/lib/validations/callback-path";
import type { FormState } from "@/lib/validations/form-state";

/**
 * The sign-in form's post (a Server Action: a real form post without JavaScript, and Next refuses
 * one from another origin). Success sets next-auth's session cookie and leaves for the same-origin
 * `callbackUrl` the form carried, or the account page.
 */
export async function signInAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const fields = fieldsOf(formData, ["email", "password"]);
  const submission = await submitSignIn(fields, await headers());
  if (submission.kind === "refused") return stateOf(submission.answer, fields);

  const jar = await cookies();
  writeSessionCookie(jar, sessionCookieNames(jar), submission.sessionCookie);
  if (submission.knownDevice) {
    jar.set(knownDeviceCookieName(), submission.knownDevice, knownDeviceCookieOptions());
  }
  const callbackUrl = formData.get("callbackUrl");
  return leaveFor(
    safeCallbackPath(typeof callbackUrl === "string" ? callbackUrl : null, getEnv().NEXTAUTH_URL),
  );
}

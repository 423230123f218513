import "server-only";
import { cookies } from "next/headers";
import { knownDeviceCookieName, knownDeviceCookieOptions } from "@/lib/abuse/known-device";
import { sessionCookieNames, writeSessionCookie } from "@/lib/auth/session-cookie";
import { endBrowserSession } from "@/lib/auth/sign-out";
import { getEnv } from "@/lib/env";
import type { HeaderSource } from "@/lib/http/header-source";
import { safeCallbackPath } from "@/lib/validations/callback-path";
import type { FormState } from "@/lib/validations/form-state";
import type { FormAnswer } from "./answer";
import { stateOf } from "./action-state";
import { submitSignIn } from "./sign-in";

export type CompletedSignIn =
  | { kind: "refused"; answer: FormAnswer; state: FormState }
  /** The session and known-device cookies are set on this request's answer; go to `path`. */
  | { kind: "signed-in"; path: string };

/** What the form shows again after a refusal: its own fields only, never whatever else was sent. */
function typed(input: unknown): Record<string, unknown> {
  if (typeof input !== "object" || input === null) return {};
  const { email } = input as { email?: unknown };
  return email === undefined ? {} : { email };
}

/**
 * One sign-in, whichever way the form came: the Server Action (a post without JavaScript) or the
 * enhanced form's JSON post (app/(auth)/login/submit/route.ts). Both run inside a request whose
 * answer can carry cookies, so they are set here, through Next's `cookies()`.
 */
export async function completeSignIn(
  input: unknown,
  callbackUrl: unknown,
  requestHeaders: HeaderSource,
): Promise<CompletedSignIn> {
  const submission = await submitSignIn(input, requestHeaders);
  if (submission.kind === "refused") {
    return {
      kind: "refused",
      answer: submission.answer,
      state: stateOf(submission.answer, typed(input)),
    };
  }
  const jar = await cookies();
  // Signing in over an open session (another tab, another account) ends that one, as signing out
  // would: its Directus session must not outlive the cookie that is about to replace it.
  await endBrowserSession(jar);
  writeSessionCookie(jar, sessionCookieNames(jar), submission.sessionCookie);
  if (submission.knownDevice) {
    jar.set(knownDeviceCookieName(), submission.knownDevice, knownDeviceCookieOptions());
  }
  const wanted = typeof callbackUrl === "string" ? callbackUrl : null;
  return { kind: "signed-in", path: safeCallbackPath(wanted, getEnv().NEXTAUTH_URL) };
}

import "server-only";
import type { User } from "next-auth";
import { authorizeCredentials, SIGN_IN_ERROR } from "@/lib/auth/authorize";
import type { HeaderSource } from "@/lib/http/header-source";
import { withNormalisedPassword } from "@/lib/auth/passwords";
import { withSignInAnswer } from "@/lib/auth/sign-in-answer";
import { encodeSession } from "@/lib/auth/session-jwt";
import { sessionClaimsOf } from "@/lib/auth/tokens";
import { getEnv } from "@/lib/env";
import { loginSchema } from "@/lib/validations/auth";
import {
  GENERIC_SIGN_IN_FAILURE,
  loginErrorMessage,
  retryAfterOf,
} from "@/lib/validations/login-errors";
import { checkForm, refused, type FormAnswer } from "./answer";

/** A refusal of the credentials themselves: the form offers the confirmation link again. */
export const WRONG_CREDENTIALS_STATUS = 401;

export type SignInSubmission =
  | {
      kind: "signed-in";
      /** next-auth's encrypted session cookie value (lib/auth/session-cookie.ts sets it). */
      sessionCookie: string;
      /** A known-device cookie value for this browser (lib/abuse/known-device.ts). */
      knownDevice?: string;
    }
  | { kind: "refused"; answer: FormAnswer };

/**
 * The sign-in form. The credentials go through the CredentialsProvider's own `authorize`
 * (lib/auth/authorize.ts: throttle, Directus session login, uniform timing), and a success becomes
 * the very cookie next-auth would have set: the claims of `callbacks.jwt`, encrypted in next-auth's
 * format with NEXTAUTH_SECRET (lib/auth/session-jwt.ts). So everything that reads the session (the
 * proxy, getServerSession, next-auth's own endpoints and sign-out) reads this one too, and the browser
 * needs neither next-auth's client nor its csrf and session round trips (docs/architecture.md,
 * "Forms").
 */
export async function submitSignIn(
  input: unknown,
  headers: HeaderSource,
): Promise<SignInSubmission> {
  const checked = checkForm(loginSchema, input, withNormalisedPassword);
  if (checked.kind === "invalid") return { kind: "refused", answer: checked.answer };
  return withSignInAnswer(async (recorded) => {
    let user: User | null;
    try {
      user = await authorizeCredentials(checked.data, { headers });
    } catch (error) {
      return { kind: "refused", answer: refusalFor(error instanceof Error ? error.message : "") };
    }
    if (!user) {
      return {
        kind: "refused",
        answer: refused(GENERIC_SIGN_IN_FAILURE, WRONG_CREDENTIALS_STATUS),
      };
    }
    const { NEXTAUTH_SECRET, SESSION_MAX_AGE_SECONDS } = getEnv();
    const sessionCookie = await encodeSession({
      token: sessionClaimsOf(user),
      secret: NEXTAUTH_SECRET,
      maxAge: SESSION_MAX_AGE_SECONDS,
    });
    return {
      kind: "signed-in",
      sessionCookie,
      ...(recorded.knownDevice ? { knownDevice: recorded.knownDevice } : {}),
    };
  });
}

/** authorize() throws only fixed codes (SIGN_IN_ERROR, or the throttle's with its wait). */
function refusalFor(code: string): FormAnswer {
  const message = loginErrorMessage(code) ?? GENERIC_SIGN_IN_FAILURE;
  const wait = retryAfterOf(code);
  if (wait !== undefined) return { ...refused(message, 429), retryAfterSeconds: wait };
  if (code === SIGN_IN_ERROR.serviceUnavailable) return refused(message, 503);
  return refused(message, 500);
}

import "server-only";
import type { User } from "next-auth";
import { classifyDirectusError, describeFailure, networkErrorCode } from "@/lib/directus/errors";
import { startSession, type DirectusSession } from "@/lib/directus/sessions";
import { loginSchema } from "@/lib/validations/auth";
import { clientAddress } from "@/lib/abuse/client-address";
import type { HeaderSource } from "@/lib/http/header-source";
import { knownDeviceCookie, signKnownDevice, verifyKnownDevice } from "@/lib/abuse/known-device";
import { noticeLockout } from "@/lib/abuse/lockout-notice";
import { tooManyRequestsCode } from "@/lib/validations/login-errors";
import { normalisePassword } from "./passwords";
import { rememberKnownDevice } from "./sign-in-answer";
import { beginSignIn, signInNotJudged, signInSucceeded } from "@/lib/abuse/process-throttle";
import { sessionTokensOf } from "./tokens";
import { padUntil } from "@/lib/abuse/uniform-timing";

/**
 * next-auth puts a thrown error's message into the redirect URL (`?error=`), so only these fixed codes
 * are ever thrown; lib/validations/login-errors.ts turns them into sentences. A refusal by the throttle adds
 * the wait in seconds (`TooManyRequests.600`), which is all the browser's `signIn()` gets to see.
 */
export const SIGN_IN_ERROR = {
  tooManyRequests: "TooManyRequests",
  serviceUnavailable: "ServiceUnavailable",
} as const;

type Credentials = Partial<Record<string, unknown>> | undefined;

/** Connection errors that mean no byte of the request was sent. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

function cookieHeader(headers: HeaderSource): string | undefined {
  if (headers instanceof Headers) return headers.get("cookie") ?? undefined;
  const value = headers.cookie;
  return Array.isArray(value) ? value.join("; ") : value;
}

function neverReachedDirectus(error: unknown): boolean {
  return NOT_SENT.has(networkErrorCode(error) ?? "");
}

/**
 * CredentialsProvider's `authorize`: null for wrong credentials of any kind (Directus answers alike for
 * a wrong password, an unknown email, an unverified or a suspended account, and so do we). Every path
 * does the same work whether or not the email has an account: one throttle check, one Directus call,
 * nothing looked up on the side, and a refusal is padded to one fixed duration
 * (lib/abuse/uniform-timing.ts), so neither the answer nor its timing tells an account apart from none.
 */
export async function authorizeCredentials(
  credentials: Credentials,
  request: { headers?: HeaderSource },
): Promise<User | null> {
  const startedAt = performance.now();
  // next-auth passes the whole form body (csrfToken, callbackUrl…): pick the two fields we judge.
  const password = credentials?.password;
  const parsed = loginSchema.safeParse({
    email: credentials?.email,
    password: typeof password === "string" ? normalisePassword(password) : password,
  });
  if (!parsed.success) return null;
  const { email } = parsed.data;

  const headers = request.headers ?? {};
  const address = clientAddress(headers);
  // The owner's returning browser (lib/abuse/known-device.ts): a cookie for another email, forged or
  // expired counts as no cookie at all.
  const deviceId = verifyKnownDevice(knownDeviceCookie(cookieHeader(headers)), email);
  const verdict = await beginSignIn(email, address, deviceId);
  if (verdict.kind === "refused") {
    if (verdict.refusedBy.includes("signInAccount")) noticeLockout(email);
    throw new Error(tooManyRequestsCode(verdict.retryAfterSeconds));
  }

  let session: DirectusSession | null;
  try {
    session = await startSession(email, parsed.data.password);
  } catch (error) {
    const failure = classifyDirectusError(error);
    const wrongCredentials =
      failure.kind === "invalid_credentials" || failure.kind === "invalid_input";
    if (wrongCredentials) {
      await padUntil(startedAt, "failedSignIn");
      return null;
    }
    // Only an attempt that certainly never reached Directus is given back. A timeout or a 5xx may
    // come after Directus counted it towards suspension; refunding those would let a flood that
    // slows Directus down push its count past ours.
    if (neverReachedDirectus(error)) await signInNotJudged(email, address, deviceId);
    const log = failure.kind === "unavailable" ? console.warn : console.error;
    log(`sign-in: Directus login failed: ${describeFailure(failure)}`);
    throw new Error(SIGN_IN_ERROR.serviceUnavailable);
  }

  if (!session) {
    await signInNotJudged(email, address, deviceId);
    console.error("sign-in: Directus login answered without a usable session token");
    throw new Error(SIGN_IN_ERROR.serviceUnavailable);
  }
  await signInSucceeded(email, address, deviceId);
  // This browser is now known for this account (a known one keeps its id and budget, renewed).
  rememberKnownDevice(signKnownDevice(email, deviceId ? { deviceId } : {}));
  // The session token's `id` claim came straight from Directus, so it is the customer's id.
  return { id: session.userId, ...sessionTokensOf(session), signedInAt: Date.now() };
}

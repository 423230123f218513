import "server-only";
import { login } from "@directus/sdk";
import type { User } from "next-auth";
import { publicClient } from "@/lib/directus/client";
import { classifyDirectusError, describeFailure } from "@/lib/directus/errors";
import { accessTokenClaims } from "@/lib/directus/token-claims";
import { loginSchema } from "@/lib/validations/auth";
import { clientAddress, type HeaderSource } from "./client-address";
import { beginSignIn, signInNotJudged, signInSucceeded } from "./throttle";
import { sessionTokensFrom } from "./tokens";

/**
 * next-auth puts a thrown error's message into the redirect URL (`?error=`), so only these fixed codes
 * are ever thrown; lib/auth/login-errors.ts turns them into sentences.
 */
export const SIGN_IN_ERROR = {
  tooManyRequests: "TooManyRequests",
  serviceUnavailable: "ServiceUnavailable",
} as const;

type Credentials = Partial<Record<string, unknown>> | undefined;

/**
 * CredentialsProvider's `authorize`: null for wrong credentials of any kind (Directus answers alike for
 * a wrong password, an unknown email, an unverified or a suspended account, and so do we).
 */
export async function authorizeCredentials(
  credentials: Credentials,
  request: { headers?: HeaderSource },
): Promise<User | null> {
  // next-auth passes the whole form body (csrfToken, callbackUrl…): pick the two fields we judge.
  const parsed = loginSchema.safeParse({
    email: credentials?.email,
    password: credentials?.password,
  });
  if (!parsed.success) return null;
  const { email, password } = parsed.data;

  const address = clientAddress(request.headers ?? {});
  const verdict = await beginSignIn(email, address);
  if (!verdict.allowed) throw new Error(SIGN_IN_ERROR.tooManyRequests);

  let answer: unknown;
  try {
    answer = await publicClient().request(login({ email, password }, { mode: "json" }));
  } catch (error) {
    const failure = classifyDirectusError(error);
    const wrongCredentials =
      failure.outcome === "invalid_credentials" || failure.outcome === "invalid_input";
    if (wrongCredentials) return null;
    await signInNotJudged(email, address);
    const log = failure.outcome === "unavailable" ? console.warn : console.error;
    log(`sign-in: Directus login failed: ${describeFailure(failure)}`);
    throw new Error(SIGN_IN_ERROR.serviceUnavailable);
  }

  const tokens = sessionTokensFrom(answer, Date.now());
  // Customers cannot read their own profile (`/users/me` gives only the id), and the token's `id`
  // claim is the same id without another round trip. It came straight from Directus, so it is trusted.
  const id = tokens ? accessTokenClaims(tokens.accessToken).id : undefined;
  if (!tokens || !id) {
    await signInNotJudged(email, address);
    console.error("sign-in: Directus login answered without usable tokens");
    throw new Error(SIGN_IN_ERROR.serviceUnavailable);
  }
  await signInSucceeded(email, address);
  return { id, ...tokens };
}

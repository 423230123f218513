import "server-only";
import { registerUserVerify } from "@directus/sdk";
import { publicClient } from "@/lib/directus/client";
import { classifyDirectusError, describeFailure, isRefusal } from "@/lib/directus/errors";

export type VerifyEmailOutcome = "verified" | "invalid" | "unavailable";

function redirectTarget(value: unknown): string | undefined {
  const response =
    value instanceof Response
      ? value
      : typeof value === "object" && value !== null && "response" in value
        ? value.response
        : undefined;
  if (!(response instanceof Response)) return undefined;
  const isRedirect = response.status >= 300 && response.status < 400;
  return isRedirect ? (response.headers.get("location") ?? "") : undefined;
}

function outcomeOfRedirect(location: string): VerifyEmailOutcome {
  return /\/users\/[^/?#]+/.test(location) ? "verified" : "invalid";
}

/**
 * Spends a registration verification token. Directus answers with a redirect: to `/admin/users/<id>`
 * once the account is active, to `/admin/login` when the token is not even a string. Following it
 * would load the admin app (or fail where the admin app is not served), so the redirect itself is the
 * answer. A used, expired or forged token gets a 4xx.
 */
export async function verifyEmail(token: string): Promise<VerifyEmailOutcome> {
  if (!token) return "invalid";
  const command = registerUserVerify(token);
  try {
    const answer: unknown = await publicClient().request(() => ({
      ...command(),
      onRequest: (init: RequestInit): RequestInit => ({ ...init, redirect: "manual" }),
    }));
    // The SDK hands back a redirect without a text body as a Response; with one, it throws (below).
    const location = redirectTarget(answer);
    // A future Directus might answer 2xx instead of redirecting: that is a success too.
    return location === undefined ? "verified" : outcomeOfRedirect(location);
  } catch (error) {
    const location = redirectTarget(error);
    if (location !== undefined) return outcomeOfRedirect(location);
    const failure = classifyDirectusError(error);
    if (failure.outcome === "unavailable" || failure.outcome === "rate_limited") {
      console.warn(`verify-email: Directus unavailable: ${describeFailure(failure)}`);
      return "unavailable";
    }
    if (isRefusal(failure)) return "invalid";
    console.error(`verify-email: unexpected answer from Directus: ${describeFailure(failure)}`);
    return "unavailable";
  }
}

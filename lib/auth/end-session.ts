import "server-only";
import { classifyDirectusError, describeFailure, isSessionRefused } from "@/lib/directus/errors";
import { endSession } from "@/lib/directus/sessions";
import { getEnv } from "@/lib/env";
import { revokeLater, type RevokeAttempt } from "./pending-sign-outs";
import { forgetSessionToken, newestSessionToken } from "./refresh";

/**
 * Ends a customer's Directus session for good: at sign-out, and when the app stops honouring a session
 * (absolute lifetime). A request racing this one may have slid the session already, so the newest
 * token this process knows ends too. If Directus cannot be reached, this process refuses the tokens
 * itself and keeps retrying (pending-sign-outs.ts).
 */
export async function endSessionEverywhere(sessionToken: string): Promise<void> {
  const newest = await newestSessionToken(sessionToken);
  forgetSessionToken(newest);
  // The customer API ends the whole refresh chain of the token it is given. The newest token is
  // asked first: once the grace period is over, only it still proves the chain to Directus.
  const tokens = [...new Set([newest, sessionToken])];
  const revoke = async (): Promise<RevokeAttempt> => {
    let unsure = false;
    for (const token of tokens) {
      const result = await endOne(token);
      if (result.kind === "ended") return { kind: "done" };
      if (result.kind === "unsure") unsure = true;
    }
    // Every token refused: the session was over already.
    return { kind: unsure ? "retry" : "done" };
  };
  if ((await revoke()).kind === "retry") {
    revokeLater(tokens, revoke, { lifetimeMs: getEnv().SESSION_MAX_AGE_SECONDS * 1000 });
  }
}

type EndOne = { kind: "ended" } | { kind: "refused" } | { kind: "unsure" };

/**
 * `ended`: Directus ended the token's chain. `refused`: Directus no longer accepts the token (401 or
 * 403), so no request can use it either. `unsure`: no answer, or one that says nothing about the
 * session (a 404 from a Directus without the customer API, a 5xx): worth another try.
 */
async function endOne(token: string): Promise<EndOne> {
  try {
    await endSession(token);
    return { kind: "ended" };
  } catch (error) {
    const failure = classifyDirectusError(error);
    if (isSessionRefused(failure)) return { kind: "refused" };
    const log = failure.kind === "unavailable" ? console.warn : console.error;
    log(`sign-out: ending the Directus session failed: ${describeFailure(failure)}`);
    return { kind: "unsure" };
  }
}

import "server-only";
import { classifyDirectusError, describeFailure, isRefusal } from "@/lib/directus/errors";
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
  const tokens = [...new Set([sessionToken, newest])];
  const endOne = async (token: string): Promise<RevokeAttempt> => {
    try {
      await endSession(token);
      return "done";
    } catch (error) {
      const failure = classifyDirectusError(error);
      console.warn(`sign-out: Directus logout failed: ${describeFailure(failure)}`);
      // Refused: the session was already over, which is what we wanted.
      return isRefusal(failure) ? "done" : "retry";
    }
  };
  const revoke = async (): Promise<RevokeAttempt> => {
    const results = await Promise.all(tokens.map(endOne));
    return results.includes("retry") ? "retry" : "done";
  };
  if ((await revoke()) === "retry") {
    revokeLater(tokens, revoke, { lifetimeMs: getEnv().SESSION_MAX_AGE_SECONDS * 1000 });
  }
}

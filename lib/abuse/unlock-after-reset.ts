import "server-only";
import { classifyDirectusError, describeFailure } from "@/lib/directus/errors";
import { endSession, startSession } from "@/lib/directus/sessions";
import { resetTokenEmail } from "@/lib/directus/reset-token";
import { signInSucceeded } from "./process-throttle";

/**
 * A completed password reset proves the customer owns the mailbox, something no attacker guessing
 * passwords can fake, so it lifts any sign-in block on the account, in the app and in Directus alike.
 *
 * Clearing only our counters would not be enough: Directus keeps counting failed attempts until the
 * next successful login (a reset does not reset it), so the attacker who filled our budget could fill
 * it again and push Directus past its suspension threshold. One login with the new password resets
 * Directus's counter; its session is ended at once, and the customer signs in as usual. Called only
 * after Directus accepted the reset, so the token (and the email it names) is genuine.
 */
export async function unlockAfterReset(
  token: string,
  password: string,
  address: string,
): Promise<void> {
  const email = resetTokenEmail(token);
  if (!email) return;
  try {
    const session = await startSession(email, password);
    await signInSucceeded(email, address);
    if (session) await endSession(session.token);
  } catch (error) {
    console.warn(
      `reset-password: could not lift the sign-in block: ${describeFailure(classifyDirectusError(error))}`,
    );
  }
}

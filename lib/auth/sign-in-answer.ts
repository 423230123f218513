import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What authorize() wants added to the sign-in's answer. authorize only returns a user or throws a
 * code, so its callers open this per-request record around it and read it afterwards: the sign-in
 * form's handler (lib/forms/sign-in.ts) and the wrapper around next-auth's own endpoint
 * (lib/auth/next-auth-throttle.ts). Outside that wrapper
 * (authorize called on its own, as some tests do) nothing is recorded.
 */
export type SignInAnswer = {
  /** A known-device cookie value to set if the sign-in succeeds (lib/abuse/known-device.ts). */
  knownDevice?: string;
};

const current = new AsyncLocalStorage<SignInAnswer>();

export function withSignInAnswer<T>(work: (answer: SignInAnswer) => Promise<T>): Promise<T> {
  const answer: SignInAnswer = {};
  return current.run(answer, () => work(answer));
}

export function rememberKnownDevice(value: string): void {
  const answer = current.getStore();
  if (answer) answer.knownDevice = value;
}

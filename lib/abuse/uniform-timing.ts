/**
 * Answers that must not reveal whether an email has an account also must not take a different time.
 * Directus stalls login (LOGIN_STALL_TIME, 500 ms) and registration (REGISTER_STALL_TIME, 750 ms) for
 * that, but a stall only hides work that finishes inside it: verifying a password or creating a user
 * (argon2, database writes) runs only for existing or new accounts respectively, and on a loaded
 * machine it outgrows the stall. Measured here with two other test suites running on 2 cores: a wrong
 * password for an existing account took a median 614 ms, an unknown email 518 ms. So the app pads
 * those answers to its own floor, well above Directus's stall, and independent of how an operator
 * configured Directus.
 */
export const FLOORS_MS = { failedSignIn: 1_000, register: 1_500 } as const;

type Floor = keyof typeof FLOORS_MS;

let scale = 1;

/** Waits until the floor has passed since `startedAt` (a `performance.now()` reading). */
export async function padUntil(startedAt: number, floor: Floor): Promise<void> {
  const remaining = startedAt + FLOORS_MS[floor] * scale - performance.now();
  if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
}

/** Unit tests (msw, no real Directus) run without the padding; integration tests keep it. */
export function setTimingFloorsForTests(enabled: boolean): void {
  scale = enabled ? 1 : 0;
}

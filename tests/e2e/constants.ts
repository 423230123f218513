/**
 * Directus sessions (SESSION_COOKIE_TTL, the idle lifetime) live this long in the journeys. Short, so
 * a journey crosses several refreshes; long enough that a Directus restart in faults.spec.ts (stop,
 * a wait past the refresh interval, start, recovery on a loaded machine) fits inside one idle
 * lifetime, so the customer can still come back signed in.
 */
export const SESSION_TTL_SECONDS = 45;
/** The app slides a session older than a third of its lifetime (lib/auth/tokens.ts). */
export const REFRESH_INTERVAL_SECONDS = SESSION_TTL_SECONDS / 3;

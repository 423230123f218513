/** Directus access tokens live this long in the journeys, so every journey also exercises refresh. */
export const ACCESS_TOKEN_TTL_SECONDS = 8;

import "server-only";
import { readUsers } from "@directus/sdk";
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { cache } from "react";
import { z } from "zod";
import { serviceClient } from "@/lib/directus/client";
import { classifyDirectusError, describeFailure } from "@/lib/directus/errors";
import { ServiceUnavailableError } from "@/lib/errors";
import { authOptions } from "./options";

export type CurrentUser = { id: string; email: string; firstName: string; lastName: string };

/** Directus profile fields; names may be null for accounts created in the admin console. */
const profileSchema = z.object({
  id: z.string(),
  email: z.string(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
});

/**
 * Where a session goes whose user no longer exists: the proxy lets /login render when it carries an
 * `error`, so this cannot bounce between /login and /account while the cookie is still valid.
 */
export const SESSION_ENDED_PATH = "/login?error=SessionExpired";

/**
 * The signed-in customer's profile, read once per request. Null when nobody is signed in; throws
 * ServiceUnavailableError when Directus cannot answer (so pages show "try again", not "signed out").
 *
 * Read with the service token, scoped to the session's id. A filtered list rather than readUser: for a
 * missing item Directus answers 403, exactly as it does for a missing permission, while a filter tells
 * "no such user" (empty list) apart from a broken service token or role (403).
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await getServerSession(authOptions);
  const id = session?.user.id;
  if (!id) return null;

  let rows: unknown;
  try {
    rows = await serviceClient().request(
      readUsers({
        filter: { id: { _eq: id } },
        fields: ["id", "email", "first_name", "last_name"],
        limit: 1,
      }),
    );
  } catch (error) {
    const failure = classifyDirectusError(error);
    const log = failure.outcome === "unavailable" ? console.warn : console.error;
    log(`session: could not read the profile: ${describeFailure(failure)}`);
    throw new ServiceUnavailableError(undefined, { cause: failure });
  }

  const row: unknown = Array.isArray(rows) ? rows[0] : undefined;
  if (row === undefined) redirect(SESSION_ENDED_PATH);
  const profile = profileSchema.safeParse(row);
  if (!profile.success) {
    console.error("session: Directus answered a profile in an unexpected shape");
    throw new ServiceUnavailableError();
  }
  return {
    id: profile.data.id,
    email: profile.data.email,
    firstName: profile.data.first_name ?? "",
    lastName: profile.data.last_name ?? "",
  };
});

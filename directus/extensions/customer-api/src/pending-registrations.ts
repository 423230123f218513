/**
 * Pending registrations: users Directus created with status "unverified" who have not confirmed
 * their email yet. Each one carries the time its latest confirmation link was mailed, and disappears
 * once that link has expired (the sweep below), so a claim on someone else's address does not linger.
 *
 * Where the time lives: `directus_users` has no creation or update date, and `last_access` means
 * something else. `auth_data` is a hidden field that only SSO providers use (for their refresh token);
 * a local-provider user never has one, so it holds `{"link_mailed_at": <ISO time>}` while the
 * registration is pending and is cleared on confirmation. An unverified user without a stamp (created
 * by Directus's own /users/register or the console's sign-up) is stamped when the sweep first sees it,
 * so it lives at most one link lifetime from then.
 *
 * The lifetime is Directus's own EMAIL_VERIFICATION_TOKEN_TTL (default 7d), the lifetime of the link
 * Directus signs, read with Directus's own parser.
 */
import type { Knex } from "knex";
import type { EndpointExtensionContext, SchemaOverview } from "@directus/types";
import { getMilliseconds } from "./directus-internals";

type Services = EndpointExtensionContext["services"];
type Env = Record<string, unknown>;

const DEFAULT_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** Bounded work per sweep: a flood of registrations is worked off over several runs. */
const SWEEP_BATCH = 500;

export type UserRow = {
  id: string;
  email: string;
  status: string;
  password: string | null;
  first_name: string | null;
  last_name: string | null;
  auth_data: unknown;
};

export function linkLifetimeMs(env: Env): number {
  return getMilliseconds(env["EMAIL_VERIFICATION_TOKEN_TTL"], DEFAULT_LIFETIME_MS);
}

/** The user with this email, compared case-insensitively as Directus does. */
export async function findUserByEmail(db: Knex, email: string): Promise<UserRow | undefined> {
  return (await db
    .select("id", "email", "status", "password", "first_name", "last_name", "auth_data")
    .from("directus_users")
    .whereRaw("LOWER(??) = ?", ["email", email.toLowerCase()])
    .first()) as UserRow | undefined;
}

/** Records that a confirmation link was mailed to this pending user just now. */
export async function stampLinkMailed(db: Knex, id: string, at = new Date()): Promise<void> {
  await db("directus_users")
    .where({ id, status: "unverified" })
    .update({ auth_data: JSON.stringify({ link_mailed_at: at.toISOString() }) });
}

/** The stamp's time, or undefined (no stamp, or auth_data that is not ours). json on Postgres, text on SQLite. */
export function linkMailedAt(authData: unknown): number | undefined {
  let value = authData;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== "object" || value === null) return undefined;
  const at = (value as Record<string, unknown>)["link_mailed_at"];
  const time = typeof at === "string" ? Date.parse(at) : NaN;
  return Number.isNaN(time) ? undefined : time;
}

/**
 * Deletes pending users whose latest link has expired (through UsersService, so Directus removes
 * what belongs to them and records the deletion), and stamps the ones that have no time yet.
 * Returns how many it deleted.
 */
export async function sweepPendingRegistrations(o: {
  db: Knex;
  services: Services;
  schema: SchemaOverview;
  env: Env;
  now?: number;
}): Promise<number> {
  const now = o.now ?? Date.now();
  const lifetime = linkLifetimeMs(o.env);
  const rows = (await o.db
    .select("id", "auth_data")
    .from("directus_users")
    .where({ status: "unverified" })
    .limit(SWEEP_BATCH)) as Array<Pick<UserRow, "id" | "auth_data">>;
  const expired: string[] = [];
  for (const row of rows) {
    const mailedAt = linkMailedAt(row.auth_data);
    if (mailedAt === undefined) await stampLinkMailed(o.db, row.id, new Date(now));
    else if (now - mailedAt > lifetime) expired.push(row.id);
  }
  if (expired.length === 0) return 0;
  const users = new o.services.UsersService({ schema: o.schema, accountability: null });
  // Re-checked by the filter: a user confirmed since the read above is active now and stays.
  const stillPending = (await users.readByQuery({
    fields: ["id"],
    filter: { id: { _in: expired }, status: { _eq: "unverified" } },
    limit: -1,
  })) as Array<{ id: string }>;
  if (stillPending.length > 0) await users.deleteMany(stillPending.map((r) => r.id));
  return stillPending.length;
}

import "server-only";
import { readUsers } from "@directus/sdk";
import { cache } from "react";
import { z } from "zod";
import type { CurrentUser } from "@/lib/auth/session";
import { serviceClient } from "@/lib/directus/client";
import { ServiceUnavailableError } from "@/lib/errors";

/**
 * Bench-only (copied into the twin build by bench/twin.ts, never part of the real app). The twin of
 * `/account` imports `getCurrentUser` from here instead of lib/auth/session.ts: the same Directus read
 * with the service token and the same parsing, for a fixed user (BENCH_USER_ID), with no session at all.
 * Everything else lib/auth/session.ts exports passes through unchanged.
 */
export * from "@/lib/auth/session";

const profileSchema = z.object({
  id: z.string(),
  email: z.string(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
});

export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const id = process.env.BENCH_USER_ID;
  if (!id) throw new Error("BENCH_USER_ID is not set");
  const rows: unknown = await serviceClient().request(
    readUsers({
      filter: { id: { _eq: id } },
      fields: ["id", "email", "first_name", "last_name"],
      limit: 1,
    }),
  );
  const row: unknown = Array.isArray(rows) ? rows[0] : undefined;
  if (row === undefined) return null;
  const profile = profileSchema.safeParse(row);
  if (!profile.success) throw new ServiceUnavailableError();
  return {
    id: profile.data.id,
    email: profile.data.email,
    firstName: profile.data.first_name ?? "",
    lastName: profile.data.last_name ?? "",
  };
});

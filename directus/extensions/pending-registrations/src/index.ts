/**
 * Unconfirmed registrations disappear once their latest confirmation link has expired
 * (EMAIL_VERIFICATION_TOKEN_TTL): a claim on an address its owner never confirmed does not linger.
 * The work and the reasons are in customer-api's pending-registrations.ts, shared with the routes
 * that stamp the time a link was mailed.
 *
 * Runs on Directus's scheduler, which synchronises jobs across instances (one sweep per tick even
 * with several Directus processes). PENDING_REGISTRATION_SWEEP_SCHEDULE (cron, seconds allowed)
 * defaults to every ten minutes; tests set every second.
 */
import type { HookConfig } from "@directus/types";
import { sweepPendingRegistrations } from "../../customer-api/src/pending-registrations";

const DEFAULT_SCHEDULE = "*/10 * * * *";

const hook: HookConfig = ({ schedule }, ctx) => {
  const cron = ctx.env["PENDING_REGISTRATION_SWEEP_SCHEDULE"];
  schedule(typeof cron === "string" && cron ? cron : DEFAULT_SCHEDULE, async () => {
    const deleted = await sweepPendingRegistrations({
      db: ctx.database,
      services: ctx.services,
      schema: await ctx.getSchema(),
      env: ctx.env,
    });
    if (deleted > 0)
      ctx.logger.info(`pending-registrations: deleted ${deleted} expired registrations`);
  });
};

export default hook;

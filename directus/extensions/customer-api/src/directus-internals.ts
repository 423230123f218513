/**
 * The few pieces of Directus itself that the registration routes reuse instead of re-implementing:
 * its token check and secret, its registration rate limiter, its URL allow-list check, its duration
 * parser, and the argon2 it hashes passwords with.
 *
 * They are imported from `@directus/api` at run time (build-extensions.mjs leaves `@directus/api/*`
 * out of the bundle), so they are the very modules Directus runs: the rate limiter here is the same
 * instance, with the same counters, as the one in front of `/users/register`. `@directus/api` is a
 * direct dependency of the `directus` package, so it resolves from the extensions folder both in this
 * workspace (npm, hoisted) and in the official image (pnpm, where only direct dependencies are
 * visible at /directus/node_modules). argon2 is not a direct dependency there, so it is required
 * from @directus/api's own location, exactly as Directus's password check finds it.
 *
 * These paths are internals of the pinned Directus 12.4.0 (see "@directus/api" exports "./*"): an
 * upgrade must re-check them, and tests/integration/registration.test.ts fails if one moved.
 */
import { createRequire } from "node:module";
import type { RequestHandler } from "express";
import { getSecret } from "@directus/api/utils/get-secret";
import { getMilliseconds } from "@directus/api/utils/get-milliseconds";
import isUrlAllowed from "@directus/api/utils/is-url-allowed";
import { verifyJWT } from "@directus/api/utils/jwt";
import registrationRateLimiter from "@directus/api/middleware/rate-limiter-registration";

type Argon2 = {
  hash: (plain: string) => Promise<string>;
  verify: (hash: string, plain: string) => Promise<boolean>;
};

const requireFromDirectus = createRequire(import.meta.resolve("@directus/api/package.json"));
export const argon2 = requireFromDirectus("argon2") as Argon2;

export { getMilliseconds, getSecret, isUrlAllowed, verifyJWT };
export const rateLimitRegistration: RequestHandler = registrationRateLimiter;

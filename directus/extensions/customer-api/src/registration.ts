/**
 * Public registration routes: register, confirm, send the link again. They close the gap Directus's
 * own flow leaves: `registerUser` keeps an unverified user exactly as first created and
 * its link is spent by a plain GET, so whoever registered an address first chose the password its
 * owner later activated, and a mail scanner opening the link activated it.
 *
 * - POST /customer/register: Directus's own `registerUser` (its settings, email filter, link allow
 *   list, stall and mail), but for an address whose user is still unverified this registration's
 *   password and names REPLACE the earlier ones: an earlier claim is void.
 * - POST /customer/confirm {token, password}: activates the pending user only for someone who has
 *   the link (mailed to the address) AND knows the password of the latest registration. A link
 *   alone, as a scanner or an attacker who caused it to be mailed has it, activates nothing.
 * - POST /customer/resend {email, verification_url}: mails a fresh link if, and only if, the address
 *   has a pending registration; the same answer, after the same stall, otherwise.
 *
 * All three answer alike for new, pending and existing addresses where the address is all the caller
 * proves. Only confirm, which needs a valid link, tells a wrong password from a bad link, and an
 * active user's link answers exactly like an invalid one, so confirm is never a password oracle.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { EndpointExtensionContext, SchemaOverview } from "@directus/types";
import type { Request, Response } from "express";
import {
  argon2,
  getSecret,
  isUrlAllowed,
  rateLimitRegistration,
  verifyJWT,
} from "./directus-internals";
import { findUserByEmail, stampLinkMailed } from "./pending-registrations";
import { Refusal } from "./refusal";

type Context = EndpointExtensionContext;
type DirectusRequest = Request & { schema?: SchemaOverview };
type Reply = { status: number; body: unknown };

const invalidPayload = (message: string) => new Refusal(400, "INVALID_PAYLOAD", message);
const invalidLink = () =>
  new Refusal(400, "INVALID_TOKEN", "This link is invalid, expired or already used.");
const wrongPassword = () =>
  new Refusal(
    401,
    "INVALID_CREDENTIALS",
    "This is not the password of the latest registration for this address.",
  );

// Generous bounds: the app's own schema is stricter. They only keep absurd input away from argon2.
const MAX_EMAIL = 254;
const MAX_PASSWORD = 1024;
const MAX_NAME = 200;
const MAX_TOKEN = 4096;
const MAX_URL = 2048;

function body(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  if (typeof b !== "object" || b === null || Array.isArray(b))
    throw invalidPayload("Send a JSON object.");
  return b as Record<string, unknown>;
}

function text(b: Record<string, unknown>, field: string, max: number, optional = false) {
  const value = b[field];
  if (value === undefined && optional) return undefined;
  if (typeof value !== "string" || value.length === 0 || value.length > max) {
    throw invalidPayload(`"${field}" must be a non-empty string of at most ${max} characters.`);
  }
  return value;
}

function email(b: Record<string, unknown>): string {
  const value = text(b, "email", MAX_EMAIL) as string;
  // Directus validates the address itself when it creates a user; this only keeps junk out of lookups.
  if (!/^[^\s@]+@[^\s@]+$/.test(value)) throw invalidPayload('"email" must be an email address.');
  return value;
}

/** Directus's registration rate limiter (RATE_LIMITER_REGISTRATION_*), the one /users/register has. */
function applyRateLimit(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    void rateLimitRegistration(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
  });
}

function users(req: DirectusRequest, ctx: Context) {
  if (!req.schema) throw new Error("customer-api: Directus did not attach the schema");
  return new ctx.services.UsersService({ schema: req.schema, accountability: null });
}

/** UsersService's own policy check (auth_password_policy); public in Directus's JS, untyped in @directus/types. */
function withPasswordPolicy(service: object) {
  return service as { checkPasswordPolicy: (passwords: string[]) => Promise<void> };
}

async function waitUntil(start: number, ms: number): Promise<void> {
  const remaining = ms - (performance.now() - start);
  if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
}

export async function register(req: DirectusRequest, res: Response, ctx: Context): Promise<Reply> {
  await applyRateLimit(req, res);
  const b = body(req);
  const input = {
    email: email(b),
    password: text(b, "password", MAX_PASSWORD) as string,
    first_name: text(b, "first_name", MAX_NAME, true),
    last_name: text(b, "last_name", MAX_NAME, true),
    verification_url: text(b, "verification_url", MAX_URL, true),
  };
  const service = users(req, ctx);
  const before = await findUserByEmail(ctx.database, input.email);
  // As for a new user (createOne checks it before anything is mailed): a password the replacement
  // below would refuse must not first cause a mail.
  if (before?.status === "unverified")
    await withPasswordPolicy(service).checkPasswordPolicy([input.password]);
  // Settings, email filter, link allow list, create-or-re-mail-or-nothing, stall: all Directus's.
  // It throws (registration closed, filtered address, link not allowed, password policy for a new
  // user) before touching anyone.
  await service.registerUser(input);

  if (before?.status === "unverified") {
    // The earlier claim is void: this registration's password and names replace it. UsersService
    // hashes the password and applies Directus's password policy, as it does for a new user.
    await service.updateOne(before.id, {
      password: input.password,
      first_name: input.first_name ?? null,
      last_name: input.last_name ?? null,
    });
    await stampLinkMailed(ctx.database, before.id);
  } else {
    // The same work as the replacement above (one password hash), so a pending address takes no
    // longer than a new or an existing one.
    await argon2.hash(input.password);
    if (!before) {
      const created = await findUserByEmail(ctx.database, input.email);
      if (created?.status === "unverified") await stampLinkMailed(ctx.database, created.id);
    }
  }
  return { status: 204, body: undefined };
}

export async function confirm(req: DirectusRequest, _res: Response, ctx: Context): Promise<Reply> {
  const b = body(req);
  const token = text(b, "token", MAX_TOKEN) as string;
  const password = text(b, "password", MAX_PASSWORD) as string;

  let claims: Record<string, unknown>;
  try {
    claims = verifyJWT(token, getSecret());
  } catch {
    throw invalidLink();
  }
  if (claims["scope"] !== "pending-registration" || typeof claims["email"] !== "string") {
    throw invalidLink();
  }
  const user = await findUserByEmail(ctx.database, claims["email"]);
  // Active, suspended, deleted: the link has nothing left to confirm, and says nothing more.
  if (!user || user.status !== "unverified" || !user.password) throw invalidLink();
  if (!(await argon2.verify(user.password, password))) throw wrongPassword();

  await users(req, ctx).updateOne(user.id, { status: "active", auth_data: null });
  return { status: 200, body: { data: { email: user.email } } };
}

export async function resend(req: DirectusRequest, res: Response, ctx: Context): Promise<Reply> {
  const start = performance.now();
  await applyRateLimit(req, res);
  const b = body(req);
  const address = email(b);
  const verificationUrl = text(b, "verification_url", MAX_URL) as string;
  // Checked for every address alike, so a bad link cannot tell a pending address from another.
  if (!isUrlAllowed(verificationUrl, ctx.env["USER_REGISTER_URL_ALLOW_LIST"])) {
    throw invalidPayload("This verification_url is not allowed.");
  }

  const user = await findUserByEmail(ctx.database, address);
  if (user?.status === "unverified") {
    // For an unverified user Directus's registerUser only mails a fresh link (it never reads the
    // password then). The random one matters only if the user vanished meanwhile: the account it
    // would create can never be confirmed, and the sweep removes it.
    await users(req, ctx).registerUser({
      email: user.email,
      password: randomBytes(32).toString("base64url"),
      first_name: user.first_name ?? undefined,
      last_name: user.last_name ?? undefined,
      verification_url: verificationUrl,
    });
    await stampLinkMailed(ctx.database, user.id);
  }
  await waitUntil(start, Number(ctx.env["REGISTER_STALL_TIME"] ?? 750));
  return { status: 204, body: undefined };
}

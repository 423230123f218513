/**
 * /customer/…: the routes a signed-in customer uses on their own account, and only on their own,
 * plus three public registration routes (/register, /confirm, /resend) described in registration.ts.
 *
 * Why this exists: customers have no permissions in Directus (Core refuses per-user read rules on
 * directus_users), and the Next app holds no Directus credential that could read other users. So
 * Directus itself answers "who am I" for the session the request proves. Every route takes the user
 * from `req.accountability`, never from the path, the query or the body: there is no id to tamper with.
 *
 * Only session JWTs (login with mode "session") are accepted. Directus checks their session row on
 * every request, so signing out, an admin suspending the user, or a password or email change (all of
 * which delete the rows) cut them off at once. Static tokens and json-mode access tokens cannot be
 * revoked that way, share links are not users, and OAuth clients act for an app, not the customer.
 *
 * To add a route: write a handler that starts with `requireCustomer(req, fields)` and list it in
 * `routes` below. Directus answers 401 itself for a dead or invalid token before we are reached;
 * our refusals use the same `{ errors: [{ message, extensions: { code } }] }` shape.
 */
import type {
  Accountability,
  EndpointConfig,
  EndpointExtensionContext,
  SchemaOverview,
} from "@directus/types";
import type { Request, Response, Router } from "express";
import { confirm, register as registerCustomer, resend } from "./registration";
import { Refusal } from "./refusal";

type Context = EndpointExtensionContext;
/** What Directus's own middleware (authenticate, schema) has put on the request by the time we run. */
type DirectusRequest = Request & {
  accountability?: Accountability;
  schema?: SchemaOverview;
};
type Row = Record<string, unknown>;
type Reply = { status: number; body: unknown };
type Handler = (req: DirectusRequest, ctx: Context, res: Response) => Promise<Reply>;

// Same code as Directus's own 401 for a dead session, so the app needs to recognise one shape only.
const signInFirst = () => new Refusal(401, "INVALID_CREDENTIALS", "Sign in first.");
const forbidden = (message: string) => new Refusal(403, "FORBIDDEN", message);

/**
 * The guard every route starts with. Returns the signed-in customer's row (with `fields`), read with
 * full rights because customers have none; the id comes from the verified session only.
 */
async function requireCustomer(req: DirectusRequest, ctx: Context, fields: string[]) {
  const a = req.accountability;
  // Checked before `user`: share tokens carry no user, and must not pass for "anonymous" either.
  if (a?.share) throw forbidden("Share links cannot use customer routes.");
  if (a?.oauth) throw forbidden("OAuth clients cannot use customer routes.");
  if (!a?.user) throw signInFirst();
  // Static tokens and json-mode access tokens have no session row: nothing could revoke them early.
  if (!a.session) throw forbidden("Sign in with a session: this token cannot use customer routes.");
  if (!req.schema) throw new Error("customer-api: Directus did not attach the schema");

  const users = new ctx.services.UsersService({ schema: req.schema, accountability: null });
  const [row] = (await users.readByQuery({
    fields,
    filter: { id: { _eq: a.user }, status: { _eq: "active" } },
    limit: 1,
  })) as Row[];
  // Directus deletes the sessions of a suspended or deleted user; this also covers any other state.
  if (!row) throw signInFirst();
  return row;
}

/**
 * Every session linked to `start` through refreshes, in both directions. A refresh in session mode
 * makes a new session row and points the old one at it (`next_token`) for the grace period, so a
 * copy of a cookie refreshed on another app instance is a successor the customer's own cookie never
 * saw. Only this user's rows are followed.
 */
async function sessionChain(ctx: Context, start: string, user: string): Promise<string[]> {
  const found = new Set([start]);
  let frontier = [start];
  // Bounded: a chain grows by one row per refresh and loses rows as their grace periods end.
  while (frontier.length > 0 && found.size < 100) {
    const rows = (await ctx
      .database("directus_sessions")
      .select("token", "next_token")
      .where({ user })
      .andWhere((q) => q.whereIn("token", frontier).orWhereIn("next_token", frontier))) as Array<{
      token: string;
      next_token: string | null;
    }>;
    frontier = [];
    for (const row of rows) {
      for (const token of [row.token, row.next_token]) {
        if (token && !found.has(token)) {
          found.add(token);
          frontier.push(token);
        }
      }
    }
  }
  return [...found];
}

/**
 * POST /customer/sign-out: ends this session and every session it was refreshed from or into, through
 * Directus's own logout (which records it in the activity log). Directus's `/auth/logout` ends one row
 * only, which would let a successor minted elsewhere outlive the sign-out. Other sign-ins of the same
 * customer (other devices) are separate chains and stay signed in.
 */
const signOut: Handler = async (req, ctx) => {
  await requireCustomer(req, ctx, ["id"]);
  const { session, user } = req.accountability as Accountability & {
    session: string;
    user: string;
  };
  const auth = new ctx.services.AuthenticationService({
    schema: req.schema as SchemaOverview,
    accountability: req.accountability ?? null,
  });
  for (const token of await sessionChain(ctx, session, user)) await auth.logout(token);
  return { status: 204, body: undefined };
};

const PROFILE_FIELDS = ["id", "email", "first_name", "last_name"];

/** GET /customer/me: the customer's own profile, exactly these four fields. */
const me: Handler = async (req, ctx) => {
  const row = await requireCustomer(req, ctx, PROFILE_FIELDS);
  return {
    status: 200,
    body: { data: Object.fromEntries(PROFILE_FIELDS.map((f) => [f, row[f]])) },
  };
};

/**
 * path → method → handler. HEAD is answered by GET. Anything else is 404 or 405, never a 500.
 * /register, /confirm and /resend are public (registration.ts); the rest need the customer's session.
 */
const routes: Record<string, Partial<Record<string, Handler>>> = {
  "/me": { GET: me },
  "/sign-out": { POST: signOut },
  "/register": { POST: (req, ctx, res) => registerCustomer(req, res, ctx) },
  "/confirm": { POST: (req, ctx, res) => confirm(req, res, ctx) },
  "/resend": { POST: (req, ctx, res) => resend(req, res, ctx) },
};

/** Directus's own errors (rate limited, registration closed, password policy…) carry status and code. */
function isDirectusError(err: unknown): boolean {
  return (
    err instanceof Error &&
    typeof (err as { status?: unknown }).status === "number" &&
    typeof (err as { code?: unknown }).code === "string"
  );
}

function send(res: Response, reply: Reply | Refusal) {
  if (reply instanceof Refusal) {
    res.set(reply.headers);
    res.status(reply.status).json({
      errors: [{ message: reply.message, extensions: { code: reply.code } }],
    });
  } else if (reply.body === undefined) {
    res.status(reply.status).end();
  } else {
    res.status(reply.status).json(reply.body);
  }
}

function register(router: Router, ctx: Context) {
  // Answers about one person's account: no cache (browser, proxy or Directus's) may keep them.
  router.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });
  for (const [path, methods] of Object.entries(routes)) {
    router.all(path, (req, res, next) => {
      const handler = methods[req.method === "HEAD" ? "GET" : req.method];
      if (!handler) {
        const allow = Object.keys(methods).join(", ");
        send(res, new Refusal(405, "METHOD_NOT_ALLOWED", "Method not allowed.", { Allow: allow }));
        return;
      }
      // Express 4 does not catch rejected promises: every failure is answered here, without details
      // (the log gets them).
      handler(req as DirectusRequest, ctx, res).then(
        (reply) => send(res, reply),
        (err: unknown) => {
          if (err instanceof Refusal) return send(res, err);
          // Directus's error handler answers these in its own shape and status, as /users/register would.
          if (isDirectusError(err)) return next(err);
          ctx.logger.error(err, `customer-api: ${req.method} ${path} failed`);
          send(res, new Refusal(500, "INTERNAL_SERVER_ERROR", "An unexpected error occurred."));
        },
      );
    });
  }
  // Our own 404 rather than Directus's, which echoes the path back.
  router.use((_req, res) => send(res, new Refusal(404, "ROUTE_NOT_FOUND", "Route not found.")));
}

const endpoint: EndpointConfig = { id: "customer", handler: register };
export default endpoint;

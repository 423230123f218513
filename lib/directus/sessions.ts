import "server-only";
import { z } from "zod";
import { directusFetch } from "./client";
import { DirectusRefusal } from "./errors";
import { accessTokenClaims } from "./token-claims";

/**
 * A customer's own Directus session, in Directus's `session` mode: the app keeps the session JWT in
 * its encrypted cookie and sends it as a bearer token. Unlike a `json`-mode access token, Directus
 * checks that JWT's session row on every request, so a sign-out, a suspension, a password or email
 * change or a deletion in Directus ends it on the very next call, on every app instance.
 *
 * The SDK makes `session`-mode calls only through a browser's cookie jar, so these calls are plain
 * requests through the same bounded fetch as every SDK call.
 */

/** Directus's default SESSION_COOKIE_NAME (directus-env.mjs and docker-compose.yml keep it). */
const SESSION_COOKIE = "directus_session_token";

export type DirectusSession = {
  /** The session JWT. A credential: it lives only in the encrypted next-auth cookie. */
  token: string;
  userId: string;
  /** Epoch milliseconds, from the JWT's own claims. */
  issuedAt: number;
  expiresAt: number;
};

export type CustomerProfile = { id: string; email: string; firstName: string; lastName: string };

async function call(path: string, init: RequestInit): Promise<Response> {
  const response = await directusFetch(path, init);
  if (response.ok) return response;
  const body: unknown = await response.json().catch(() => null);
  const errors =
    typeof body === "object" && body !== null ? Reflect.get(body, "errors") : undefined;
  throw new DirectusRefusal(response.status, errors);
}

function post(path: string, body: object, sessionToken?: string): Promise<Response> {
  return call(path, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(sessionToken ? { cookie: `${SESSION_COOKIE}=${sessionToken}` } : {}),
    },
    body: JSON.stringify({ ...body, mode: "session" }),
  });
}

/** The session Directus set in its cookie, or null when the answer carried none we can use. */
function sessionFrom(response: Response): DirectusSession | null {
  void response.body?.cancel().catch(() => {});
  const prefix = `${SESSION_COOKIE}=`;
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith(prefix));
  const token = cookie?.slice(prefix.length).split(";")[0];
  if (!token) return null;
  // Read without verifying: the token came straight from Directus over the server's own connection.
  const { id, iat, exp } = accessTokenClaims(token);
  if (!id || iat === undefined || exp === undefined || exp <= iat) return null;
  return { token, userId: id, issuedAt: iat * 1000, expiresAt: exp * 1000 };
}

/** Signs in. Throws a classifiable error when Directus refuses or cannot answer. */
export async function startSession(
  email: string,
  password: string,
): Promise<DirectusSession | null> {
  return sessionFrom(await post("auth/login", { email, password }));
}

/**
 * Slides the session: Directus issues a new JWT for a new session row and keeps the old one alive for
 * its SESSION_REFRESH_GRACE_PERIOD, so requests racing the same refresh, in any process, all succeed.
 */
export async function renewSession(sessionToken: string): Promise<DirectusSession | null> {
  return sessionFrom(await post("auth/refresh", {}, sessionToken));
}

/**
 * Ends this session and every session it was refreshed from or into (the customer API follows the
 * chain; Directus's own logout would end one row and let a successor minted on another app instance
 * live on). Every copy of this session's cookie is refused from now on; other devices stay signed in.
 */
export async function endSession(sessionToken: string): Promise<void> {
  const response = await call("customer/sign-out", {
    method: "POST",
    headers: { authorization: `Bearer ${sessionToken}` },
  });
  void response.body?.cancel().catch(() => {});
}

const profileAnswer = z.object({
  data: z.object({
    id: z.string(),
    email: z.string(),
    first_name: z.string().nullish(),
    last_name: z.string().nullish(),
  }),
});

/**
 * The caller's own profile from the customer API (directus/extensions/customer-api), authenticated
 * with the session itself: this call is also the proof that the session is still alive. Null when
 * Directus answered in a shape we do not know.
 */
export async function readOwnProfile(sessionToken: string): Promise<CustomerProfile | null> {
  const response = await call("customer/me", {
    headers: { authorization: `Bearer ${sessionToken}` },
  });
  const parsed = profileAnswer.safeParse(await response.json().catch(() => null));
  if (!parsed.success) return null;
  const { id, email, first_name, last_name } = parsed.data.data;
  return { id, email, firstName: first_name ?? "", lastName: last_name ?? "" };
}

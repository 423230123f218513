/**
 * What a browser does to sign in, and what the bench needs from Directus directly: customers to sign in
 * with and a bare login to compare against.
 */

export type Customer = {
  id: string;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
};

/** `name=value` of every Set-Cookie, in order, for a Cookie header. */
function cookiePairs(res: Response): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const first = line.split(";", 1)[0] ?? "";
    const eq = first.indexOf("=");
    if (eq > 0) pairs.set(first.slice(0, eq).trim(), first.slice(eq + 1).trim());
  }
  return pairs;
}

function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

/** Only the session cookie (and its chunks), as a page request from a signed-in browser carries it. */
export function sessionCookieFrom(jar: Map<string, string>): string {
  const session = [...jar].filter(([k, v]) => k.includes("next-auth.session-token") && v !== "");
  if (session.length === 0) throw new Error("no session cookie was set");
  return session.map(([k, v]) => `${k}=${v}`).join("; ");
}

export type SignInResult = {
  ms: number;
  /** Milliseconds of each of the three requests. */
  steps: { csrf: number; callback: number; session: number };
  /** Cookie header value holding the session cookie. */
  cookie: string;
  userId: string;
  signedInAt: number;
};

export class SignInError extends Error {
  constructor(
    message: string,
    readonly throttled: boolean,
  ) {
    super(message);
  }
}

/**
 * next-auth v4's credentials sign-in as `signIn("credentials", { redirect: false })` runs it in the
 * browser: GET /api/auth/csrf, POST /api/auth/callback/credentials (form body, csrf cookie, json=true),
 * then GET /api/auth/session. Timed from the first request to the session answer.
 */
export async function nextAuthSignIn(
  appUrl: string,
  email: string,
  password: string,
): Promise<SignInResult> {
  const started = performance.now();
  const jar = new Map<string, string>();

  const csrfRes = await fetch(`${appUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  for (const [k, v] of cookiePairs(csrfRes)) jar.set(k, v);
  const afterCsrf = performance.now();

  const callbackRes = await fetch(`${appUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: new URLSearchParams({
      email,
      password,
      csrfToken,
      callbackUrl: `${appUrl}/account`,
      json: "true",
    }),
  });
  const callback = (await callbackRes.json().catch(() => ({}))) as { url?: string };
  for (const [k, v] of cookiePairs(callbackRes)) jar.set(k, v);
  const error = callback.url ? new URL(callback.url).searchParams.get("error") : "no url";
  if (error) throw new SignInError(`sign-in refused: ${error}`, error === "TooManyRequests");
  const afterCallback = performance.now();

  const sessionRes = await fetch(`${appUrl}/api/auth/session`, {
    headers: { cookie: cookieHeader(jar) },
  });
  const session = (await sessionRes.json()) as { user?: { id?: string } };
  for (const [k, v] of cookiePairs(sessionRes)) jar.set(k, v);
  const ended = performance.now();
  const ms = ended - started;
  const steps = {
    csrf: afterCsrf - started,
    callback: afterCallback - afterCsrf,
    session: ended - afterCallback,
  };

  const userId = session.user?.id;
  if (!userId) throw new SignInError("sign-in gave no session", false);
  return { ms, steps, cookie: sessionCookieFrom(jar), userId, signedInAt: Date.now() };
}

/**
 * A bare Directus login in `session` mode (the mode the app signs customers in with), timed. Returns
 * the session token too: the unprotected twin reads its profile with one.
 */
export async function directusLogin(
  directusUrl: string,
  email: string,
  password: string,
): Promise<{ ms: number; sessionToken: string }> {
  const started = performance.now();
  const res = await fetch(`${directusUrl}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password, mode: "session" }),
  });
  await res.arrayBuffer();
  const ms = performance.now() - started;
  const prefix = "directus_session_token=";
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(prefix));
  const sessionToken = cookie?.slice(prefix.length).split(";")[0];
  if (!res.ok || !sessionToken) throw new Error(`Directus login failed: ${res.status}`);
  return { ms, sessionToken };
}

/** An active, verified customer created as an admin would in the console. */
export async function createCustomer(
  directusUrl: string,
  adminToken: string,
  roleId: string,
  label: string,
): Promise<Customer> {
  const customer = {
    email: `bench.${label}.${Date.now().toString(36)}@example.com`,
    password: `bench password ${label} ${Math.random().toString(36).slice(2)}`,
    firstName: "Grace",
    lastName: `Hopper ${label}`,
  };
  const res = await fetch(`${directusUrl}/users`, {
    method: "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({
      email: customer.email,
      password: customer.password,
      first_name: customer.firstName,
      last_name: customer.lastName,
      role: roleId,
      status: "active",
    }),
  });
  const body = (await res.json()) as { data?: { id?: string } };
  if (!res.ok || !body.data?.id) throw new Error(`could not create a customer: ${res.status}`);
  return { ...customer, id: body.data.id };
}

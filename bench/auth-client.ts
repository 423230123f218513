/**
 * What every sign-in flow shares (cookies, the result), and what the bench needs from Directus
 * directly: customers to sign in with and a bare login to compare against. The flows themselves:
 * form-sign-in.ts (what the sign-in page does now) and next-auth-client.ts (the old client flow).
 */

export type Customer = {
  id: string;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
};

/** `name=value` of every Set-Cookie, in order, for a Cookie header. */
export function cookiePairs(res: Response): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const first = line.split(";", 1)[0] ?? "";
    const eq = first.indexOf("=");
    if (eq > 0) pairs.set(first.slice(0, eq).trim(), first.slice(eq + 1).trim());
  }
  return pairs;
}

export function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

/**
 * The sign-in's 303 lands a browser on /account, whose answer may set more cookies (the proxy's kept
 * marker, lib/auth/kept-session.ts): the load then sends what a browser would from there on.
 */
export async function landedCookies(appUrl: string, cookie: string): Promise<string> {
  const res = await fetch(`${appUrl}/account`, { headers: { cookie }, redirect: "manual" });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`bench: /account after sign-in answered ${res.status}`);
  const jar = new Map(
    cookie
      .split("; ")
      .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
  );
  for (const [name, value] of cookiePairs(res)) {
    if (value === "") jar.delete(name);
    else jar.set(name, value);
  }
  return cookieHeader(jar);
}

/** Only the session cookie (and its chunks), as a page request from a signed-in browser carries it. */
export function sessionCookieFrom(jar: Map<string, string>): string {
  const session = [...jar].filter(([k, v]) => k.includes("next-auth.session-token") && v !== "");
  if (session.length === 0) throw new Error("no session cookie was set");
  return session.map(([k, v]) => `${k}=${v}`).join("; ");
}

export type SignInResult = {
  ms: number;
  /** Milliseconds of each request of the flow, by step name. */
  steps: Record<string, number>;
  /** Cookie header value holding the session cookie. */
  cookie: string;
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

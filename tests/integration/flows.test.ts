/**
 * Every customer flow's server code against a real Directus, on SQLite and on Postgres: the route
 * handlers and auth modules are called directly, with the env pointing at the backend.
 */
import type { JWT } from "next-auth/jwt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as registerRoute } from "@/app/api/auth/register/route";
import { authorizeCredentials } from "@/lib/auth/authorize";
import { authOptions } from "@/lib/auth/options";
import { requestPasswordReset, resetPassword } from "@/lib/directus/passwords";
import { checkSession } from "@/lib/auth/live-session";
import { resetRefreshCacheForTests } from "@/lib/auth/refresh";
import { resetThrottleForTests } from "@/lib/abuse/process-throttle";
import { confirmEmail } from "@/lib/auth/verify-email";
import { type Backend, type Lane, postgresLane, startBackend } from "../support/backend";
import { linkIn, waitForMail } from "../support/mail";
import { pointAppAt } from "./security-support";

const pg = await postgresLane();
const lanes: Lane[] = pg.run ? ["sqlite", "postgres"] : ["sqlite"];

function register(backend: Backend, body: unknown) {
  return registerRoute(
    new Request(`${backend.appUrl}/api/auth/register`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: backend.appUrl,
        "x-forwarded-for": "203.0.113.7",
      },
      body: JSON.stringify(body),
    }),
  );
}

function signIn(email: string, password: string) {
  return authorizeCredentials(
    { email, password },
    { headers: { "x-forwarded-for": "203.0.113.8" } },
  );
}

async function directusUser(backend: Backend, email: string) {
  const token = await backend.adminToken();
  const res = await fetch(
    `${backend.directusUrl}/users?filter[email][_eq]=${encodeURIComponent(email)}&fields=id,status,role,first_name,last_name`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  const { data } = (await res.json()) as { data: Array<Record<string, string>> };
  return data[0];
}

describe.each(lanes)("customer flows on %s", (lane) => {
  let backend: Backend;
  let n = 0;
  const customer = () => ({
    first_name: "Grace",
    last_name: `Hopper ${lane} ${++n}`,
    email: `grace.${lane}.${n}.${Date.now()}@example.com`,
    password: "a sufficiently long passphrase",
  });

  /** Registers and confirms a customer through the app's own code. */
  async function verifiedCustomer() {
    const c = customer();
    const since = Date.now();
    expect((await register(backend, c)).status).toBe(201);
    const mail = await waitForMail(backend.mailUrl, { to: c.email, subject: /verify/i, since });
    const token = linkIn(mail, "/verify-email").searchParams.get("token") ?? "";
    expect((await confirmEmail(token, c.password)).kind).toBe("confirmed");
    return { ...c, verificationToken: token };
  }

  async function sessionToken(email: string, password: string): Promise<JWT> {
    const user = await signIn(email, password);
    expect(user).not.toBeNull();
    const jwt = await authOptions.callbacks!.jwt!({
      token: {},
      user: user!,
      account: null,
    } as never);
    return jwt as JWT;
  }

  beforeAll(async () => {
    backend = await startBackend(lane);
  });
  afterAll(() => backend?.stop());
  beforeEach(() => {
    pointAppAt(backend);
    resetThrottleForTests();
    resetRefreshCacheForTests();
  });

  it("registers an unverified Customer, answers an existing email the same way, and mails a link to the app", async () => {
    const c = customer();
    const since = Date.now();
    const first = await register(backend, c);
    expect(first.status).toBe(201);
    const again = await register(backend, { ...c, email: `  ${c.email.toUpperCase()} ` });
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(await first.json());

    const user = await directusUser(backend, c.email);
    expect(user).toMatchObject({
      status: "unverified",
      role: backend.report.customerRoleId,
      first_name: c.first_name,
      last_name: c.last_name,
    });
    const mail = await waitForMail(backend.mailUrl, { to: c.email, subject: /verify/i, since });
    expect(linkIn(mail, "/verify-email").origin).toBe(new URL(backend.appUrl).origin);
  });

  it("never forwards fields the form does not have", async () => {
    const c = customer();
    const res = await register(backend, {
      ...c,
      role: backend.report.customerRoleId,
      status: "active",
    });
    expect(res.status).toBe(422);
    expect(await directusUser(backend, c.email)).toBeUndefined();
  });

  it("refuses to sign in an unconfirmed customer, then confirms the email once", async () => {
    const c = customer();
    const since = Date.now();
    await register(backend, c);
    expect(await signIn(c.email, c.password)).toBeNull();

    const mail = await waitForMail(backend.mailUrl, { to: c.email, subject: /verify/i, since });
    const token = linkIn(mail, "/verify-email").searchParams.get("token") ?? "";
    expect(await confirmEmail(token, c.password)).toEqual({ kind: "confirmed", email: c.email });
    expect(await confirmEmail(token, c.password)).toEqual({ kind: "invalid" });
    expect(await confirmEmail("not-a-token", c.password)).toEqual({ kind: "invalid" });
    expect((await directusUser(backend, c.email))?.status).toBe("active");
  });

  it("signs in with a Directus session for the right user, and treats a wrong password like an unknown email", async () => {
    const c = await verifiedCustomer();
    const user = await signIn(c.email.toUpperCase(), c.password);
    expect(user?.id).toBe((await directusUser(backend, c.email))?.id);
    expect(user?.sessionToken).toEqual(expect.any(String));
    expect(user?.sessionExpires).toBeGreaterThan(Date.now());
    expect(user?.signedInAt).toBeLessThanOrEqual(Date.now());

    expect(await signIn(c.email, "not the password at all")).toBeNull();
    expect(await signIn(`unknown.${c.email}`, c.password)).toBeNull();
  });

  it("resets a forgotten password once; the old password stops working and other sessions end", async () => {
    const c = await verifiedCustomer();
    const otherSession = await sessionToken(c.email, c.password);
    const since = Date.now();
    expect(await requestPasswordReset(c.email)).toEqual({ kind: "sent" });
    expect(await requestPasswordReset(`nobody.${c.email}`)).toEqual({ kind: "sent" });
    const mail = await waitForMail(backend.mailUrl, { to: c.email, subject: /reset/i, since });
    const link = linkIn(mail, "/reset-password");
    expect(link.origin).toBe(new URL(backend.appUrl).origin);
    const token = link.searchParams.get("token") ?? "";

    const newPassword = "an entirely new passphrase ✓";
    expect(await resetPassword(token, newPassword)).toEqual({ kind: "ok" });
    expect(await resetPassword(token, "yet another new passphrase")).toEqual({
      kind: "invalid_token",
    });
    expect(await resetPassword("forged", "yet another new passphrase")).toEqual({
      kind: "invalid_token",
    });

    expect(await signIn(c.email, c.password)).toBeNull();
    expect(await signIn(c.email, newPassword)).not.toBeNull();
    resetRefreshCacheForTests();
    expect(await checkSession(otherSession, { needProfile: true })).toEqual({ kind: "ended" });
  });

  it("answers 503 quickly and plainly when Directus cannot be reached", async () => {
    pointAppAt(backend, { DIRECTUS_URL: "http://127.0.0.1:9", DIRECTUS_TIMEOUT_MS: "2000" });
    const res = await register(backend, customer());
    expect(res.status).toBe(503);
    const body = await res.text();
    expect(body).not.toContain("127.0.0.1");
    expect(body).toMatch(/temporarily unavailable/i);
  });
});

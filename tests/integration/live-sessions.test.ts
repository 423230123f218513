/**
 * Live sessions against a real Directus (with the customer API extension loaded), on SQLite and on
 * Postgres: a copy of a session cookie is refused on its very next request once Directus has ended
 * the session, whoever ended it, and no race between requests or processes signs anyone out.
 */
import type { JWT } from "next-auth/jwt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { authorizeCredentials } from "@/lib/auth/authorize";
import { checkSession } from "@/lib/auth/live-session";
import { authOptions } from "@/lib/auth/options";
import { decodeSession } from "@/lib/auth/session-jwt";
import { refreshSession, resetRefreshCacheForTests } from "@/lib/auth/refresh";
import { resetThrottleForTests } from "@/lib/abuse/process-throttle";
import { readOwnProfile } from "@/lib/directus/sessions";
import { getEnv } from "@/lib/env";
import { type Backend, type Lane, postgresLane, startBackend } from "../support/backend";
import { newCustomer, pointAppAt, signInThroughNextAuth } from "./security-support";

const pg = await postgresLane();
const lanes: Lane[] = pg.run ? ["sqlite", "postgres"] : ["sqlite"];

const DAY = 24 * 60 * 60 * 1_000;

describe.each(lanes)("live sessions on %s", (lane) => {
  let backend: Backend;
  let admin: string;

  async function asAdmin(method: string, path: string, body?: unknown): Promise<number> {
    const res = await fetch(`${backend.directusUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    await res.body?.cancel();
    return res.status;
  }

  /** An active customer, made by an admin (registration has its own tests). */
  async function customer() {
    const c = newCustomer(`live-${lane}`);
    const res = await fetch(`${backend.directusUrl}/users`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify({
        email: c.email,
        password: c.password,
        first_name: c.first_name,
        last_name: c.last_name,
        role: backend.report.customerRoleId,
        status: "active",
      }),
    });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { id: string } };
    return { ...c, id: data.id };
  }

  let device = 0;
  /** A signed-in device: the decoded next-auth cookie, exactly as the proxy sees it. */
  async function signedIn(c: { email: string; password: string }): Promise<JWT> {
    device += 1;
    const user = await authorizeCredentials(
      { email: c.email, password: c.password },
      { headers: { "x-forwarded-for": `198.51.100.${device % 250}` } },
    );
    expect(user).not.toBeNull();
    return (await authOptions.callbacks!.jwt!({
      token: {},
      user: user!,
      account: null,
    } as never)) as JWT;
  }

  const page = (token: JWT) => checkSession(token, { needProfile: true });

  beforeAll(async () => {
    backend = await startBackend(lane);
    admin = await backend.adminToken();
  });
  afterAll(() => backend?.stop());
  beforeEach(() => {
    pointAppAt(backend);
    resetThrottleForTests();
    resetRefreshCacheForTests();
  });

  it("shows a live session its own profile, read with the customer's own session", async () => {
    const c = await customer();
    const state = await page(await signedIn(c));
    expect(state).toEqual({
      kind: "active",
      profile: { id: c.id, email: c.email, firstName: c.first_name, lastName: c.last_name },
    });
  });

  it("sign-out ends every copy of that session on its next request, and only that session", async () => {
    const c = await customer();
    const here = await signedIn(c);
    const otherDevice = await signedIn(c);
    const copy = structuredClone(here);
    await authOptions.events!.signOut!({ token: here, session: undefined as never });
    // A fresh process: nothing this one remembers may be what refuses the copy.
    resetRefreshCacheForTests();
    expect(await page(copy)).toEqual({ kind: "ended" });
    expect((await page(otherDevice)).kind).toBe("active");
  });

  it("sign-out also ends a copy of the cookie that another process refreshed", async () => {
    const c = await customer();
    const here = await signedIn(c);
    const otherDevice = await signedIn(c);
    const due = () => Date.now() + 2 * 60 * 60 * 1_000;
    // Another process (empty cache) slides a copy of the cookie: a successor this process never saw.
    const elsewhere = await refreshSession(structuredClone(here), { now: due });
    if (elsewhere.kind !== "refreshed") throw new Error(`not refreshed: ${elsewhere.kind}`);
    resetRefreshCacheForTests();
    expect((await page(elsewhere.token)).kind).toBe("active");

    await authOptions.events!.signOut!({ token: here, session: undefined as never });
    expect(await page(elsewhere.token)).toEqual({ kind: "ended" });
    expect(await page(here)).toEqual({ kind: "ended" });
    expect((await page(otherDevice)).kind).toBe("active");
  });

  it("signing in through next-auth's own endpoint over an open session ends that session", async () => {
    const c = await customer();
    const sessionOf = async (answer: { cookies: Array<{ name: string; value: string }> }) => {
      const cookie = answer.cookies.find((k) => k.name === "next-auth.session-token");
      expect(cookie?.value).toBeTruthy();
      const token = await decodeSession({
        token: cookie!.value,
        secret: getEnv().NEXTAUTH_SECRET,
      });
      return { held: `next-auth.session-token=${cookie!.value}`, token: token! };
    };
    const first = await sessionOf(await signInThroughNextAuth(backend, c.email, c.password));
    const copy = structuredClone(first.token);
    const second = await sessionOf(
      await signInThroughNextAuth(backend, c.email, c.password, "203.0.113.10", [first.held]),
    );
    resetRefreshCacheForTests();
    expect(await page(copy)).toEqual({ kind: "ended" });
    expect((await page(second.token)).kind).toBe("active");
  });

  it.each([
    [
      "suspends the customer",
      (id: string) => asAdmin("PATCH", `/users/${id}`, { status: "suspended" }),
    ],
    [
      "changes the password",
      (id: string) => asAdmin("PATCH", `/users/${id}`, { password: "an admin's new passphrase" }),
    ],
    [
      "changes the email",
      (id: string) => asAdmin("PATCH", `/users/${id}`, { email: `moved.${id}@example.com` }),
    ],
    ["deletes the customer", (id: string) => asAdmin("DELETE", `/users/${id}`)],
  ])("ends every session on its next request when an admin %s", async (_, act) => {
    const c = await customer();
    const phone = await signedIn(c);
    const laptop = await signedIn(c);
    expect((await page(phone)).kind).toBe("active");
    expect(await act(c.id)).toBeLessThan(300);
    expect(await page(phone)).toEqual({ kind: "ended" });
    expect(await page(laptop)).toEqual({ kind: "ended" });
  });

  it("ends a session past its absolute lifetime however active, and ends it in Directus too", async () => {
    const c = await customer();
    const token = await signedIn(c);
    const old = { ...token, signedInAt: Date.now() - 31 * DAY };
    expect(await page(old)).toEqual({ kind: "ended" });
    await expect(readOwnProfile(token.sessionToken as string)).rejects.toMatchObject({
      status: 401,
    });
  });

  it("slides the session, and a second process refreshing the same token at once gets the same session", async () => {
    const c = await customer();
    const token = await signedIn(c);
    const due = () => Date.now() + 2 * 60 * 60 * 1_000;
    // Process A: a burst of requests shares one refresh.
    const burst = await Promise.all(
      Array.from({ length: 10 }, () => refreshSession(token, { now: due })),
    );
    const inA = new Set(burst.map((o) => (o.kind === "refreshed" ? o.token.sessionToken : o.kind)));
    expect(inA.size).toBe(1);
    // Process B has never seen this session: Directus's grace window gives it the same successor.
    resetRefreshCacheForTests();
    const inB = await refreshSession(token, { now: due });
    expect(inB.kind).toBe("refreshed");
    for (const outcome of [...burst, inB]) {
      if (outcome.kind !== "refreshed") throw new Error(`not refreshed: ${outcome.kind}`);
      expect((await page(outcome.token)).kind).toBe("active");
    }
  });
});

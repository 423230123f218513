/**
 * Provisioning against a real Directus, on embedded SQLite and on Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { provision } from "../../directus/scripts/provision.mjs";
import { type Backend, type Lane, postgresLane, startBackend } from "../support/backend";
import { linkIn, waitForMail } from "../support/mail";

const pg = await postgresLane();
const lanes: Lane[] = pg.run ? ["sqlite", "postgres"] : ["sqlite"];

async function api<T = unknown>(
  backend: Backend,
  path: string,
  init: RequestInit & { token?: string } = {},
) {
  const { token, ...rest } = init;
  const res = await fetch(`${backend.directusUrl}${path}`, {
    ...rest,
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as { data: T } | null };
}

describe.each(lanes)("provisioning on %s", (lane) => {
  let backend: Backend;
  let admin: string;

  beforeAll(async () => {
    backend = await startBackend(lane);
    admin = await backend.adminToken();
  });
  afterAll(() => backend?.stop());

  const again = () =>
    provision({
      url: backend.directusUrl,
      adminEmail: backend.adminEmail,
      adminPassword: backend.adminPassword,
      serviceToken: backend.serviceToken,
    });

  it("sets up a fresh Directus and reports what it created", () => {
    expect(backend.report.changed).toEqual(
      expect.arrayContaining([
        'created role "Customer"',
        'created policy "Customer"',
        "created service user with its static token",
      ]),
    );
  });

  it("enables public registration for the Customer role with email verification", async () => {
    const { body } = await api<Record<string, unknown>>(
      backend,
      "/settings?fields=public_registration,public_registration_role,public_registration_verify_email,project_name",
      { token: admin },
    );
    expect(body?.data).toEqual({
      public_registration: true,
      public_registration_role: backend.report.customerRoleId,
      public_registration_verify_email: true,
      project_name: "Customer Accounts",
    });
  });

  it("keeps a project name an admin chose", async () => {
    await api(backend, "/settings", {
      method: "PATCH",
      token: admin,
      body: JSON.stringify({ project_name: "Acme" }),
    });
    expect((await again()).changed).toEqual([]);
    const { body } = await api<{ project_name: string }>(backend, "/settings?fields=project_name", {
      token: admin,
    });
    expect(body?.data.project_name).toBe("Acme");
  });

  it("gives customers no console access and no permissions", async () => {
    const { body } = await api<
      Array<{ app_access: boolean; admin_access: boolean; permissions: unknown[] }>
    >(backend, `/policies?filter[name][_eq]=Customer&fields=app_access,admin_access,permissions`, {
      token: admin,
    });
    expect(body?.data).toEqual([{ app_access: false, admin_access: false, permissions: [] }]);
  });

  it("changes nothing when run again, and leaves existing users alone", async () => {
    const created = await api<{ id: string }>(backend, "/users", {
      method: "POST",
      token: admin,
      body: JSON.stringify({
        email: `existing-${lane}@example.com`,
        password: "an existing customer password",
        role: backend.report.customerRoleId,
        first_name: "Existing",
      }),
    });
    expect(created.status).toBe(200);
    const fields = "id,email,status,role,first_name,token,password,last_access";
    const before = await api(backend, `/users/${created.body?.data.id}?fields=${fields}`, {
      token: admin,
    });

    const second = await again();
    expect(second.changed).toEqual([]);
    expect(second.customerRoleId).toBe(backend.report.customerRoleId);
    const third = await again();
    expect(third.changed).toEqual([]);

    const after = await api(backend, `/users/${created.body?.data.id}?fields=${fields}`, {
      token: admin,
    });
    expect(after.body).toEqual(before.body);
  });

  it("registers an unverified Customer and mails a verification link to the app", async () => {
    const email = `new-customer-${lane}@example.com`;
    const since = Date.now();
    const res = await api(backend, "/users/register", {
      method: "POST",
      body: JSON.stringify({
        email,
        password: "a long enough passphrase",
        first_name: "New",
        last_name: "Customer",
        verification_url: `${backend.appUrl}/verify-email`,
      }),
    });
    expect(res.status).toBe(204);

    const { body } = await api<Array<{ status: string; role: string }>>(
      backend,
      `/users?filter[email][_eq]=${encodeURIComponent(email)}&fields=status,role`,
      { token: admin },
    );
    expect(body?.data).toEqual([{ status: "unverified", role: backend.report.customerRoleId }]);

    const mail = await waitForMail(backend.mailUrl, { to: email, subject: /verify/i, since });
    const link = linkIn(mail, "/verify-email");
    expect(link.origin).toBe(new URL(backend.appUrl).origin);
    expect(link.searchParams.get("token")).toBeTruthy();
  });

  it("does not cap registrations at Directus's per-address default, since all come from the app", async () => {
    const statuses = [];
    for (let i = 0; i < 8; i++) {
      const res = await api(backend, "/users/register", {
        method: "POST",
        body: JSON.stringify({
          email: `burst-${i}-${lane}@example.com`,
          password: "a long enough passphrase",
        }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual(Array(8).fill(204));
  });

  it("refuses verification links that point outside the app", async () => {
    const res = await api(backend, "/users/register", {
      method: "POST",
      body: JSON.stringify({
        email: `phished-${lane}@example.com`,
        password: "a long enough passphrase",
        verification_url: "https://evil.example/verify-email",
      }),
    });
    expect(res.status).toBe(400);
  });

  it("gives a customer's own token no way to list users", async () => {
    const email = `verified-${lane}@example.com`;
    const password = "another long passphrase";
    const since = Date.now();
    await api(backend, "/users/register", {
      method: "POST",
      body: JSON.stringify({ email, password, verification_url: `${backend.appUrl}/verify-email` }),
    });
    const mail = await waitForMail(backend.mailUrl, { to: email, subject: /verify/i, since });
    const token = linkIn(mail, "/verify-email").searchParams.get("token") ?? "";
    const verify = await fetch(
      `${backend.directusUrl}/users/register/verify-email?token=${encodeURIComponent(token)}`,
      { redirect: "manual" },
    );
    expect(verify.status).toBeLessThan(400);

    const login = await api<{ access_token: string }>(backend, "/auth/login", {
      method: "POST",
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    const customer = login.body?.data.access_token ?? "";

    expect((await api(backend, "/users", { token: customer })).status).toBe(403);
    expect((await api(backend, "/roles", { token: customer })).status).toBe(403);
    const me = await api<Record<string, unknown>>(backend, "/users/me", { token: customer });
    expect(Object.keys(me.body?.data ?? {})).toEqual(["id"]);
  });

  it("lets the service token read users but not change them", async () => {
    const token = backend.serviceToken;
    const list = await api<unknown[]>(backend, "/users?fields=id&limit=1", { token });
    expect(list.status).toBe(200);
    const create = await api(backend, "/users", {
      method: "POST",
      token,
      body: JSON.stringify({ email: `sneaky-${lane}@example.com`, password: "x".repeat(20) }),
    });
    expect(create.status).toBe(403);
    const settings = await api(backend, "/settings", {
      method: "PATCH",
      token,
      body: JSON.stringify({ public_registration: false }),
    });
    expect(settings.status).toBe(403);
  });
});

// Over 250 lines on purpose: its checks share one real Directus per lane (costly to start).
/**
 * Provisioning against a real Directus, on embedded SQLite and on Postgres.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passwordPolicy, provision } from "../../directus/scripts/provision.mjs";
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

  const again = (options: { appUrl?: string; passwordMinLength?: number } = {}) =>
    provision({
      url: backend.directusUrl,
      adminEmail: backend.adminEmail,
      adminPassword: backend.adminPassword,
      appUrl: backend.appUrl,
      ...options,
    });

  /** The console's own sign-up (its login page's "Sign up"): Directus's public registration, direct. */
  const consoleSignUp = (email: string, password: string) =>
    api(backend, "/users/register", { method: "POST", body: JSON.stringify({ email, password }) });

  it("sets up a fresh Directus and reports what it created: no service user", async () => {
    expect(backend.report.changed).toEqual([
      'created role "Customer"',
      'created policy "Customer"',
      'created policy "Customer" on role "Customer"',
      // Directus's default already verifies emails.
      "set public_registration, public_registration_role, project_name, auth_password_policy, public_note, project_url",
    ]);
    expect(backend.report.unchanged).toContain("no service user, role or policy");
    const users = await api<unknown[]>(backend, "/users?fields=email&limit=-1", { token: admin });
    expect(users.body?.data).toEqual([{ email: backend.adminEmail }]);
    const roles = await api<unknown[]>(backend, "/roles?fields=name&limit=-1", { token: admin });
    expect(roles.body?.data).toEqual(expect.not.arrayContaining([{ name: "Next.js server" }]));
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

  it("gives Directus the app's password rule, so the console's sign-up cannot set a shorter password (issue 12)", async () => {
    const { body } = await api<{ auth_password_policy: string }>(
      backend,
      "/settings?fields=auth_password_policy",
      { token: admin },
    );
    expect(body?.data.auth_password_policy).toBe(passwordPolicy(12));

    // Before provisioning set the policy, `x` was accepted here (and could then sign in to the app).
    for (const password of ["x", "a".repeat(11), "🔒".repeat(11), "x".repeat(257)]) {
      const res = await consoleSignUp(`console-weak-${lane}@example.com`, password);
      expect(res.status, `${[...password].length} characters`).toBe(400);
      expect(JSON.stringify(res.body)).toContain("FAILED_VALIDATION");
    }
    // Counted like the app counts: Unicode characters, not UTF-16 units.
    const emoji = "🔒🔑🗝🛡🔐🧩🎲🎯🪐🌋🦉🐙";
    expect([...emoji]).toHaveLength(12);
    expect((await consoleSignUp(`console-emoji-${lane}@example.com`, emoji)).status).toBe(204);
    // Admins too: no path sets a password shorter than the app's rule.
    const created = await api(backend, "/users", {
      method: "POST",
      token: admin,
      body: JSON.stringify({ email: `admin-made-${lane}@example.com`, password: "short" }),
    });
    expect(created.status).toBe(400);
  });

  it("tells console visitors it is for staff and where customers sign in, and links the project to the app", async () => {
    const { body } = await api<Record<string, unknown>>(
      backend,
      "/settings?fields=public_note,project_url",
      { token: admin },
    );
    expect(body?.data).toEqual({
      public_note: `This console is for staff only. Customers create their account and sign in at [${backend.appUrl}/login](${backend.appUrl}/login).`,
      project_url: backend.appUrl,
    });
    // What the console's login page shows to anyone, signed in or not.
    const info = await api<{ project: { public_note: string } }>(backend, "/server/info");
    expect(info.body?.data.project.public_note).toMatch(/^This console is for staff only\./);
  });

  it("follows PASSWORD_MIN_LENGTH and the app's URL when they change, reporting it, then changes nothing", async () => {
    const moved = { appUrl: "https://shop.example", passwordMinLength: 16 };
    expect((await again(moved)).changed).toEqual([
      "set auth_password_policy, public_note, project_url",
    ]);
    expect((await again(moved)).changed).toEqual([]);
    expect((await consoleSignUp(`console-15-${lane}@example.com`, "y".repeat(15))).status).toBe(
      400,
    );
    const { body } = await api<Record<string, string>>(
      backend,
      "/settings?fields=auth_password_policy,public_note,project_url",
      { token: admin },
    );
    expect(body?.data).toEqual({
      auth_password_policy: passwordPolicy(16),
      public_note: expect.stringContaining(
        "[https://shop.example/login](https://shop.example/login)",
      ),
      project_url: "https://shop.example",
    });
    // Back to this backend's own settings for the tests that follow.
    expect((await again()).changed).toEqual(["set auth_password_policy, public_note, project_url"]);
  });

  it("refuses to run with a minimum the app itself would refuse", async () => {
    await expect(again({ passwordMinLength: 4 })).rejects.toThrow(/PASSWORD_MIN_LENGTH/);
    await expect(again({ appUrl: "javascript:alert(1)" })).rejects.toThrow(/http/);
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

  // Last: it leaves the old service account behind for provisioning to remove.
  it("removes the service user, role and policy an earlier version created, and its token stops working", async () => {
    // Exactly what the old provisioning created.
    const name = "Next.js server";
    const oldToken = randomBytes(32).toString("base64url");
    const role = await api<{ id: string }>(backend, "/roles", {
      method: "POST",
      token: admin,
      body: JSON.stringify({ name, description: "The Next.js server.", icon: "dns" }),
    });
    const policy = await api<{ id: string }>(backend, "/policies", {
      method: "POST",
      token: admin,
      body: JSON.stringify({
        name,
        icon: "dns",
        app_access: false,
        admin_access: false,
        enforce_tfa: false,
      }),
    });
    const roleId = role.body?.data.id;
    const policyId = policy.body?.data.id;
    for (const [path, body] of [
      ["/access", { role: roleId, policy: policyId }],
      [
        "/permissions",
        {
          policy: policyId,
          collection: "directus_users",
          action: "read",
          fields: ["*"],
          permissions: {},
        },
      ],
      [
        "/users",
        {
          email: "nextjs-server@example.com",
          first_name: "Next.js",
          last_name: "server",
          role: roleId,
          status: "active",
          token: oldToken,
        },
      ],
    ] as const) {
      const res = await api(backend, path, {
        method: "POST",
        token: admin,
        body: JSON.stringify(body),
      });
      expect(res.status, path).toBe(200);
    }
    // It could read every user.
    expect((await api(backend, "/users?fields=email", { token: oldToken })).status).toBe(200);

    const first = await again();
    expect(first.changed).toEqual([
      "removed service user nextjs-server@example.com and its static token",
      'removed read permission on directus_users for "Next.js server"',
      'removed policy "Next.js server" from role "Next.js server"',
      'removed policy "Next.js server"',
      'removed role "Next.js server"',
    ]);
    expect((await again()).changed).toEqual([]);

    expect((await api(backend, "/users/me", { token: oldToken })).status).toBe(401);
    for (const [collection, filter] of [
      ["users", "filter[email][_eq]=nextjs-server@example.com"],
      ["roles", `filter[name][_eq]=${encodeURIComponent(name)}`],
      ["policies", `filter[name][_eq]=${encodeURIComponent(name)}`],
      ["permissions", `filter[policy][_eq]=${policyId}`],
      ["access", `filter[policy][_eq]=${policyId}`],
    ]) {
      const res = await api<unknown[]>(backend, `/${collection}?${filter}&fields=id`, {
        token: admin,
      });
      expect(res.body?.data, collection).toEqual([]);
    }
  });
});

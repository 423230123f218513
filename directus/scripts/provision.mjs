/**
 * Idempotent provisioning: makes a fresh or existing Directus ready for customer accounts.
 * Run it as often as you like: the second run changes nothing, and it never touches customers or data.
 *
 *   DIRECTUS_URL=… DIRECTUS_ADMIN_EMAIL=… DIRECTUS_ADMIN_PASSWORD=… node provision.mjs
 *
 * Why so few permissions: Directus Core (no licence) refuses item filters and field lists, so the only
 * read rule it allows on directus_users is "everything". Customers therefore get no permissions at all,
 * and read their own profile through the customer API extension (directus/extensions/customer-api),
 * which answers for the session's own user only.
 *
 * There is no service user: the app holds no standing credential that could read other users. Earlier
 * versions created one ("Next.js server" role and policy with read on directus_users, and the user
 * nextjs-server@example.com with a static token); provisioning now removes them where they exist.
 */
import { isMain } from "./is-main.mjs";

export const CUSTOMER_ROLE = "Customer";
/** What earlier versions created for the app's static token, removed on sight. */
export const OLD_SERVICE_ROLE = "Next.js server";
export const OLD_SERVICE_EMAIL = "nextjs-server@example.com";
/** Shown in emails ("Reset your … password") until an admin names the project in Settings. */
export const DEFAULT_PROJECT_NAME = "Customer Accounts";

class Api {
  constructor(url, token) {
    this.url = url.replace(/\/$/, "");
    this.token = token;
  }
  async call(method, path, body) {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) {
      const reason = json?.errors?.map((e) => `${e.extensions?.code}: ${e.message}`).join("; ");
      const err = new Error(`${method} ${path} → ${res.status} ${reason ?? text}`);
      err.status = res.status;
      throw err;
    }
    return json?.data ?? null;
  }
  get = (p) => this.call("GET", p);
  post = (p, b) => this.call("POST", p, b);
  patch = (p, b) => this.call("PATCH", p, b);
  delete = (p) => this.call("DELETE", p);
}

const q = (filter, fields = "*") =>
  `?filter=${encodeURIComponent(JSON.stringify(filter))}&fields=${encodeURIComponent(fields)}&limit=-1`;

/** Finds the one item matching `filter`, or creates it from `create`. */
async function ensureOne(api, report, collection, label, filter, create) {
  const found = await api.get(`/${collection}${q(filter)}`);
  if (found.length > 0) {
    report.unchanged.push(label);
    return found[0];
  }
  const created = await api.post(`/${collection}`, create);
  report.changed.push(`created ${label}`);
  return created;
}

async function ensureRoleWithPolicy(api, report, { name, description, icon, permissions }) {
  const role = await ensureOne(
    api,
    report,
    "roles",
    `role "${name}"`,
    { name: { _eq: name } },
    {
      name,
      description,
      icon,
    },
  );
  const policy = await ensureOne(
    api,
    report,
    "policies",
    `policy "${name}"`,
    { name: { _eq: name } },
    {
      name,
      description,
      icon,
      app_access: false,
      admin_access: false,
      enforce_tfa: false,
    },
  );
  await ensureOne(
    api,
    report,
    "access",
    `policy "${name}" on role "${name}"`,
    { role: { _eq: role.id }, policy: { _eq: policy.id } },
    { role: role.id, policy: policy.id },
  );
  for (const p of permissions) {
    await ensureOne(
      api,
      report,
      "permissions",
      `${p.action} permission on ${p.collection} for "${name}"`,
      { policy: { _eq: policy.id }, collection: { _eq: p.collection }, action: { _eq: p.action } },
      {
        policy: policy.id,
        collection: p.collection,
        action: p.action,
        fields: ["*"],
        permissions: {},
      },
    );
  }
  return role;
}

/**
 * Removes the old service user, its role, its policy, and the policy's access rows and permissions.
 * Each removal is reported; once they are gone this finds nothing and changes nothing. Directus
 * suspends any other user still in the role when the role goes (they would have read every user).
 */
async function removeOldServiceAccess(api, report) {
  const name = OLD_SERVICE_ROLE;
  const users = await api.get(`/users${q({ email: { _eq: OLD_SERVICE_EMAIL } }, "id")}`);
  for (const user of users) {
    await api.delete(`/users/${user.id}`);
    report.changed.push(`removed service user ${OLD_SERVICE_EMAIL} and its static token`);
  }
  const policies = await api.get(`/policies${q({ name: { _eq: name } }, "id")}`);
  for (const policy of policies) {
    const permissions = await api.get(
      `/permissions${q({ policy: { _eq: policy.id } }, "id,action,collection")}`,
    );
    for (const p of permissions) {
      await api.delete(`/permissions/${p.id}`);
      report.changed.push(`removed ${p.action} permission on ${p.collection} for "${name}"`);
    }
    const access = await api.get(
      `/access${q({ policy: { _eq: policy.id } }, "id,role.name,user.email")}`,
    );
    for (const a of access) {
      await api.delete(`/access/${a.id}`);
      const holder = a.role ? `role "${a.role.name}"` : `user ${a.user?.email ?? "(unknown)"}`;
      report.changed.push(`removed policy "${name}" from ${holder}`);
    }
    await api.delete(`/policies/${policy.id}`);
    report.changed.push(`removed policy "${name}"`);
  }
  const roles = await api.get(`/roles${q({ name: { _eq: name } }, "id")}`);
  for (const role of roles) {
    await api.delete(`/roles/${role.id}`);
    report.changed.push(`removed role "${name}"`);
  }
  if (users.length + policies.length + roles.length === 0)
    report.unchanged.push("no service user, role or policy");
}

async function ensureSettings(api, report, customerRoleId, projectName) {
  const wanted = {
    public_registration: true,
    public_registration_role: customerRoleId,
    public_registration_verify_email: true,
    project_name: projectName,
  };
  const current = await api.get(`/settings?fields=${Object.keys(wanted).join(",")}`);
  // The project name signs every email. Replace only Directus's placeholder: an admin's choice stays.
  if (current?.project_name && current.project_name !== "Directus") delete wanted.project_name;
  const diff = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => current?.[k] !== v));
  if (Object.keys(diff).length === 0) {
    report.unchanged.push("public registration settings");
    return;
  }
  await api.patch("/settings", diff);
  report.changed.push(`set ${Object.keys(diff).join(", ")}`);
}

/**
 * @param {{ url: string, adminEmail: string, adminPassword: string, projectName?: string }} o
 * @returns {Promise<{ changed: string[], unchanged: string[], customerRoleId: string }>}
 */
export async function provision({
  url,
  adminEmail,
  adminPassword,
  projectName = DEFAULT_PROJECT_NAME,
}) {
  const login = await new Api(url).post("/auth/login", {
    email: adminEmail,
    password: adminPassword,
  });
  const api = new Api(url, login.access_token);
  const report = { changed: [], unchanged: [] };

  const customer = await ensureRoleWithPolicy(api, report, {
    name: CUSTOMER_ROLE,
    description:
      "Customers who registered in the app. No access to the admin console and no API permissions.",
    icon: "person",
    permissions: [],
  });
  await removeOldServiceAccess(api, report);
  await ensureSettings(api, report, customer.id, projectName);

  return { ...report, customerRoleId: customer.id };
}

export function formatReport(report) {
  const lines = report.changed.length
    ? report.changed.map((c) => `  changed: ${c}`)
    : ["  nothing to change"];
  return `Provisioning:\n${lines.join("\n")}\n  already in place: ${report.unchanged.length} item(s)`;
}

if (isMain(import.meta.url)) {
  const need = (name) => {
    const v = process.env[name];
    if (!v) {
      console.error(`provision: ${name} is not set`);
      process.exit(2);
    }
    return v;
  };
  provision({
    url: need("DIRECTUS_URL"),
    adminEmail: need("DIRECTUS_ADMIN_EMAIL"),
    adminPassword: need("DIRECTUS_ADMIN_PASSWORD"),
    projectName: process.env.PROJECT_NAME || undefined,
  }).then(
    (report) => console.log(formatReport(report)),
    (err) => {
      console.error(`provision failed: ${err.message}`);
      process.exit(1);
    },
  );
}

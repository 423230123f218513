/**
 * Idempotent provisioning: makes a fresh or existing Directus ready for customer accounts.
 * One file on purpose (over 250 lines): it runs in a plain node container with only directus/scripts
 * mounted (docker-compose.yml), no dependencies, and its steps read best in the order they run.
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
 *
 * The console's side door: with public registration on, Directus's own login page offers "Sign up",
 * which skips every rule the app enforces. Provisioning therefore gives Directus the app's password
 * rule (auth_password_policy: the same minimum, PASSWORD_MIN_LENGTH, and maximum, counted the same
 * way), so no path can set a shorter password, and points the console at the app: a public note
 * saying it is for staff and where customers sign in, and project_url. These three settings follow
 * the environment on every run; change them there, not in the console.
 */
import { isMain } from "./is-main.mjs";

export const CUSTOMER_ROLE = "Customer";
/** What earlier versions created for the app's static token, removed on sight. */
export const OLD_SERVICE_ROLE = "Next.js server";
export const OLD_SERVICE_EMAIL = "nextjs-server@example.com";
/**
 * The app's default APP_NAME (lib/env.ts), which names the project in emails ("Reset your … password").
 * Until APP_NAME existed every project was given this name, so it counts as a placeholder too.
 */
export const DEFAULT_PROJECT_NAME = "Customer Accounts";
const PLACEHOLDER_PROJECT_NAMES = ["Directus", DEFAULT_PROJECT_NAME];
/** The app's rule (lib/env.ts, lib/validations/auth.ts): its default, bounds and maximum. */
export const DEFAULT_PASSWORD_MIN_LENGTH = 12;
const PASSWORD_MIN_LENGTH_BOUNDS = [8, 128];
export const PASSWORD_MAX_LENGTH = 256;

/**
 * The app's password length rule as a Directus auth_password_policy. Directus tests it with
 * `new RegExp(policy.slice(1, -1))` (a "/…/" string, no flags: users.js checkPasswordPolicy) and stores
 * at most 100 characters. Without the `u` flag `.` counts UTF-16 units and skips line breaks, while the
 * app counts Unicode code points of any kind, so one "character" here is a surrogate pair or else any
 * single unit, taken inside a lookahead: lookaheads do not backtrack, so a pair is never split in two
 * to make up the count. That is exactly `[...password].length`.
 */
export function passwordPolicy(minLength, maxLength = PASSWORD_MAX_LENGTH) {
  const codePoint = "(?=([\\uD800-\\uDBFF][\\uDC00-\\uDFFF]|[\\s\\S]))\\1";
  return `/^(?:${codePoint}){${minLength},${maxLength}}$/`;
}

/** The console's login page: who it is for, and where customers go instead (markdown). */
export function publicNote(appUrl) {
  const login = new URL("/login", appUrl).toString();
  return `This console is for staff only. Customers create their account and sign in at [${login}](${login}).`;
}

function checkPasswordMinLength(n) {
  const [min, max] = PASSWORD_MIN_LENGTH_BOUNDS;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`PASSWORD_MIN_LENGTH must be a whole number from ${min} to ${max}`);
  return n;
}

/** PASSWORD_MIN_LENGTH as the app reads it: unset means the default; anything else must be valid. */
export function readPasswordMinLength(value) {
  if (value === undefined || value === "") return DEFAULT_PASSWORD_MIN_LENGTH;
  return checkPasswordMinLength(Number(value));
}

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

async function ensureSettings(api, report, customerRoleId, projectName, appUrl, passwordMinLength) {
  const wanted = {
    public_registration: true,
    public_registration_role: customerRoleId,
    public_registration_verify_email: true,
    project_name: projectName,
    auth_password_policy: passwordPolicy(passwordMinLength),
    public_note: publicNote(appUrl),
    project_url: appUrl.replace(/\/+$/, ""),
  };
  const current = await api.get(`/settings?fields=${Object.keys(wanted).join(",")}`);
  // The project name signs every email. Replace only a placeholder: an admin's choice stays.
  if (current?.project_name && !PLACEHOLDER_PROJECT_NAMES.includes(current.project_name))
    delete wanted.project_name;
  const diff = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => current?.[k] !== v));
  if (Object.keys(diff).length === 0) {
    report.unchanged.push("registration, password policy and console settings");
    return;
  }
  await api.patch("/settings", diff);
  report.changed.push(`set ${Object.keys(diff).join(", ")}`);
}

/**
 * @param {{ url: string, adminEmail: string, adminPassword: string, appUrl: string,
 *   passwordMinLength?: number, projectName?: string }} o  appUrl: where customers use the app
 *   (NEXTAUTH_URL); passwordMinLength: the app's PASSWORD_MIN_LENGTH
 * @returns {Promise<{ changed: string[], unchanged: string[], customerRoleId: string }>}
 */
export async function provision({
  url,
  adminEmail,
  adminPassword,
  appUrl,
  passwordMinLength = DEFAULT_PASSWORD_MIN_LENGTH,
  projectName = DEFAULT_PROJECT_NAME,
}) {
  if (!/^https?:$/.test(new URL(appUrl).protocol)) throw new Error("appUrl must be http(s)");
  checkPasswordMinLength(passwordMinLength);
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
  await ensureSettings(api, report, customer.id, projectName, appUrl, passwordMinLength);

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
  let passwordMinLength;
  try {
    passwordMinLength = readPasswordMinLength(process.env.PASSWORD_MIN_LENGTH);
  } catch (err) {
    console.error(`provision: ${err.message}`);
    process.exit(2);
  }
  provision({
    url: need("DIRECTUS_URL"),
    adminEmail: need("DIRECTUS_ADMIN_EMAIL"),
    adminPassword: need("DIRECTUS_ADMIN_PASSWORD"),
    // The app's public URL, as compose names it or as the app itself is configured.
    appUrl: process.env.APP_URL || process.env.NEXTAUTH_URL || need("APP_URL (or NEXTAUTH_URL)"),
    passwordMinLength,
    // The app's name; PROJECT_NAME is its name from before the app had one.
    projectName: process.env.APP_NAME || process.env.PROJECT_NAME || undefined,
  }).then(
    (report) => console.log(formatReport(report)),
    (err) => {
      console.error(`provision failed: ${err.message}`);
      process.exit(1);
    },
  );
}

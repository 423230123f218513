import { test as base, expect, type Page } from "@playwright/test";
import type { Fault } from "../support/loopback-proxy.mjs";
import { linkIn, waitForMail } from "../support/mail";
import { logRequestLine, recordPassword, recordSecret } from "./log-scan";

export { recordPassword };

/** Where the stack started by global-setup.ts lives (set there, inherited by the workers). */
export const stack = {
  appUrl: process.env.E2E_APP_URL ?? "",
  /** A second `next start` of the same build and env, as a second instance would be. */
  appUrl2: process.env.E2E_APP_URL_2 ?? "",
  mailUrl: process.env.E2E_MAIL_URL ?? "",
  directusUrl: process.env.E2E_DIRECTUS_URL ?? "",
  adminEmail: process.env.E2E_ADMIN_EMAIL ?? "",
  adminPassword: process.env.E2E_ADMIN_PASSWORD ?? "",
};

export const test = base.extend<{ requestLines: void }>({
  baseURL: async ({}, provide) => provide(stack.appUrl),
  // Every request line the browser sends goes to the log the teardown scans for passwords.
  requestLines: [
    async ({ context }, provide) => {
      context.on("request", (request) => logRequestLine(request.method(), request.url()));
      await provide();
    },
    { auto: true },
  ],
});
export { expect };

let counter = 0;
/** A unique customer for one journey. */
export function newCustomer() {
  counter += 1;
  const id = `${Date.now().toString(36)}${counter}`;
  const password = `correct horse battery staple ${id}`;
  recordPassword(password);
  return {
    firstName: "Ada",
    // Unique per journey, in letters: names may not carry runs of 5 digits (lib/validations/auth.ts).
    lastName: `Lovelace ${id.replace(/\d/g, (d) => String.fromCharCode(97 + Number(d)))}`,
    email: `ada.${id}@example.com`,
    password,
  };
}

export async function adminToken(): Promise<string> {
  const res = await fetch(`${stack.directusUrl}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: stack.adminEmail, password: stack.adminPassword }),
  });
  const body = (await res.json()) as { data: { access_token: string } };
  return body.data.access_token;
}

async function adminHeaders() {
  return { authorization: `Bearer ${await adminToken()}`, "content-type": "application/json" };
}

/** A customer's Directus id, looked up as an admin. */
async function customerId(email: string, headers: Record<string, string>): Promise<string> {
  const found = await fetch(
    `${stack.directusUrl}/users?filter[email][_eq]=${encodeURIComponent(email)}&fields=id`,
    { headers },
  );
  const { data } = (await found.json()) as { data: Array<{ id: string }> };
  const id = data[0]?.id;
  if (!id) throw new Error(`no user ${email}`);
  return id;
}

/** Changes a customer through the Directus API, as an admin would in the console. */
export async function updateCustomer(
  email: string,
  changes: { status?: "active" | "suspended"; password?: string; email?: string },
) {
  const headers = await adminHeaders();
  const id = await customerId(email, headers);
  if (changes.password) recordSecret(changes.password);
  const res = await fetch(`${stack.directusUrl}/users/${id}`, {
    method: "PATCH",
    headers,
    body: JSON.stringify(changes),
  });
  if (!res.ok) throw new Error(`could not update the customer: ${res.status}`);
}

/** Sets a customer's status through the Directus API, as an admin would in the console. */
export function setCustomerStatus(email: string, status: "active" | "suspended") {
  return updateCustomer(email, { status });
}

/** Deletes a customer through the Directus API, as an admin would in the console. */
export async function deleteCustomer(email: string) {
  const headers = await adminHeaders();
  const id = await customerId(email, headers);
  const res = await fetch(`${stack.directusUrl}/users/${id}`, { method: "DELETE", headers });
  if (!res.ok) throw new Error(`could not delete the customer: ${res.status}`);
}

export async function mailLink(to: string, subject: RegExp, pathname: string, since: number) {
  const mail = await waitForMail(stack.mailUrl, { to, subject, since });
  const link = linkIn(mail, pathname);
  recordSecret(link.searchParams.get("token") ?? "");
  return link;
}

/** Reaches into the stack (see stack-control.ts). */
async function control(method: "GET" | "POST", path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${process.env.E2E_CONTROL_URL ?? ""}${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`stack control ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

export const directus = {
  /** Make Directus, as the app sees it, slow or failing; `{ kind: "none" }` heals it. */
  setFault: (fault: Fault) => control("POST", "/fault", fault),
  stop: () => control("POST", "/directus/stop"),
  start: () => control("POST", "/directus/start"),
};

/** The Next server's resident memory (with its child processes), in kB. */
export async function appRssKb(): Promise<number> {
  const { rssKb } = (await control("GET", "/app/memory")) as { rssKb?: number };
  if (rssKb === undefined) throw new Error("the app's memory could not be read");
  return rssKb;
}

export async function fillRegister(page: Page, c: ReturnType<typeof newCustomer>) {
  await page.getByLabel(/first name/i).fill(c.firstName);
  await page.getByLabel(/last name/i).fill(c.lastName);
  await page.getByLabel(/email/i).fill(c.email);
  await page.getByLabel(/^password$/i).fill(c.password);
}

/** Registers a new customer through the form; returns it with the time the mail can arrive after. */
export async function registerThroughForm(page: Page) {
  const customer = newCustomer();
  const since = Date.now();
  await page.goto("/register");
  await fillRegister(page, customer);
  await page.getByRole("button", { name: /create account/i }).click();
  await expect(page.getByText(/check your inbox/i)).toBeVisible();
  return { customer, since };
}

/**
 * Opens a confirmation link and confirms with `password`, as a customer would: the link only opens
 * the form (its token leaves the address at once); the button's POST confirms.
 */
export async function confirmWithLink(page: Page, link: URL, password: string) {
  await page.goto(link.pathname + link.search);
  await expect(page).toHaveURL(/\/verify-email$/);
  await expect(page.getByRole("heading", { name: /confirm your email/i })).toBeVisible();
  await page.getByLabel(/^password$/i).fill(password);
  await page.getByRole("button", { name: /confirm my email/i }).click();
}

/** Registers through the form and confirms with the link from the mail, as a customer would. */
export async function registerAndConfirm(page: Page) {
  const { customer, since } = await registerThroughForm(page);
  const link = await mailLink(customer.email, /verify/i, "/verify-email", since);
  await confirmWithLink(page, link, customer.password);
  await expect(page).toHaveURL(/\/login\?verified=1$/);
  await expect(page.getByText(/your email is confirmed/i)).toBeVisible();
  // The sign-in form greets them with their email (from a short-lived cookie, not the address).
  await expect(page.getByLabel(/email/i)).toHaveValue(customer.email);
  return { customer, confirmationLink: link };
}

export async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/^password$/i).fill(password);
  await page.getByRole("button", { name: /^sign in$/i }).click();
}

/** An active customer created as an admin would in the console: no registration, no mail, no throttle. */
export async function createActiveCustomer() {
  const customer = newCustomer();
  const headers = await adminHeaders();
  const roles = await fetch(`${stack.directusUrl}/roles?filter[name][_eq]=Customer&fields=id`, {
    headers,
  });
  const role = ((await roles.json()) as { data: Array<{ id: string }> }).data[0]?.id;
  if (!role) throw new Error("no Customer role in Directus");
  const res = await fetch(`${stack.directusUrl}/users`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      email: customer.email,
      password: customer.password,
      first_name: customer.firstName,
      last_name: customer.lastName,
      role,
      status: "active",
    }),
  });
  if (!res.ok) throw new Error(`could not create a customer: ${res.status}`);
  return customer;
}

/** Where a session that Directus ended lands: the sign-in page, saying why, not an error page. */
export async function expectSessionEnded(page: Page) {
  await expect(page).toHaveURL(/\/login\?(.+&)?error=SessionExpired(&|$)/);
  await expect(page.getByRole("heading", { name: /^sign in$/i })).toBeVisible();
  await expect(
    page.getByRole("alert").filter({ hasText: /your session has ended\. please sign in again/i }),
  ).toBeVisible();
}

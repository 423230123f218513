// Over 250 lines on purpose: the one harness the security-*.test.ts files share.
/**
 * Shared by the security-*.test.ts files: the app's env pointed at a real backend, customers made
 * through the app's own routes, a recording proxy in front of Directus (to prove what never reaches
 * it), next-auth's route handler callable outside Next, and a log capture that fails a file whose
 * flows printed any secret they used.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { afterAll, beforeAll, expect, vi } from "vitest";
import { POST as forgotRoute } from "@/app/api/auth/forgot-password/route";
import { GET as nextAuthGet, POST as nextAuthPost } from "@/app/api/auth/[...nextauth]/route";
import { POST as registerRoute } from "@/app/api/auth/register/route";
import { POST as resetRoute } from "@/app/api/auth/reset-password/route";
import { authorizeCredentials } from "@/lib/auth/authorize";
import { confirmEmail } from "@/lib/auth/verify-email";
import { resetEnvCacheForTests } from "@/lib/env";
import type { Backend, Lane } from "../support/backend";
import { startLoopbackProxy } from "../support/loopback-proxy.mjs";
import { linkIn, waitForMail } from "../support/mail";

/** What a suite of security tests gets from the file that started the backend for its lane. */
export type SuiteContext = {
  lane: Lane;
  /** The lane's backend; only call it inside hooks and tests, once it has started. */
  backend: () => Backend;
  logs: ReturnType<typeof captureLogs>;
};

export function pointAppAt(backend: Backend, overrides: Record<string, string> = {}): void {
  Object.assign(process.env, {
    NEXTAUTH_URL: backend.appUrl,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    DIRECTUS_URL: backend.directusUrl,
    DIRECTUS_TIMEOUT_MS: "5000",
    TRUST_PROXY: "false",
    ...overrides,
  });
  delete process.env.REDIS_URL;
  resetEnvCacheForTests();
}

let sequence = 0;
/** A fresh customer; `tag` keeps emails of parallel lanes and files apart. */
export function newCustomer(tag: string) {
  sequence += 1;
  const id = `${tag}.${sequence}.${Date.now().toString(36)}.${randomBytes(3).toString("hex")}`;
  return {
    first_name: "Grace",
    last_name: `Hopper ${sequence}`,
    email: `grace.${id}@example.com`,
    password: `a sufficiently long passphrase ${randomBytes(6).toString("hex")}`,
  };
}
export type Customer = ReturnType<typeof newCustomer>;

/** A JSON post as the app's own pages send it, from `address` (Next's X-Forwarded-For). */
export function jsonPost(
  backend: Backend,
  path: string,
  body: unknown,
  {
    address = "203.0.113.7",
    headers = {},
  }: { address?: string; headers?: Record<string, string> } = {},
): Request {
  return new Request(`${backend.appUrl}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: backend.appUrl,
      "sec-fetch-site": "same-origin",
      "x-forwarded-for": address,
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export const routes = {
  register: { path: "/api/auth/register", handler: registerRoute },
  forgot: { path: "/api/auth/forgot-password", handler: forgotRoute },
  reset: { path: "/api/auth/reset-password", handler: resetRoute },
} as const;

export async function callRoute(
  backend: Backend,
  route: keyof typeof routes,
  body: unknown,
  options?: Parameters<typeof jsonPost>[3],
) {
  const { path, handler } = routes[route];
  const response = await handler(jsonPost(backend, path, body, options));
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: parse(text) };
}

function parse(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export function signIn(email: string, password: string, address = "203.0.113.8") {
  return authorizeCredentials({ email, password }, { headers: { "x-forwarded-for": address } });
}

/** Registers through the route and confirms the email through the app's own code. */
export async function registerAndVerify(backend: Backend, customer: Customer) {
  const since = Date.now();
  const res = await callRoute(backend, "register", customer, { address: "198.51.100.200" });
  expect(res.status).toBe(201);
  const mail = await waitForMail(backend.mailUrl, {
    to: customer.email,
    subject: /verify/i,
    since,
  });
  const token = linkIn(mail, "/verify-email").searchParams.get("token") ?? "";
  expect(await confirmEmail(token, customer.password)).toEqual({
    kind: "confirmed",
    email: customer.email,
  });
  return { verificationToken: token };
}

/** Requests a reset through the route and returns the token from the mail. */
export async function resetToken(backend: Backend, email: string, address = "198.51.100.201") {
  const since = Date.now();
  const res = await callRoute(backend, "forgot", { email }, { address });
  expect(res.status).toBe(202);
  const mail = await waitForMail(backend.mailUrl, { to: email, subject: /reset/i, since });
  return linkIn(mail, "/reset-password").searchParams.get("token") ?? "";
}

export type DirectusUser = {
  id: string;
  email: string;
  status: string;
  first_name: string | null;
  last_name: string | null;
};

/** What an admin sees in the console, through Directus's own API. */
export async function directusUsers(backend: Backend, email: string): Promise<DirectusUser[]> {
  const token = await backend.adminToken();
  const res = await fetch(
    `${backend.directusUrl}/users?filter[email][_eq]=${encodeURIComponent(email)}&fields=id,email,status,first_name,last_name`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: DirectusUser[] }).data;
}

export async function setStatus(backend: Backend, email: string, status: string): Promise<void> {
  const [user] = await directusUsers(backend, email);
  const token = await backend.adminToken();
  const res = await fetch(`${backend.directusUrl}/users/${user?.id}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ status }),
  });
  expect(res.status).toBe(200);
}

export type { Recorded } from "../support/loopback-proxy.mjs";

/** The loopback proxy in record mode: point DIRECTUS_URL at `url` to see exactly what reached Directus. */
export const startRecordingProxy = (target: string) => startLoopbackProxy(target, { record: true });

/**
 * next-auth's route handler reads the request through `next/headers`, which only works inside Next's
 * request scope. This lets the real handler (with our wrappers) run from a test: `headers()` and
 * `cookies()` answer from the request being handled, nothing else is faked.
 */
const nextHeaders = createRequire(import.meta.url)("next/headers") as Record<string, unknown>;
const currentRequest = new AsyncLocalStorage<Request>();
nextHeaders.headers = async () => new Headers(currentRequest.getStore()?.headers);
nextHeaders.cookies = async () => ({
  getAll: () =>
    (currentRequest.getStore()?.headers.get("cookie") ?? "")
      .split(";")
      .map((pair) => pair.trim())
      .filter(Boolean)
      .map((pair) => {
        const at = pair.indexOf("=");
        return { name: pair.slice(0, at), value: decodeURIComponent(pair.slice(at + 1)) };
      }),
});

type NextAuthContext = { params: Promise<{ nextauth: string[] }> };

export async function callNextAuth(method: "GET" | "POST", request: Request): Promise<Response> {
  const segments = new URL(request.url).pathname.replace(/^\/api\/auth\//, "").split("/");
  const context: NextAuthContext = { params: Promise.resolve({ nextauth: segments }) };
  const { NextRequest } = await import("next/server");
  const handler = (method === "GET" ? nextAuthGet : nextAuthPost) as unknown as (
    request: Request,
    context: NextAuthContext,
  ) => Promise<Response>;
  return currentRequest.run(request, () => handler(new NextRequest(request), context));
}

function setCookies(response: Response): Array<{ name: string; value: string }> {
  return response.headers.getSetCookie().map((line) => {
    const [pair = ""] = line.split(";");
    const at = pair.indexOf("=");
    return { name: pair.slice(0, at), value: pair.slice(at + 1) };
  });
}

/**
 * A sign-in the way the browser's `signIn("credentials", { redirect: false })` does it: fetch a CSRF
 * token, then post the form with `json=true`. Returns next-auth's answer as the browser sees it.
 */
export async function signInThroughNextAuth(
  backend: Backend,
  email: string,
  password: string,
  address = "203.0.113.9",
  /** Cookies the browser already holds (`name=value`), such as a known-device cookie. */
  held: string[] = [],
) {
  const csrf = await callNextAuth(
    "GET",
    new Request(`${backend.appUrl}/api/auth/csrf`, { headers: { "x-forwarded-for": address } }),
  );
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = [...setCookies(csrf).map((c) => `${c.name}=${c.value}`), ...held].join("; ");
  const response = await callNextAuth(
    "POST",
    new Request(`${backend.appUrl}/api/auth/callback/credentials`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        cookie,
        origin: backend.appUrl,
        "x-forwarded-for": address,
      },
      body: new URLSearchParams({
        csrfToken,
        email,
        password,
        callbackUrl: `${backend.appUrl}/account`,
        json: "true",
      }),
    }),
  );
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: parse(text),
    cookies: setCookies(response),
  };
}

/**
 * Captures everything the app prints (console at every level, and raw stdout/stderr writes) from
 * `beforeAll` on, and fails the file if any registered secret shows up in it. Output still reaches
 * the terminal. Secrets are registered as the flows create them.
 */
export function captureLogs() {
  const secrets = new Set<string>();
  const lines: string[] = [];
  const record = (args: unknown[]) =>
    lines.push(
      args
        .map((a) =>
          a instanceof Error
            ? `${a.name} ${a.message} ${a.stack ?? ""} ${String(a.cause)}`
            : typeof a === "string"
              ? a
              : safeJson(a),
        )
        .join(" "),
    );
  beforeAll(() => {
    for (const level of ["log", "info", "warn", "error", "debug", "trace"] as const) {
      const original = console[level].bind(console);
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        record(args);
        original(...args);
      });
    }
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
      vi.spyOn(stream, "write").mockImplementation(((...args: unknown[]) => {
        record([
          typeof args[0] === "string" ? args[0] : Buffer.from(args[0] as Uint8Array).toString(),
        ]);
        return write(...args);
      }) as never);
    }
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });
  return {
    /** Remember a secret the flows used; very short strings would match by chance and are refused. */
    secret(value: string | undefined | null): void {
      if (!value) return;
      expect(value.length).toBeGreaterThanOrEqual(8);
      secrets.add(value);
    },
    text: () => lines.join("\n"),
    /** Every registered secret, and none of them in anything printed so far. */
    assertClean(): { secrets: number; lines: number } {
      const text = lines.join("\n");
      const leaked = [...secrets].filter((s) => text.includes(s));
      expect(leaked, "secrets found in the app's output").toEqual([]);
      return { secrets: secrets.size, lines: lines.length };
    },
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

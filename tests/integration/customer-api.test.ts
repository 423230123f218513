// Over 250 lines on purpose: every customer API endpoint, one real Directus per lane.
/**
 * The customer API extension (directus/extensions/customer-api) in a real Directus, on embedded
 * SQLite and on Postgres: GET /customer/me answers a live session with its own row and nothing else,
 * refuses every other kind of credential, never shows another user whatever the request names, and
 * stops answering a session the moment Directus ends it (the revocation matrix at the Directus level).
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, type Lane, postgresLane, startBackend } from "../support/backend";

const pg = await postgresLane();
const lanes: Lane[] = pg.run ? ["sqlite", "postgres"] : ["sqlite"];

type Answer = { status: number; headers: Headers; text: string; json: unknown };
type Person = {
  id: string;
  email: string;
  password: string;
  first_name: string;
  last_name: string;
};

const SIGN_IN_FIRST = {
  errors: [{ message: "Sign in first.", extensions: { code: "INVALID_CREDENTIALS" } }],
};
const forbiddenShape = {
  errors: [{ message: expect.any(String), extensions: { code: "FORBIDDEN" } }],
};

describe.each(lanes)("customer API on %s", (lane) => {
  let backend: Backend;
  let admin: string;
  let sequence = 0;

  async function call(
    path: string,
    { token, method = "GET", body, headers = {} }: CallOptions = {},
  ): Promise<Answer> {
    const res = await fetch(`${backend.directusUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: left null, and the tests that care say so
    }
    return { status: res.status, headers: res.headers, text, json };
  }
  type CallOptions = {
    token?: string;
    method?: string;
    body?: unknown;
    headers?: Record<string, string>;
  };

  /** A request with the path exactly as written: fetch() would resolve `..` and `%2e%2e` first. */
  function rawGet(path: string, token: string): Promise<{ status: number; text: string }> {
    const url = new URL(backend.directusUrl);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: "GET",
          path,
          headers: { authorization: `Bearer ${token}` },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      req.end();
    });
  }

  async function asAdmin(method: string, path: string, body?: unknown) {
    const res = await call(path, { token: admin, method, body });
    expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300);
    return (res.json as { data: Record<string, unknown> } | null)?.data;
  }

  /** An active customer, made by an admin. */
  async function customer(): Promise<Person> {
    sequence += 1;
    const person = {
      email: `customer-api.${lane}.${sequence}.${randomBytes(3).toString("hex")}@example.com`,
      password: `a long customer passphrase ${randomBytes(6).toString("hex")}`,
      first_name: "Ada",
      last_name: `Lovelace ${sequence}`,
    };
    const data = await asAdmin("POST", "/users", {
      ...person,
      role: backend.report.customerRoleId,
      status: "active",
    });
    return { ...person, id: String(data?.id) };
  }

  /** Signs in with mode "session": the session JWT arrives in the Set-Cookie header only. */
  async function sessionOf(p: { email: string; password: string }): Promise<string> {
    const res = await fetch(`${backend.directusUrl}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: p.email, password: p.password, mode: "session" }),
    });
    expect(res.status).toBe(200);
    await res.body?.cancel();
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("directus_session_token="));
    const token = cookie?.split(";")[0]?.slice("directus_session_token=".length);
    expect(token).toBeTruthy();
    return token!;
  }

  const me = (token?: string) => call("/customer/me", { token });
  const ownRow = (p: Person) => ({
    data: { id: p.id, email: p.email, first_name: p.first_name, last_name: p.last_name },
  });

  beforeAll(async () => {
    backend = await startBackend(lane);
    admin = await backend.adminToken();
  });
  afterAll(() => backend?.stop());

  describe("GET /customer/me", () => {
    it("answers a live session with its own row: exactly id, email, first_name and last_name", async () => {
      const a = await customer();
      const res = await me(await sessionOf(a));
      expect(res.status).toBe(200);
      expect(res.json).toEqual(ownRow(a));
      expect(Object.keys((res.json as { data: object }).data)).toEqual([
        "id",
        "email",
        "first_name",
        "last_name",
      ]);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    });

    it("answers HEAD like GET, without a body", async () => {
      const a = await customer();
      const res = await call("/customer/me", { token: await sessionOf(a), method: "HEAD" });
      expect(res.status).toBe(200);
      expect(res.text).toBe("");
    });

    it("refuses anonymous requests with 401 in Directus's error shape", async () => {
      const res = await me();
      expect(res.status).toBe(401);
      expect(res.json).toEqual(SIGN_IN_FIRST);
      expect(res.headers.get("cache-control")).toBe("no-store");
    });

    it("leaves invalid bearer tokens to Directus, which answers in the same error shape", async () => {
      // Not a JWT: looked up as a static token, found nowhere.
      const unknown = await me("not-a-token");
      expect(unknown.status).toBe(401);
      expect(unknown.json).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: "INVALID_CREDENTIALS" } }],
      });
      // A session JWT with a broken signature: Directus's InvalidTokenError is a 403, not a 401.
      const tampered = await me(`${await sessionOf(await customer())}x`);
      expect(tampered.status).toBe(403);
      expect(tampered.json).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: "INVALID_TOKEN" } }],
      });
    });

    it("refuses the customer's json-mode access token (no session row: not revocable)", async () => {
      const a = await customer();
      const login = await call("/auth/login", {
        method: "POST",
        body: { email: a.email, password: a.password },
      });
      const accessToken = (login.json as { data: { access_token: string } }).data.access_token;
      const res = await me(accessToken);
      expect(res.status).toBe(403);
      expect(res.json).toEqual(forbiddenShape);
      expect(res.text).not.toContain(a.email);
    });

    it("refuses a static token, even an admin's", async () => {
      const self = await asAdmin("GET", "/users/me?fields=id");
      const staticToken = randomBytes(32).toString("base64url");
      await asAdmin("PATCH", `/users/${String(self?.id)}`, { token: staticToken });
      // The token works for Directus itself…
      expect((await call("/users/me?fields=id", { token: staticToken })).status).toBe(200);
      // …but not here.
      const res = await me(staticToken);
      expect(res.status).toBe(403);
      expect(res.json).toEqual(forbiddenShape);
    });

    it("refuses share tokens, in json and in session mode", async () => {
      const collection = `shared_${lane}`;
      await asAdmin("POST", "/collections", {
        collection,
        meta: {},
        schema: {},
        fields: [
          {
            field: "id",
            type: "integer",
            meta: { hidden: true },
            schema: { is_primary_key: true, has_auto_increment: true },
          },
          { field: "title", type: "string", meta: {}, schema: {} },
        ],
      });
      const item = await asAdmin("POST", `/items/${collection}`, { title: "a shared thing" });
      const share = await asAdmin("POST", "/shares", {
        name: "a share",
        collection,
        item: String(item?.id),
      });

      const json = await call("/shares/auth", { method: "POST", body: { share: share?.id } });
      expect(json.status, json.text).toBe(200);
      const shareToken = (json.json as { data: { access_token: string } }).data.access_token;
      const viaJson = await me(shareToken);
      expect(viaJson.status).toBe(403);
      expect(viaJson.json).toEqual(forbiddenShape);

      const session = await fetch(`${backend.directusUrl}/shares/auth`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ share: share?.id, mode: "session" }),
      });
      expect(session.status).toBe(200);
      await session.body?.cancel();
      const shareSession = session.headers
        .getSetCookie()
        .find((c) => c.startsWith("directus_session_token="))
        ?.split(";")[0]
        ?.slice("directus_session_token=".length);
      expect(shareSession).toBeTruthy();
      const viaSession = await me(shareSession);
      expect(viaSession.status).toBe(403);
      expect(viaSession.json).toEqual(forbiddenShape);
    });

    it("stops answering a session once it is signed out: Directus itself answers 401", async () => {
      const a = await customer();
      const token = await sessionOf(a);
      expect((await me(token)).status).toBe(200);
      const logout = await call("/auth/logout", {
        method: "POST",
        body: { mode: "session" },
        headers: { cookie: `directus_session_token=${token}` },
      });
      expect(logout.status).toBe(204);
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.json).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: "INVALID_CREDENTIALS" } }],
      });
    });
  });

  describe("POST /customer/sign-out", () => {
    /** Directus's own session-mode refresh, as another app process would make it. */
    async function refreshed(token: string): Promise<string> {
      const res = await fetch(`${backend.directusUrl}/auth/refresh`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie: `directus_session_token=${token}` },
        body: JSON.stringify({ mode: "session" }),
      });
      expect(res.status).toBe(200);
      await res.body?.cancel();
      const cookie = res.headers
        .getSetCookie()
        .find((c) => c.startsWith("directus_session_token="));
      return cookie?.split(";")[0]?.slice("directus_session_token=".length) ?? "";
    }
    const signOut = (token?: string) => call("/customer/sign-out", { method: "POST", token });

    it("ends the session, and every session it was refreshed into or from, but no other sign-in", async () => {
      const p = await customer();
      const original = await sessionOf(p);
      const otherDevice = await sessionOf(p);
      // A copy of the cookie refreshed elsewhere, and refreshed again: successors of the original.
      const copy = await refreshed(original);
      const copyOfCopy = await refreshed(copy);
      for (const token of [original, copy, copyOfCopy]) expect((await me(token)).status).toBe(200);

      const res = await signOut(original);
      expect(res.status).toBe(204);
      expect(res.text).toBe("");
      for (const token of [original, copy, copyOfCopy]) expect((await me(token)).status).toBe(401);
      expect((await me(otherDevice)).json).toEqual(ownRow(p));
    });

    it("ends the predecessors still in their grace period when a successor signs out", async () => {
      const p = await customer();
      const original = await sessionOf(p);
      const successor = await refreshed(original);
      expect((await me(original)).status).toBe(200);
      expect((await signOut(successor)).status).toBe(204);
      expect((await me(original)).status).toBe(401);
      expect((await me(successor)).status).toBe(401);
    });

    it("refuses anonymous callers and tokens without a session, and never ends another user's session", async () => {
      const a = await customer();
      const b = await customer();
      const bSession = await sessionOf(b);
      expect((await signOut()).json).toEqual(SIGN_IN_FIRST);
      const json = await call("/auth/login", {
        method: "POST",
        body: { email: a.email, password: a.password, mode: "json" },
      });
      const accessToken = (json.json as { data: { access_token: string } }).data.access_token;
      expect((await signOut(accessToken)).status).toBe(403);
      expect((await signOut(await sessionOf(a))).status).toBe(204);
      expect((await me(bSession)).json).toEqual(ownRow(b));
      expect((await call("/customer/sign-out", { token: bSession })).status).toBe(405);
    });
  });

  describe("never another user's row", () => {
    let a: Person;
    let b: Person;
    let tokenA: string;

    beforeAll(async () => {
      a = await customer();
      b = await customer();
      tokenA = await sessionOf(a);
    });

    /** No 5xx, nothing of B's, and if it answers 200 it is A's own row. */
    function expectNothingOfB(res: { status: number; text: string; json?: unknown }) {
      expect(res.status).toBeLessThan(500);
      expect(res.text).not.toContain(b.id);
      expect(res.text).not.toContain(b.email);
      if (res.status === 200 && res.text) expect(JSON.parse(res.text)).toEqual(ownRow(a));
      else if (res.text) expect(JSON.parse(res.text)).toHaveProperty("errors");
    }

    it("ignores ids in the query, filters and other query parameters", async () => {
      for (const query of [
        `?id=${b.id}`,
        `?user=${b.id}&email=${encodeURIComponent(b.email)}`,
        `?filter[id][_eq]=${b.id}`,
        `?filter=${encodeURIComponent(JSON.stringify({ id: { _eq: b.id } }))}`,
        `?fields=*,password,token&limit=-1`,
        `?search=${encodeURIComponent(b.email)}`,
      ]) {
        const res = await call(`/customer/me${query}`, { token: tokenA });
        expectNothingOfB(res);
        expect(res.status, query).toBe(200);
      }
    });

    it("has no route that takes an id in the path", async () => {
      for (const path of [
        `/customer/${b.id}`,
        `/customer/me/${b.id}`,
        `/customer/users/${b.id}`,
        `/customer/me/..`,
        `/customer/`,
        `/customer`,
      ]) {
        const res = await call(path, { token: tokenA });
        expectNothingOfB(res);
      }
      const byId = await call(`/customer/${b.id}`, { token: tokenA });
      expect(byId.status).toBe(404);
      expect(byId.json).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: "ROUTE_NOT_FOUND" } }],
      });
      expect((await call(`/customer/me/${b.id}`, { token: tokenA })).status).toBe(404);
    });

    it("keeps `..` and encoded dots inside /customer when sent unnormalised", async () => {
      for (const path of [
        `/customer/../users/${b.id}`,
        `/customer/%2e%2e/users/${b.id}`,
        `/customer/me/../../users/${b.id}`,
        `/customer/me/%2E%2E/${b.id}`,
        `/customer/..%2fusers%2f${b.id}`,
      ]) {
        const res = await rawGet(path, tokenA);
        expectNothingOfB(res);
        expect(res.status, path).toBe(404);
      }
      // What fetch() makes of `/customer/../users/<B>`: Directus's own /users, where customers have
      // no permissions at all.
      const normalised = await call(`/customer/../users/${b.id}`, { token: tokenA });
      expectNothingOfB(normalised);
      expect(normalised.status).toBe(403);
    });

    it("answers other methods with 405 and never reads their bodies", async () => {
      for (const method of ["POST", "PATCH", "PUT", "DELETE"]) {
        const res = await call("/customer/me", {
          token: tokenA,
          method,
          body: { id: b.id, user: b.id, email: b.email, filter: { id: { _eq: b.id } } },
        });
        expectNothingOfB(res);
        expect(res.status, method).toBe(405);
        expect(res.headers.get("allow")).toBe("GET");
        expect(res.json).toEqual({
          errors: [{ message: expect.any(String), extensions: { code: "METHOD_NOT_ALLOWED" } }],
        });
      }
      const post = await call(`/customer/${b.id}`, { token: tokenA, method: "POST", body: {} });
      expectNothingOfB(post);
      expect(post.status).toBe(404);
    });

    it("answers malformed paths with 4xx, never a 5xx", async () => {
      for (const path of [
        "/customer/%ZZ",
        "/customer/me%00",
        "/customer/%E0%A4%A",
        "/customer/00000000-0000-0000-0000-000000000000",
        "/customer/'%20OR%201=1--",
        `/customer/${"x".repeat(4_000)}`,
        "/customer/me;id=1",
      ]) {
        const res = await rawGet(path, tokenA);
        expectNothingOfB(res);
        expect(res.status, path).toBeGreaterThanOrEqual(400);
      }
    });

    it("answers a huge query string with a 4xx, never a 5xx", async () => {
      const res = await call(`/customer/me?id=${b.id}&pad=${"a".repeat(200_000)}`, {
        token: tokenA,
      });
      expect([400, 414, 431]).toContain(res.status);
      expect(res.text).not.toContain(b.email);
    });
  });

  describe("public registration routes: /register, /confirm, /resend", () => {
    const invalidPayload = {
      errors: [{ message: expect.any(String), extensions: { code: "INVALID_PAYLOAD" } }],
    };

    it("answer only POST (405 with Allow otherwise)", async () => {
      for (const path of ["/customer/register", "/customer/confirm", "/customer/resend"]) {
        const res = await call(path);
        expect(res.status, path).toBe(405);
        expect(res.headers.get("allow"), path).toBe("POST");
      }
    });

    it("answer malformed bodies with 400 INVALID_PAYLOAD, never a 5xx", async () => {
      const bodies: Array<[string, unknown]> = [
        ["/customer/register", {}],
        ["/customer/register", { email: 5, password: "x" }],
        ["/customer/register", { email: "not an email", password: "x" }],
        ["/customer/register", { email: "a@example.com", password: "x".repeat(2_000) }],
        ["/customer/register", ["a@example.com"]],
        ["/customer/confirm", { token: 1, password: "x" }],
        ["/customer/confirm", { token: "a.b.c" }],
        ["/customer/resend", { email: "a@example.com" }],
        ["/customer/resend", { email: ["a@example.com"], verification_url: "x" }],
      ];
      for (const [path, body] of bodies) {
        const res = await call(path, { method: "POST", body });
        expect(res.status, `${path} ${JSON.stringify(body).slice(0, 60)}`).toBe(400);
        expect(res.json).toEqual(invalidPayload);
      }
    });

    it("register never touches an active account (its password stays), and answers 204", async () => {
      const p = await customer();
      const res = await call("/customer/register", {
        method: "POST",
        body: {
          email: p.email.toUpperCase(),
          password: "an attacker's password here",
          first_name: "M",
        },
      });
      expect(res.status).toBe(204);
      expect((await call("/customer/me", { token: await sessionOf(p) })).json).toEqual(ownRow(p));
    });

    it("register and resend refuse a link outside USER_REGISTER_URL_ALLOW_LIST, for every address alike", async () => {
      const p = await customer();
      for (const email of [p.email, `nobody.${p.email}`]) {
        const register = await call("/customer/register", {
          method: "POST",
          body: {
            email,
            password: "a long enough password",
            verification_url: "https://evil.example/v",
          },
        });
        expect(register.status).toBe(400);
        const resend = await call("/customer/resend", {
          method: "POST",
          body: { email, verification_url: "https://evil.example/v" },
        });
        expect(resend.status).toBe(400);
        expect(resend.json).toEqual(invalidPayload);
      }
    });

    it("confirm answers any token that is not a pending registration's with 400 INVALID_TOKEN", async () => {
      const p = await customer();
      const sessionJwt = await sessionOf(p);
      for (const token of [sessionJwt, "a.b.c", "not a token"]) {
        const res = await call("/customer/confirm", {
          method: "POST",
          body: { token, password: p.password },
        });
        expect(res.status).toBe(400);
        expect(res.json).toEqual({
          errors: [{ message: expect.any(String), extensions: { code: "INVALID_TOKEN" } }],
        });
      }
    });
  });

  describe("revocation: each ends the session on the very next request", () => {
    const cases: Array<[string, (p: Person) => Promise<unknown>]> = [
      [
        "an admin suspending the customer",
        (p) => asAdmin("PATCH", `/users/${p.id}`, { status: "suspended" }),
      ],
      [
        "an admin changing the password",
        (p) => asAdmin("PATCH", `/users/${p.id}`, { password: `new ${p.password}` }),
      ],
      [
        "an admin changing the email",
        (p) => asAdmin("PATCH", `/users/${p.id}`, { email: `moved.${p.email}` }),
      ],
      ["an admin deleting the customer", (p) => asAdmin("DELETE", `/users/${p.id}`)],
    ];

    it.each(cases)("%s", async (_name, revoke) => {
      const p = await customer();
      const token = await sessionOf(p);
      expect((await me(token)).status).toBe(200);
      await revoke(p);
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.json).toEqual({
        errors: [{ message: expect.any(String), extensions: { code: "INVALID_CREDENTIALS" } }],
      });
    });

    it("the customer's other sessions end too, and other customers' sessions do not", async () => {
      const p = await customer();
      const other = await customer();
      const [one, two, others] = await Promise.all([sessionOf(p), sessionOf(p), sessionOf(other)]);
      await asAdmin("PATCH", `/users/${p.id}`, { status: "suspended" });
      expect((await me(one)).status).toBe(401);
      expect((await me(two)).status).toBe(401);
      expect((await me(others)).json).toEqual(ownRow(other));
    });
  });
});

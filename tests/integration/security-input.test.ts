// Over 250 lines on purpose: every route's hostile input, against one recording proxy.
/**
 * Promise 3: hostile input on every JSON route (register, forgot-password, reset-password) and on
 * next-auth's credentials callback gets a clear 4xx with a plain message, and nothing of it reaches
 * Directus unless it is a valid form; valid but unusual input (script- and SQL-looking names, Unicode
 * passwords, email variants, concurrent registrations) is handled exactly and stored literally.
 * Directus sits behind a recording proxy, so "never reaches Directus" is observed, not assumed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetThrottleForTests } from "@/lib/abuse/process-throttle";
import { readOwnProfile } from "@/lib/directus/sessions";
import { DRAIN_MAX_BYTES } from "@/lib/http/read-json";
import { type Backend, type Lane, postgresLane, startBackend } from "../support/backend";
import {
  callNextAuth,
  callRoute,
  captureLogs,
  directusUsers,
  newCustomer,
  registerAndVerify,
  routes,
  signIn,
  signInThroughNextAuth,
  startRecordingProxy,
  pointAppAt,
} from "./security-support";

const pg = await postgresLane();
const lanes: Lane[] = pg.run ? ["sqlite", "postgres"] : ["sqlite"];

type Endpoint = keyof typeof routes | "credentials";
const endpoints: Endpoint[] = ["register", "forgot", "reset", "credentials"];
const paths: Record<Endpoint, string> = {
  register: routes.register.path,
  forgot: routes.forgot.path,
  reset: routes.reset.path,
  credentials: "/api/auth/callback/credentials",
};

/** A refusal a person can read: our own short sentence, nothing from a backend, a stack or the input. */
async function expectPlainRefusal(response: Response, status: number) {
  expect(response.status).toBe(status);
  const body = (await response.json()) as {
    ok: boolean;
    message: string;
    fieldErrors?: Record<string, string[]>;
  };
  expect(body.ok).toBe(false);
  const sentences = [body.message, ...Object.values(body.fieldErrors ?? {}).flat()];
  for (const sentence of sentences) {
    expect(sentence).toMatch(/^[A-Z][^<>{}\n]{2,160}[.]$/);
    expect(sentence).not.toMatch(
      /directus|exception|error|stack|sql|unique|http|undefined|null|expected|received|\n\s+at /i,
    );
  }
  return body;
}

/** A body that never ends: 1 KB per pull, optionally slowly, and whether the reader gave up. */
function endlessBody(delayMs = 0) {
  const chunk = new TextEncoder().encode(`"${"x".repeat(1_022)}",`);
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      controller.enqueue(new TextEncoder().encode('{"email":['));
    },
    async pull(controller) {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      state.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

describe.each(lanes)("hostile input on %s", (lane) => {
  let backend: Backend;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  const logs = captureLogs();

  /** Bodies that trickle in below the limit and never finish; see the last test. */
  let trickles: Promise<Array<{ response: Response; cancelled: boolean; ms: number }>> | undefined;

  beforeAll(async () => {
    backend = await startBackend(lane);
    proxy = await startRecordingProxy(backend.directusUrl);
    // Started now and checked by the last test, so that the 10 s they must take overlap the other
    // tests instead of adding to the run. They never reach Directus, so they disturb no other test.
    if (lane === lanes[0]) {
      pointAppAt(backend, { DIRECTUS_URL: proxy.url });
      trickles = Promise.all(
        endpoints.map(async (endpoint) => {
          let cancelled = false;
          const stream = new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"email":'));
            },
            pull: () => new Promise((r) => setTimeout(r, 60_000)),
            cancel() {
              cancelled = true;
            },
          });
          const started = performance.now();
          const response = await post(endpoint, stream, json);
          return { response, ms: performance.now() - started, cancelled };
        }),
      );
    }
  });
  afterAll(async () => {
    logs.assertClean();
    await proxy?.stop();
    await backend?.stop();
  });
  beforeEach(() => {
    pointAppAt(backend, { DIRECTUS_URL: proxy.url, DIRECTUS_TIMEOUT_MS: "30000" });
    resetThrottleForTests();
    proxy.clear();
  });

  /** A raw POST to one endpoint, through the real handler (next-auth's own for credentials). */
  function post(endpoint: Endpoint, body: BodyInit | null, headers: Record<string, string>) {
    const request = new Request(`${backend.appUrl}${paths[endpoint]}`, {
      method: "POST",
      headers: { origin: backend.appUrl, "sec-fetch-site": "same-origin", ...headers },
      body,
      ...(body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit);
    return endpoint === "credentials"
      ? callNextAuth("POST", request)
      : routes[endpoint].handler(request);
  }

  const json = { "content-type": "application/json" };
  const form = { "content-type": "application/x-www-form-urlencoded" };

  it("malformed, mistyped, oversized and endless bodies: a plain 4xx, refused before parsing, nothing reaches Directus", async () => {
    const cases: Array<
      [string, Endpoint[], () => [BodyInit | null, Record<string, string>], number]
    > = [
      ["malformed JSON", endpoints, () => ['{"email": "a@example.com", ', json], 400],
      [
        "invalid UTF-8",
        endpoints,
        () => [new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), json],
        400,
      ],
      ["no Content-Type", endpoints, () => ['{"email":"a@example.com"}', {}], 415],
      [
        "text/plain (a cross-site simple request)",
        endpoints,
        () => ['{"email":"a@example.com"}', { "content-type": "text/plain" }],
        415,
      ],
      [
        "a form post to a JSON route",
        ["register", "forgot", "reset"],
        () => ["email=a%40example.com", form],
        415,
      ],
      [
        "another charset",
        endpoints,
        () => ['{"email":"a@example.com"}', { "content-type": "application/json; charset=latin1" }],
        415,
      ],
      [
        "a declared 1 MB body",
        endpoints,
        () => ["{}", { ...json, "content-length": String(1024 * 1024) }],
        413,
      ],
      [
        "a real 1 MB body",
        endpoints,
        () => [`{"email":"${"a".repeat(1024 * 1024)}@example.com"}`, json],
        413,
      ],
      ["a 1 MB form body", ["credentials"], () => [`email=${"a".repeat(1024 * 1024)}`, form], 413],
      ["a JSON array", ["credentials"], () => ['["email"]', json], 400],
      ["a JSON array", ["register", "forgot", "reset"], () => ['["email"]', json], 422],
      ["JSON null", ["register", "forgot", "reset"], () => ["null", json], 422],
      ["a JSON string", ["register", "forgot", "reset"], () => ['"a@example.com"', json], 422],
    ];
    for (const [label, targets, make, status] of cases) {
      for (const endpoint of targets) {
        const [body, headers] = make();
        const response = await post(endpoint, body, headers);
        expect.soft(response.status, `${label} → ${endpoint}`).toBe(status);
        if (response.status === status) await expectPlainRefusal(response, status);
      }
    }

    // Endless bodies, fast and trickling: refused once the limit is crossed, without waiting for an
    // end that never comes, and the reader hangs up instead of pulling the rest.
    for (const endpoint of endpoints) {
      for (const delayMs of [0, 15]) {
        const { stream, state } = endlessBody(delayMs);
        const started = performance.now();
        await expectPlainRefusal(await post(endpoint, stream, json), 413);
        expect(performance.now() - started).toBeLessThan(5_000);
        expect(state.cancelled, `${endpoint} cancelled the stream`).toBe(true);
        // Thrown away up to the drain limit (so a keep-alive connection stays usable), no further.
        expect(state.pulled).toBeLessThan(DRAIN_MAX_BYTES + 64 * 1024);
      }
    }
    expect(proxy.seen).toEqual([]);
  });

  it("wrong types in any field: 422 with the field's own message, and nothing reaches Directus", async () => {
    const c = newCustomer(`input-${lane}-types`);
    const bodies: Array<[keyof typeof routes, Record<string, unknown>, string]> = [
      ["register", { ...c, first_name: 42 }, "first_name"],
      ["register", { ...c, last_name: true }, "last_name"],
      ["register", { ...c, email: ["a@example.com"] }, "email"],
      ["register", { ...c, email: { $ne: null } }, "email"],
      ["register", { ...c, password: 123456789012345 }, "password"],
      ["register", { ...c, password: null }, "password"],
      ["register", { ...c, password: { length: 20 } }, "password"],
      ["forgot", { email: 5 }, "email"],
      ["forgot", { email: "a@example.com' OR '1'='1" }, "email"],
      ["reset", { token: 5, password: c.password }, "token"],
      ["reset", { token: "x.y.z", password: [c.password] }, "password"],
    ];
    for (const [route, body, field] of bodies) {
      const res = await callRoute(backend, route, body);
      expect.soft(res.status, `${route} ${field}`).toBe(422);
      const refusal = await expectPlainRefusal(new Response(res.text, { status: res.status }), 422);
      expect(Object.keys(refusal.fieldErrors ?? {})).toEqual([field]);
    }
    const signIns = await Promise.all([
      signIn({ $ne: null } as never, "whatever it is"),
      signIn(c.email, { $gt: "" } as never),
      signIn(["a@example.com"] as never, c.password),
    ]);
    expect(signIns).toEqual([null, null, null]);
    const viaNextAuth = await signInThroughNextAuth(backend, `${c.email}\u0000`, c.password);
    expect(viaNextAuth.json).toEqual({ url: expect.stringMatching(/error=CredentialsSignin/) });
    expect(proxy.seen).toEqual([]);
  });

  it("unknown fields (role, status, policies…) are refused, and Directus only ever sees the four form fields", async () => {
    const c = newCustomer(`input-${lane}-fields`);
    logs.secret(c.password);
    const extras: Record<string, unknown> = {
      role: backend.report.customerRoleId,
      status: "active",
      policies: [{ policy: "admin" }],
      provider: "default",
      id: "00000000-0000-0000-0000-000000000000",
      admin_access: true,
      tfa_secret: "JBSWY3DPEHPK3PXP",
      email_notifications: false,
    };
    for (const [field, value] of Object.entries(extras)) {
      const res = await callRoute(backend, "register", { ...c, [field]: value });
      expect.soft(res.status, field).toBe(422);
      expect(res.text).not.toContain(field);
    }
    for (const raw of [
      `{"__proto__":{"role":"admin"},${JSON.stringify(c).slice(1)}`,
      `{"constructor":{"prototype":{"role":"admin"}},${JSON.stringify(c).slice(1)}`,
    ]) {
      expect((await callRoute(backend, "register", raw)).status).toBe(422);
    }
    for (const route of ["forgot", "reset"] as const) {
      const body =
        route === "forgot"
          ? { email: c.email, role: "x" }
          : { token: "a.b.c", password: c.password, status: "active" };
      expect((await callRoute(backend, route, body)).status).toBe(422);
    }
    expect(proxy.seen).toEqual([]);
    expect(await directusUsers(backend, c.email)).toEqual([]);

    expect((await callRoute(backend, "register", c)).status).toBe(201);
    const sent = proxy.seen.filter((r) => r.method === "POST" && r.path === "/customer/register");
    expect(sent).toHaveLength(1);
    expect(Object.keys(JSON.parse(sent[0]?.body ?? "{}") as object).sort()).toEqual([
      "email",
      "first_name",
      "last_name",
      "password",
      "verification_url",
    ]);
    const [user] = await directusUsers(backend, c.email);
    expect(user?.status).toBe("unverified");
  });

  it("overlong fields and control characters: 422 for the field, nothing reaches Directus", async () => {
    const c = newCustomer(`input-${lane}-long`);
    const cases: Array<[keyof typeof routes, Record<string, unknown>, string]> = [
      ["register", { ...c, first_name: "A".repeat(51) }, "first_name"],
      ["register", { ...c, last_name: "🦄".repeat(51) }, "last_name"],
      ["register", { ...c, email: `${"a".repeat(250)}@example.com` }, "email"],
      ["register", { ...c, password: "p".repeat(257) }, "password"],
      ["register", { ...c, password: "🔐".repeat(257) }, "password"],
      ["register", { ...c, first_name: "Ada\u0000" }, "first_name"],
      ["register", { ...c, first_name: "Ada\nLovelace" }, "first_name"],
      ["register", { ...c, last_name: "Love\u001blace" }, "last_name"],
      ["register", { ...c, last_name: "Love\u2028lace" }, "last_name"],
      ["register", { ...c, email: "ada\r\n@example.com" }, "email"],
      ["forgot", { email: `ada\u0000@example.com` }, "email"],
      ["reset", { token: "t".repeat(2049), password: c.password }, "token"],
      ["reset", { token: "a.b.c", password: "x".repeat(257) }, "password"],
    ];
    for (const [route, body, field] of cases) {
      const res = await callRoute(backend, route, body);
      expect.soft(res.status, `${route} ${field}`).toBe(422);
      const refusal = await expectPlainRefusal(new Response(res.text, { status: res.status }), 422);
      expect(Object.keys(refusal.fieldErrors ?? {})).toEqual([field]);
    }
    expect(await signIn(c.email, "p".repeat(257))).toBeNull();
    expect(proxy.seen).toEqual([]);
  });

  it("script- and SQL-looking names are stored and read back literally", async () => {
    const names = [
      { first_name: "<script>alert(1)</script>", last_name: "Robert'); DROP TABLE users;--" },
      { first_name: `"><img src=x onerror=alert(1)>`, last_name: "1' OR '1'='1" },
      { first_name: "{{7*7}} ${7*7}", last_name: "Zoë 🦄 O'Brien-Łukasiewicz" },
    ];
    const customers = names.map((n, i) => ({ ...newCustomer(`input-${lane}-names${i}`), ...n }));
    for (const c of customers) logs.secret(c.password);
    const verified = await Promise.all(customers.map((c) => registerAndVerify(backend, c)));
    for (const v of verified) logs.secret(v.verificationToken);

    const users = await Promise.all(
      customers.map((c, i) => signIn(c.email, c.password, `192.0.2.${i + 40}`)),
    );
    for (const [i, user] of users.entries()) {
      const c = customers[i]!;
      expect(user?.id).toBe((await directusUsers(backend, c.email))[0]?.id);
      logs.secret(user?.sessionToken);
      // The read the proxy does for every page: the customer's own session, the customer API.
      expect(await readOwnProfile(user?.sessionToken ?? "")).toEqual({
        id: user?.id,
        email: c.email,
        firstName: c.first_name,
        lastName: c.last_name,
      });
    }
    // Still one table with all of them in it.
    expect((await directusUsers(backend, customers[0]!.email)).length).toBe(1);
  });

  it("Unicode and emoji passwords work, and NFC and NFD spellings of one password are the same password (NFKC)", async () => {
    const nfc = "pässwörd 🔐 ключ 密码 long enough".normalize("NFC");
    const nfd = nfc.normalize("NFD");
    expect(nfd).not.toBe(nfc);
    const a = { ...newCustomer(`input-${lane}-nfc`), password: nfc };
    const b = { ...newCustomer(`input-${lane}-nfd`), password: nfd };
    const fullWidth = {
      ...newCustomer(`input-${lane}-fw`),
      password: "ｐａｓｓｗｏｒｄ ｆｕｌｌ ｗｉｄｔｈ",
    };
    for (const secret of [nfc, nfd, fullWidth.password]) logs.secret(secret);
    for (const v of await Promise.all(
      [a, b, fullWidth].map((c) => registerAndVerify(backend, c)),
    )) {
      logs.secret(v.verificationToken);
    }
    const results = await Promise.all([
      signIn(a.email, nfc, "192.0.2.1"),
      signIn(a.email, nfd, "192.0.2.2"),
      signIn(b.email, nfc, "192.0.2.3"),
      signIn(b.email, nfd, "192.0.2.4"),
      signIn(fullWidth.email, "password full width", "192.0.2.5"),
    ]);
    for (const user of results) {
      expect(user).not.toBeNull();
      logs.secret(user?.sessionToken);
    }
    // What Directus was given is always the one normalised form.
    const passwords = proxy.seen
      .filter(
        (r) => r.method === "POST" && (r.path === "/auth/login" || r.path === "/customer/register"),
      )
      .map((r) => (JSON.parse(r.body) as { password: string }).password);
    expect(new Set(passwords.filter((p) => p.startsWith("p") && p.includes("ключ")))).toEqual(
      new Set([nfc.normalize("NFKC")]),
    );
    expect(await signIn(a.email, "passwörd 🔐 ключ 密码 long enough", "192.0.2.6")).toBeNull();
  });

  it("case and whitespace variants of one email are one account", async () => {
    const c = newCustomer(`input-${lane}-case`);
    logs.secret(c.password);
    const shouting = `  ${c.email.toUpperCase()}\t`;
    const mixed = c.email.replace(/^g/, "G").replace("example", "ExAmPlE");
    const answers = await Promise.all(
      [shouting, mixed, c.email].map((email, i) =>
        callRoute(backend, "register", { ...c, email }, { address: `198.51.100.${i + 30}` }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201]);
    const users = await directusUsers(backend, c.email);
    expect(users).toHaveLength(1);
    expect(users[0]?.email).toBe(c.email);
    expect(await directusUsers(backend, c.email.toUpperCase())).toEqual([]);
  });

  it("10 concurrent registrations of one new email make exactly one Directus user, and no 5xx", async () => {
    const c = newCustomer(`input-${lane}-race`);
    logs.secret(c.password);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        callRoute(backend, "register", c, { address: `198.51.100.${i + 40}` }),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 429, 429, 429, 429, 429, 429, 429]);
    const created = answers.filter((r) => r.status === 201).map((r) => r.text);
    expect(new Set(created).size).toBe(1);
    expect(await directusUsers(backend, c.email)).toHaveLength(1);
    // Those that got past the per-email limit raced in Directus itself.
    expect(
      proxy.seen.filter((r) => r.method === "POST" && r.path === "/customer/register"),
    ).toHaveLength(3);
  });

  it("a body trickling in below the limit is cut off after 10 s (408), not held open", async () => {
    if (!trickles) return; // Needs no Directus: once is enough.
    for (const { response, cancelled, ms } of await trickles) {
      await expectPlainRefusal(response, 408);
      expect(cancelled).toBe(true);
      expect(ms).toBeGreaterThan(9_000);
      expect(ms).toBeLessThan(15_000);
    }
  });
});

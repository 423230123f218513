// Over 250 lines on purpose: each Directus fault and its recovery runs on the same stack.
/**
 * Promise 7: with Directus stopped, slow or failing, every page and route answers quickly with a plain
 * 503, nothing about the backend leaks, and everything recovers by itself; signed-in customers stay
 * signed in across a Directus restart.
 */
import { EXPECTED_FAILED_LOADS, watchForProblems } from "./browser-problems";
import { REFRESH_INTERVAL_SECONDS } from "./constants";
import { createActiveCustomer, directus, expect, signIn, stack, test } from "./fixtures";
import {
  type Answer,
  CookieJar,
  postJson,
  send,
  signInOverHttp,
  signOutOverHttp,
} from "./http-client";

test.describe.configure({ mode: "serial" });

/**
 * A request must not wait on a hung Directus: the app gives up after DIRECTUS_TIMEOUT_MS (5 s), then
 * may pad a refusal to its uniform time (at most 1.5 s). The slow fault holds Directus 30 s, so this
 * bound separates "gave up in time" from "waited" with room for a loaded machine.
 */
const BOUND_MS = 15_000;

/** Each page as its visitors come: the sign-in pages signed out, the account pages signed in. */
const PAGES = [
  { path: "/login", signedIn: false },
  { path: "/register", signedIn: false },
  { path: "/forgot-password", signedIn: false },
  // With ?token= these answer 303 before anything else (the token moves into a cookie); the page itself follows.
  { path: "/reset-password", signedIn: false },
  { path: "/verify-email", signedIn: false },
  { path: "/account", signedIn: true },
  { path: "/", signedIn: true },
];

type Mode = { name: string; apply: () => Promise<unknown>; heal: () => Promise<unknown> };

const heal = () => directus.setFault({ kind: "none" });

// The app believes its last Directus answer for a second (health.ts): leave each test only once it
// has noticed Directus is back, so the next spec starts against a healthy stack.
test.afterEach(async () => {
  await heal();
  await expect
    .poll(async () => (await send("127.0.0.1", "GET", "/login")).status, { timeout: 60_000 })
    .toBe(200);
});
const MODES: Mode[] = [
  { name: "stopped", apply: directus.stop, heal: directus.start },
  { name: "slow", apply: () => directus.setFault({ kind: "slow", delayMs: 30_000 }), heal },
  {
    name: "answering 500",
    apply: () =>
      directus.setFault({
        kind: "error",
        status: 500,
        contentType: "application/json; charset=utf-8",
        body: JSON.stringify({
          errors: [
            {
              message: "select * from directus_users - SQLITE_BUSY at /srv/directus/db.sqlite",
              extensions: { code: "INTERNAL_SERVER_ERROR" },
            },
          ],
        }),
      }),
    heal,
  },
  {
    name: "behind a gateway answering 502",
    apply: () =>
      directus.setFault({
        kind: "error",
        status: 502,
        contentType: "text/html",
        body: "<html><body><h1>502 Bad Gateway</h1><hr>nginx/1.27.0 upstream 10.0.3.7:8055</body></html>",
      }),
    heal,
  },
];

/** What must never reach a customer: Directus's address, its messages, a gateway's page. */
const BACKEND_DETAILS = [
  /127\.0\.0\.1:\d+/,
  /SQLITE|select \*/i,
  /nginx|Bad Gateway|upstream/i,
  /INTERNAL_SERVER_ERROR/,
];

function expectUnavailable(answer: Answer, what: string) {
  expect(answer.status, `${what}: status`).toBe(503);
  expect(answer.ms, `${what}: answered in ${Math.round(answer.ms)} ms`).toBeLessThan(BOUND_MS);
  expect(answer.text, `${what}: plain message`).toMatch(/temporarily unavailable/i);
  for (const detail of BACKEND_DETAILS) expect(answer.text, `${what}: leaks`).not.toMatch(detail);
}

MODES.forEach((mode, index) => {
  test(`with Directus ${mode.name}, every page and route answers 503 in bounded time, then recovers`, async () => {
    test.setTimeout(300_000);
    const from = `127.0.0.${20 + index}`;
    const customer = await createActiveCustomer();
    const jar = new CookieJar();
    expect((await signInOverHttp(from, jar, customer.email, customer.password)).status).toBe(200);
    expect(jar.has("next-auth.session-token")).toBe(true);

    await mode.apply();
    try {
      // The app learns of the outage at its next Directus call, or within a second (health.ts).
      await expect
        .poll(async () => (await send(from, "GET", "/login")).status, { timeout: 20_000 })
        .toBe(503);
      // All at once. A slow Directus costs each request the app's whole Directus timeout: one after
      // another, they would keep Directus out of reach for longer than a session may idle
      // (SESSION_TTL_SECONDS), and Directus itself would then rightly end the session checked below.
      const someone = `someone.${Date.now()}@example.com`;
      const password = "a long enough passphrase for this";
      const checks: Array<() => Promise<void>> = [
        ...PAGES.map(({ path, signedIn }) => async () => {
          const cookie = signedIn ? jar.header() : "";
          const answer = await send(from, "GET", path, { headers: { cookie } });
          expectUnavailable(answer, `GET ${path}`);
          expect(answer.headers["retry-after"], `GET ${path}`).toBeDefined();
          expect(answer.headers["cache-control"], `GET ${path}`).toContain("no-store");
          // Being unable to ask Directus is no reason to end a session.
          expect(answer.headers["set-cookie"] ?? [], `GET ${path}`).toEqual([]);
        }),
        async () =>
          expectUnavailable(
            await postJson(from, "/api/auth/register", {
              first_name: "Ada",
              last_name: "Lovelace",
              email: someone,
              password,
            }),
            "register",
          ),
        async () =>
          expectUnavailable(
            await postJson(from, "/api/auth/forgot-password", { email: customer.email }),
            "forgot-password",
          ),
        async () =>
          expectUnavailable(
            await postJson(from, "/api/auth/reset-password", { token: "some-token", password }),
            "reset-password",
          ),
        async () => {
          const other = new CookieJar();
          const attempt = await signInOverHttp(from, other, customer.email, customer.password);
          expect(attempt.status, "sign-in").toBe(503);
          expect(attempt.ms).toBeLessThan(BOUND_MS);
          expect(JSON.parse(attempt.text)).toEqual({
            url: expect.stringContaining("error=ServiceUnavailable") as unknown,
          });
          expect(other.has("next-auth.session-token")).toBe(false);
        },
        async () => {
          // The session endpoint cannot ask Directus either, and still shows the customer signed in.
          const session = await send(from, "GET", "/api/auth/session", {
            headers: { cookie: jar.header() },
          });
          expect(session.status).toBe(200);
          expect(JSON.parse(session.text)).toMatchObject({
            user: { id: expect.any(String) as unknown },
          });
        },
      ];
      // Every check finishes before Directus heals; the first failure is the one reported.
      const results = await Promise.allSettled(checks.map((check) => check()));
      for (const result of results) if (result.status === "rejected") throw result.reason;
    } finally {
      await mode.heal();
    }

    // Recovery needs nobody: the next requests find Directus again.
    await expect
      .poll(async () => (await send(from, "GET", "/login")).status, { timeout: 60_000 })
      .toBe(200);
    const account = await send(from, "GET", "/account", { headers: { cookie: jar.header() } });
    jar.take(account.headers);
    expect(account.status).toBe(200);
    expect(account.text).toContain(customer.email);
    const again = await signInOverHttp(from, new CookieJar(), customer.email, customer.password);
    expect(again.status).toBe(200);
  });
});

test("a signed-in customer stays signed in across a Directus restart", async ({ page }) => {
  test.setTimeout(180_000);
  // The 503 page must satisfy the same CSP as every other page; its own 503 is expected, and so is
  // a 503 for /account's prefetch of its "change password" link (/forgot-password) if Next fires it
  // while Directus is down or in the second the proxy still believes so: a failed prefetch only
  // means the click loads the page in full.
  const problems = await watchForProblems(page, [
    ...EXPECTED_FAILED_LOADS,
    /^\/account$/,
    /^\/forgot-password$/,
  ]);
  const customer = await createActiveCustomer();
  await page.goto("/login");
  await signIn(page, customer.email, customer.password);
  await expect(page.getByText(customer.email)).toBeVisible();
  const signedInAt = Date.now();

  await directus.stop();
  try {
    const down = await page.goto("/account");
    expect(down?.status()).toBe(503);
    await expect(page).toHaveURL(`${stack.appUrl}/account`);
    await expect(page.getByRole("heading", { name: "Temporarily unavailable" })).toBeVisible();
    // The session comes due for a refresh meanwhile, so coming back needs a refresh against the
    // restarted Directus. Only just past due: the whole outage must fit inside the idle lifetime.
    const due = signedInAt + (REFRESH_INTERVAL_SECONDS + 1) * 1_000;
    await expect.poll(() => Date.now(), { timeout: 30_000, intervals: [500] }).toBeGreaterThan(due);
  } finally {
    await directus.start();
  }

  await expect(async () => {
    await page.getByRole("link", { name: "Try again" }).click();
    await expect(page.getByText(customer.email)).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page).toHaveURL(`${stack.appUrl}/account`);
  expect(problems).toEqual([]);
});

test("a sign-in form already open when Directus goes down says so plainly", async ({ page }) => {
  const customer = await createActiveCustomer();
  await page.goto("/login");
  await directus.setFault({ kind: "error", status: 503, contentType: "text/plain", body: "down" });
  try {
    await signIn(page, customer.email, customer.password);
    await expect(
      page.getByRole("alert").filter({ hasText: /temporarily unavailable/i }),
    ).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
  } finally {
    await heal();
  }
});

test("signing out while Directus is down still ends the session for good", async () => {
  const from = "127.0.0.30";
  const customer = await createActiveCustomer();
  const jar = new CookieJar();
  expect((await signInOverHttp(from, jar, customer.email, customer.password)).status).toBe(200);
  const copied = jar.header();

  await directus.setFault({ kind: "error", status: 500, contentType: "text/plain", body: "down" });
  try {
    expect((await signOutOverHttp(from, jar)).status).toBe(200);
    expect(jar.has("next-auth.session-token")).toBe(false);
  } finally {
    await heal();
  }

  // Directus may not have heard of the sign-out yet (the app retries it), and the copied cookie's
  // session may still be alive there; the app refuses it all the same.
  await expect
    .poll(
      async () => {
        const answer = await send(from, "GET", "/account", { headers: { cookie: copied } });
        return answer.status === 307
          ? new URL(String(answer.headers.location), stack.appUrl).pathname
          : answer.status;
      },
      { timeout: 20_000 },
    )
    .toBe("/login");
});

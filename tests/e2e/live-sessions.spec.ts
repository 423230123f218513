// Over 250 lines on purpose: every way a session ends, proven on the same running app.
/**
 * Live sessions: the session cookie holds a Directus session, and the app asks Directus on every
 * request that shows the customer's data. So whatever ends the session in Directus (a sign-out on
 * another device, an admin changing the password or the email, deleting the customer) ends every copy
 * of the cookie on its very next request, with no token left to expire (a sign-out also ends the
 * successor another app server slid a copy into); and nothing else does: a second sign-in stays
 * signed in, and parallel refreshes in two app servers sign nobody out.
 */
import type { Browser, Page } from "@playwright/test";
import { REFRESH_INTERVAL_SECONDS } from "./constants";
import {
  createActiveCustomer,
  deleteCustomer,
  expect,
  expectSessionEnded,
  newCustomer,
  signIn,
  stack,
  test,
  updateCustomer,
} from "./fixtures";
import { type Answer, CookieJar, send, signInOverHttp, signOutOverHttp } from "./http-client";
import { KEPT_SESSION_COOKIE } from "@/lib/auth/kept-session";

const SESSION_COOKIE = "next-auth.session-token";

/** The App Router's own instance, which Next exposes on `window.next` in production builds too. */
type WithRouter = { next: { router: { push: (href: string) => void } } };

type Customer = Awaited<ReturnType<typeof createActiveCustomer>>;

/** A browser of its own (a context), signed in through the form. */
async function signedInDevice(browser: Browser, customer: Customer) {
  const context = await browser.newContext({ baseURL: stack.appUrl });
  const page = await context.newPage();
  await page.goto("/login");
  await signIn(page, customer.email, customer.password);
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByText(customer.email)).toBeVisible();
  return { context, page };
}

/** Answers of 500 and up, and pages that came back empty. */
function watchServerErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("response", (response) => {
    if (response.status() >= 500) errors.push(`${response.status()} ${response.url()}`);
  });
  return errors;
}

const until = (due: number) =>
  expect.poll(() => Date.now(), { timeout: 60_000, intervals: [500] }).toBeGreaterThan(due);

test("signing out on one device ends every copy of that session on its next request, and only that session", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const customer = await createActiveCustomer();
  const a = await signedInDevice(browser, customer);

  // B holds a copy of A's cookies, as a stolen or synced cookie would be. The copy includes the kept
  // marker, so B's plain page loads skip the proxy: the page's own read must refuse them.
  const copied = await a.context.cookies();
  expect(copied.map((cookie) => cookie.name)).toContain(KEPT_SESSION_COOKIE);
  const b = await browser.newContext({ baseURL: stack.appUrl });
  const bPage = await b.newPage();
  const serverErrors = watchServerErrors(bPage);
  await b.addCookies(copied);
  await bPage.goto("/account");
  await expect(bPage).toHaveURL(/\/account$/);
  await expect(bPage.getByText(customer.email)).toBeVisible();

  // C is the same customer signed in on their own.
  const c = await signedInDevice(browser, customer);

  await a.page.getByRole("button", { name: /sign out/i }).click();
  await expect(a.page).toHaveURL(/\/login\?signedOut=1$/);

  // B's very next request, a client-side navigation from the account page it still shows: the RSC
  // request is refused and the router lands on the sign-in page, saying why.
  const rscRequests: string[] = [];
  bPage.on("request", (request) => {
    if (request.headers()["rsc"] === "1") rscRequests.push(new URL(request.url()).pathname);
  });
  await bPage.evaluate(() => (window as unknown as WithRouter).next.router.push("/"));
  await expectSessionEnded(bPage);
  expect(rscRequests, "a client-side navigation, not a page load").toContain("/");
  expect(
    (await b.cookies()).filter(
      (cookie) => cookie.name.startsWith(SESSION_COOKIE) || cookie.name === KEPT_SESSION_COOKIE,
    ),
    "the refused cookie and its marker are cleared",
  ).toEqual([]);

  // The copy planted again: a full page load is refused the same way, with no waiting. Planted from
  // a blank page, so that no prefetch of the sign-in page is the request that finds it refused.
  await bPage.goto("about:blank");
  await b.addCookies(copied);
  const load = await bPage.goto("/account");
  expect(load?.status()).toBe(200);
  await expectSessionEnded(bPage);
  await expect(bPage).toHaveURL(/callbackUrl=%2Faccount/);

  // And the session endpoint shows nobody.
  await b.addCookies(copied);
  const session = await bPage.evaluate(async () => {
    const res = await fetch("/api/auth/session");
    return { status: res.status, body: (await res.json()) as unknown };
  });
  expect(session).toEqual({ status: 200, body: {} });
  expect(serverErrors).toEqual([]);

  // C's own session never depended on A's: still signed in, after a reload and a navigation.
  await c.page.reload();
  await expect(c.page).toHaveURL(/\/account$/);
  await expect(c.page.getByText(customer.email)).toBeVisible();
  await c.page.evaluate(() => (window as unknown as WithRouter).next.router.push("/"));
  await expect(c.page).toHaveURL(/\/account$/);
  await expect(c.page.getByText(customer.email)).toBeVisible();

  await Promise.all([a.context.close(), b.close(), c.context.close()]);
});

test("signing in over an open session in another tab ends that session; the new one stays", async ({
  browser,
}) => {
  const [first, second] = await Promise.all([createActiveCustomer(), createActiveCustomer()]);
  const context = await browser.newContext({ baseURL: stack.appUrl });
  // Both tabs show the form before anyone signs in, so the second is not sent on to /account.
  const [tab1, tab2] = await Promise.all([context.newPage(), context.newPage()]);
  await Promise.all([tab1.goto("/login"), tab2.goto("/login")]);
  await signIn(tab1, first.email, first.password);
  await expect(tab1).toHaveURL(/\/account$/);
  const firstSession = (await context.cookies()).filter((c) => c.name.startsWith(SESSION_COOKIE));
  expect(firstSession).not.toEqual([]);

  await signIn(tab2, second.email, second.password);
  await expect(tab2).toHaveURL(/\/account$/);
  await expect(tab2.getByText(second.email)).toBeVisible();

  // A copy of the first session's cookie is refused on its next request: Directus ended it.
  const copy = await browser.newContext({ baseURL: stack.appUrl });
  await copy.addCookies(firstSession);
  const copyPage = await copy.newPage();
  await copyPage.goto("/account");
  await expectSessionEnded(copyPage);

  // The browser that signed in again is the second customer, on every tab.
  await tab1.reload();
  await expect(tab1.getByText(second.email)).toBeVisible();
  await Promise.all([context.close(), copy.close()]);
});

const ADMIN_ACTIONS: Array<{ what: string; act: (customer: Customer) => Promise<void> }> = [
  {
    what: "changes the password",
    act: (customer) =>
      updateCustomer(customer.email, { password: `${newCustomer().password} changed` }),
  },
  {
    what: "changes the email",
    act: (customer) => updateCustomer(customer.email, { email: `moved.${customer.email}` }),
  },
  { what: "deletes the customer", act: (customer) => deleteCustomer(customer.email) },
];

for (const { what, act } of ADMIN_ACTIONS) {
  test(`an admin who ${what} ends the customer's open session on its next request`, async ({
    page,
  }) => {
    const serverErrors = watchServerErrors(page);
    const customer = await createActiveCustomer();
    await page.goto("/login");
    await signIn(page, customer.email, customer.password);
    await expect(page).toHaveURL(/\/account$/);
    await expect(page.getByText(customer.email)).toBeVisible();

    await act(customer);
    await page.reload();
    await expectSessionEnded(page);
    expect(serverErrors).toEqual([]);
  });
}

/** `n` GETs at once to one app server, all with the same cookie. */
function burst(base: string, from: string, cookie: string, n: number) {
  return Array.from({ length: n }, () =>
    send(from, "GET", "/account", { headers: { cookie }, base }).then((answer) => ({
      base,
      answer,
    })),
  );
}

const setsSession = (answer: Answer) =>
  (answer.headers["set-cookie"] ?? []).some((c) => c.startsWith(`${SESSION_COOKIE}=`));

test("two app servers sharing one cookie refresh it in parallel and sign nobody out", async () => {
  test.setTimeout(180_000);
  const from = "127.0.0.41";
  const apps = [stack.appUrl, stack.appUrl2];
  expect(stack.appUrl2, "global-setup starts a second app server").not.toBe("");
  // Both servers see a healthy Directus (a fault test may just have healed it).
  for (const base of apps) {
    await expect
      .poll(async () => (await send(from, "GET", "/login", { base })).status, { timeout: 60_000 })
      .toBe(200);
  }

  const customer = await createActiveCustomer();
  const jar = new CookieJar();
  expect((await signInOverHttp(from, jar, customer.email, customer.password)).status).toBe(200);
  expect(jar.has(SESSION_COOKIE)).toBe(true);
  const signedInAt = Date.now();

  // Past the refresh interval, every request below finds the session due: eight at once in each
  // process, with the same cookie, all refresh it. Directus hands both processes the same successor.
  await until(signedInAt + (REFRESH_INTERVAL_SECONDS + 1) * 1_000);

  for (let round = 1; round <= 4; round++) {
    const cookie = jar.header();
    const perApp = round === 1 ? 8 : 3;
    const settled: Array<{ base: string; answer: Answer }> = [];
    await Promise.all(
      apps.flatMap((base) =>
        burst(base, from, cookie, perApp).map((p) => p.then((done) => settled.push(done))),
      ),
    );
    expect(settled).toHaveLength(perApp * apps.length);
    for (const [i, { base, answer }] of settled.entries()) {
      const what = `round ${round}, answer ${i} from ${base}`;
      expect(answer.status, `${what}: status (location ${answer.headers.location})`).toBe(200);
      expect(answer.text, `${what}: shows the customer`).toContain(customer.email);
      // The newest Set-Cookie (of the answer that came last) is what the browser would keep.
      jar.take(answer.headers);
    }
    if (round === 1) {
      for (const base of apps) {
        const refreshed = settled.filter((s) => s.base === base && setsSession(s.answer));
        expect(refreshed.length, `${base} slid the session`).toBeGreaterThan(0);
      }
    }
    expect(jar.has(SESSION_COOKIE), `round ${round}: still holding a session`).toBe(true);
  }

  // Both servers still see the customer signed in.
  for (const base of apps) {
    const session = await send(from, "GET", "/api/auth/session", {
      headers: { cookie: jar.header() },
      base,
    });
    expect(session.status).toBe(200);
    expect(JSON.parse(session.text)).toMatchObject({ user: { id: expect.any(String) as unknown } });
  }
});

/**
 * An RSC request as the App Router sends it. Next answers one without its cache-busting `_rsc`
 * parameter with a redirect to the same path with it; that hop is followed, as the router does.
 */
async function rscRequest(from: string, path: string, headers: Record<string, string>) {
  const first = await send(from, "GET", path, { headers });
  const location = first.headers.location;
  if (first.status !== 307 || !location) return first;
  const next = new URL(location, stack.appUrl);
  if (next.pathname !== new URL(path, stack.appUrl).pathname || !next.searchParams.has("_rsc"))
    return first;
  return send(from, "GET", `${next.pathname}${next.search}`, { headers });
}

test("an RSC request with a copied cookie after sign-out is sent to sign in, never a 500", async () => {
  const from = "127.0.0.42";
  const customer = await createActiveCustomer();
  const jar = new CookieJar();
  expect((await signInOverHttp(from, jar, customer.email, customer.password)).status).toBe(200);
  const copied = jar.header();
  const prefetch = { RSC: "1", "Next-Router-Prefetch": "1" };

  const before = await rscRequest(from, "/account", { ...prefetch, cookie: copied });
  expect(before.status, "the prefetch works while signed in").toBe(200);

  expect((await signOutOverHttp(from, jar)).status).toBe(200);
  expect(jar.has(SESSION_COOKIE)).toBe(false);

  const prefetched = await rscRequest(from, "/account", { ...prefetch, cookie: copied });
  expect(prefetched.status, "a prefetch").toBeLessThan(500);
  expect(prefetched.text, "a prefetch: no customer data").not.toContain(customer.email);

  // A navigation's RSC request: the page's redirect to sign in travels in the payload, which the
  // router follows with an RSC request for the sign-in page.
  const navigation = await rscRequest(from, "/account", { RSC: "1", cookie: copied });
  expect(navigation.status, "a navigation").toBe(200);
  expect(navigation.text, "a navigation: no customer data").not.toContain(customer.email);
  const target = "/login?error=SessionExpired&callbackUrl=%2Faccount";
  expect(navigation.text, "a navigation: sent to sign in").toContain(target);
  const landed = await rscRequest(from, target, { RSC: "1", cookie: copied });
  expect(landed.status, "the sign-in page").toBe(200);
  expectCookieCleared(landed, "the sign-in page's RSC request");
});

/** Another client holding what `jar` holds right now, as a copied cookie would be. */
function copyOf(jar: CookieJar): CookieJar {
  const copy = new CookieJar();
  copy.take({ "set-cookie": jar.header().split("; ") });
  return copy;
}

/** The answer clears the session cookie (and every chunk of it). */
function expectCookieCleared(answer: Answer, what: string) {
  expect(answer.headers["set-cookie"] ?? [], `${what}: the cookie is cleared`).toContainEqual(
    expect.stringMatching(
      new RegExp(`^${SESSION_COOKIE.replaceAll(".", "\\.")}=;.*Max-Age=0`, "i"),
    ),
  );
}

/**
 * A refused session: the page sends it to sign in, saying why, with no customer data; the sign-in
 * page it lands on checks the cookie with Directus and clears it (a page cannot set cookies).
 */
async function expectSessionRefused(
  from: string,
  cookie: string,
  answer: Answer,
  base: string,
  what: string,
) {
  expect(answer.status, `${what}: a redirect, not ${answer.status}`).toBe(307);
  const location = new URL(String(answer.headers.location), base);
  expect(location.pathname, what).toBe("/login");
  expect(location.searchParams.get("error"), what).toBe("SessionExpired");
  expect(location.searchParams.get("callbackUrl"), what).toBe("/account");
  expect(answer.text, `${what}: no customer data`).not.toContain("@example.com");
  const landed = await send(from, "GET", `${location.pathname}${location.search}`, {
    headers: { cookie },
    base,
  });
  expect(landed.status, `${what}: the sign-in page`).toBe(200);
  expectCookieCleared(landed, `${what}, on the sign-in page`);
}

test("a sign-out also ends the successor another app server refreshed a copy of the cookie into", async () => {
  test.setTimeout(120_000);
  const apps = [stack.appUrl, stack.appUrl2];
  expect(stack.appUrl2, "global-setup starts a second app server").not.toBe("");
  const [original, copier, otherDevice] = ["127.0.0.43", "127.0.0.44", "127.0.0.45"];
  // Both servers see a healthy Directus (a fault test may just have healed it).
  for (const base of apps) {
    await expect
      .poll(async () => (await send(original, "GET", "/login", { base })).status, {
        timeout: 60_000,
      })
      .toBe(200);
  }

  const customer = await createActiveCustomer();
  const jar = new CookieJar();
  expect((await signInOverHttp(original, jar, customer.email, customer.password)).status).toBe(200);
  expect(jar.has(SESSION_COOKIE)).toBe(true);
  const signedInAt = Date.now();
  // The same customer signed in on their own, on another device: a session of its own.
  const other = new CookieJar();
  expect((await signInOverHttp(otherDevice, other, customer.email, customer.password)).status).toBe(
    200,
  );

  /** The other device's account page on `base`: still signed in. */
  const expectOtherSignedIn = async (base: string, when: string) => {
    const answer = await send(otherDevice, "GET", "/account", {
      headers: { cookie: other.header() },
      base,
    });
    const what = `the other device ${when} on ${base}`;
    expect(answer.status, `${what}: status (location ${answer.headers.location})`).toBe(200);
    expect(answer.text, what).toContain(customer.email);
    other.take(answer.headers);
    expect(other.has(SESSION_COOKIE), what).toBe(true);
  };
  for (const base of apps) await expectOtherSignedIn(base, "before");

  // Past the refresh interval, a copy of the cookie opens the account page on the second server,
  // which slides the session: the copy now holds a successor the original never saw.
  await until(signedInAt + (REFRESH_INTERVAL_SECONDS + 1) * 1_000);
  const copy = copyOf(jar);
  const slid = await send(copier, "GET", "/account", {
    headers: { cookie: copy.header() },
    base: stack.appUrl2,
  });
  expect(slid.status, `the copy on the second server (location ${slid.headers.location})`).toBe(
    200,
  );
  expect(slid.text).toContain(customer.email);
  expect(setsSession(slid), "the second server slid the copy's session").toBe(true);
  copy.take(slid.headers);
  const held = copy.header();
  expect(held, "the copy holds a new cookie").not.toBe(jar.header());

  // The original, still holding the cookie from before the refresh, signs out on the first server.
  expect((await signOutOverHttp(original, jar)).status).toBe(200);
  expect(jar.has(SESSION_COOKIE)).toBe(false);
  const signedOutAt = Date.now();

  // The copy's next request is refused, on either server, and so is the same cookie sent again.
  const expectCopyRefused = async (when: string) => {
    for (const base of apps) {
      const answer = await send(copier, "GET", "/account", { headers: { cookie: held }, base });
      await expectSessionRefused(copier, held, answer, base, `the copy ${when} on ${base}`);
      const session = await send(copier, "GET", "/api/auth/session", {
        headers: { cookie: held },
        base,
      });
      expect(session.status, `the copy's session endpoint ${when} on ${base}`).toBe(200);
      expect(JSON.parse(session.text), `nobody on ${base} ${when}`).toEqual({});
    }
  };
  await expectCopyRefused("right after the sign-out");
  for (const base of apps) await expectOtherSignedIn(base, "after the sign-out");

  // Nothing brings it back later either, while the other device stays signed in.
  await until(signedOutAt + 12_000);
  await expectCopyRefused("12 s after the sign-out");
  for (const base of apps) await expectOtherSignedIn(base, "12 s after the sign-out");
});

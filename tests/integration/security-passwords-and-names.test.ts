/**
 * Promises 14-16 (issue 12, items 4-6) against a real Directus, on SQLite and on Postgres, with a
 * recording proxy in front of it so that "never reaches Directus" is observed:
 * - 14: the app checks Directus's password rule first, so Directus's policy error (which only a new
 *   email can get) never tells a new email from an existing one;
 * - 15: guessable passwords are refused on register and reset, by the app, before Directus;
 * - 16: names carrying links, email addresses or phone numbers are refused, and the confirmation mail
 *   prints no name at all, so a user made elsewhere (the console's sign-up) cannot put text in it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetThrottleForTests } from "@/lib/abuse/process-throttle";
import { type Backend, type Lane, postgresLane, startBackend } from "../support/backend";
import { waitForMail } from "../support/mail";
import {
  callRoute,
  captureLogs,
  directusUsers,
  newCustomer,
  pointAppAt,
  registerAndVerify,
  resetToken,
  startRecordingProxy,
} from "./security-support";

const pg = await postgresLane();
const lanes: Lane[] = pg.run ? ["sqlite", "postgres"] : ["sqlite"];

const PHISHING_NAME =
  "urgent: your account is locked, call +1 555 0100 or visit https://evil.example/unlock";
/** The same lure, short enough for Directus's 50-character name column. */
const SHORT_LURE = "Locked! Call +1 555 0100 or evil.example/unlock";

describe.each(lanes)("passwords and names on %s", (lane) => {
  let backend: Backend;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  const logs = captureLogs();

  beforeAll(async () => {
    backend = await startBackend(lane);
    proxy = await startRecordingProxy(backend.directusUrl);
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

  /** Straight to Directus, as the console's own "Sign up" does: none of the app's rules apply. */
  const directusRegister = (body: Record<string, string>) =>
    fetch(`${backend.directusUrl}/users/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ verification_url: `${backend.appUrl}/verify-email`, ...body }),
    });

  it("14: a password Directus's policy refuses never reaches it from the app, so new and existing emails get the same answer", async () => {
    const existing = newCustomer(`policy-${lane}-existing`);
    logs.secret(existing.password);
    logs.secret((await registerAndVerify(backend, existing)).verificationToken);
    const fresh = newCustomer(`policy-${lane}-new`);

    // Why the app must check first: Directus itself refuses the short password for a new email at
    // once, but answers 204 for an existing one.
    const direct = await Promise.all(
      [fresh, existing].map((c) => directusRegister({ email: c.email, password: "x" })),
    );
    expect(direct.map((r) => r.status)).toEqual([400, 204]);
    expect(await directusUsers(backend, fresh.email)).toEqual([]);

    proxy.clear();
    for (const password of ["x", "a".repeat(11), "🔒".repeat(11)]) {
      const answers = [];
      for (const c of [fresh, existing]) {
        const res = await callRoute(backend, "register", { ...c, password });
        answers.push({ status: res.status, text: res.text });
      }
      expect(answers[0]?.status).toBe(422);
      expect(answers[1]).toEqual(answers[0]);
    }
    expect(proxy.seen).toEqual([]);
  });

  it("15: guessable passwords are refused on register and reset by the app, before Directus", async () => {
    const c = newCustomer(`policy-${lane}-guessable`);
    logs.secret(c.password);
    logs.secret((await registerAndVerify(backend, c)).verificationToken);
    const token = await resetToken(backend, c.email);
    logs.secret(token);

    proxy.clear();
    for (const password of ["aaaaaaaaaaaa", "password1234"]) {
      for (const [route, body] of [
        ["register", { ...newCustomer(`policy-${lane}-weak`), password }],
        ["reset", { token, password }],
      ] as const) {
        const res = await callRoute(backend, route, body);
        expect(res.status, `${route} ${password}`).toBe(422);
        expect(res.json.fieldErrors).toEqual({
          password: [expect.stringMatching(/^This password is too easy to guess\./)],
        });
      }
    }
    expect(proxy.seen).toEqual([]);

    // Directus accepts them (its policy checks length only): the app's check is the one that counts.
    const direct = await directusRegister({
      email: `console-guessable-${lane}@example.com`,
      password: "password1234",
    });
    expect(direct.status).toBe(204);

    // The reset token still works for a strong password.
    const strong = `${c.password} renewed`;
    logs.secret(strong);
    expect((await callRoute(backend, "reset", { token, password: strong })).status).toBe(200);
  });

  it("16: a registration with a phishing first name is refused, and nothing reaches Directus", async () => {
    for (const first_name of [PHISHING_NAME, SHORT_LURE]) {
      const c = { ...newCustomer(`policy-${lane}-phish`), first_name };
      logs.secret(c.password);
      const res = await callRoute(backend, "register", c);
      expect(res.status).toBe(422);
      expect(Object.keys(res.json.fieldErrors ?? {})).toEqual(["first_name"]);
      expect((res.json.fieldErrors as Record<string, string[]>).first_name).toContain(
        "Your first name can't contain a web address. If it has a dot, put a space after it.",
      );
      expect(res.text).not.toMatch(/evil\.example|555/);
      expect(await directusUsers(backend, c.email)).toEqual([]);
    }
    expect(proxy.seen).toEqual([]);
  });

  it("names of up to 50 characters, Directus's column size, are stored on both databases", async () => {
    const c = { ...newCustomer(`policy-${lane}-long`), first_name: "A".repeat(50) };
    c.last_name = "Ł".repeat(50);
    logs.secret(c.password);
    logs.secret((await registerAndVerify(backend, c)).verificationToken);
    const [user] = await directusUsers(backend, c.email);
    expect([user?.first_name, user?.last_name]).toEqual([c.first_name, c.last_name]);
  });

  it("16: the confirmation mail prints no name, so a console sign-up cannot put its text in our mail", async () => {
    const email = `console-phish-${lane}@example.com`;
    const since = Date.now();
    const direct = await directusRegister({
      email,
      password: "a console passphrase that is long",
      first_name: SHORT_LURE,
      last_name: "urgent",
    });
    expect(direct.status).toBe(204);
    // Directus stored the name as given: only the mail leaves it out.
    expect((await directusUsers(backend, email))[0]?.first_name).toBe(SHORT_LURE);

    const mail = await waitForMail(backend.mailUrl, { to: email, subject: /verify/i, since });
    // Without the link's token, whose random characters could spell anything.
    const printed = `${mail.subject}\n${mail.html ?? ""}\n${mail.text ?? ""}`.replace(
      /token=[^"'&\s<]+/g,
      "token=…",
    );
    expect(printed).toContain("Confirm your email address");
    expect(printed).not.toMatch(/urgent|locked|evil\.example|555/i);
  });
});

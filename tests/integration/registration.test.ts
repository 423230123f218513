// Over 250 lines on purpose: issue 12's registration cases share one real Directus per lane.
/**
 * Issue 12, items 1 and 2 against a real Directus, on SQLite and on Postgres: nobody can pre-claim an
 * address (whoever confirms owns the account with a password they chose, and any earlier pending claim
 * is void), opening a link spends nothing, "send the link again" answers alike for every address and
 * mails only pending registrations, and registrations never confirmed disappear once their link expired.
 */
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as resendRoute } from "@/app/api/auth/resend-confirmation/route";
import { resetThrottleForTests } from "@/lib/abuse/process-throttle";
import { confirmEmail } from "@/lib/auth/verify-email";
import proxy from "@/proxy";
import { type Backend, type Lane, postgresLane, startBackend } from "../support/backend";
import { linkIn, listMail } from "../support/mail";
import { callRoute, newCustomer, pointAppAt, signIn } from "./security-support";

const pg = await postgresLane();
const lanes: Lane[] = pg.run ? ["sqlite", "postgres"] : ["sqlite"];

type Mail = Awaited<ReturnType<typeof listMail>>[number];

function mailsTo(all: Mail[], email: string): Mail[] {
  return all.filter((m) => m.to.some((a) => a.address.toLowerCase() === email.toLowerCase()));
}

/** Waits until `email` has received `count` confirmation mails, and returns them, oldest first. */
async function confirmationMails(backend: Backend, email: string, count: number): Promise<Mail[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = mailsTo(await listMail(backend.mailUrl), email).filter((m) =>
      /verify/i.test(m.subject),
    );
    if (found.length >= count) return found;
    if (Date.now() > deadline) throw new Error(`${email} got ${found.length} of ${count} mails`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const tokenOf = (mail: Mail) => linkIn(mail, "/verify-email").searchParams.get("token") ?? "";

async function directusUser(backend: Backend, email: string) {
  const res = await fetch(
    `${backend.directusUrl}/users?filter[email][_eq]=${encodeURIComponent(email)}&fields=id,status,first_name,last_name`,
    { headers: { authorization: `Bearer ${await backend.adminToken()}` } },
  );
  const { data } = (await res.json()) as { data: Array<Record<string, string>> };
  return data[0];
}

function resend(backend: Backend, email: string, address = "203.0.113.30") {
  return resendRoute(
    new Request(`${backend.appUrl}/api/auth/resend-confirmation`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: backend.appUrl,
        "sec-fetch-site": "same-origin",
        "x-forwarded-for": address,
      },
      body: new URLSearchParams({ email }).toString(),
    }),
  );
}

async function answer(res: Response) {
  return { status: res.status, location: res.headers.get("location"), body: await res.text() };
}

describe.each(lanes)("registration and confirmation on %s", (lane) => {
  let backend: Backend;

  beforeAll(async () => {
    backend = await startBackend(lane);
  });
  afterAll(() => backend?.stop());
  beforeEach(() => {
    pointAppAt(backend, { DIRECTUS_TIMEOUT_MS: "30000" });
    resetThrottleForTests();
  });

  it("a pre-claim is void: the owner's registration replaces the attacker's, and only the owner's password confirms", async () => {
    const victim = newCustomer(`claim-${lane}`);
    const attacker = {
      ...victim,
      first_name: "Mallory",
      password: `the attacker's own password ${Date.now()}`,
    };
    const first = await callRoute(backend, "register", attacker, { address: "198.51.100.66" });
    const [attackersMail] = await confirmationMails(backend, victim.email, 1);
    const second = await callRoute(backend, "register", victim, { address: "203.0.113.9" });
    expect(second.status).toBe(201);
    expect(second.text).toBe(first.text);
    const [, victimsMail] = await confirmationMails(backend, victim.email, 2);
    const attackersLink = tokenOf(attackersMail!);
    const victimsLink = tokenOf(victimsMail!);

    // The attacker's password no longer confirms, with either link; nothing is activated by trying.
    expect(await confirmEmail(victimsLink, attacker.password)).toEqual({ kind: "wrong_password" });
    expect(await confirmEmail(attackersLink, attacker.password)).toEqual({
      kind: "wrong_password",
    });
    expect(await directusUser(backend, victim.email)).toMatchObject({
      status: "unverified",
      first_name: victim.first_name,
    });

    expect(await confirmEmail(victimsLink, victim.password)).toEqual({
      kind: "confirmed",
      email: victim.email,
    });
    expect((await directusUser(backend, victim.email))?.status).toBe("active");
    expect(await signIn(victim.email, victim.password)).not.toBeNull();
    expect(await signIn(victim.email, attacker.password, "198.51.100.67")).toBeNull();
  });

  it("an active account's link answers like an invalid one, whatever the password: no oracle", async () => {
    const c = newCustomer(`oracle-${lane}`);
    await callRoute(backend, "register", c);
    const token = tokenOf((await confirmationMails(backend, c.email, 1))[0]!);
    expect((await confirmEmail(token, c.password)).kind).toBe("confirmed");
    expect(await confirmEmail(token, c.password)).toEqual({ kind: "invalid" });
    expect(await confirmEmail(token, "not the password")).toEqual({ kind: "invalid" });
    expect(await confirmEmail(`${token}x`, c.password)).toEqual({ kind: "invalid" });
  });

  it("opening the link (a bare GET, as a mail scanner does) activates nothing and moves the token out of the address", async () => {
    const c = newCustomer(`scanner-${lane}`);
    await callRoute(backend, "register", c);
    const link = linkIn((await confirmationMails(backend, c.email, 1))[0]!, "/verify-email");
    const res = await proxy(new NextRequest(link.toString()));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${link.origin}/verify-email`);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toContain(`=${link.searchParams.get("token")}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=lax/i);
    expect(cookie).toMatch(/Path=\/verify-email/i);
    expect((await directusUser(backend, c.email))?.status).toBe("unverified");
    expect(await signIn(c.email, c.password)).toBeNull();
  });

  it("registration answers the same for a new, a pending and an active address", async () => {
    const fresh = newCustomer(`same-${lane}`);
    const pending = newCustomer(`same-${lane}`);
    const active = newCustomer(`same-${lane}`);
    await callRoute(backend, "register", pending, { address: "203.0.113.40" });
    await callRoute(backend, "register", active, { address: "203.0.113.41" });
    const token = tokenOf((await confirmationMails(backend, active.email, 1))[0]!);
    expect((await confirmEmail(token, active.password)).kind).toBe("confirmed");

    const answers = await Promise.all(
      [fresh, pending, active].map((c, i) =>
        callRoute(backend, "register", c, { address: `203.0.113.${50 + i}` }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  });

  it("send the link again: the same answer for pending, active and unknown addresses, a mail only for pending", async () => {
    const pending = newCustomer(`resend-${lane}`);
    const active = newCustomer(`resend-${lane}`);
    const unknown = newCustomer(`resend-${lane}`);
    await callRoute(backend, "register", pending, { address: "203.0.113.60" });
    await callRoute(backend, "register", active, { address: "203.0.113.61" });
    await confirmationMails(backend, pending.email, 1);
    const token = tokenOf((await confirmationMails(backend, active.email, 1))[0]!);
    expect((await confirmEmail(token, active.password)).kind).toBe("confirmed");

    // Active and unknown first: once the pending address's new mail is in, theirs would be too.
    const answers = [
      await answer(await resend(backend, active.email)),
      await answer(await resend(backend, unknown.email)),
      await answer(await resend(backend, pending.email)),
    ];
    expect(answers[0]).toEqual({
      status: 303,
      location: `${backend.appUrl}/resend-confirmation?status=sent`,
      body: "",
    });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);

    const [, fresh] = await confirmationMails(backend, pending.email, 2);
    const all = await listMail(backend.mailUrl);
    expect(mailsTo(all, active.email)).toHaveLength(1);
    expect(mailsTo(all, unknown.email)).toHaveLength(0);
    expect(await directusUser(backend, unknown.email)).toBeUndefined();
    // The new link confirms, with the password chosen at registration.
    expect(await confirmEmail(tokenOf(fresh!), pending.password)).toEqual({
      kind: "confirmed",
      email: pending.email,
    });
  });

  it("send the link again is throttled per address and refuses cross-site posts", async () => {
    const c = newCustomer(`resend-limit-${lane}`);
    const statuses: Array<string | null> = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await resend(backend, c.email, `203.0.113.${70 + i}`)).headers.get("location"),
      );
    }
    expect(statuses.map((l) => new URL(l ?? "").searchParams.get("status"))).toEqual([
      "sent",
      "sent",
      "sent",
      "throttled",
    ]);
    const crossSite = await resendRoute(
      new Request(`${backend.appUrl}/api/auth/resend-confirmation`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: "https://evil.example",
        },
        body: "email=a%40example.com",
      }),
    );
    expect(crossSite.status).toBe(403);
  });
});

describe.each(lanes)("unconfirmed registrations expire on %s", (lane) => {
  let backend: Backend;

  beforeAll(async () => {
    backend = await startBackend(lane, {
      // A link lifetime of seconds and a sweep every second, so the test does not wait for days.
      extraEnv: {
        EMAIL_VERIFICATION_TOKEN_TTL: "8s",
        PENDING_REGISTRATION_SWEEP_SCHEDULE: "* * * * * *",
      },
    });
  });
  afterAll(() => backend?.stop());
  beforeEach(() => {
    pointAppAt(backend, { DIRECTUS_TIMEOUT_MS: "30000" });
    resetThrottleForTests();
  });

  it("deletes a pending registration once its link expired, and keeps confirmed accounts", async () => {
    const pending = newCustomer(`expire-${lane}`);
    const confirmed = newCustomer(`expire-${lane}`);
    await callRoute(backend, "register", confirmed, { address: "203.0.113.80" });
    const token = tokenOf((await confirmationMails(backend, confirmed.email, 1))[0]!);
    expect((await confirmEmail(token, confirmed.password)).kind).toBe("confirmed");
    await callRoute(backend, "register", pending, { address: "203.0.113.81" });
    // Registered straight through Directus (as its console's sign-up would): no stamp of ours yet.
    const unstamped = newCustomer(`expire-${lane}`);
    const direct = await fetch(`${backend.directusUrl}/users/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: unstamped.email, password: unstamped.password }),
    });
    expect(direct.status).toBe(204);
    expect((await directusUser(backend, pending.email))?.status).toBe("unverified");

    const deadline = Date.now() + 60_000;
    while (
      ((await directusUser(backend, pending.email)) ||
        (await directusUser(backend, unstamped.email))) &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(await directusUser(backend, pending.email)).toBeUndefined();
    expect(await directusUser(backend, unstamped.email)).toBeUndefined();
    expect((await directusUser(backend, confirmed.email))?.status).toBe("active");
    expect(await signIn(confirmed.email, confirmed.password)).not.toBeNull();
  });
});

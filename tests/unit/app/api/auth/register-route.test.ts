// Over 250 lines on purpose: one route, every way its body is refused or accepted.
import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/auth/register/route";
import {
  DIRECTUS,
  HttpResponse,
  directusError,
  http,
  jsonRequest,
  server,
  setupServerTests,
} from "../../../support/server";

setupServerTests();

const form = {
  first_name: "Ada",
  last_name: "Lovelace",
  email: "Ada@Example.com",
  password: "correct horse battery",
};

/** Records what reached Directus's registration endpoint. */
function directusRegistration(
  answer: () => Response = () => new HttpResponse(null, { status: 204 }),
) {
  const bodies: unknown[] = [];
  server.use(
    http.post(`${DIRECTUS}/customer/register`, async ({ request }) => {
      bodies.push(await request.json());
      return answer();
    }),
  );
  return bodies;
}

async function call(body: unknown, headers: Record<string, string> = {}) {
  const response = await POST(jsonRequest("/api/auth/register", body, headers));
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: JSON.parse(text) as Record<string, unknown>,
  };
}

describe("POST /api/auth/register", () => {
  it("201: forwards exactly the four fields, a normalised email and our verification URL", async () => {
    const bodies = directusRegistration();
    const result = await call(form);
    expect(result.status).toBe(201);
    expect(result.json).toEqual({ ok: true, message: expect.stringMatching(/check your inbox/i) });
    expect(result.headers.get("cache-control")).toBe("no-store");
    expect(bodies).toEqual([
      {
        email: "ada@example.com",
        password: "correct horse battery",
        first_name: "Ada",
        last_name: "Lovelace",
        verification_url: "http://localhost:3000/verify-email",
      },
    ]);
  });

  it("answers an existing email exactly like a new one (Directus answers 204 for both)", async () => {
    directusRegistration();
    const first = await call(form);
    const again = await call(form);
    expect(again.status).toBe(first.status);
    expect(again.text).toBe(first.text);
  });

  it("422 with field errors for an invalid form, without calling Directus", async () => {
    const bodies = directusRegistration();
    const result = await call({ ...form, email: "nope", password: "short" });
    expect(result.status).toBe(422);
    expect(result.json.ok).toBe(false);
    expect(result.json.fieldErrors).toEqual({
      email: [expect.any(String)],
      password: ["Use at least 12 characters."],
    });
    expect(bodies).toEqual([]);
  });

  it.each(["role", "status", "policies", "provider"])(
    "422 for the extra field %s, never forwarded",
    async (field) => {
      const bodies = directusRegistration();
      const result = await call({ ...form, [field]: "administrator" });
      expect(result.status).toBe(422);
      expect(result.text).not.toContain(field);
      expect(bodies).toEqual([]);
    },
  );

  it("415 for a form post", async () => {
    const result = await call("first_name=Ada", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(result.status).toBe(415);
  });

  it("413 for an oversized body", async () => {
    const result = await call({ ...form, first_name: "A".repeat(10_000) });
    expect(result.status).toBe(413);
  });

  it("400 for malformed JSON", async () => {
    expect((await call('{"email": "a@')).status).toBe(400);
  });

  it("403 for a cross-site request, before reading the body", async () => {
    const bodies = directusRegistration();
    expect((await call(form, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect(
      (await call(form, { origin: "https://evil.example", "sec-fetch-site": "same-origin" }))
        .status,
    ).toBe(403);
    expect(bodies).toEqual([]);
  });

  it("429 with Retry-After once one email was registered too often", async () => {
    const bodies = directusRegistration();
    for (let i = 0; i < 3; i++) expect((await call(form)).status).toBe(201);
    const result = await call(form);
    expect(result.status).toBe(429);
    expect(Number(result.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(result.json).toEqual({
      ok: false,
      message: expect.stringMatching(/too many attempts/i),
    });
    expect(bodies).toHaveLength(3);
  });

  it("429 once one address registered too many emails", async () => {
    directusRegistration();
    const headers = { "x-forwarded-for": "198.51.100.7" };
    for (let i = 0; i < 10; i++)
      expect((await call({ ...form, email: `u${i}@example.com` }, headers)).status).toBe(201);
    expect((await call({ ...form, email: "u10@example.com" }, headers)).status).toBe(429);
    expect(
      (await call({ ...form, email: "u11@example.com" }, { "x-forwarded-for": "198.51.100.8" }))
        .status,
    ).toBe(201);
  });

  it("503 with a plain message when Directus is unreachable", async () => {
    server.use(http.post(`${DIRECTUS}/customer/register`, () => HttpResponse.error()));
    const result = await call(form);
    expect(result.status).toBe(503);
    expect(result.json).toEqual({
      ok: false,
      message: expect.stringMatching(/temporarily unavailable/i),
    });
  });

  it("never echoes Directus's message, codes or URLs", async () => {
    directusRegistration(() =>
      directusError(
        400,
        "INVALID_PAYLOAD",
        'URL "http://localhost:3000/verify-email" can\'t be used to verify registered users',
      ),
    );
    const result = await call(form);
    expect(result.status).toBe(500);
    expect(result.text).not.toMatch(/INVALID_PAYLOAD|verify-email|directus|can't be used/i);
  });

  it("422 on the password field when Directus's password policy refuses it", async () => {
    directusRegistration(() =>
      directusError(400, "FAILED_VALIDATION", "Value doesn't have the correct format", {
        field: "password",
      }),
    );
    const result = await call(form);
    expect(result.status).toBe(422);
    expect(result.json.fieldErrors).toEqual({ password: [expect.any(String)] });
    expect(result.text).not.toMatch(/correct format/);
  });

  it("403 when Directus has registration closed for this email", async () => {
    directusRegistration(() =>
      directusError(403, "FORBIDDEN", "You don't have permission to access this."),
    );
    const result = await call(form);
    expect(result.status).toBe(403);
    expect(result.text).not.toMatch(/permission to access/);
  });
});

describe("POST /api/auth/register refuses guessable passwords and lures in names (issue 12)", () => {
  it.each(["aaaaaaaaaaaa", "password1234"])(
    "422 for %s with a plain reason on the password field, without calling Directus",
    async (password) => {
      const bodies = directusRegistration();
      const result = await call({ ...form, password });
      expect(result.status).toBe(422);
      expect(result.json).toEqual({
        ok: false,
        message: "Check the highlighted fields.",
        fieldErrors: {
          password: [expect.stringMatching(/^This password is too easy to guess\. .+\.$/)],
        },
      });
      expect(bodies).toEqual([]);
    },
  );

  it("refuses a password made of the customer's own name", async () => {
    const bodies = directusRegistration();
    const result = await call({
      ...form,
      first_name: "Zorblax",
      last_name: "Quintavius",
      password: "ZorblaxQuintavius1",
    });
    expect(result.status).toBe(422);
    expect(result.json.fieldErrors).toEqual({
      password: [expect.stringMatching(/contains your name or email address/)],
    });
    expect(bodies).toEqual([]);
  });

  it("answers alike for every email, and a refused password costs no attempt", async () => {
    const bodies = directusRegistration();
    const answers = new Set<string>();
    // More refusals than the account allows registrations in an hour (3).
    for (let i = 0; i < 5; i++)
      answers.add((await call({ ...form, password: "password1234" })).text);
    answers.add(
      (await call({ ...form, email: "someone.else@example.com", password: "password1234" })).text,
    );
    expect(answers.size).toBe(1);
    expect((await call(form)).status).toBe(201);
    expect(bodies).toHaveLength(1);
  });

  it("422 on the name field for the phishing first name, without calling Directus", async () => {
    const bodies = directusRegistration();
    const result = await call({
      ...form,
      first_name:
        "urgent: your account is locked, call +1 555 0100 or visit https://evil.example/unlock",
    });
    expect(result.status).toBe(422);
    expect(Object.keys(result.json.fieldErrors as object)).toEqual(["first_name"]);
    expect(result.text).not.toContain("evil.example");
    expect(bodies).toEqual([]);
  });
});

describe("POST /api/auth/register, unusual but valid input", () => {
  it("201 when a concurrent registration of the same email won the race in Directus", async () => {
    directusRegistration(() =>
      directusError(400, "RECORD_NOT_UNIQUE", 'Value "ada@example.com" has to be unique', {
        field: "email",
      }),
    );
    const result = await call(form);
    expect(result.status).toBe(201);
    expect(result.text).not.toMatch(/unique/i);
  });

  it("forwards the password in NFKC, so NFC and NFD spellings are one password", async () => {
    const bodies = directusRegistration();
    const password = "pässwörd 🔐 ключ 密码 long enough";
    await call({ ...form, password: password.normalize("NFD") });
    expect((bodies[0] as { password: string }).password).toBe(password.normalize("NFKC"));
  });

  it("422 with plain sentences for wrong types, never zod's own wording", async () => {
    const bodies = directusRegistration();
    const result = await call({
      ...form,
      first_name: 42,
      email: ["a@example.com"],
      password: null,
    });
    expect(result.status).toBe(422);
    expect(result.text).not.toMatch(/expected|received|invalid input/i);
    expect(Object.keys(result.json.fieldErrors as object).sort()).toEqual([
      "email",
      "first_name",
      "password",
    ]);
    expect(bodies).toEqual([]);
  });

  it("422 'not a form we understand' for a body that is no object", async () => {
    for (const body of ["[]", "null", '"ada@example.com"', "42"]) {
      const result = await call(body);
      expect(result.status).toBe(422);
      expect(result.json.message).toMatch(/not a form we understand/);
    }
  });
});

import { describe, expect, it, vi } from "vitest";
import { authorizeCredentials } from "@/lib/auth/authorize";
import {
  DIRECTUS,
  HttpResponse,
  authAnswer,
  directusError,
  http,
  server,
  setupServerTests,
} from "./support";

setupServerTests();

const credentials = {
  email: "Ada@Example.com",
  password: "correct horse battery",
  csrfToken: "x",
  callbackUrl: "/account",
};
const from = (address: string) => ({ headers: { "x-forwarded-for": address } });

function directusLogin(answer: (body: { email: string; password: string }) => Response) {
  const calls: Array<Record<string, unknown>> = [];
  server.use(
    http.post(`${DIRECTUS}/auth/login`, async ({ request }) => {
      const body = (await request.json()) as { email: string; password: string };
      calls.push(body);
      return answer(body);
    }),
  );
  return calls;
}

const correct = (body: { password: string }) =>
  body.password === credentials.password
    ? HttpResponse.json(authAnswer({ id: "user-42", refreshToken: "refresh-1" }))
    : directusError(401, "INVALID_CREDENTIALS");

describe("authorizeCredentials", () => {
  it("logs in with json mode and returns the user id and tokens", async () => {
    const calls = directusLogin(correct);
    const before = Date.now();
    const user = await authorizeCredentials(credentials, from("198.51.100.1"));
    expect(calls).toEqual([
      { email: "ada@example.com", password: "correct horse battery", mode: "json" },
    ]);
    expect(user).toMatchObject({
      id: "user-42",
      refreshToken: "refresh-1",
      accessToken: expect.any(String),
    });
    expect(user?.accessTokenExpires).toBeGreaterThanOrEqual(before + 900_000);
  });

  it("returns null for wrong credentials (Directus answers the same for unverified and suspended users)", async () => {
    directusLogin(correct);
    expect(
      await authorizeCredentials({ ...credentials, password: "wrong" }, from("198.51.100.1")),
    ).toBeNull();
  });

  it("returns null without calling Directus when the form is invalid", async () => {
    const calls = directusLogin(correct);
    expect(
      await authorizeCredentials({ email: "nope", password: "x" }, from("198.51.100.1")),
    ).toBeNull();
    expect(await authorizeCredentials(undefined, {})).toBeNull();
    expect(calls).toEqual([]);
  });

  it("throws TooManyRequests after 5 attempts on one account, without calling Directus again", async () => {
    const calls = directusLogin(correct);
    for (let i = 0; i < 5; i++) {
      expect(
        await authorizeCredentials({ ...credentials, password: "wrong" }, from(`198.51.100.${i}`)),
      ).toBeNull();
    }
    await expect(authorizeCredentials(credentials, from("203.0.113.9"))).rejects.toThrow(
      /^TooManyRequests$/,
    );
    expect(calls).toHaveLength(5);
  });

  it("lets at most 5 of 20 parallel attempts on one account reach Directus", async () => {
    const calls = directusLogin(correct);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        authorizeCredentials({ ...credentials, password: `wrong ${i}` }, from(`198.51.100.${i}`)),
      ),
    );
    expect(calls.length).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(15);
  });

  it("throttles one address spraying many accounts", async () => {
    directusLogin(correct);
    for (let i = 0; i < 20; i++) {
      await authorizeCredentials(
        { email: `user${i}@example.com`, password: "wrong" },
        from("198.51.100.66"),
      );
    }
    await expect(authorizeCredentials(credentials, from("198.51.100.66"))).rejects.toThrow(
      "TooManyRequests",
    );
    expect(await authorizeCredentials(credentials, from("198.51.100.67"))).toMatchObject({
      id: "user-42",
    });
  });

  it("a success clears the account's failures", async () => {
    directusLogin(correct);
    for (let i = 0; i < 4; i++)
      await authorizeCredentials({ ...credentials, password: "wrong" }, from("198.51.100.1"));
    expect(await authorizeCredentials(credentials, from("198.51.100.1"))).not.toBeNull();
    for (let i = 0; i < 4; i++) {
      expect(
        await authorizeCredentials({ ...credentials, password: "wrong" }, from("198.51.100.1")),
      ).toBeNull();
    }
  });

  it("throws ServiceUnavailable when Directus is unreachable, and the attempt costs nothing", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const calls = directusLogin(() => HttpResponse.error());
    for (let i = 0; i < 8; i++) {
      await expect(authorizeCredentials(credentials, from("198.51.100.1"))).rejects.toThrow(
        /^ServiceUnavailable$/,
      );
    }
    expect(calls).toHaveLength(8);
  });

  it("throws ServiceUnavailable on a Directus 5xx, and never logs the password", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    directusLogin(() => directusError(500, "INTERNAL_SERVER_ERROR"));
    await expect(authorizeCredentials(credentials, from("198.51.100.1"))).rejects.toThrow(
      "ServiceUnavailable",
    );
    const logged = JSON.stringify([...error.mock.calls, ...warn.mock.calls]);
    expect(logged).not.toContain(credentials.password);
    expect(logged).not.toContain("ada@example.com");
  });

  it("throws ServiceUnavailable when the answer carries no usable tokens", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    directusLogin(() =>
      HttpResponse.json({
        data: { access_token: "not-a-jwt", refresh_token: "r", expires: 900_000 },
      }),
    );
    await expect(authorizeCredentials(credentials, from("198.51.100.1"))).rejects.toThrow(
      "ServiceUnavailable",
    );
  });
});

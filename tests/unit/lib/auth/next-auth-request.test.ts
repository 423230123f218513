import { describe, expect, it } from "vitest";
import { screenNextAuthRequest } from "@/lib/auth/next-auth-request";
import { APP, setupServerTests } from "../../support/server";

setupServerTests();

const request = (path: string, init: RequestInit = {}) =>
  new Request(`${APP}/api/auth/${path}`, init);

async function refusal(result: Request | Response) {
  expect(result).toBeInstanceOf(Response);
  const response = result as Response;
  const body = (await response.json()) as { ok: boolean; message: string };
  expect(body.ok).toBe(false);
  return { status: response.status, allow: response.headers.get("allow"), response };
}

describe("screenNextAuthRequest: only the endpoints this app uses reach next-auth", () => {
  it.each([
    ["GET", "session"],
    ["POST", "session"],
    ["GET", "csrf"],
    ["GET", "providers"],
    ["GET", "signin"],
    ["POST", "callback/credentials"],
    ["POST", "signout"],
    ["GET", "signout"],
    ["GET", "error"],
    ["POST", "_log"],
  ])("lets %s %s through", (method, path) => {
    const req = request(path, { method });
    expect(screenNextAuthRequest(req)).toBe(req);
  });

  it("answers 405 with Allow for a GET of the credentials callback (next-auth's 500)", async () => {
    const { status, allow } = await refusal(screenNextAuthRequest(request("callback/credentials")));
    expect(status).toBe(405);
    expect(allow).toBe("POST");
  });

  it("lists HEAD where GET is allowed", async () => {
    const { status, allow } = await refusal(
      screenNextAuthRequest(request("csrf", { method: "POST" })),
    );
    expect(status).toBe(405);
    expect(allow).toBe("GET, HEAD");
  });

  it.each([
    "nope",
    "callback/github",
    "signin/email",
    "verify-request",
    "constructor",
    "__proto__",
    "callback//credentials",
    "",
  ])("answers 404 for /api/auth/%s", async (path) => {
    expect((await refusal(screenNextAuthRequest(request(path)))).status).toBe(404);
  });

  it("hands next-auth a GET for a HEAD (it knows no HEAD)", () => {
    const screened = screenNextAuthRequest(request("session", { method: "HEAD" }));
    expect(screened).toBeInstanceOf(Request);
    expect((screened as Request).method).toBe("GET");
  });
});

describe("screenNextAuthRequest: callback URLs next-auth would answer with a 500", () => {
  it.each([
    ["http://[::1", "/"],
    ["http://localhost:3000.evil.example/", "/"],
    ["https://evil.example/x", "/"],
    ["/account?x=1", "/account?x=1"],
  ])("turns the callbackUrl query %j into the same-origin path %j", (raw, expected) => {
    const screened = screenNextAuthRequest(
      request(`signin?callbackUrl=${encodeURIComponent(raw)}`),
    ) as Request;
    expect(screened).toBeInstanceOf(Request);
    expect(new URL(screened.url).searchParams.get("callbackUrl")).toBe(expected);
  });

  it.each(["http://[::1", "javascript:alert(1)", "%E0%A4%A", "not a url"])(
    "clears a callback-url cookie of %j and asks the browser to try again",
    async (value) => {
      const { status, response } = await refusal(
        screenNextAuthRequest(
          request("session", { headers: { cookie: `a=1; next-auth.callback-url=${value}` } }),
        ),
      );
      expect(status).toBe(400);
      expect(response.headers.get("set-cookie")).toMatch(
        /^next-auth\.callback-url=; Path=\/; Max-Age=0/,
      );
    },
  );

  it.each([
    `${APP}/account`,
    encodeURIComponent(`${APP}/account`),
    "/account",
    "https://evil.example/",
  ])("keeps a callback-url cookie next-auth accepts (%s)", (value) => {
    const req = request("session", { headers: { cookie: `next-auth.callback-url=${value}` } });
    expect(screenNextAuthRequest(req)).toBe(req);
  });
});

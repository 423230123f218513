import { describe, expect, it } from "vitest";
import { rememberKnownDevice } from "@/lib/auth/sign-in-answer";
import { withSignInThrottle } from "@/lib/auth/next-auth-throttle";
import { APP, setupServerTests } from "../../support/server";

setupServerTests();

const SESSION = "next-auth.session-token=abc; Path=/; HttpOnly; SameSite=Lax";
const CSRF = "next-auth.csrf-token=x; Path=/";

/** next-auth as the wrapper sees it: authorize may remember a device, then next-auth answers. */
function nextAuth({
  status = 200,
  body,
  cookies = [CSRF],
  device,
  redirect,
}: {
  status?: number;
  body?: unknown;
  cookies?: string[];
  device?: string;
  redirect?: string;
}) {
  return withSignInThrottle(async () => {
    if (device) rememberKnownDevice(device);
    const headers = new Headers();
    for (const cookie of cookies) headers.append("set-cookie", cookie);
    if (redirect) {
      headers.set("location", redirect);
      return new Response(null, { status: 302, headers });
    }
    headers.set("content-type", "application/json");
    return new Response(JSON.stringify(body), { status, headers });
  });
}

const post = () => new Request(`${APP}/api/auth/callback/credentials`, { method: "POST" });

describe("withSignInThrottle: next-auth's credentials answer", () => {
  it("turns the throttle's refusal into 429 with Retry-After, body and cookies unchanged", async () => {
    const body = { url: `${APP}/api/auth/error?error=TooManyRequests.604800` };
    const res = await nextAuth({ status: 401, body })(post(), {});
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("604800");
    expect(res.headers.getSetCookie()).toEqual([CSRF]);
    expect(await res.json()).toEqual(body);
  });

  it("leaves every other answer as next-auth gave it", async () => {
    for (const [status, url] of [
      [401, `${APP}/api/auth/error?error=CredentialsSignin`],
      [401, `${APP}/api/auth/error?error=TooManyRequests`],
      [401, `${APP}/api/auth/error?error=TooManyRequests.soon`],
      [401, `${APP}/api/auth/error?error=ServiceUnavailable`],
      [200, `${APP}/account`],
    ] as const) {
      const res = await nextAuth({ status, body: { url } })(post(), {});
      expect(res.status, url).toBe(status);
      expect(res.headers.get("retry-after")).toBeNull();
    }
  });

  it("keeps the redirect of a form posted without JavaScript: the login page says the wait", async () => {
    const location = `${APP}/api/auth/error?error=TooManyRequests.600`;
    const res = await nextAuth({ redirect: location })(post(), {});
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(location);
  });

  it("sets the known-device cookie authorize asked for when next-auth set a session", async () => {
    for (const options of [{ body: { url: `${APP}/account` } }, { redirect: `${APP}/account` }]) {
      const res = await nextAuth({ ...options, cookies: [CSRF, SESSION], device: "v1.a.1.m" })(
        post(),
        {},
      );
      expect(res.headers.getSetCookie()).toEqual([
        CSRF,
        SESSION,
        expect.stringMatching(/^known-device=v1\.a\.1\.m; Path=\/login; /),
      ]);
    }
  });

  it("sets no known-device cookie without a session, or when authorize asked for none", async () => {
    const refused = await nextAuth({
      status: 401,
      body: { url: `${APP}/api/auth/error?error=CredentialsSignin` },
      device: "v1.a.1.m",
    })(post(), {});
    expect(refused.headers.getSetCookie()).toEqual([CSRF]);
    const none = await nextAuth({ body: { url: `${APP}/account` }, cookies: [SESSION] })(
      post(),
      {},
    );
    expect(none.headers.getSetCookie()).toEqual([SESSION]);
  });

  it("keeps each request's device to itself when sign-ins run at once", async () => {
    const handler = withSignInThrottle(async (request: Request) => {
      const device = new URL(request.url).searchParams.get("d") ?? "";
      await new Promise((resolve) => setTimeout(resolve, device === "v1.first" ? 20 : 0));
      rememberKnownDevice(device);
      return new Response("{}", {
        headers: { "content-type": "application/json", "set-cookie": SESSION },
      });
    });
    const [first, second] = await Promise.all(
      ["v1.first", "v1.second"].map((d) =>
        handler(new Request(`${APP}/api/auth/callback/credentials?d=${d}`, { method: "POST" }), {}),
      ),
    );
    expect(first?.headers.getSetCookie()[1]).toMatch(/^known-device=v1\.first;/);
    expect(second?.headers.getSetCookie()[1]).toMatch(/^known-device=v1\.second;/);
  });

  it("leaves GETs alone", async () => {
    const get = new Request(`${APP}/api/auth/session`);
    const body = { url: `${APP}/api/auth/error?error=TooManyRequests.60` };
    expect((await nextAuth({ status: 200, body })(get, {})).status).toBe(200);
  });
});

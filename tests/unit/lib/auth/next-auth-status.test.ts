import { describe, expect, it } from "vitest";
import { withUnavailableStatus } from "@/lib/auth/next-auth-status";

const APP = "http://localhost:3000";

function answering(status: number, body: unknown, contentType = "application/json") {
  return withUnavailableStatus(
    async () =>
      new Response(typeof body === "string" ? body : JSON.stringify(body), {
        status,
        headers: { "content-type": contentType, "set-cookie": "next-auth.csrf-token=x; Path=/" },
      }),
  );
}

const post = () => new Request(`${APP}/api/auth/callback/credentials`, { method: "POST" });

describe("next-auth's sign-in answer when Directus is unavailable", () => {
  it("becomes a 503 with Retry-After, body and cookies unchanged", async () => {
    const body = { url: `${APP}/login?error=ServiceUnavailable` };
    const res = await answering(401, body)(post(), {});
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(res.headers.getSetCookie()).toEqual(["next-auth.csrf-token=x; Path=/"]);
    expect(await res.json()).toEqual(body);
  });

  it("leaves every other failure and success as next-auth answered it", async () => {
    for (const [status, url] of [
      [401, `${APP}/login?error=CredentialsSignin`],
      [401, `${APP}/login?error=TooManyRequests`],
      [200, `${APP}/account`],
    ] as const) {
      const res = await answering(status, { url })(post(), {});
      expect(res.status).toBe(status);
      expect(res.headers.get("retry-after")).toBeNull();
    }
  });

  it("leaves redirects, GETs and unreadable bodies alone", async () => {
    const redirect = withUnavailableStatus(async () =>
      Response.redirect(`${APP}/login?error=ServiceUnavailable`, 302),
    );
    expect((await redirect(post(), {})).status).toBe(302);
    const get = new Request(`${APP}/api/auth/session`);
    expect((await answering(200, { url: "?error=ServiceUnavailable" })(get, {})).status).toBe(200);
    expect((await answering(200, "not json")(post(), {})).status).toBe(200);
  });
});

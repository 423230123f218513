import { describe, expect, it } from "vitest";
import { withReplacedSessionEnded } from "@/lib/auth/next-auth-replaced-session";
import { encodeSession } from "@/lib/auth/session-jwt";
import {
  APP,
  DIRECTUS,
  TEST_ENV,
  fakeSessionToken,
  http,
  server,
  setupServerTests,
} from "../../support/server";

setupServerTests();

const NEW_SESSION = "next-auth.session-token=new; Path=/; HttpOnly; SameSite=Lax";
const CSRF = "next-auth.csrf-token=x; Path=/";

/** next-auth as the wrapper sees it: an answer with these Set-Cookie lines. */
const nextAuth = (cookies: string[]) =>
  withReplacedSessionEnded(async () => {
    const headers = new Headers();
    for (const cookie of cookies) headers.append("set-cookie", cookie);
    return new Response(null, { status: 302, headers });
  });

/** The Authorization headers the customer API's sign-out was called with. */
function recordSignOuts(): Array<string | null> {
  const ended: Array<string | null> = [];
  server.use(
    http.post(`${DIRECTUS}/customer/sign-out`, ({ request }) => {
      ended.push(request.headers.get("authorization"));
      return new Response(null, { status: 204 });
    }),
  );
  return ended;
}

async function openSessionCookie(sessionToken: string): Promise<string> {
  const value = await encodeSession({
    token: { sub: "user-7", sessionToken },
    secret: TEST_ENV.NEXTAUTH_SECRET,
  });
  return `next-auth.session-token=${value}`;
}

const request = (path: string, cookie: string, method = "POST") =>
  new Request(`${APP}/api/auth${path}`, { method, headers: { cookie } });

describe("withReplacedSessionEnded: next-auth's credentials sign-in over an open session", () => {
  it("ends the open session in Directus once next-auth has set the new one", async () => {
    const ended = recordSignOuts();
    const previous = fakeSessionToken({ id: "user-7", sessionId: "old" });
    const cookie = await openSessionCookie(previous);
    const res = await nextAuth([CSRF, NEW_SESSION])(request("/callback/credentials", cookie), {});
    expect(ended).toEqual([`Bearer ${previous}`]);
    // The answer itself is next-auth's, untouched.
    expect(res.status).toBe(302);
    expect(res.headers.getSetCookie()).toEqual([CSRF, NEW_SESSION]);
  });

  it("also when next-auth splits the new cookie into chunks", async () => {
    const ended = recordSignOuts();
    const previous = fakeSessionToken({ id: "user-7", sessionId: "old" });
    const cookie = await openSessionCookie(previous);
    await nextAuth(["next-auth.session-token.0=a; Path=/", "next-auth.session-token.1=b; Path=/"])(
      request("/callback/credentials", cookie),
      {},
    );
    expect(ended).toEqual([`Bearer ${previous}`]);
  });

  it("leaves the open session alone when the sign-in sets no session (a refusal)", async () => {
    const ended = recordSignOuts();
    const cookie = await openSessionCookie(fakeSessionToken({ id: "user-7", sessionId: "old" }));
    await nextAuth([CSRF])(request("/callback/credentials", cookie), {});
    expect(ended).toEqual([]);
  });

  it("only on the credentials sign-in: the session endpoint re-issuing the cookie ends nothing", async () => {
    const ended = recordSignOuts();
    const cookie = await openSessionCookie(fakeSessionToken({ id: "user-7", sessionId: "old" }));
    await nextAuth([NEW_SESSION])(request("/session", cookie, "GET"), {});
    await nextAuth([NEW_SESSION])(request("/session", cookie), {});
    expect(ended).toEqual([]);
  });

  it("does nothing for a browser with no session, or one whose cookie does not decode", async () => {
    const ended = recordSignOuts();
    await nextAuth([NEW_SESSION])(request("/callback/credentials", ""), {});
    await nextAuth([NEW_SESSION])(
      request("/callback/credentials", "next-auth.session-token=tampered"),
      {},
    );
    expect(ended).toEqual([]);
  });
});

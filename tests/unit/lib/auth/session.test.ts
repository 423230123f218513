import type { JWT } from "next-auth/jwt";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { requireCustomer } from "@/lib/auth/session";
import { encodeSession } from "@/lib/auth/session-jwt";
import {
  ADA,
  HttpResponse,
  TEST_ENV,
  customerMe,
  fakeDirectus,
  sessionIdOf,
  setupServerTests,
} from "../../support/server";

/** The cookies next/headers hands the page: what the browser sent, or what proxy.ts forwarded. */
const jar = vi.hoisted(() => ({ cookies: [] as Array<{ name: string; value: string }> }));
vi.mock("next/headers", () => ({
  cookies: vi.fn(async () => ({ getAll: () => jar.cookies })),
}));

/** next/navigation's redirect() throws to stop rendering; this one says where it was sent. */
class Redirected extends Error {
  constructor(readonly to: string) {
    super(`redirected to ${to}`);
  }
}
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw new Redirected(to);
  },
}));

setupServerTests();

beforeEach(() => {
  jar.cookies = [];
});

async function holdCookie(token: JWT): Promise<void> {
  const value = await encodeSession({ token, secret: TEST_ENV.NEXTAUTH_SECRET });
  jar.cookies = [
    { name: "theme", value: "dark" },
    { name: "next-auth.session-token", value },
  ];
}

async function redirectOf(work: Promise<unknown>): Promise<string> {
  const error: unknown = await work.catch((e: unknown) => e);
  if (!(error instanceof Redirected)) throw new Error(`not a redirect: ${String(error)}`);
  return error.to;
}

describe("requireCustomer: the page's own read is the session check", () => {
  it("answers the profile Directus reads with the customer's own session", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn();
    await holdCookie(session);
    expect(await requireCustomer("/account")).toEqual({
      id: ADA.id,
      email: ADA.email,
      firstName: ADA.first_name,
      lastName: ADA.last_name,
    });
    expect(directus.callsTo("me")).toEqual([sessionIdOf(session.sessionToken)]);
  });

  it("sends a visitor without a session, or with a cookie that does not decode, to sign in", async () => {
    fakeDirectus();
    expect(await redirectOf(requireCustomer("/account"))).toBe("/login?callbackUrl=%2Faccount");
    jar.cookies = [{ name: "next-auth.session-token", value: "garbage" }];
    expect(await redirectOf(requireCustomer("/account/x?y=1"))).toBe(
      "/login?callbackUrl=%2Faccount%2Fx%3Fy%3D1",
    );
  });

  it("sends a session Directus has ended to sign in, saying so", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn();
    await holdCookie(session);
    directus.end(sessionIdOf(session.sessionToken));
    expect(await redirectOf(requireCustomer("/account"))).toBe(
      "/login?error=SessionExpired&callbackUrl=%2Faccount",
    );
  });

  it("sends a session past its absolute lifetime to sign in without asking Directus: the proxy may not have run", async () => {
    const directus = fakeDirectus();
    const session = directus.signIn();
    const absoluteMs = Number(TEST_ENV.SESSION_ABSOLUTE_MAX_AGE) * 1000;
    await holdCookie({ ...session, signedInAt: Date.now() - absoluteMs - 1_000 });
    expect(await redirectOf(requireCustomer("/account"))).toBe(
      "/login?error=SessionExpired&callbackUrl=%2Faccount",
    );
    expect(directus.callsTo("me")).toEqual([]);
  });

  it("sends the visitor back to the same address when Directus cannot be reached: the failure was reported, so the door sends that request through the proxy, which answers 503", async () => {
    const directus = fakeDirectus();
    await holdCookie(directus.signIn());
    customerMe(() => HttpResponse.error());
    expect(await redirectOf(requireCustomer("/account"))).toBe("/account");
  });

  it("fails the page, never showing it, when Directus answers someone else's profile", async () => {
    const directus = fakeDirectus();
    await holdCookie(directus.signIn());
    customerMe(() => HttpResponse.json({ data: { ...ADA, id: "user-2" } }));
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(requireCustomer("/account")).rejects.toThrow(/could not confirm/);
    expect(error).toHaveBeenCalled();
  });
});

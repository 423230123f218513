import { decode, encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSession, encodeSession } from "@/lib/auth/session-jwt";

const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const OTHER = "another-secret-that-is-long-enough-987654321";
const claims = { sub: "user-1", sessionToken: "directus-session" };

describe("the session cookie codec", () => {
  it("seals cookies that next-auth's own decode opens", async () => {
    const cookie = await encodeSession({ token: claims, secret: SECRET, maxAge: 60 });
    const opened = await decode({ token: cookie, secret: SECRET });
    expect(opened).toMatchObject({ sub: "user-1", sessionToken: "directus-session" });
    expect(opened?.exp).toBeGreaterThan(Date.now() / 1000 + 50);
    expect(typeof opened?.jti).toBe("string");
  });

  it("opens cookies sealed by next-auth's own encode", async () => {
    const cookie = await encode({ token: claims, secret: SECRET, maxAge: 60 });
    expect(await decodeSession({ token: cookie, secret: SECRET })).toMatchObject(claims);
  });

  it("agrees with next-auth when a salt is given", async () => {
    const cookie = await encode({ token: claims, secret: SECRET, salt: "s" });
    expect(await decodeSession({ token: cookie, secret: SECRET, salt: "s" })).toMatchObject(claims);
    await expect(decodeSession({ token: cookie, secret: SECRET })).rejects.toThrow();
  });

  it("derives a new key when the secret changes, and the old cookies stop opening", async () => {
    const underFirst = await encodeSession({ token: claims, secret: SECRET });
    const underSecond = await encodeSession({ token: claims, secret: OTHER });
    await expect(decodeSession({ token: underFirst, secret: OTHER })).rejects.toThrow();
    expect(await decodeSession({ token: underSecond, secret: OTHER })).toMatchObject(claims);
    expect(await decodeSession({ token: underFirst, secret: SECRET })).toMatchObject(claims);
  });

  it("refuses a tampered cookie and an expired one, and reads no cookie as no session", async () => {
    const cookie = await encodeSession({ token: claims, secret: SECRET });
    const tampered = cookie.slice(0, -2) + (cookie.endsWith("A") ? "BB" : "AA");
    await expect(decodeSession({ token: tampered, secret: SECRET })).rejects.toThrow();
    // Past next-auth's 15 s clock tolerance.
    const expired = await encodeSession({ token: claims, secret: SECRET, maxAge: -20 });
    await expect(decodeSession({ token: expired, secret: SECRET })).rejects.toThrow();
    expect(await decodeSession({ token: undefined, secret: SECRET })).toBeNull();
  });
});

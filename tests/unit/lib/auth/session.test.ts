import { beforeEach, describe, expect, it, vi } from "vitest";
import { getCurrentUser } from "@/lib/auth/session";
import { sealProfile, VERIFIED_PROFILE_HEADER } from "@/lib/auth/verified-profile";
import type { CustomerProfile } from "@/lib/directus/sessions";
import { setupServerTests } from "../../support/server";

/** The request headers next/headers hands the page: what proxy.ts forwarded. */
const request = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: vi.fn(async () => request.headers),
}));

// msw with `onUnhandledRequest: 'error'`: getCurrentUser must not call Directus at all.
setupServerTests();

const ada: CustomerProfile = {
  id: "user-1",
  email: "ada@example.com",
  firstName: "Ada",
  lastName: "",
};

beforeEach(() => {
  request.headers = new Headers();
});

describe("getCurrentUser", () => {
  it("answers the profile the proxy sealed for this request, without asking Directus", async () => {
    request.headers.set(VERIFIED_PROFILE_HEADER, sealProfile(ada));
    expect(await getCurrentUser()).toEqual(ada);
  });

  it("answers null when the proxy forwarded no profile (nobody signed in)", async () => {
    request.headers.set("cookie", "next-auth.session-token=whatever");
    expect(await getCurrentUser()).toBeNull();
  });

  it("answers null for a profile the proxy did not seal", async () => {
    const forged = Buffer.from(JSON.stringify({ ...ada, id: "user-2" })).toString("base64url");
    request.headers.set(VERIFIED_PROFILE_HEADER, `${forged}.c2lnbmF0dXJl`);
    expect(await getCurrentUser()).toBeNull();
  });

  it("answers null for a sealed profile whose payload was swapped", async () => {
    const [, signature] = sealProfile(ada).split(".");
    const [other] = sealProfile({ ...ada, id: "user-2" }).split(".");
    request.headers.set(VERIFIED_PROFILE_HEADER, `${other}.${signature}`);
    expect(await getCurrentUser()).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { safeCallbackPath, sameOriginPath } from "@/lib/validations/callback-path";

const ORIGIN = "http://localhost:3000";

describe("safeCallbackPath: where the sign-in form goes once it is done", () => {
  it.each([
    ["/account/settings?tab=security", "/account/settings?tab=security"],
    ["/orders#latest", "/orders#latest"],
    ["https://evil.example/steal", "/account"],
    ["//evil.example/steal", "/account"],
    ["/\\evil.example/steal", "/account"],
    ["/\t/evil.example/steal", "/account"],
    ["/%09/evil.example/steal", "/%09/evil.example/steal"],
    ["javascript:alert(1)", "/account"],
    ["http://localhost:3000/account", "/account"],
    ["", "/account"],
    [undefined, "/account"],
    [null, "/account"],
  ])("%j goes to %j", (callbackUrl, expected) => {
    expect(safeCallbackPath(callbackUrl, ORIGIN)).toBe(expected);
  });

  it("uses the caller's fallback for anything it refuses", () => {
    expect(safeCallbackPath("https://evil.example", ORIGIN, "/")).toBe("/");
  });
});

describe("sameOriginPath: next-auth's redirect callback", () => {
  it.each([
    ["http://localhost:3000/account?x=1", "/account?x=1"],
    ["/account", "/account"],
    ["https://evil.example/account", "/"],
    ["http://[::1", "/"],
    ["http://localhost:3000.evil.example/", "/"],
  ])("%j becomes %j", (raw, expected) => {
    expect(sameOriginPath(raw, ORIGIN, "/")).toBe(expected);
  });
});

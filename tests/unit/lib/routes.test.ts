import { describe, expect, it } from "vitest";
import { matchesAny, ROUTES } from "@/lib/routes";

describe("matchesAny", () => {
  it.each([
    ["/account", true],
    ["/account/", true],
    ["/account/settings", true],
    ["/", true],
    ["/accounts", false],
    ["/login", false],
    ["/api/auth/session", false],
    ["/ACCOUNT", false],
  ])("counts %s as protected: %s", (pathname, expected) => {
    expect(matchesAny(ROUTES.protectedPages, pathname)).toBe(expected);
  });

  it("matches a plain path exactly and a /* path as a prefix", () => {
    expect(matchesAny(["/a"], "/a/b")).toBe(false);
    expect(matchesAny(["/a/*"], "/a/b")).toBe(true);
    expect(matchesAny(["/a/*"], "/a")).toBe(false);
    expect(matchesAny([], "/")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { getEnv, secureCookies } from "@/lib/env";
import { securityContext } from "@/lib/security/runtime";
import { setupServerTests, useAppUrl } from "../support/server";

setupServerTests();

describe("NEXTAUTH_URL", () => {
  it("decides Secure cookies and HSTS with one answer", () => {
    useAppUrl("https://accounts.example.com");
    expect(secureCookies()).toBe(true);
    expect(securityContext().https).toBe(true);
    useAppUrl("http://localhost:3000");
    expect(secureCookies()).toBe(false);
    expect(securityContext().https).toBe(false);
  });

  it.each(["HTTPS://accounts.example.com", "Https://accounts.example.com"])(
    "refuses a scheme in capitals (%s), which would be read as https by one check and not the other",
    (url) => {
      useAppUrl(url);
      expect(() => getEnv()).toThrow(/NEXTAUTH_URL: must start with http:\/\/ or https:\/\//);
    },
  );

  it.each(["ftp://accounts.example.com", "javascript:alert(1)", "accounts.example.com"])(
    "refuses %s: the app is only ever served over http or https",
    (url) => {
      useAppUrl(url);
      expect(() => getEnv()).toThrow(/NEXTAUTH_URL/);
    },
  );
});
